package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"github.com/talkgraph/talkgraph/schema"
	"github.com/talkgraph/talkgraph/seeds"
)

// bareHandler is talkgraph's compiled executor behind the least a
// GraphQL-over-HTTP handler can do: read the JSON body, executor.Do, write
// the answer. No admission, deadline, size limit, metrics, access log, CORS
// or request id, and nothing checked that a server must check: it is not a
// server anyone should run, but the ceiling of net/http, graphql-go's
// parsing and validation (cached per query text), the guard and the store
// together, against which talkgraph serve's own handler is read.
func bareHandler() (http.Handler, error) {
	s := graph.NewStore("")
	s.InMemory = true
	s.Analyzer = textindex.MustNew()
	if err := s.Open(); err != nil {
		return nil, err
	}
	ctx := context.Background()
	sets, err := seed.Discover(seeds.FS, ".", "seeds")
	if err != nil {
		return nil, err
	}
	if _, err := seed.NewLoader(s).Seed(ctx, sets); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	sch, err := schema.New(s, nil)
	if err != nil {
		return nil, err
	}
	e := &executor.Executor{Schema: &sch.GraphQL, Begin: sch.Begin, Guard: guard.Guard{Limits: guard.Default(), Sizes: sch}}
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := pool.Get().(*bytes.Buffer)
		defer pool.Put(buf)
		buf.Reset()
		var req executor.Request
		if _, err := buf.ReadFrom(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := json.Unmarshal(buf.Bytes(), &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		out, err := e.Do(r.Context(), req).AppendJSON(buf.Bytes()[:0])
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
	}), nil
}
