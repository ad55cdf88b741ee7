package graph_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// makeDB creates a database at path holding the fixture, plus one extra
// data set when extra, and returns its content hash.
func makeDB(t *testing.T, path string, extra bool) string {
	t.Helper()
	s := graph.NewStore(path)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedSet(t, s, "main", fixtureNodes, fixtureEdges, nil)
	if extra {
		seedSet(t, s, "extra", []graph.Node{{ID: "extra-node", Kind: graph.KindConcept, Name: "Extra"}}, nil, nil)
	}
	h, err := s.ContentHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestOpenFinishesInterruptedRestore lays out what a restore killed at each
// step leaves (see graph/restore.go) and opens the database: it must hold
// the old or the new graph, as the switch file says, with nothing left
// beside it.
func TestOpenFinishesInterruptedRestore(t *testing.T) {
	const (
		newDir = ".db.restore-new-123"
		oldDir = ".db.restore-old"
		sw     = ".db.restore-switch"
	)
	cases := []struct {
		name    string
		old     string // where the old database is, "" for nowhere
		fresh   string // where the new database is
		files   map[string]string
		wantNew bool
	}{
		{"killed while building the new database", "db", "", map[string]string{newDir + "/000001.vlog": "partial"}, false},
		{"killed while writing the switch file", "db", newDir, map[string]string{sw + ".tmp": ".db.res"}, false},
		{"killed after the switch file", "db", newDir, map[string]string{sw: newDir}, true},
		{"killed after moving the old database aside", oldDir, newDir, map[string]string{sw: newDir}, true},
		{"killed before removing the switch file", oldDir, "db", map[string]string{sw: newDir}, true},
		{"killed while deleting the old database", "", "db", map[string]string{oldDir + "/MANIFEST": "partial"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			var oldHash, newHash string
			if c.old != "" {
				oldHash = makeDB(t, filepath.Join(parent, c.old), false)
			}
			if c.fresh != "" {
				newHash = makeDB(t, filepath.Join(parent, c.fresh), true)
			}
			for name, content := range c.files {
				p := filepath.Join(parent, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s := graph.NewStore(filepath.Join(parent, "db"))
			if err := s.Open(); err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			got, err := s.ContentHash(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want, which := oldHash, "old"
			if c.wantNew {
				want, which = newHash, "new"
			}
			if got != want {
				t.Errorf("content: got %s, want the %s database's %s", got, which, want)
			}
			if names := testdb.DirNames(t, parent); !slices.Equal(names, []string{"db"}) {
				t.Errorf("beside the database: got %v, want only db", names)
			}
		})
	}
}
