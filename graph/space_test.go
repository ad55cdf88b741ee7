package graph_test

import (
	"testing"

	"github.com/talkgraph/talkgraph/graph"
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
