package graph_test

import (
	"context"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// TestReadCacheFollowsWrites: a node read (and so cached) before a write is
// read anew after it, while a reader that began before keeps the old value.
func TestReadCacheFollowsWrites(t *testing.T) {
	s := fixtureStore(t)
	ctx := context.Background()
	before := s.Begin(ctx)
	defer before.Discard()
	for i := 0; i < 2; i++ { // the second read comes from the cache
		if n, err := before.Node("kafka"); err != nil || n.Name != "Apache Kafka" {
			t.Fatalf("got %v %v, want Apache Kafka", n, err)
		}
		if rels, err := before.Links("kafka", graph.In, "", -1); err != nil || len(rels) == 0 {
			t.Fatalf("links: got %v %v", rels, err)
		}
	}
	err := s.Mutate(ctx, func(m *graph.Mutation) error {
		if _, err := m.UpsertNode("", &graph.Node{ID: "kafka", Kind: graph.KindTool, Name: "Kafka renamed"}); err != nil {
			return err
		}
		return m.RemoveEdge("talk-real-time", "about", "kafka")
	})
	if err != nil {
		t.Fatal(err)
	}
	after := s.Begin(ctx)
	defer after.Discard()
	for i := 0; i < 2; i++ {
		if n, err := after.Node("kafka"); err != nil || n.Name != "Kafka renamed" {
			t.Errorf("after the write: got %v %v, want Kafka renamed", n, err)
		}
		if rels, _ := after.Links("kafka", graph.In, "about", -1); len(rels) != 0 {
			t.Errorf("about relations after the write: got %d, want 0", len(rels))
		}
	}
	// A snapshot taken before the write still reads the old state, even
	// though the cache now holds the new one.
	if n, err := before.Node("kafka"); err != nil || n.Name != "Apache Kafka" {
		t.Errorf("old snapshot: got %v %v, want Apache Kafka", n, err)
	}
}
