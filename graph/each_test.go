package graph_test

import (
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

func TestEachNodeAndEdge(t *testing.T) {
	s := fixtureStore(t)
	seedSet(t, s, "other", nil, []graph.Edge{{From: "confluent", Type: "makes", To: "confluent-platform", Evidence: ev("again")}}, nil)
	tx := begin(t, s)
	var ids []string
	if err := tx.EachNode(func(n *graph.Node) error { ids = append(ids, n.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if got, want := len(ids), len(fixtureNodes); got != want {
		t.Errorf("nodes: got %d, want %d", got, want)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			t.Errorf("node order: got %s before %s, want id order", ids[i-1], ids[i])
		}
	}
	var edges []graph.Edge
	if err := tx.EachEdge(func(e graph.Edge) error { edges = append(edges, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if got, want := len(edges), len(fixtureEdges); got != want {
		t.Errorf("edges: got %d, want %d", got, want)
	}
	for _, e := range edges {
		if e.From == "confluent" && e.Type == "makes" {
			if got, want := len(e.Evidence), 2; got != want {
				t.Errorf("evidence of the edge two sets assert: got %d, want %d", got, want)
			}
		}
	}
}
