//go:build unix

// Package benchdata builds the data the benchmarks of several packages run
// on: a synthetic data set per size (talk count), generated once into
// os.TempDir()/talkgraph-bench-<N>, and a database seeded with it and the
// embedded dotScale set, built once into os.TempDir()/talkgraph-benchdb-<N>.
// Both are reused by later runs for as long as their version (see Version)
// is unchanged, and rebuilt when it changes. A file lock per directory keeps
// two benchmark processes (go test runs packages in parallel) from building
// or opening the same one at once. Only tests import it.
package benchdata

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/gen"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"github.com/talkgraph/talkgraph/seeds"
)

// Talks returns the sizes (talk counts) to benchmark, each run as a
// sub-benchmark named talks=N: the numbers the -bench pattern gives after
// "talks=" (-bench 'Queries/talks=10000/', 'Seed/talks=(1000|100000)$'),
// else those TALKGRAPH_BENCH_TALKS lists, separated by spaces or commas,
// else 1000. A size the pattern does not name is never offered, so
// 'talks=1000' does not start the 10000 and 100000 ones too.
func Talks(tb testing.TB) []int {
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

// Dataset returns the directory of the synthetic data set of n talks
// (gen.Config{Talks: n, Seed: 1}), generating it when it is missing or was
// made by another version of the generator.
func Dataset(tb testing.TB, n int) string {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("talkgraph-bench-%d", n))
	defer Lock(tb, dir+".lock")()
	version := Version(tb, n, "internal/gen")
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
	replace(tb, tmp, dir)
	tb.Logf("generated %s in %v", dir, time.Since(start).Round(time.Millisecond))
	return dir
}

// DB returns the directory of a database holding the synthetic data
// set of n talks and the embedded dotScale set, seeding it when it is
// missing or stale. The caller holds the database's lock until the end of
// tb, so no other benchmark process opens it meanwhile; children the caller
// starts may open it.
func DB(tb testing.TB, n int) string {
	tb.Helper()
	data := Dataset(tb, n)
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("talkgraph-benchdb-%d", n))
	tb.Cleanup(Lock(tb, dir+".lock"))
	version := Version(tb, n, "internal/gen", "graph", "internal/seed", "internal/textindex", "seeds/"+seeds.Default)
	// The stamp lives beside the database: a database directory must hold
	// nothing else.
	stamp := dir + ".version"
	if b, err := os.ReadFile(stamp); err == nil && string(b) == version {
		if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err == nil {
			return dir
		}
	}
	os.Remove(stamp)
	start := time.Now()
	tmp, err := os.MkdirTemp(os.TempDir(), filepath.Base(dir)+".tmp-*")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	store := graph.NewStore(tmp)
	store.Analyzer = textindex.MustNew()
	store.BulkLoad = true // this process alone uses the new database, as talkgraph seed does
	if err := store.Open(); err != nil {
		tb.Fatal(err)
	}
	synthetic, err := seed.Discover(os.DirFS(data), ".", data)
	if err != nil {
		store.Close()
		tb.Fatal(err)
	}
	embedded, err := seed.Discover(seeds.DotScale(), ".", "seeds")
	if err != nil {
		store.Close()
		tb.Fatal(err)
	}
	_, err = seed.NewLoader(store).Seed(context.Background(), append(synthetic, embedded...))
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatalf("seed the benchmark database: %v", err)
	}
	replace(tb, tmp, dir)
	if err := os.WriteFile(stamp, []byte(version), 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("seeded %s in %v", dir, time.Since(start).Round(time.Millisecond))
	return dir
}

// Version identifies what a cached file was made by: the talk count,
// the Go release, the store's format version and the sources (non-test .go
// and .yaml files) of the given directories of the module — the code and
// data that decide the file's content. Another engineer's change to the key
// layout thus rebuilds the cache instead of benchmarking a stale one.
func Version(tb testing.TB, n int, dirs ...string) string {
	tb.Helper()
	root := moduleRoot(tb)
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

// moduleRoot returns the directory holding go.mod, above the package
// directory tests run in.
func moduleRoot(tb testing.TB) string {
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

// replace puts the directory tmp in place of dir.
func replace(tb testing.TB, tmp, dir string) {
	tb.Helper()
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		tb.Fatal(err)
	}
}

// Lock takes an exclusive lock on the file at path, waiting for another
// process to release it, and returns the function that releases it.
func Lock(tb testing.TB, path string) (unlock func()) {
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
