package compile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/lexicon"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// pair runs every request twice over one store: through the compiled
// plans, and through graphql-go's executor, the reference.
type pair struct {
	store    *graph.Store
	schema   *schema.Schema
	compiled *executor.Executor
	ref      *executor.Executor
}

// newPair returns a pair over an in-memory store holding every embedded
// data set (as serve holds them), with the server's guard and its
// dictionary (the forgiving search: corrected words, suggest).
func newPair(tb testing.TB, opts ...schema.Option) *pair {
	tb.Helper()
	return pairOver(tb, testdb.SeededAll(tb), opts...)
}

func pairOver(tb testing.TB, store *graph.Store, opts ...schema.Option) *pair {
	tb.Helper()
	lex := lexicon.New(store, nil)
	tb.Cleanup(func() { lex.Close() })
	opts = append([]schema.Option{schema.WithDictionary(lex.For)}, opts...)
	s, err := schema.New(store, nil, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	g := guard.Guard{Limits: guard.Default(), Sizes: s}
	quiet := slog.New(slog.DiscardHandler) // internal errors are compared, not logged
	return &pair{
		store:    store,
		schema:   s,
		compiled: &executor.Executor{Schema: &s.GraphQL, Begin: s.Begin, Guard: g, Logger: quiet},
		ref:      &executor.Executor{Schema: &s.GraphQL, Begin: s.Begin, Guard: g, Logger: quiet, NoCompile: true},
	}
}

// answer is one executor's answer: its bytes and which executor ran.
type answer struct {
	body     []byte
	engine   string
	fallback string
}

// run answers q with e. The request id is fixed: an internal error names
// it, and both executors' answers must be the same bytes.
func run(tb testing.TB, e *executor.Executor, q, op string, vars map[string]any) answer {
	tb.Helper()
	ctx := executor.WithRequestID(context.Background(), "differential")
	res := e.Do(ctx, executor.Request{Query: q, OperationName: op, Variables: vars})
	defer res.Release()
	b, err := res.AppendJSON(nil)
	if err != nil {
		b = []byte("encoding failed: " + err.Error())
	}
	return answer{body: b, engine: res.Engine, fallback: res.Fallback}
}

// refRuns is how many times the reference runs again when its answer
// differs: graphql-go runs the fields of a selection in map order, and
// where order shows (a non-null field failing stops its siblings) its
// answer varies; the compiled answer must be one it gives.
const refRuns = 40

// compare runs q both ways and fails unless the answers are the same
// bytes; it returns the compiled answer.
func (p *pair) compare(tb testing.TB, what, q, op string, vars map[string]any) answer {
	tb.Helper()
	got := run(tb, p.compiled, q, op, vars)
	want := run(tb, p.ref, q, op, vars)
	for i := 0; i < refRuns && !bytes.Equal(got.body, want.body); i++ {
		want = run(tb, p.ref, q, op, vars)
	}
	if !bytes.Equal(got.body, want.body) {
		vb, _ := json.Marshal(vars)
		tb.Errorf("%s: the compiled answer differs from graphql-go's (executor %s %s)\nquery: %s\nvariables: %s\ngot:  %s\nwant: %s",
			what, got.engine, got.fallback, q, vb, clip(got.body), clip(want.body))
	}
	if want.engine != "" && (want.engine != executor.EngineGraphQLGo || want.fallback != "off") {
		tb.Errorf("%s: the reference ran on %s (%s), want graphql-go", what, want.engine, want.fallback)
	}
	return got
}

func clip(b []byte) string {
	if len(b) > 4000 {
		return string(b[:4000]) + fmt.Sprintf("… (%d bytes)", len(b))
	}
	return string(b)
}

// mustCompile compares and fails unless the compiled plan answered.
func (p *pair) mustCompile(t *testing.T, what, q string, vars map[string]any) answer {
	t.Helper()
	a := p.compare(t, what, q, "", vars)
	if a.engine != executor.EngineCompiled && a.fallback != "" {
		t.Errorf("%s: ran on %s (fallback %q), want the compiled plan\nquery: %s", what, a.engine, a.fallback, q)
	}
	return a
}

// TestFallbackReasons: what the compiler leaves out runs through
// graphql-go, byte for byte the same, and says why.
func TestFallbackReasons(t *testing.T) {
	p := newPair(t, schema.WithMutations())
	for _, c := range []struct {
		name, q string
		vars    map[string]any
		engine  string
		why     string
	}{
		{"query", `{ talk(id: "talk-devops") { title } }`, nil, executor.EngineCompiled, ""},
		{"typename", `{ __typename talk(id: "talk-devops") { __typename } }`, nil, executor.EngineCompiled, ""},
		{"introspection", `{ __schema { queryType { name } } }`, nil, executor.EngineGraphQLGo, "introspection"},
		{"introspection in a fragment", `{ ...F } fragment F on Query { __type(name: "Talk") { name } }`, nil, executor.EngineGraphQLGo, "introspection"},
		{"missing variable", `query Q($id: ID!) { talk(id: $id) { title } }`, nil, executor.EngineGraphQLGo, "variables"},
		{"wrong variable", `query Q($n: Int) { talks(first: $n) { title } }`, map[string]any{"n": "many"}, executor.EngineGraphQLGo, "variables"},
		{"variable", `query Q($n: Int) { talks(first: $n) { title } }`, map[string]any{"n": 2.0}, executor.EngineCompiled, ""},
		{"request error", `{ talk(id: "x") { nope } }`, nil, "", ""},
		{"mutation", `mutation { deleteEntity(id: "no-such-id") }`, nil, executor.EngineGraphQLGo, "mutation"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := p.compare(t, c.name, c.q, "", c.vars)
			if a.engine != c.engine || a.fallback != c.why {
				t.Errorf("got executor %q, fallback %q; want %q, %q", a.engine, a.fallback, c.engine, c.why)
			}
		})
	}
	t.Run("operation by name", func(t *testing.T) {
		q := `query A { talk(id: "talk-devops") { title } } query B { talks(first: 1) { id } } mutation C { deleteEntity(id: "no-such-id") }`
		for _, op := range []string{"A", "B"} {
			if a := p.compare(t, op, q, op, nil); a.engine != executor.EngineCompiled {
				t.Errorf("operation %s: ran on %s (%s), want compiled", op, a.engine, a.fallback)
			}
		}
		if a := p.compare(t, "C", q, "C", nil); a.fallback != "mutation" {
			t.Errorf("operation C: ran on %s (%s), want graphql-go (mutation)", a.engine, a.fallback)
		}
	})
}

// TestDifferential runs random valid queries over the schema, generated
// from its introspection (every field and argument, fragments, aliases,
// variables, directives), with arguments drawn from the store's contents
// (names, typos, ambiguous names, ids of other kinds, pages out of range),
// and fails on the first answer whose bytes differ from graphql-go's,
// printing the seed that makes it again.
func TestDifferential(t *testing.T) {
	seed := *diffSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	p := newPair(t)
	g := &gen{r: rand.New(rand.NewPCG(seed, 21)), m: introspect(t, p), pools: newPools(t, p.store)}
	t.Logf("seed %d (-diff.seed=%d makes the same queries)", seed, seed)
	tally := map[string]int{}
	for i := 0; i < *diffCount; i++ {
		q, vars := g.query()
		a := p.compare(t, fmt.Sprintf("query %d of seed %d (go test ./internal/compile -run TestDifferential -diff.seed=%d)", i, seed, seed), q, "", vars)
		if t.Failed() {
			return
		}
		key := a.engine + " " + a.fallback
		if a.engine == "" {
			key = "refused: " + errorCode(a.body)
		}
		tally[key]++
		if a.engine == executor.EngineCompiled && bytes.HasPrefix(a.body, []byte(`{"errors"`)) {
			tally["compiled, errors: "+errorCode(a.body)]++
		}
		if a.engine == executor.EngineGraphQLGo && !(a.fallback == "variables" && g.invalid) {
			t.Fatalf("query %d of seed %d ran on graphql-go (%s), want the compiled plan\nquery: %s", i, seed, a.fallback, q)
		}
	}
	t.Logf("answers: %v", tally)
	if got := tally[executor.EngineCompiled+" "]; got < *diffCount/2 {
		t.Errorf("%d of %d queries ran compiled, want at least half: the generator writes too many refused queries (%v)", got, *diffCount, tally)
	}
}

// errorCode is the first extensions.code of an answer.
func errorCode(body []byte) string {
	var res struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if json.Unmarshal(body, &res) != nil || len(res.Errors) == 0 {
		return "?"
	}
	return res.Errors[0].Extensions.Code
}
