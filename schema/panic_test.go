package schema

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

func TestResolverPanicBecomesFieldError(t *testing.T) {
	store := graph.NewStore("")
	store.InMemory = true
	if err := store.Open(); err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var logs bytes.Buffer
	s, err := New(store, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, done := s.Begin(context.Background())
	defer done()
	boom := s.recovering("Query.boom", func(graphql.ResolveParams) (any, error) { panic("secret detail") })
	v, err := boom(graphql.ResolveParams{Context: ctx})
	var e *Error
	if v != nil || !errors.As(err, &e) {
		t.Fatalf("got %v, %v; want a nil value and an *Error", v, err)
	}
	id := RequestID(ctx)
	for _, c := range []struct{ name, got, want string }{
		{"code", e.Code, CodeInternal},
		{"message names the request", e.Message, "internal error (request " + id + ")"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if strings.Contains(e.Message, "secret") {
		t.Errorf("message %q leaks the panic value", e.Message)
	}
	if !strings.Contains(logs.String(), "request_id="+id) || !strings.Contains(logs.String(), "secret detail") {
		t.Errorf("log: got %q, want the request id and the panic value", logs.String())
	}
	// The schema still answers.
	if res := s.Do(context.Background(), "{ __typename }", "", nil); len(res.Errors) > 0 {
		t.Errorf("after a panic: %v", res.Errors)
	}
}

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
