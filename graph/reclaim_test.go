package graph_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// tableBytes sums the sizes of the database's tables: what a killed writer
// leaves behind once its logs are flushed.
func tableBytes(t *testing.T, dir string) int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sst") {
			info, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			n += info.Size()
		}
	}
	return n
}

// TestOpenReclaimsRolledBackWrites: the versions a killed writer left, and
// their rollback, do not stay on disk after the next Open.
func TestOpenReclaimsRolledBackWrites(t *testing.T) {
	dir := t.TempDir()
	s := graph.NewStore(dir)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	seedSet(t, s, "main", fixtureNodes, fixtureEdges, nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := tableBytes(t, dir)
	// A writer killed before publishing: 24 MB it never published (random,
	// so that compression does not hide it).
	s = graph.NewStore(dir)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	wb := graph.RawDB(s).NewWriteBatchAt(graph.RawDB(s).MaxVersion() + 1)
	val := make([]byte, 1000)
	for i := range 24_000 {
		for j := range val {
			val[j] = byte(rand.IntN(256))
		}
		if err := wb.Set([]byte(fmt.Sprintf("nkilled-%06d", i)), val); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	garbage := tableBytes(t, dir)
	s = graph.NewStore(dir)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	after := tableBytes(t, dir)
	t.Logf("tables: %d bytes seeded, %d with the killed writer's, %d after the next open", before, garbage, after)
	if garbage < before+12<<20 {
		t.Fatalf("the killed writer's data did not reach the tables (%d bytes): the test proves nothing", garbage)
	}
	if after > before+1<<20 {
		t.Errorf("tables after the open: got %d bytes, want at most %d (the seeded %d and 1 MiB)", after, before+1<<20, before)
	}
}
