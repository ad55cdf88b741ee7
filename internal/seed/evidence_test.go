package seed_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// A data set that defines a source, and one whose only reference to it is
// as evidence.
const (
	libraryYAML = `nodes:
  - {id: lib-report, kind: source, name: A report}
  - {id: lib-tool, kind: tool, name: A tool}
  - {id: t4, kind: talk, name: A talk}
`
	citesYAML = `nodes:
  - {id: c-one, kind: concept, name: One}
  - {id: c-two, kind: concept, name: Two}
edges:
  - from: c-one
    type: related_to
    to: c-two
    evidence: [{source: lib-report, quote: "one and two"}]
`
)

// writeSet writes a one-file data set named name under a new directory and
// returns it as a set.
func writeSet(t *testing.T, name, content string) []*seed.Set {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name, "nodes.yaml"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return setAt(t, os.DirFS(dir), name, name)
}

func TestEvidenceSourceIsAReference(t *testing.T) {
	ctx := context.Background()
	s := testdb.OpenDir(t, t.TempDir())
	mustSeed(t, seed.NewLoader(s), writeSet(t, "library", libraryYAML))
	mustSeed(t, seed.NewLoader(s), writeSet(t, "cites", citesYAML))
	before := hashStore(t, s)
	for _, tc := range []struct {
		name    string
		library string
		want    string
	}{
		{"the source becomes a publication", strings.Replace(libraryYAML, "kind: source", "kind: publication", 1),
			"lib-report changes kind from source to publication while data set cites refers to it"},
		{"the source is dropped", strings.Replace(libraryYAML, "  - {id: lib-report, kind: source, name: A report}\n", "", 1),
			"data set cites still refers to [lib-report], which this seed of library would remove"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := seed.NewLoader(s).Seed(ctx, writeSet(t, "library", tc.library))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error holding %q", err, tc.want)
			}
			if after := hashStore(t, s); after != before {
				t.Errorf("store hash: got %s, want %s (unchanged)", after, before)
			}
		})
	}
}

// TestReseedAfterAPIRemovals is issue 12's scenario: an API edit refers to
// t4, then removes that reference; the data set that defines t4 may then
// drop it.
func TestReseedAfterAPIRemovals(t *testing.T) {
	for _, tc := range []struct {
		name string
		undo func(m *graph.Mutation) error
	}{
		{"removeRelation", func(m *graph.Mutation) error { return m.RemoveEdge("t4", "about", "api-concept") }},
		{"deleteEntity", func(m *graph.Mutation) error { return m.DeleteNode("api-concept") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := testdb.OpenDir(t, t.TempDir())
			mustSeed(t, seed.NewLoader(s), writeSet(t, "library", libraryYAML))
			err := s.Mutate(ctx, func(m *graph.Mutation) error {
				if _, err := m.UpsertNode("api", &graph.Node{ID: "api-concept", Kind: graph.KindConcept, Name: "A concept"}); err != nil {
					return err
				}
				_, err := m.AddEdge("api", graph.Edge{From: "t4", Type: "about", To: "api-concept", Evidence: []graph.Evidence{{Source: "lib-report", Quote: "q"}}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Mutate(ctx, tc.undo); err != nil {
				t.Fatal(err)
			}
			without := strings.Replace(libraryYAML, "  - {id: t4, kind: talk, name: A talk}\n", "", 1)
			without = strings.Replace(without, "kind: source", "kind: publication", 1)
			if _, err := seed.NewLoader(s).Seed(ctx, writeSet(t, "library", without)); err != nil {
				t.Errorf("re-seed without t4: got %v, want nil", err)
			}
		})
	}
}
