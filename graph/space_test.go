package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// TestSpaceNeededScales: the floor is Badger's next allocations, not a fixed
// guess, and the need grows with what is written.
func TestSpaceNeededScales(t *testing.T) {
	cases := []struct {
		name     string
		input    int64
		free     uint64
		wantFits bool
	}{
		{"a 100 KB seed on 200 MiB free", 100 << 10, 200 << 20, true},
		{"a mutation on 200 MiB free", 0, 200 << 20, true},
		{"a mutation on 100 MiB free", 0, 100 << 20, false},
		{"a 100 MB seed on 200 MiB free", 100 << 20, 200 << 20, false},
		{"a 100 MB seed on 1 GiB free", 100 << 20, 1 << 30, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			need := graph.SpaceNeeded(c.input)
			if got := need <= c.free; got != c.wantFits {
				t.Errorf("need %d MiB for %d bytes on %d MiB free: got fits %v, want %v", need>>20, c.input, c.free>>20, got, c.wantFits)
			}
		})
	}
}

// BenchmarkSpaceCheck measures the free-space check every mutation makes
// beside a whole mutation on disk, the baseline it adds to.
func BenchmarkSpaceCheck(b *testing.B) {
	s := testdb.OpenDir(b, b.TempDir())
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			if err := s.CheckSpace(0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mutation", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			err := s.Mutate(context.Background(), func(m *graph.Mutation) error {
				_, err := m.UpsertNode("api", &graph.Node{ID: fmt.Sprintf("bench-%d", i), Kind: graph.KindConcept, Name: "Bench"})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
