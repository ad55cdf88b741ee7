package graph_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// content returns a store's nodes and edges as a seed would give them.
func content(t *testing.T, s *graph.Store) ([]graph.Node, []graph.Edge) {
	t.Helper()
	tx := begin(t, s)
	var nodes []graph.Node
	var edges []graph.Edge
	if err := tx.EachNode(func(n *graph.Node) error { nodes = append(nodes, *n); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := tx.EachEdge(func(e graph.Edge) error { edges = append(edges, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return nodes, edges
}

// indexKeys keeps the keys a seed derives from the content: everything but
// the data set records (their times and hashes differ) and the meta keys.
func indexKeys(t *testing.T, s *graph.Store) map[string]string {
	t.Helper()
	return maps.Collect(func(yield func(string, string) bool) {
		for k, v := range testdb.Dump(t, s) {
			if k[0] != 'd' && k[0] != '!' && !yield(k, v) {
				return
			}
		}
	})
}

// TestMutationsKeepDerivedKeys: after mutations, the postings, document
// frequencies, degrees, statistics and adjacency keys are exactly those a
// fresh seed of the resulting content writes.
func TestMutationsKeepDerivedKeys(t *testing.T) {
	s := fixtureStore(t)
	err := mutate(t, s, func(m *graph.Mutation) error {
		steps := []func() error{
			func() error {
				_, err := m.UpsertNode("main", &graph.Node{ID: "zipkin", Kind: graph.KindTool, Name: "Zipkin", Description: map[string]string{"en": "Tracing for streams and streams of spans."}})
				return err
			},
			func() error {
				_, err := m.UpsertNode("", &graph.Node{ID: "kafka", Kind: graph.KindTool, Name: "Apache Kafka", Description: map[string]string{"fr": "Un journal de messages."}})
				return err
			},
			func() error {
				_, err := m.AddEdge("main", graph.Edge{From: "talk-real-time", Type: "mentions", To: "zipkin", Evidence: ev("zipkin")})
				return err
			},
			func() error { return m.RemoveEdge("kafka", "related_to", "stream-processing") },
			func() error { return m.DeleteNode("confluent-platform") },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := content(t, s)
	fresh := testdb.OpenDir(t, t.TempDir())
	seedSet(t, fresh, "main", nodes, edges, nil)
	got, want := indexKeys(t, s), indexKeys(t, fresh)
	for k := range maps.Keys(want) {
		if got[k] != want[k] {
			t.Errorf("key %q: got %x, want %x", k, got[k], want[k])
		}
	}
	for k := range maps.Keys(got) {
		if _, ok := want[k]; !ok {
			t.Errorf("key %q: got %x, want no key", k, got[k])
		}
	}
}

// TestReseedKindChange: a seed may change a node's kind when only its own
// data set has relations to it (the adjacency keys hold the new kind), and is
// refused, changing nothing, when another data set's relations point at it.
func TestReseedKindChange(t *testing.T) {
	changed := func(kind graph.Kind) []graph.Node {
		nodes := slices.Clone(fixtureNodes)
		for i := range nodes {
			if nodes[i].ID == "stream-processing" {
				nodes[i].Kind = kind
			}
		}
		return nodes
	}
	t.Run("own relations only", func(t *testing.T) {
		s := fixtureStore(t)
		seedSet(t, s, "main", changed(graph.KindTool), fixtureEdges, nil)
		tx := begin(t, s)
		for kind, want := range map[graph.Kind][]string{graph.KindTool: {"stream-processing"}, graph.KindConcept: nil} {
			got, err := tx.LinkedIDs("kafka", graph.Out, "related_to", kind, -1)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("kafka related_to %s: got %v %v, want %v", kind, got, err, want)
			}
		}
	})
	t.Run("another set's relations", func(t *testing.T) {
		s := fixtureStore(t)
		seedSet(t, s, "extra", []graph.Node{{ID: "talk-two", Kind: graph.KindTalk, Name: "Two"}},
			[]graph.Edge{{From: "talk-two", Type: "mentions", To: "stream-processing", Evidence: ev("streams")}},
			map[string][]string{"main": {"report", "stream-processing"}})
		before := testdb.Dump(t, s)
		ctx := context.Background()
		w, err := s.BeginDataset(ctx, "main")
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range changed(graph.KindTool) {
			if err := w.PutNode(&n); err != nil {
				t.Fatal(err)
			}
		}
		err = w.Commit(graph.DatasetInfo{})
		if !errors.Is(err, graph.ErrConflict) {
			t.Fatalf("commit: got %v, want %v", err, graph.ErrConflict)
		}
		if after := testdb.Dump(t, s); !maps.Equal(before, after) {
			t.Errorf("the refused seed changed the store")
		}
	})
}

func TestLinkedIDs(t *testing.T) {
	tx := begin(t, fixtureStore(t))
	for _, tc := range []struct {
		name  string
		id    string
		dir   graph.Direction
		typ   string
		kind  graph.Kind
		limit int
		want  []string
	}{
		{"talks at kafka", "kafka", graph.In, "", graph.KindTalk, -1, []string{"talk-real-time"}},
		{"tools at kafka", "kafka", graph.In, "", graph.KindTool, -1, []string{"confluent-platform"}},
		{"companies both ways", "kafka", graph.Both, "", graph.KindCompany, -1, []string{"linkedin"}},
		{"all of one kind, out", "talk-real-time", graph.Out, "", graph.KindCompany, -1, []string{"confluent"}},
		{"by inverse name", "kafka", graph.Out, "created_by", graph.KindCompany, -1, []string{"linkedin"}},
		{"by type, none", "kafka", graph.In, "mentions", graph.KindTalk, -1, nil},
		{"limit", "confluent", graph.Both, "", graph.KindPerson, 0, nil},
		{"confluent's neighbours, first", "confluent", graph.Both, "", graph.KindTalk, 1, []string{"talk-real-time"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tx.LinkedIDs(tc.id, tc.dir, tc.typ, tc.kind, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := tx.LinkedIDs("kafka", graph.In, "likes", graph.KindTalk, -1); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("unknown type: got %v, want %v", err, graph.ErrInvalid)
	}
}
