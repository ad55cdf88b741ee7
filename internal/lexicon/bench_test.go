//go:build unix

package lexicon_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/benchdata"
	"github.com/talkgraph/talkgraph/internal/gctune"
	"github.com/talkgraph/talkgraph/internal/lexicon"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// forgivingCases are the searches BenchmarkForgiving times, on the words
// of the generated data set (which every description draws from: the
// worst case of a word's postings). "as typed" is the baseline: the words
// spelled right, searched without the dictionary, as before it existed.
var forgivingCases = []struct {
	name, text string
	exact      bool
	bleve      func() query.Query // bleve's own query for the same search
}{
	{"as typed, 1 word (baseline)", "observability ", true, func() query.Query { return bleve.NewMatchQuery("observability") }},
	{"real word with the dictionary", "observability ", false, nil},
	{"real word being typed (completed too)", "observability", false, nil},
	{"1 word, one typo", "obsevability ", false, func() query.Query { q := bleve.NewFuzzyQuery("obsevability"); q.SetFuzziness(1); return q }},
	{"1 word, two typos", "obsevabilty ", false, func() query.Query { q := bleve.NewFuzzyQuery("obsevabilty"); q.SetFuzziness(2); return q }},
	{"1 word, a typo in its ending", "orchestraton ", false, func() query.Query { q := bleve.NewFuzzyQuery("orchestraton"); q.SetFuzziness(1); return q }},
	{"the start of a word", "observ", false, func() query.Query { return bleve.NewPrefixQuery("observ") }},
	{"as typed, 3 words", "distributed tracing pipelines ", true, func() query.Query { return bleve.NewMatchQuery("distributed tracing pipelines") }},
	{"3 words, a typo and a start", "distribted tracing pipel", false, func() query.Query {
		a := bleve.NewFuzzyQuery("distribted")
		a.SetFuzziness(1)
		return bleve.NewDisjunctionQuery(a, bleve.NewMatchQuery("tracing"), bleve.NewPrefixQuery("pipel"))
	}},
}

// suggestCases are the texts BenchmarkForgiving/suggest types.
var suggestCases = []string{"obs", "observabil", "obsevabil", "ada mar", "barbra dubois", "tool 12", "talk 9999"}

// BenchmarkForgiving times searches with typos and prefixes through the
// dictionary beside the same words as typed (the baseline of the same
// run), bleve's fuzzy and prefix queries on the same texts, and
// suggestions; each case reports its p50 and p99 latency. scripts/
// searchbench.sh writes them into docs/benchmarks.md.
func BenchmarkForgiving(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			s := openBench(b, benchdata.DB(b, n))
			lex := lexicon.New(s, nil)
			b.Cleanup(func() { lex.Close() })
			// As `talkgraph serve` runs (GOGC 400 and a soft memory limit,
			// set before it builds the dictionary).
			b.Cleanup(gctune.Apply())
			start := time.Now()
			if err := lex.Refresh(context.Background()); err != nil {
				b.Fatal(err)
			}
			// On stdout, for scripts/searchbench.sh; b.Logf shows only with -v.
			fmt.Printf("dictionary of %d talks built in %v\n", n, time.Since(start).Round(time.Millisecond))
			// Without the build's garbage still to collect.
			runtime.GC()
			for _, c := range forgivingCases {
				b.Run("search/"+c.name, func(b *testing.B) {
					timed(b, func() {
						tx := s.Begin(context.Background())
						defer tx.Discard()
						o := graph.SearchOptions{}
						if !c.exact {
							o.Expander, o.Related = lex.For(tx), true
						}
						if _, _, err := tx.SearchWords(c.text, o, 10); err != nil {
							b.Fatal(err)
						}
					})
				})
			}
			for _, text := range suggestCases {
				b.Run("suggest/"+text, func(b *testing.B) {
					timed(b, func() {
						tx := s.Begin(context.Background())
						defer tx.Discard()
						lex.For(tx).Names(text, nil, 10)
					})
				})
			}
			idx := bleveIndex(b, s, n)
			for _, c := range forgivingCases {
				if c.bleve == nil {
					continue
				}
				b.Run("bleve/"+c.name, func(b *testing.B) {
					timed(b, func() {
						req := bleve.NewSearchRequestOptions(c.bleve(), 10, 0, false)
						if _, err := idx.Search(req); err != nil {
							b.Fatal(err)
						}
					})
				})
			}
		})
	}
}

// timed runs fn b.N times and reports the p50 and p99 of its latency.
func timed(b *testing.B, fn func()) {
	var lat []time.Duration
	for b.Loop() {
		t := time.Now()
		fn()
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

func openBench(b *testing.B, dir string) *graph.Store {
	b.Helper()
	s := graph.NewStore(dir)
	s.Analyzer = textindex.MustNew()
	if err := s.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// bleveIndex returns a bleve index of the texts of every talk of s (name
// and descriptions in one field, bleve's standard analysis), built once
// per data set into os.TempDir()/talkgraph-bleve-<n>.
func bleveIndex(b *testing.B, s *graph.Store, n int) bleve.Index {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("talkgraph-bleve-%d", n))
	defer benchdata.Lock(b, dir+".lock")()
	version := benchdata.Version(b, n, "internal/gen")
	stamp := dir + ".version"
	if v, err := os.ReadFile(stamp); err == nil && string(v) == version {
		idx, err := bleve.Open(dir)
		if err == nil {
			b.Cleanup(func() { idx.Close() })
			return idx
		}
	}
	os.Remove(stamp)
	os.RemoveAll(dir)
	idx, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { idx.Close() })
	start := time.Now()
	batch := idx.NewBatch()
	tx := s.Begin(context.Background())
	defer tx.Discard()
	err = tx.EachNode(func(nd *graph.Node) error {
		if nd.Kind != graph.KindTalk {
			return nil
		}
		text := nd.Name
		for _, d := range nd.Description {
			text += "\n" + d
		}
		if err := batch.Index(nd.ID, map[string]string{"text": text}); err != nil {
			return err
		}
		if batch.Size() >= 1000 {
			if err := idx.Batch(batch); err != nil {
				return err
			}
			batch.Reset()
		}
		return nil
	})
	if err == nil {
		err = idx.Batch(batch)
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(stamp, []byte(version), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Logf("bleve index of %d talks built in %v", n, time.Since(start).Round(time.Second))
	return idx
}
