package graph_test

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// TestDatabaseID: a database gets an identity when it is created, keeps
// it across opens (read-only included), and another database has another.
func TestDatabaseID(t *testing.T) {
	open := func(dir string, readOnly bool) string {
		t.Helper()
		s := graph.NewStore(dir)
		s.MustExist = readOnly
		s.ReadOnlyIfNeeded = readOnly
		if err := s.Open(); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return s.ID()
	}
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	first := open(a, false)
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(first) {
		t.Fatalf("ID: got %q, want 32 hex digits", first)
	}
	if again := open(a, true); again != first {
		t.Errorf("ID after reopening: got %q, want %q", again, first)
	}
	if other := open(b, false); other == first {
		t.Errorf("two databases share the ID %q", first)
	}
}
