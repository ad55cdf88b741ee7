package schema

import (
	"context"
	"strings"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// TestTypedLookupAfterDeadline: a typed lookup whose read fails (here the
// request's context is over) reports that failure, not a nil node.
func TestTypedLookupAfterDeadline(t *testing.T) {
	store := graph.NewStore("")
	store.InMemory = true
	if err := store.Open(); err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s, err := New(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ctx, done := s.Begin(ctx)
	defer done()
	cancel()
	v, err := s.resolveOfKind(graph.KindTalk)(graphql.ResolveParams{Context: ctx, Args: map[string]any{"id": "talk-x"}})
	if v != nil || err == nil || !strings.Contains(err.Error(), "ran out of time") {
		t.Errorf("got %v, %v; want nil and the request's timeout error", v, err)
	}
}

// TestWorkLimit: a request stops reading once it has read its budget of
// entities and relations, with LIMIT_EXCEEDED.
func TestWorkLimit(t *testing.T) {
	store := graph.NewStore("")
	store.InMemory = true
	if err := store.Open(); err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s, err := New(store, nil, WithMaxWork(2))
	if err != nil {
		t.Fatal(err)
	}
	ctx, done := s.Begin(context.Background())
	defer done()
	for i, want := range []string{CodeNotFound, CodeNotFound, CodeLimitExceeded} {
		_, err := s.node(ctx, "talk-x")
		if got := Code(err); got != want {
			t.Errorf("read %d: got code %s, want %s", i+1, got, want)
		}
	}
}
