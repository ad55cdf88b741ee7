package executor

import (
	"context"
	"testing"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

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

// countingGuard counts the guard's checks.
type countingGuard struct {
	guard.Limits
	checks *int
}

func (g countingGuard) CheckOnce(ctx context.Context, s *graphql.Schema, doc *ast.Document, vars map[string]any) (bool, error) {
	*g.checks++
	return g.Limits.CheckOnce(ctx, s, doc, vars)
}

// TestGuardVerdictKept: a cached document whose guard verdict reads no
// variable is checked once; one whose "first" is a variable is checked on
// every request, and refused when the variable asks too much.
func TestGuardVerdictKept(t *testing.T) {
	checks := 0
	lim := guard.Default()
	lim.MaxFirst = 10
	e := &Executor{Schema: testSchema(t), Guard: countingGuard{lim, &checks}}
	for range 3 {
		if res := e.Do(context.Background(), Request{Query: "{ hello }"}); !res.Executed {
			t.Fatalf("got %v, want an answer", res.Errors)
		}
	}
	if checks != 1 {
		t.Errorf("a document without variables: got %d checks in 3 requests, want 1", checks)
	}
	lim = guard.Default()
	lim.MaxFirst = 10
	checks = 0
	s := graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: graphql.Fields{
		"page": {Type: graphql.NewList(graphql.Int), Args: graphql.FieldConfigArgument{"first": {Type: graphql.Int}},
			Resolve: func(p graphql.ResolveParams) (any, error) { return []int{1}, nil }},
	}})
	sch, err := graphql.NewSchema(graphql.SchemaConfig{Query: s})
	if err != nil {
		t.Fatal(err)
	}
	e = &Executor{Schema: &sch, Guard: countingGuard{lim, &checks}}
	q := "query Q($n: Int) { page(first: $n) }"
	for i, n := range []float64{5, 6, 50} {
		res := e.Do(context.Background(), Request{Query: q, Variables: map[string]any{"n": n}})
		if refused := !res.Executed; refused != (n > 10) {
			t.Errorf("first %v: refused %v, want %v (%v)", n, refused, n > 10, res.Errors)
		}
		if checks != i+1 {
			t.Errorf("first %v: got %d checks, want %d: the verdict reads the variable", n, checks, i+1)
		}
	}
}

// TestGuardCostReportedWhenKept: a request whose document's check was
// kept from an earlier request still reports the guard's cost (the
// server's admission tells heavy requests from light ones by it).
func TestGuardCostReportedWhenKept(t *testing.T) {
	checks := 0
	e := &Executor{Schema: testSchema(t), Guard: countingGuard{guard.Default(), &checks}}
	var costs []int
	for range 3 {
		ctx, cost := guard.WithCostReport(context.Background())
		if res := e.Do(ctx, Request{Query: "{ things { id title } }"}); !res.Executed {
			t.Fatalf("got %v, want an answer", res.Errors)
		}
		costs = append(costs, *cost)
	}
	if checks != 1 {
		t.Errorf("got %d checks in 3 requests, want 1", checks)
	}
	if costs[0] == 0 || costs[1] != costs[0] || costs[2] != costs[0] {
		t.Errorf("reported costs: got %v, want the first request's (not 0) on every request", costs)
	}
}
