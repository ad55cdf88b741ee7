package seed_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/gen"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

var benchSizes = []int{1000, 10_000}

// synthetic writes (once per size and process) a generated data set.
func synthetic(b *testing.B, talks int) string {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("talkgraph-bench-%d", talks))
	if _, err := os.Stat(filepath.Join(dir, "people-000.yaml")); err == nil {
		return dir
	}
	if err := gen.Write(dir, gen.Config{Talks: talks, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

func openBench(b *testing.B) *graph.Store {
	s := graph.NewStore(b.TempDir())
	s.Analyzer = textindex.MustNew()
	if err := s.Open(); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSeed seeds a synthetic data set into a fresh database and
// reports keys and relations written per second.
func BenchmarkSeed(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			dir := synthetic(b, n)
			var keys, edges int
			for b.Loop() {
				b.StopTimer()
				s := openBench(b)
				sets, err := seed.Discover(os.DirFS(dir), ".", dir)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				reports, err := seed.NewLoader(s).Seed(context.Background(), sets)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				keys, edges = reports[0].Keys, reports[0].Edges
				s.Close()
				b.StartTimer()
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(keys)/sec, "keys/s")
			b.ReportMetric(float64(edges)/sec, "relations/s")
		})
	}
}

// BenchmarkRawWriteBatch is the baseline of BenchmarkSeed: Badger's
// WriteBatch writing as many keys, of the same sizes, as seeding the same
// data set writes.
func BenchmarkRawWriteBatch(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			sizes := keySizes(b, synthetic(b, n))
			for b.Loop() {
				b.StopTimer()
				db, err := badger.Open(badger.DefaultOptions(b.TempDir()).WithLogger(nil))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				wb := db.NewWriteBatch()
				for _, kv := range sizes {
					k, v := make([]byte, kv[0]), make([]byte, kv[1])
					rand.Read(k)
					if err := wb.Set(k, v); err != nil {
						b.Fatal(err)
					}
				}
				if err := wb.Flush(); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(sizes))/(b.Elapsed().Seconds()/float64(b.N)), "keys/s")
		})
	}
}

// keySizes seeds the data set once and returns the size of every key and
// value the seed wrote.
func keySizes(b *testing.B, dir string) [][2]int {
	s := openBench(b)
	defer s.Close()
	sets, err := seed.Discover(os.DirFS(dir), ".", dir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := seed.NewLoader(s).Seed(context.Background(), sets); err != nil {
		b.Fatal(err)
	}
	var out [][2]int
	err = s.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			out = append(out, [2]int{len(it.Item().Key()), int(it.Item().ValueSize())})
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}
