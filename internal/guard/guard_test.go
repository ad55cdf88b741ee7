package guard_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/testutil"

	"github.com/talkgraph/talkgraph/internal/guard"
)

// testSchema has a paginated list (talks), plain lists (speakers, talks of a
// person) and a scalar, like the real schema.
func testSchema(t *testing.T) *graphql.Schema {
	t.Helper()
	var talk, person *graphql.Object
	person = graphql.NewObject(graphql.ObjectConfig{Name: "Person", Fields: graphql.FieldsThunk(func() graphql.Fields {
		return graphql.Fields{"name": {Type: graphql.String}, "talks": {Type: graphql.NewList(talk)}}
	})})
	talk = graphql.NewObject(graphql.ObjectConfig{Name: "Talk", Fields: graphql.FieldsThunk(func() graphql.Fields {
		return graphql.Fields{"title": {Type: graphql.String}, "speakers": {Type: graphql.NewList(person)}}
	})})
	s, err := graphql.NewSchema(graphql.SchemaConfig{Query: graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: graphql.Fields{
		"talks": {Type: graphql.NewList(talk), Args: graphql.FieldConfigArgument{"first": {Type: graphql.Int}}},
		"hello": {Type: graphql.String},
	}})})
	if err != nil {
		t.Fatal(err)
	}
	return &s
}

func nested(depth int) string {
	return "{ talks(first: 2) { " + strings.Repeat("speakers { talks { ", depth) + "title" + strings.Repeat(" } }", depth) + " } }"
}

func TestGuard(t *testing.T) {
	s := testSchema(t)
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < n; i++ {
			b.WriteString(" a" + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + ": talks(first: 10) { title }")
		}
		return b.String() + " }"
	}
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		limit string // "" when the query must pass
	}{
		{"a small query passes", `{ talks(first: 10) { title speakers { name } } }`, nil, ""},
		{"introspection passes", testutil.IntrospectionQuery, nil, ""},
		{"10000 levels of braces", strings.Repeat("{", 10000) + strings.Repeat("}", 10000), nil, "nesting"},
		{"braces inside strings do not count", `{ talks(first: 1) { title } } # ` + strings.Repeat("{", 100), nil, ""},
		{"nested 14 deep", nested(6), nil, "depth"},
		{"nested within the limits", nested(1), nil, ""},
		{"1000 aliases of an expensive field", aliases(1000), nil, "tokens"},
		{"40 aliases", aliases(40), nil, "aliases"},
		{"100 000 __typename", "{" + strings.Repeat(" __typename", 100000) + " }", nil, "tokens"},
		{"repeated response key", "{" + strings.Repeat(" hello", 6) + " }", nil, "repeated response key"},
		{"first of a million", `{ talks(first: 1000000) { title } }`, nil, "first"},
		{"first as a variable", `query($n: Int) { talks(first: $n) { title } }`, map[string]any{"n": float64(1000000)}, "first"},
		{"first as a variable's default", `query($n: Int = 1000000) { talks(first: $n) { title } }`, nil, "first"},
		{"a variable given wins over its default", `query($n: Int = 1000000) { talks(first: $n) { title } }`, map[string]any{"n": float64(10)}, ""},
		{"lists multiply", `{ talks(first: 1000) { speakers { talks { speakers { name } } } } }`, nil, "cost"},
		{"many directives", "{ hello" + strings.Repeat(" @include(if: true)", 60) + " }", nil, "directives"},
		{"fragment expansion counts", `{ ...A } fragment A on Query { ...B ...B ...B ...B } fragment B on Query { ...C ...C ...C ...C } fragment C on Query { ...D ...D ...D ...D } fragment D on Query { ...E ...E ...E ...E } fragment E on Query { ...F ...F ...F ...F } fragment F on Query { hello }`, nil, "fields"},
		{"1001 distinct fields", "{" + fields(1001) + " }", nil, "fields"},
		{"fragment cycle refused", `{ ...A } fragment A on Query { ...A hello }`, nil, "cycle"},
		{"unused fragment cycle refused", `{ hello } fragment A on Query { ...B } fragment B on Query { ...A }`, nil, "cycle"},
	}
	l := guard.Default()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := l.Scan(c.query)
			if err == nil {
				doc, perr := parser.Parse(parser.ParseParams{Source: c.query})
				if perr != nil {
					t.Fatalf("parse: %v", perr)
				}
				err = l.Check(context.Background(), s, doc, c.vars)
			}
			var le *guard.LimitError
			var ce *guard.CycleError
			switch {
			case c.limit == "cycle":
				if !errors.As(err, &ce) {
					t.Errorf("got %v, want a fragment cycle refused", err)
				}
			case c.limit == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case c.limit != "" && !errors.As(err, &le):
				t.Errorf("got %v, want a refusal on %s", err, c.limit)
			case c.limit != "" && le.Limit != c.limit:
				t.Errorf("limit: got %s, want %s (%v)", le.Limit, c.limit, err)
			case c.limit != "" && !strings.Contains(err.Error(), "limit of"):
				t.Errorf("message: got %q, want it to name the limit's value", err)
			}
		})
	}
}

func fields(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(" f")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(string(rune('a' + (i/26)%26)))
	}
	return b.String()
}

func TestLimitsConfigurable(t *testing.T) {
	s := testSchema(t)
	q := nested(2)
	doc, err := parser.Parse(parser.ParseParams{Source: q})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		depth int
		want  bool
	}{{4, false}, {6, true}} {
		l := guard.Limits{MaxDepth: c.depth, MaxCost: 1 << 30}
		err := l.Check(context.Background(), s, doc, nil)
		if got := err == nil; got != c.want {
			t.Errorf("MaxDepth %d: got pass=%v, want %v (%v)", c.depth, got, c.want, err)
		}
	}
}
