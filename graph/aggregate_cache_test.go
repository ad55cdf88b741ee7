package graph_test

import (
	"context"
	"errors"
	"testing"
	"time"

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

// TestTalkIndexOutlivesARequest: a request whose context ends while the
// talk index is built fails with the context's error (or, if the build won
// the race, answers), and the build it started serves the next request.
func TestTalkIndexOutlivesARequest(t *testing.T) {
	s := fixtureStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	gone := s.Begin(ctx)
	defer gone.Discard()
	if n, err := gone.CountTalks(graph.TalkFilter{Mentioning: "kafka"}); err != nil && !errors.Is(err, context.Canceled) || err == nil && n != 1 {
		t.Errorf("cancelled request: got %d, %v, want context.Canceled or 1", n, err)
	}
	next := begin(t, s)
	if n, err := next.CountTalks(graph.TalkFilter{Mentioning: "kafka"}); err != nil || n != 1 {
		t.Errorf("next request: got %d, %v, want 1", n, err)
	}
}

// TestWarmTalkIndex: warming builds the published version's index with no
// question asked, and the questions then read it.
func TestWarmTalkIndex(t *testing.T) {
	s := fixtureStore(t)
	if graph.TalkIndexKept(s) {
		t.Fatal("an index is kept before any question or warming")
	}
	s.WarmTalkIndex()
	s.WarmTalkIndex() // a second call starts nothing more
	deadline := time.Now().Add(10 * time.Second)
	for !graph.TalkIndexKept(s) {
		if time.Now().After(deadline) {
			t.Fatal("no index kept 10 s after warming")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n, err := begin(t, s).CountTalks(graph.TalkFilter{Mentioning: "kafka"}); err != nil || n != 1 {
		t.Errorf("count after warming: got %d, %v, want 1", n, err)
	}
}
