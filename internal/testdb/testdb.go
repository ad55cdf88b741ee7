// Package testdb gives tests of several packages the same real store: an
// in-memory Badger database seeded with the embedded dotScale 2017 data
// set, with the analysis the CLI uses. Only tests import it.
package testdb

import (
	"context"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"github.com/talkgraph/talkgraph/seeds"
)

// Seeded returns an open in-memory store holding the embedded data set,
// closed when the test ends.
func Seeded(tb testing.TB) *graph.Store {
	tb.Helper()
	store := graph.NewStore("")
	store.InMemory = true
	store.Analyzer = textindex.MustNew()
	if err := store.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	sets, err := seed.Discover(seeds.FS, ".", "seeds")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.NewLoader(store).Seed(context.Background(), sets); err != nil {
		tb.Fatal(err)
	}
	return store
}
