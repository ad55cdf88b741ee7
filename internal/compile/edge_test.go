package compile_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/schema"
)

// edgeSchema is a schema of odd values, for what talkgraph's schema never
// returns today but a new field might: nulls where the type says non-null,
// values a scalar cannot serialize, nullable items, lists of lists, enums
// by pointer, structs and maps read by graphql-go's default resolver,
// interfaces resolved by ResolveType and unions by IsTypeOf, panics,
// errors with extensions (wrapped too), thunks and infinite floats.
func edgeSchema(t testing.TB) *graphql.Schema {
	t.Helper()
	color := graphql.NewEnum(graphql.EnumConfig{Name: "Color", Values: graphql.EnumValueConfigMap{
		"RED": {Value: "red"}, "BLUE": {Value: 2},
	}})
	fixed := func(v any) graphql.FieldResolveFn { return func(graphql.ResolveParams) (any, error) { return v, nil } }
	fail := func(err error) graphql.FieldResolveFn {
		return func(graphql.ResolveParams) (any, error) { return nil, err }
	}
	red, nothing := "red", (*string)(nil)
	thing := graphql.NewInterface(graphql.InterfaceConfig{Name: "Thing", Fields: graphql.Fields{"id": {Type: graphql.String}},
		ResolveType: func(p graphql.ResolveTypeParams) *graphql.Object { return nil }})
	var book, film *graphql.Object
	kindIs := func(k string) graphql.IsTypeOfFn {
		return func(p graphql.IsTypeOfParams) bool { m, ok := p.Value.(map[string]any); return ok && m["kind"] == k }
	}
	book = graphql.NewObject(graphql.ObjectConfig{Name: "Book", Interfaces: []*graphql.Interface{thing}, IsTypeOf: kindIs("book"),
		Fields: graphql.Fields{"id": {Type: graphql.String}, "pages": {Type: graphql.NewNonNull(graphql.Int)}}})
	film = graphql.NewObject(graphql.ObjectConfig{Name: "Film", Interfaces: []*graphql.Interface{thing}, IsTypeOf: kindIs("film"),
		Fields: graphql.Fields{"id": {Type: graphql.String}, "minutes": {Type: graphql.Int}}})
	thing.ResolveType = func(p graphql.ResolveTypeParams) *graphql.Object {
		switch m, _ := p.Value.(map[string]any); m["type"] {
		case "book":
			return book
		case "film":
			return film
		}
		return nil
	}
	media := graphql.NewUnion(graphql.UnionConfig{Name: "Media", Types: []*graphql.Object{book, film}})
	// shaky's ResolveType panics (graphql-go wraps only resolvers): a bug
	// the compiled plan does not survive, so graphql-go answers.
	shaky := graphql.NewUnion(graphql.UnionConfig{Name: "Shaky", Types: []*graphql.Object{book, film},
		ResolveType: func(graphql.ResolveTypeParams) *graphql.Object { panic("no type") }})
	type record struct {
		Title  string
		Tagged string `json:"label"`
		Count  *int
	}
	var objFields graphql.Fields
	obj := graphql.NewObject(graphql.ObjectConfig{Name: "Obj", Fields: graphql.FieldsThunk(func() graphql.Fields { return objFields })})
	objFields = graphql.Fields{
		"a":       {Type: graphql.String},
		"bad":     {Type: graphql.NewNonNull(graphql.Int), Resolve: fixed("x")},
		"big":     {Type: graphql.Int, Resolve: fixed(1 << 40)},
		"f":       {Type: graphql.Float, Resolve: fixed(1.5e-7)},
		"nan":     {Type: graphql.Float, Resolve: fixed(math.NaN())},
		"inf":     {Type: graphql.Float, Resolve: fixed(math.Inf(1))},
		"bools":   {Type: graphql.NewList(graphql.Boolean), Resolve: fixed([]any{true, 0, "yes", nil})},
		"strs":    {Type: graphql.NewList(graphql.String), Resolve: fixed([]any{"a", nil, 3, true, 1.5, &red, nothing, "<&>\u2028"})},
		"ids":     {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.ID))), Resolve: fixed([]string{"x", "y"})},
		"e":       {Type: color, Resolve: fixed("red")},
		"ep":      {Type: color, Resolve: fixed(&red)},
		"eUnkn":   {Type: color, Resolve: fixed("green")},
		"eInt":    {Type: graphql.NewList(color), Resolve: fixed([]any{2, 3})},
		"items":   {Type: graphql.NewList(graphql.NewNonNull(graphql.Int)), Resolve: fixed([]any{1, nil, 3})},
		"holes":   {Type: graphql.NewList(graphql.Int), Resolve: fixed([]any{1, nil, "2", 3.7})},
		"nested":  {Type: graphql.NewList(graphql.NewList(graphql.Int)), Resolve: fixed([][]int{{1, 2}, {}, nil})},
		"notList": {Type: graphql.NewList(graphql.Int), Resolve: fixed(5)},
		"array":   {Type: graphql.NewList(graphql.Int), Resolve: fixed(&[2]int{4, 5})},
		"err": {Type: graphql.String, Resolve: fail(&schema.Error{Code: schema.CodeNotFound, Message: "no such thing",
			Extra: map[string]any{"closest": []string{"a", "b"}}})},
		"wrapped":  {Type: graphql.String, Resolve: fail(fmt.Errorf("outer: %w", &schema.Error{Code: schema.CodeAmbiguous, Message: "which one"}))},
		"plain":    {Type: graphql.NewNonNull(graphql.String), Resolve: fail(errors.New("plain failure"))},
		"internal": {Type: graphql.String, Resolve: fail(&schema.Error{Code: schema.CodeInternal, Message: "internal error", Cause: errors.New("disk on fire")})},
		"boom":     {Type: graphql.String, Resolve: func(graphql.ResolveParams) (any, error) { panic("secret") }},
		"thunk":    {Type: graphql.String, Resolve: fixed(func() (any, error) { return "late", nil })},
		"record":   {Type: graphql.NewObject(graphql.ObjectConfig{Name: "Record", Fields: graphql.Fields{"title": {Type: graphql.String}, "label": {Type: graphql.String}, "count": {Type: graphql.Int}}}), Resolve: fixed(record{Title: "T", Tagged: "L"})},
		"self":     {Type: obj, Resolve: fixed(map[string]any{"a": "inner"})},
		"selfs":    {Type: graphql.NewList(graphql.NewNonNull(obj)), Resolve: fixed([]any{map[string]any{"a": "1"}, nil, map[string]any{"a": "3"}})},
		"thing":    {Type: thing, Resolve: fixed(map[string]any{"type": "book", "kind": "book", "id": "b", "pages": 3})},
		"things": {Type: graphql.NewList(thing), Resolve: fixed([]any{
			map[string]any{"type": "film", "kind": "film", "id": "f", "minutes": 90},
			map[string]any{"type": "nope", "id": "n"},
			map[string]any{"type": "book", "kind": "film", "id": "lie"},
			map[string]any{"type": "book", "kind": "book", "id": "nopages"},
		})},
		"shaky": {Type: shaky, Resolve: fixed(map[string]any{"kind": "book"})},
		"media": {Type: graphql.NewList(media), Resolve: fixed([]any{map[string]any{"kind": "film", "id": "f"}, map[string]any{"kind": "book", "id": "b", "pages": 1}, map[string]any{"kind": "?"}})},
		"args": {Type: graphql.String, Args: graphql.FieldConfigArgument{
			"n": {Type: graphql.Int, DefaultValue: 3}, "s": {Type: graphql.NewList(graphql.NewNonNull(graphql.String))},
			"c": {Type: color}, "f": {Type: graphql.Float}, "id": {Type: graphql.ID}, "b": {Type: graphql.Boolean},
		}, Resolve: func(p graphql.ResolveParams) (any, error) {
			b, err := json.Marshal(p.Args)
			return fmt.Sprintf("%s %v", b, p.Args), err
		}},
	}
	query := graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: graphql.Fields{
		"obj":     {Type: obj, Resolve: fixed(map[string]any{"a": "root"})},
		"objs":    {Type: graphql.NewList(obj), Resolve: fixed([]any{map[string]any{"a": "x"}, map[string]any{"a": "y"}})},
		"must":    {Type: graphql.NewNonNull(obj), Resolve: fixed(map[string]any{"a": "must"})},
		"mustNot": {Type: graphql.NewNonNull(graphql.String), Resolve: fail(&schema.Error{Code: schema.CodeBadUserInput, Message: "no"})},
		"echo": {Type: graphql.String, Args: graphql.FieldConfigArgument{"v": {Type: graphql.String, DefaultValue: "dflt"}},
			Resolve: func(p graphql.ResolveParams) (any, error) { return fmt.Sprintf("%#v", p.Args["v"]), nil }},
	}})
	s, err := graphql.NewSchema(graphql.SchemaConfig{Query: query, Types: []graphql.Type{book, film}})
	if err != nil {
		t.Fatal(err)
	}
	return &s
}

// TestEdgeValues compares the compiled answers with graphql-go's on the
// edge schema.
func TestEdgeValues(t *testing.T) {
	s := edgeSchema(t)
	quiet := slog.New(slog.DiscardHandler)
	p := &pair{
		compiled: &executor.Executor{Schema: s, Guard: guard.Default(), Logger: quiet},
		ref:      &executor.Executor{Schema: s, Guard: guard.Default(), Logger: quiet, NoCompile: true},
	}
	ctx := executor.WithRequestID(context.Background(), "edge-request")
	for _, c := range []struct {
		q    string
		vars map[string]any
		why  string // the fallback expected, "" for compiled
	}{
		{q: `{ obj { a big f nan bools strs ids e ep eUnkn eInt holes nested array } }`},
		{q: `{ obj { a bad } objs { a } }`},
		{q: `{ obj { items } }`},
		{q: `{ obj { notList } }`},
		{q: `{ obj { err wrapped internal boom } }`},
		{q: `{ obj { a plain } other: obj { a } }`},
		{q: `{ must { plain } obj { a } }`},
		{q: `{ obj { self { a self { a err } } selfs { a } } }`},
		{q: `{ obj { record { title label count } } }`},
		{q: `{ obj { thing { id ... on Book { pages } } things { __typename id ... on Film { minutes } ... on Book { pages } } } }`},
		{q: `{ obj { media { __typename ... on Book { id pages } ... on Film { id } } } }`},
		{q: `{ obj { args a1: args(n: 5, s: ["x"], c: RED, f: 2, id: 7, b: true) a2: args(s: "one") } }`},
		{q: `query Q($n: Int, $s: [String!], $c: Color, $f: Float, $id: ID, $b: Boolean) { obj { args(n: $n, s: $s, c: $c, f: $f, id: $id, b: $b) } }`,
			vars: map[string]any{"n": 4.0, "s": []any{"p", "q"}, "c": "BLUE", "f": 1.0, "id": 9.0, "b": false}},
		{q: `query Q($n: Int, $s: [String!], $c: Color) { obj { args(n: $n, s: $s, c: $c) } }`, vars: map[string]any{"n": "7", "s": "single"}},
		{q: `query Q($n: Int = 8, $s: [String!] = ["d"]) { obj { args(n: $n, s: $s) } }`},
		{q: `query Q($v: String) { echo(v: $v) e2: echo e3: echo(v: "x") }`},
		{q: `query Q($v: String) { echo(v: $v) }`, vars: map[string]any{"v": nil}},
		{q: `query Q($n: Int!) { obj { args(n: $n) } }`, vars: map[string]any{"n": 1.5}},
		{q: `query Q($c: Color) { obj { args(c: $c) } }`, vars: map[string]any{"c": "GREEN"}, why: "variables"},
		{q: `{ mustNot obj { a } }`},
		{q: `{ obj { a } mustNot }`},
		{q: `{ obj { a thunk } }`, why: "thunk"},
		{q: `{ obj { a inf } }`, why: "encoding"},
		{q: `{ obj { a shaky { __typename } } }`, why: "panic"},
		{q: `query Q($s: Boolean!, $i: Boolean!) { obj { a @skip(if: $s) b: a @include(if: $i) ...F @include(if: $s) } } fragment F on Obj { f }`,
			vars: map[string]any{"s": true, "i": false}},
		{q: `query Q($s: Boolean!, $i: Boolean!) { obj { a @skip(if: $s) b: a @include(if: $i) ...F @include(if: $s) } } fragment F on Obj { f }`,
			vars: map[string]any{"s": false, "i": true}},
		{q: `{ obj { ...F @skip(if: true) ...F g: a } } fragment F on Obj { a f }`},
		{q: `{ obj { a: f a: f ... on Obj { a: f } } }`},
	} {
		got := run2(t, p.compiled, ctx, c.q, c.vars)
		want := run2(t, p.ref, ctx, c.q, c.vars)
		if got.body != want.body {
			t.Errorf("%s: the compiled answer differs from graphql-go's\ngot:  %s\nwant: %s", c.q, got.body, want.body)
		}
		wantEngine := executor.EngineCompiled
		if c.why != "" {
			wantEngine = executor.EngineGraphQLGo
		}
		if got.engine != wantEngine || got.fallback != c.why {
			t.Errorf("%s: ran on %s (%q), want %s (%q)", c.q, got.engine, got.fallback, wantEngine, c.why)
		}
	}
}

type answer2 struct{ body, engine, fallback string }

func run2(t *testing.T, e *executor.Executor, ctx context.Context, q string, vars map[string]any) answer2 {
	res := e.Do(ctx, executor.Request{Query: q, Variables: vars})
	b, err := res.AppendJSON(nil)
	if err != nil {
		b = []byte("encoding failed: " + err.Error())
	}
	return answer2{string(b), res.Engine, res.Fallback}
}
