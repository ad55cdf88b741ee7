// Package testdb gives tests of several packages the same real store: an
// empty in-memory or on-disk Badger database, one seeded with the embedded
// dotScale 2017 data set or with given seed directories, a dump of every
// key for comparisons, and golden files. Only tests import it.
package testdb

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"github.com/talkgraph/talkgraph/seeds"
)

// Open returns an empty open in-memory store with the analyzer the CLI
// uses, closed when the test ends. It fails the test if the store does not
// open.
func Open(tb testing.TB) *graph.Store {
	tb.Helper()
	s := graph.NewStore("")
	s.InMemory = true
	s.Analyzer = textindex.MustNew()
	return mustOpen(tb, s)
}

// OpenDir returns the store in dir, opened as graph.NewStore(dir) opens it
// (its default analyzer, so a test may close and reopen dir the same way),
// and closed when the test ends. It fails the test if the store does not
// open or does not close cleanly.
func OpenDir(tb testing.TB, dir string) *graph.Store {
	tb.Helper()
	return mustOpen(tb, graph.NewStore(dir))
}

// mustOpen opens s and closes it at the end of the test; a close the test
// already made is not an error.
func mustOpen(tb testing.TB, s *graph.Store) *graph.Store {
	tb.Helper()
	if err := s.Open(); err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return s
}

// Seeded returns an open in-memory store holding the embedded dotScale
// data set, closed when the test ends.
func Seeded(tb testing.TB) *graph.Store {
	tb.Helper()
	return SeededFrom(tb, seeds.DotScale(), "seeds")
}

// SeededAll returns an open in-memory store holding every embedded data
// set (dotScale and the vocabulary), closed when the test ends.
func SeededAll(tb testing.TB) *graph.Store {
	tb.Helper()
	return SeededFrom(tb, seeds.FS, "seeds")
}

// SeededFrom returns an open in-memory store holding every data set found
// in fsys, shown as display in file names, closed when the test ends. It
// fails the test if a data set does not load.
func SeededFrom(tb testing.TB, fsys fs.FS, display string) *graph.Store {
	tb.Helper()
	s := Open(tb)
	sets, err := seed.Discover(fsys, ".", display)
	if err != nil {
		tb.Fatalf("discover %s: %v", display, err)
	}
	if _, err := seed.NewLoader(s).Seed(context.Background(), sets); err != nil {
		tb.Fatalf("seed %s: %v", display, err)
	}
	return s
}

// Dump returns every key of s with its value, but the publish counter
// (every write moves it) and the database's identity, which are not content
// two stores can share, and the
// posting blocks, which it checks against the postings instead. It fails
// the test if the store cannot be read or the blocks differ.
func Dump(tb testing.TB, s *graph.Store) map[string]string {
	tb.Helper()
	if err := s.CheckPostingBlocks(context.Background()); err != nil {
		tb.Fatalf("posting blocks: %v", err)
	}
	out := map[string]string{}
	err := s.Dump(context.Background(), func(k, v []byte) error {
		if string(k) != "!published" && string(k) != "!id" { // each database has its own identity
			out[string(k)] = string(v)
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("dump store: %v", err)
	}
	return out
}

// Begin opens a read transaction on s, discarded when the test ends.
func Begin(tb testing.TB, s *graph.Store) *graph.Tx {
	tb.Helper()
	tx := s.Begin(context.Background())
	tb.Cleanup(tx.Discard)
	return tx
}

// DirNames lists the names in dir, sorted, so a test can see what a write,
// a restore or a failure left there. It fails the test if dir cannot be read.
func DirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatalf("read dir: %v", err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// SeedsDir writes the embedded dotScale data set into a new directory, one
// sub-directory each as under seeds/, and returns it: a test that needs a
// seeds directory on disk reads this one, never the repository's seeds/,
// where a user keeps data sets of their own (imports, drafts). It fails the
// test if the files cannot be written.
func SeedsDir(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "seeds")
	if err := os.CopyFS(dir, seeds.DotScale()); err != nil {
		tb.Fatalf("write the embedded data sets: %v", err)
	}
	return dir
}
