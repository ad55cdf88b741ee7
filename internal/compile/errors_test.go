package compile_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// TestErrorsAlike: the errors of talkgraph's schema — names not found,
// ambiguous, bad input, the work budget, the deadline — come with the same
// codes, messages, paths, locations and order, and the same nulls, from
// the compiled plans as from graphql-go.
func TestErrorsAlike(t *testing.T) {
	p := newPair(t)
	for _, q := range []string{
		`{ entity(name: "Kafak") { id } }`,
		`{ entity(name: "DevOps") { id } }`,
		`{ talks(mentioning: "DevOps") { id } }`,
		`{ a: entity(name: "nope") { id } talks(speaker: "nobody") { id } }`,
		`{ z: entity(name: "no-such-z") { id } a: entity(name: "no-such-a") { id } m: node(id: "kafka") { id } }`,
		`{ talks(first: -1) { id } }`,
		`{ talk(id: "talk-devops") { title relations(first: -1) { type } } }`,
		`{ talk(id: "talk-devops") { title relations(first: 2, offset: -4) { type } } t2: talk(id: "talk-devops") { id } }`,
		`{ path(from: "Kafka", to: "SRE") { hops } }`,
		`{ path(from: "Kafka", to: "SRE", maxHops: 9) { hops } }`,
		`{ talkCount(year: -1) }`,
		`{ search(text: "kafka", conference: "kafka") { score } }`,
		`{ tool(id: "kafka") { talks(conference: "nope") { title } name } }`,
		`{ trend(entity: "Kafak") { label } entity(name: "kafka") { name } }`,
		`{ conference(id: "dotscale-2017") { talks(speaker: "DevOps") { title } } }`,
	} {
		p.mustCompile(t, "errors", q, nil)
	}
}

// TestWorkBudgetAlike: past the work budget, the fields still read fail
// with LIMIT_EXCEEDED where they are, reported once. Selections of one
// field each make graphql-go's order the query's; with two root fields it
// runs them in either order, and the compiled answer is one of its two.
func TestWorkBudgetAlike(t *testing.T) {
	store := testdb.Seeded(t)
	for _, work := range []int{1, 5, 12, 20, 40, 80} {
		p := pairOver(t, store, schema.WithMaxWork(work))
		for _, q := range []string{
			`{ conference(id: "dotscale-2017") { talks { speakers { name } } } }`,
			`{ conference(id: "dotscale-2017") { talks { mentions { relations { type } } } } }`,
			`{ a: talk(id: "talk-devops") { speakers { talks { title } } } b: talk(id: "talk-observability-3-ways") { mentions { name } } }`,
		} {
			a := p.mustCompile(t, fmt.Sprintf("work %d", work), q, nil)
			if work <= 12 && !strings.Contains(string(a.body), `"limit":"work"`) {
				t.Errorf("work %d: %s: got %s, want the work budget exceeded", work, q, a.body)
			}
		}
	}
}

// TestDeadlineAlike: a request past its deadline gets the same TIMEOUT
// answer both ways.
func TestDeadlineAlike(t *testing.T) {
	p := newPair(t)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	ctx = executor.WithRequestID(ctx, "deadline")
	q := `{ conference(id: "dotscale-2017") { name talks { title } } entity(name: "kafka") { id } }`
	got := run2(t, p.compiled, ctx, q, nil)
	want := run2(t, p.ref, ctx, q, nil)
	if got.body != want.body || got.engine != executor.EngineCompiled {
		t.Errorf("past the deadline: got %s (%s), want %s", got.body, got.engine, want.body)
	}
	if !strings.Contains(got.body, schema.CodeTimeout) {
		t.Errorf("past the deadline: got %s, want a TIMEOUT error", got.body)
	}
}

// TestConcurrentPlans: requests running one plan at once (it is built by
// the first, then shared), under -race in CI, each get the answer the
// reference gives alone.
func TestConcurrentPlans(t *testing.T) {
	p := newPair(t)
	qs := []string{
		`{ talks(conference: "dotScale 2017") { title speakers { name } mentions { __typename name ... on Tool { makers { name } } } } }`,
		`query Q($id: ID!, $s: Boolean!) { talk(id: $id) { title @skip(if: $s) speakers { name } } }`,
		`{ entity(name: "hashicorp") { ... on Company { tools { name } } relations(first: 3) { type to { name } } } }`,
	}
	vars := []map[string]any{nil, {"id": "talk-devops", "s": true}, nil}
	want := make([]string, len(qs))
	for i, q := range qs {
		want[i] = string(run(t, p.ref, q, "", vars[i]).body)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for w := range 8 {
		wg.Go(func() {
			for i := range 30 {
				k := (w + i) % len(qs)
				if got := string(run(t, p.compiled, qs[k], "", vars[k]).body); got != want[k] {
					errs <- fmt.Sprintf("%s: got %s, want %s", qs[k], clip([]byte(got)), clip([]byte(want[k])))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
