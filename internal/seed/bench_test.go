//go:build unix

package seed_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/gen"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// The seed benchmarks run on the synthetic data sets of internal/gen, one
// per size (talk count), generated once into os.TempDir()/talkgraph-bench-<N>
// and reused while the generator is unchanged. Sizes come from benchTalks:
// TALKGRAPH_BENCH_TALKS (default 1000), or a -bench pattern naming them
// (-bench 'Seed/talks=10000$'). The helpers from benchTalks on are
// copies of internal/server/benchdata_test.go's; keep them in step.

// BenchmarkSeed seeds a synthetic data set into a fresh database and reports
// keys and relations written per second. Each iteration first writes the
// same number of keys, of the same sizes, with a raw Badger WriteBatch (see
// rawWrite), then seeds: both run under the same conditions, and the
// benchmark reports the raw rate (raw-keys/s) and the seed's share of it
// (x-raw: seed keys/s ÷ raw keys/s). Only the seed counts in ns/op.
func BenchmarkSeed(b *testing.B) {
	for _, n := range benchTalks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			dir := benchDataset(b, n)
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
	for _, n := range benchTalks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			shapes := keyShapes(b, benchDataset(b, n), n)
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
	version := benchVersion(b, n, "internal/gen", "graph", "internal/seed", "internal/textindex")
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
	err = s.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			counts[[2]int{len(it.Item().Key()), int(it.Item().ValueSize())}]++
		}
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

// benchTalks returns the sizes (talk counts) to benchmark, each run as a
// sub-benchmark named talks=N: the numbers the -bench pattern gives after
// "talks=" (-bench 'Queries/talks=10000/', 'Seed/talks=(1000|100000)$'),
// else those TALKGRAPH_BENCH_TALKS lists, separated by spaces or commas,
// else 1000. A size the pattern does not name is never offered, so
// 'talks=1000' does not start the 10000 and 100000 ones too.
func benchTalks(tb testing.TB) []int {
	var sizes []int
	notDigit := func(r rune) bool { return r < '0' || r > '9' }
	if f := flag.Lookup("test.bench"); f != nil {
		for _, part := range strings.Split(f.Value.String(), "/") {
			if _, after, ok := strings.Cut(part, "talks="); ok {
				for _, d := range strings.FieldsFunc(after, notDigit) {
					n, _ := strconv.Atoi(d)
					sizes = append(sizes, n)
				}
			}
		}
	}
	if len(sizes) == 0 {
		env := os.Getenv("TALKGRAPH_BENCH_TALKS")
		if strings.TrimSpace(env) == "" {
			env = "1000"
		}
		for _, f := range strings.FieldsFunc(env, func(r rune) bool { return r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(f)
			if err != nil {
				tb.Fatalf("TALKGRAPH_BENCH_TALKS=%q: %q is not a talk count", env, f)
			}
			sizes = append(sizes, n)
		}
	}
	slices.Sort(sizes)
	sizes = slices.Compact(sizes)
	if len(sizes) == 0 || sizes[0] < 1 {
		tb.Fatalf("talk counts %v: each must be 1 or more", sizes)
	}
	return sizes
}

// benchDataset returns the directory of the synthetic data set of n talks
// (gen.Config{Talks: n, Seed: 1}), generating it when it is missing or was
// made by another version of the generator.
func benchDataset(tb testing.TB, n int) string {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("talkgraph-bench-%d", n))
	defer benchLock(tb, dir+".lock")()
	version := benchVersion(tb, n, "internal/gen")
	// The stamp is not a .yaml file, so it is no part of the data set.
	stamp := filepath.Join(dir, "bench-version")
	if b, err := os.ReadFile(stamp); err == nil && string(b) == version {
		return dir
	}
	start := time.Now()
	tmp, err := os.MkdirTemp(os.TempDir(), filepath.Base(dir)+".tmp-*")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if err := gen.Write(tmp, gen.Config{Talks: n, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "bench-version"), []byte(version), 0o644); err != nil {
		tb.Fatal(err)
	}
	benchReplace(tb, tmp, dir)
	tb.Logf("generated %s in %v", dir, time.Since(start).Round(time.Millisecond))
	return dir
}

// benchVersion identifies what a cached file was made by: the talk count,
// the Go release, the store's format version and the sources (non-test .go
// and .yaml files) of the given directories of the module — the code and
// data that decide the file's content. Another engineer's change to the key
// layout thus rebuilds the cache instead of benchmarking a stale one.
func benchVersion(tb testing.TB, n int, dirs ...string) string {
	tb.Helper()
	root := benchModuleRoot(tb)
	h := sha256.New()
	fmt.Fprintf(h, "talkgraph-bench v1\x00%d\x00%s\x00%d\x00", n, runtime.Version(), graph.FormatVersion)
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(root, d))
		if err != nil {
			tb.Fatalf("benchmark cache version: %v", err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || strings.HasSuffix(name, "_test.go") || !(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".yaml")) {
				continue
			}
			b, err := os.ReadFile(filepath.Join(root, d, name))
			if err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(h, "%s/%s\x00%d\x00", d, name, len(b))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// benchModuleRoot returns the directory holding go.mod, above the package
// directory tests run in.
func benchModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			tb.Fatal("benchmark cache version: no go.mod above the working directory")
		}
		dir = up
	}
}

// benchReplace puts the directory tmp in place of dir.
func benchReplace(tb testing.TB, tmp, dir string) {
	tb.Helper()
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		tb.Fatal(err)
	}
}

// benchLock takes an exclusive lock on the file at path, waiting for another
// process to release it, and returns the function that releases it.
func benchLock(tb testing.TB, path string) (unlock func()) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	fd := int(f.Fd())
	err = syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		tb.Logf("waiting for %s: another benchmark process holds it", path)
		err = syscall.Flock(fd, syscall.LOCK_EX)
	}
	if err != nil {
		f.Close()
		tb.Fatalf("lock %s: %v", path, err)
	}
	return func() {
		syscall.Flock(fd, syscall.LOCK_UN)
		f.Close()
	}
}
