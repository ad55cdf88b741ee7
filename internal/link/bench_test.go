//go:build unix

package link_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/benchdata"
	"github.com/talkgraph/talkgraph/internal/link"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// BenchmarkLink links every talk of the benchmark database (N synthetic
// talks and dotScale) against its entities and the whole embedded
// vocabulary, as `talkgraph link` does. Its baseline, in the same run,
// reads every talk and tokenizes its texts in their languages: what any
// linking costs before it looks a name up.
func BenchmarkLink(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			db := graph.NewStore(benchdata.DB(b, n))
			db.Analyzer, db.MustExist = textindex.MustNew(), true
			if err := db.Open(); err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			vocab := testdb.SeededAll(b)
			tx := db.Begin(context.Background())
			defer tx.Discard()
			vtx := vocab.Begin(context.Background())
			defer vtx.Discard()
			talks, err := tx.IDs(graph.KindTalk, 0, -1)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("tokenize", func(b *testing.B) {
				for b.Loop() {
					for _, id := range talks {
						nd, err := tx.Node(id)
						if err != nil {
							b.Fatal(err)
						}
						db.Analyzer.Tokens(nd.Props["lang"], nd.Name)
						for l, d := range nd.Description {
							db.Analyzer.Tokens(l, d)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(talks)), "ns/talk")
			})
			b.Run("link", func(b *testing.B) {
				var props int
				for b.Loop() {
					ix := link.NewIndex(db.Analyzer)
					if err := ix.AddEntities(vtx); err != nil {
						b.Fatal(err)
					}
					if err := ix.AddEntities(tx); err != nil {
						b.Fatal(err)
					}
					ps, err := ix.Link(tx, link.Options{})
					if err != nil {
						b.Fatal(err)
					}
					props = len(ps)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(talks)), "ns/talk")
				b.ReportMetric(float64(props), "proposals")
			})
		})
	}
}
