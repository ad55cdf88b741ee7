package export_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/benchdata"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// countingWriter counts the bytes an export writes, for b.SetBytes.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkExport writes the whole benchmark database in the RDF formats
// and the Dgraph dialect, beside json, the baseline: the same reads of the
// store with the least work per statement. Compare ns/op with json's in the
// same run; MB/s is the output's size over the time.
func BenchmarkExport(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			store := graph.NewStore(benchdata.DB(b, n))
			store.Analyzer = textindex.MustNew()
			if err := store.Open(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { store.Close() })
			for _, f := range []export.Format{export.JSON, export.NQuads, export.JSONLD, export.Dgraph} {
				b.Run("format="+string(f), func(b *testing.B) {
					var size countingWriter
					tx := testdb.Begin(b, store)
					if err := export.Write(&size, f, tx); err != nil {
						b.Fatal(err)
					}
					b.SetBytes(size.n)
					for b.Loop() {
						if err := export.Write(io.Discard, f, tx); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
