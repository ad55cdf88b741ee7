package executor

import (
	"context"
	"testing"

	"github.com/talkgraph/talkgraph/internal/guard"
)

func TestDocCache(t *testing.T) {
	e := &Executor{Schema: testSchema(t), CacheSize: 2}
	cases := []struct {
		name, query string
		vars        map[string]any
		executed    bool
	}{
		{"first time", "{ hello }", nil, true},
		{"from the cache", "{ hello }", nil, true},
		{"invalid, not cached", "{ nope }", nil, false},
		{"invalid again", "{ nope }", nil, false},
		{"variables still checked", "query($n: Int!) { double(n: $n) }", map[string]any{"n": "x"}, false},
		{"third document evicts the oldest", "query A { hello }", nil, true},
		{"fourth", "query B { hello }", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.Do(context.Background(), Request{Query: c.query, Variables: c.vars})
			if res.Executed != c.executed {
				t.Errorf("executed: got %v, want %v; errors %v", res.Executed, c.executed, res.Errors)
			}
		})
	}
	if got, want := e.cache.order.Len(), 2; got != want {
		t.Errorf("cache entries: got %d, want %d", got, want)
	}
	if e.cache.get("{ nope }") != nil {
		t.Errorf("an invalid document was cached")
	}
	if e.cache.get("{ hello }") != nil {
		t.Errorf("the least recently used document was kept")
	}
	for _, q := range []string{"query A { hello }", "query B { hello }"} {
		if e.cache.get(q) == nil {
			t.Errorf("%q: got no cached document, want one", q)
		}
	}
}

// TestCachedDocumentGuardedAsAsked: the guard checks a cached document as
// the client wrote it, not with what the executor adds to run it.
func TestCachedDocumentGuardedAsAsked(t *testing.T) {
	lim := guard.Default()
	lim.MaxAliases = 1
	e := &Executor{Schema: testSchema(t), Guard: lim}
	for _, run := range []string{"first", "from the cache"} {
		t.Run(run, func(t *testing.T) {
			res := e.Do(context.Background(), Request{Query: "{ a: thing { id } things { id } }"})
			if !res.Executed || len(res.Errors) > 0 {
				t.Errorf("got %v, want an answer", res.Errors)
			}
		})
	}
}
