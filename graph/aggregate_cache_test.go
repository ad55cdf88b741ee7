package graph_test

import (
	"context"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// TestAggregatesFollowWrites: the talk index and the relation counts are
// kept per published version, so a count read (and kept) before a write is
// counted anew after it, while a reader that began before keeps the old
// answer.
func TestAggregatesFollowWrites(t *testing.T) {
	s := fixtureStore(t)
	ctx := context.Background()
	count := func(tx *graph.Tx) (talks, rels int) {
		t.Helper()
		talks, err := tx.CountTalks(graph.TalkFilter{Mentioning: "linkedin"})
		if err != nil {
			t.Fatal(err)
		}
		rels, err = tx.CountRelations("linkedin", graph.Both, "")
		if err != nil {
			t.Fatal(err)
		}
		return talks, rels
	}
	before := s.Begin(ctx)
	defer before.Discard()
	for i := 0; i < 2; i++ { // the second answer comes from what is kept
		if talks, rels := count(before); talks != 0 || rels != 1 {
			t.Fatalf("before the write: got %d talks, %d relations, want 0, 1", talks, rels)
		}
	}
	err := s.Mutate(ctx, func(m *graph.Mutation) error {
		_, err := m.AddEdge("main", graph.Edge{From: "talk-real-time", Type: "mentions", To: "linkedin", Evidence: ev("Kafka came from LinkedIn")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	after := s.Begin(ctx)
	defer after.Discard()
	for i := 0; i < 2; i++ {
		if talks, rels := count(after); talks != 1 || rels != 2 {
			t.Errorf("after the write: got %d talks, %d relations, want 1, 2", talks, rels)
		}
	}
	if talks, rels := count(before); talks != 0 || rels != 1 {
		t.Errorf("old snapshot: got %d talks, %d relations, want 0, 1", talks, rels)
	}
}
