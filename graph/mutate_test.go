package graph_test

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

func mutate(t *testing.T, s *graph.Store, fn func(*graph.Mutation) error) error {
	t.Helper()
	return s.Mutate(context.Background(), fn)
}

func TestMutations(t *testing.T) {
	vault := graph.Node{ID: "vault", Kind: graph.KindTool, Name: "Vault", Description: map[string]string{"en": "A secrets manager."}}
	cases := []struct {
		name    string
		fn      func(*graph.Mutation) error
		wantErr error
		check   func(t *testing.T, tx *graph.Tx)
	}{
		{"upsert creates a node in the named data set", func(m *graph.Mutation) error {
			_, err := m.UpsertNode("api", &vault)
			return err
		}, nil, func(t *testing.T, tx *graph.Tx) {
			n, err := tx.Node("vault")
			if err != nil || n.Dataset != "api" {
				t.Fatalf("got %v %v, want the node in data set api", n, err)
			}
			hits, _ := tx.Search("secrets", nil, nil, 5)
			if len(hits) == 0 || hits[0].ID != "vault" {
				t.Errorf("search: got %v, want vault first", hits)
			}
		}},
		{"upsert replaces a node and its index entries", func(m *graph.Mutation) error {
			_, err := m.UpsertNode("", &graph.Node{ID: "kafka", Kind: graph.KindTool, Name: "Kafka Streams Engine"})
			return err
		}, nil, func(t *testing.T, tx *graph.Tx) {
			if ids, _ := tx.Lookup("Apache Kafka"); len(ids) != 0 {
				t.Errorf("old name: got %v, want no match", ids)
			}
			if ids, _ := tx.Lookup("kafka streams engine"); len(ids) != 1 {
				t.Errorf("new name: got %v, want kafka", ids)
			}
		}},
		{"a node keeps its data set", func(m *graph.Mutation) error {
			_, err := m.UpsertNode("api", &graph.Node{ID: "kafka", Kind: graph.KindTool, Name: "Kafka"})
			return err
		}, graph.ErrConflict, nil},
		{"a node with relations keeps its kind", func(m *graph.Mutation) error {
			_, err := m.UpsertNode("", &graph.Node{ID: "kafka", Kind: graph.KindConcept, Name: "Kafka"})
			return err
		}, graph.ErrConflict, nil},
		{"an invalid node is refused by CheckNode", func(m *graph.Mutation) error {
			_, err := m.UpsertNode("api", &graph.Node{ID: "Bad Id", Kind: graph.KindTool, Name: ""})
			return err
		}, graph.ErrInvalid, nil},
		{"add a relation by its inverse name", func(m *graph.Mutation) error {
			_, err := m.AddEdge("api", graph.Edge{From: "kafka", Type: "created_by", To: "neha-narkhede", Evidence: ev("she co-created it")})
			return err
		}, nil, func(t *testing.T, tx *graph.Tx) {
			rels, _ := tx.Relations("neha-narkhede", graph.Out, "created", -1)
			if len(rels) != 1 || rels[0].To != "kafka" || rels[0].Evidence[0].Dataset != "api" {
				t.Errorf("got %v, want neha-narkhede created kafka, asserted by api", rels)
			}
		}},
		{"a relation the kinds do not allow is refused", func(m *graph.Mutation) error {
			_, err := m.AddEdge("api", graph.Edge{From: "kafka", Type: "gave", To: "talk-real-time", Evidence: ev("no")})
			return err
		}, graph.ErrInvalid, nil},
		{"remove a relation", func(m *graph.Mutation) error {
			return m.RemoveEdge("talk-real-time", "about", "kafka")
		}, nil, func(t *testing.T, tx *graph.Tx) {
			if rels, _ := tx.Relations("kafka", graph.In, "about", -1); len(rels) != 0 {
				t.Errorf("got %v, want no about relation", rels)
			}
		}},
		{"remove a relation that does not exist", func(m *graph.Mutation) error {
			return m.RemoveEdge("kafka", "about", "talk-real-time")
		}, graph.ErrNotFound, nil},
		{"delete a node with its relations", func(m *graph.Mutation) error {
			return m.DeleteNode("confluent")
		}, nil, func(t *testing.T, tx *graph.Tx) {
			if _, err := tx.Node("confluent"); !errors.Is(err, graph.ErrNotFound) {
				t.Errorf("node: got %v, want ErrNotFound", err)
			}
			if rels, _ := tx.Relations("neha-narkhede", graph.Both, "works_at", -1); len(rels) != 0 {
				t.Errorf("relations left: got %v, want none", rels)
			}
		}},
		{"a source cannot be deleted", func(m *graph.Mutation) error { return m.DeleteNode("report") }, graph.ErrConflict, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := fixtureStore(t)
			before := testdb.Dump(t, s)
			err := mutate(t, s, c.fn)
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("got %v, want %v", err, c.wantErr)
				}
				if got := testdb.Dump(t, s); !maps.Equal(got, before) {
					t.Errorf("a refused mutation changed the store")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, begin(t, s))
		})
	}
}

func TestMutationCountsAndReseed(t *testing.T) {
	s := fixtureStore(t)
	err := mutate(t, s, func(m *graph.Mutation) error {
		if _, err := m.UpsertNode("api", &graph.Node{ID: "zipkin", Kind: graph.KindTool, Name: "Zipkin"}); err != nil {
			return err
		}
		_, err := m.AddEdge("api", graph.Edge{From: "talk-real-time", Type: "mentions", To: "zipkin", Evidence: ev("zipkin")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Dataset(context.Background(), "api")
	if err != nil {
		t.Fatal(err)
	}
	if d.Nodes != 1 || d.Edges != 1 {
		t.Errorf("api counts: got %d nodes %d edges, want 1 and 1", d.Nodes, d.Edges)
	}
	if got, want := d.Refs["main"], []string{"report", "talk-real-time"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("refs: got %v, want %v", got, want)
	}
	// The api set refers to main's talk: main cannot drop it.
	refs, err := s.Referrers(context.Background(), "main")
	if err != nil || len(refs["api"]) != 2 {
		t.Errorf("referrers of main: got %v %v, want api", refs, err)
	}
}
