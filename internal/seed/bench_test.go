//go:build unix

package seed_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/talkgraph/talkgraph/internal/benchdata"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// The seed benchmarks run on the synthetic data sets of internal/gen, one
// per size (talk count), generated once into os.TempDir()/talkgraph-bench-<N>
// and reused while the generator is unchanged. Sizes come from benchdata.Talks:
// TALKGRAPH_BENCH_TALKS (default 1000), or a -bench pattern naming them
// (-bench 'Seed/talks=10000$').

// BenchmarkSeed seeds a synthetic data set into a fresh database and reports
// keys and relations written per second. Each iteration first writes the
// same number of keys, of the same sizes, with a raw Badger WriteBatch (see
// rawWrite), then seeds: both run under the same conditions, and the
// benchmark reports the raw rate (raw-keys/s) and the seed's share of it
// (x-raw: seed keys/s ÷ raw keys/s). Only the seed counts in ns/op.
func BenchmarkSeed(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			dir := benchdata.Dataset(b, n)
			shapes := keyShapes(b, dir, n)
			var keys, edges int
			var raw time.Duration
			for b.Loop() {
				b.StopTimer()
				raw += rawWrite(b, shapes)
				s, done := openBench(b)
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
				done()
				b.StartTimer()
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			rawRate := float64(shapeKeys(shapes)) / (raw.Seconds() / float64(b.N))
			b.ReportMetric(float64(keys)/sec, "keys/s")
			b.ReportMetric(float64(edges)/sec, "relations/s")
			b.ReportMetric(rawRate, "raw-keys/s")
			b.ReportMetric(float64(keys)/sec/rawRate, "x-raw")
		})
	}
}

// BenchmarkRawWriteBatch is BenchmarkSeed's baseline on its own: Badger's
// WriteBatch writing as many keys, of the same sizes, as seeding the same
// data set writes.
func BenchmarkRawWriteBatch(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			shapes := keyShapes(b, benchdata.Dataset(b, n), n)
			var raw time.Duration
			for b.Loop() {
				b.StopTimer()
				raw += rawWrite(b, shapes)
				b.StartTimer()
			}
			b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "ns/op") // the writes only
			b.ReportMetric(float64(shapeKeys(shapes))/(raw.Seconds()/float64(b.N)), "keys/s")
		})
	}
}

// openBench opens a store in a new directory; done closes and removes it.
func openBench(b *testing.B) (s *graph.Store, done func()) {
	b.Helper()
	dir, err := os.MkdirTemp(os.TempDir(), "talkgraph-seedbench-*")
	if err != nil {
		b.Fatal(err)
	}
	s = graph.NewStore(dir)
	s.Analyzer = textindex.MustNew()
	if err := s.Open(); err != nil {
		os.RemoveAll(dir)
		b.Fatal(err)
	}
	return s, func() {
		s.Close()
		os.RemoveAll(dir)
	}
}

// rawWrite writes keys of the given shapes with a Badger WriteBatch into a
// new database and returns the time the writes took: from the first Set to
// the end of Flush and of an fsync (a seed ends with one too), not counting
// opening and closing. Keys are random bytes, cut from buffers filled ahead
// so that making them costs next to nothing; values are zeros.
func rawWrite(b *testing.B, shapes []keyShape) time.Duration {
	b.Helper()
	dir, err := os.MkdirTemp(os.TempDir(), "talkgraph-rawbench-*")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	maxValue := 0
	for _, s := range shapes {
		maxValue = max(maxValue, s.Value)
	}
	zeros := make([]byte, maxValue)
	rng := rand.NewChaCha8([32]byte{1})
	var buf []byte
	start := time.Now()
	wb := db.NewWriteBatch()
	defer wb.Cancel()
	for _, s := range shapes {
		for range s.Count {
			if len(buf) < s.Key {
				// Badger keeps the key slices until the batch is written: a
				// buffer is never reused.
				buf = make([]byte, max(1<<20, s.Key))
				rng.Read(buf)
			}
			k := buf[:s.Key:s.Key]
			buf = buf[s.Key:]
			if err := wb.Set(k, zeros[:s.Value]); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := wb.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := db.Sync(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// keyShape counts the keys of one key size and value size that seeding a
// data set writes.
type keyShape struct{ Key, Value, Count int }

func shapeKeys(shapes []keyShape) int {
	n := 0
	for _, s := range shapes {
		n += s.Count
	}
	return n
}

// keyShapes returns the sizes of the keys and values that seeding the data
// set at dir writes. Finding them takes a seed, so they are kept in
// os.TempDir()/talkgraph-bench-<N>.keyshapes.json, versioned like the data
// set and by the code that decides the keys.
func keyShapes(b *testing.B, dir string, n int) []keyShape {
	b.Helper()
	cache := filepath.Join(os.TempDir(), fmt.Sprintf("talkgraph-bench-%d.keyshapes.json", n))
	version := benchdata.Version(b, n, "internal/gen", "graph", "internal/seed", "internal/textindex")
	var file struct {
		Version string
		Shapes  []keyShape
	}
	if data, err := os.ReadFile(cache); err == nil && json.Unmarshal(data, &file) == nil && file.Version == version {
		return file.Shapes
	}
	s, done := openBench(b)
	defer done()
	sets, err := seed.Discover(os.DirFS(dir), ".", dir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := seed.NewLoader(s).Seed(context.Background(), sets); err != nil {
		b.Fatal(err)
	}
	counts := map[[2]int]int{}
	err = s.Dump(context.Background(), func(k, v []byte) error {
		counts[[2]int{len(k), len(v)}]++
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	file.Version, file.Shapes = version, nil
	for kv, c := range counts {
		file.Shapes = append(file.Shapes, keyShape{Key: kv[0], Value: kv[1], Count: c})
	}
	slices.SortFunc(file.Shapes, func(x, y keyShape) int {
		if x.Key != y.Key {
			return x.Key - y.Key
		}
		return x.Value - y.Value
	})
	data, err := json.Marshal(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(cache+".tmp", data, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(cache+".tmp", cache); err != nil {
		b.Fatal(err)
	}
	return file.Shapes
}
