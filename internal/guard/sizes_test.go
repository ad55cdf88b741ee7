package guard_test

import (
	"context"
	"errors"
	"testing"

	"github.com/graphql-go/graphql/language/parser"

	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// TestGuardSizes: over the real store (the ten dotScale talks), a question
// whose page sizes multiply past MaxCost but whose real answer is small
// passes once the store's sizes bound the estimate; pages the data could
// fill are still refused.
func TestGuardSizes(t *testing.T) {
	sch, err := schema.New(testdb.Seeded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, query string
		vars        map[string]any
		pageSizes   string // the limit refused on by page sizes alone; "" passes
		storeSizes  string // the same with the store's sizes
	}{
		{"dotScale relations with evidence",
			`{ talks(conference: "dotScale 2017") { relations(direction: OUT) { type evidence { source { id } } } } }`, nil, "cost", ""},
		{"every person's talks' mentions", `{ people(first: 1000) { talks { mentions { name } } } }`, nil, "cost", ""},
		{"a page of a million", `query($n: Int) { search(text: "x", first: $n) { score } }`, map[string]any{"n": float64(1e6)}, "first", "first"},
		{"pages the data can fill", `query($n: Int) { search(text: "x", first: $n) { node { relations(first: 1000) { to { relations(first: 1000) { to { name } } } } } } }`, map[string]any{"n": float64(1000)}, "cost", "cost"},
		{"a small question", `{ talks { title } }`, nil, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := parser.Parse(parser.ParseParams{Source: c.query})
			if err != nil {
				t.Fatal(err)
			}
			l := guard.Default()
			for _, g := range []struct {
				name string
				want string
				err  error
			}{
				{"page sizes", c.pageSizes, l.Check(context.Background(), &sch.GraphQL, doc, c.vars)},
				{"store sizes", c.storeSizes, guard.Guard{Limits: l, Sizes: sch}.Check(context.Background(), &sch.GraphQL, doc, c.vars)},
			} {
				var le *guard.LimitError
				switch {
				case g.want == "" && g.err != nil:
					t.Errorf("%s: got %v, want no refusal", g.name, g.err)
				case g.want != "" && (!errors.As(g.err, &le) || le.Limit != g.want):
					t.Errorf("%s: got %v, want a refusal on %s", g.name, g.err, g.want)
				}
			}
		})
	}
}
