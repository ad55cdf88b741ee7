package executor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/schema"
)

// testSchema is a small real schema: Query { hello, double, boom, broken,
// limited, items, thing, things } where thing is an interface Thing
// implemented by Book and Film, and items a list of limited values.
func testSchema(t testing.TB) *graphql.Schema {
	t.Helper()
	thing := graphql.NewInterface(graphql.InterfaceConfig{Name: "Thing", Fields: graphql.Fields{
		"id": {Type: graphql.String}, "title": {Type: graphql.String},
	}})
	field := func(name string) *graphql.Field {
		return &graphql.Field{Type: graphql.String, Resolve: func(p graphql.ResolveParams) (any, error) {
			return p.Source.(map[string]any)[name], nil
		}}
	}
	book := graphql.NewObject(graphql.ObjectConfig{Name: "Book", Interfaces: []*graphql.Interface{thing},
		IsTypeOf: func(p graphql.IsTypeOfParams) bool { return p.Value.(map[string]any)["kind"] == "book" },
		Fields:   graphql.Fields{"id": field("id"), "title": field("title"), "author": field("author")}})
	film := graphql.NewObject(graphql.ObjectConfig{Name: "Film", Interfaces: []*graphql.Interface{thing},
		IsTypeOf: func(p graphql.IsTypeOfParams) bool { return p.Value.(map[string]any)["kind"] == "film" },
		Fields:   graphql.Fields{"id": field("id"), "title": field("title"), "director": field("director")}})
	things := []any{
		map[string]any{"kind": "book", "id": "b1", "title": "Dune", "author": "Herbert"},
		map[string]any{"kind": "film", "id": "f1", "title": "Alien", "director": "Scott"},
	}
	limited := func(graphql.ResolveParams) (any, error) {
		return nil, &schema.Error{Code: schema.CodeLimitExceeded, Message: "too much work"}
	}
	query := graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: graphql.Fields{
		"hello": {Type: graphql.String, Resolve: func(graphql.ResolveParams) (any, error) { return "hello", nil }},
		"double": {Type: graphql.Int, Args: graphql.FieldConfigArgument{"n": {Type: graphql.NewNonNull(graphql.Int)}},
			Resolve: func(p graphql.ResolveParams) (any, error) { return 2 * p.Args["n"].(int), nil }},
		"boom": {Type: graphql.String, Resolve: func(graphql.ResolveParams) (any, error) { panic("secret detail") }},
		"broken": {Type: graphql.String, Resolve: func(graphql.ResolveParams) (any, error) {
			return nil, &schema.Error{Code: schema.CodeInternal, Message: "internal error", Cause: errors.New("disk on fire")}
		}},
		"items": {Type: graphql.NewList(graphql.NewObject(graphql.ObjectConfig{Name: "Item", Fields: graphql.Fields{
			"limited": {Type: graphql.String, Resolve: limited},
		}})), Resolve: func(graphql.ResolveParams) (any, error) { return []any{1, 2, 3}, nil }},
		"thing":  {Type: thing, Resolve: func(graphql.ResolveParams) (any, error) { return things[1], nil }},
		"things": {Type: graphql.NewList(thing), Resolve: func(graphql.ResolveParams) (any, error) { return things, nil }},
	}})
	s, err := graphql.NewSchema(graphql.SchemaConfig{Query: query, Types: []graphql.Type{book, film}})
	if err != nil {
		t.Fatal(err)
	}
	return &s
}

func TestCodes(t *testing.T) {
	e := &Executor{Schema: testSchema(t), Logger: slog.New(slog.DiscardHandler)}
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		executed    bool
		code        string
	}{
		{"ok", "{ hello }", nil, true, ""},
		{"syntax error", "{ hello", nil, false, schema.CodeParseFailed},
		{"variable without a type", "query($n:){ hello }", nil, false, schema.CodeParseFailed},
		{"unknown field", "{ nope }", nil, false, schema.CodeValidationFailed},
		{"type definition", "type T { a: Int } { hello }", nil, false, schema.CodeValidationFailed},
		{"two operations, no name", "query A { hello } query B { hello }", nil, false, schema.CodeBadRequest},
		{"subscription", "subscription { hello }", nil, false, schema.CodeValidationFailed},
		{"mutation without a Mutation type", "mutation { hello }", nil, false, schema.CodeValidationFailed},
		{"bad variable", "query($n: Int!) { double(n: $n) }", map[string]any{"n": "x"}, false, schema.CodeBadUserInput},
		{"panic", "{ boom }", nil, true, schema.CodeInternal},
		{"internal error", "{ broken }", nil, true, schema.CodeInternal},
		{"limit", "{ items { limited } }", nil, true, schema.CodeLimitExceeded},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.Do(context.Background(), Request{Query: c.query, Variables: c.vars})
			if got, want := res.Executed, c.executed; got != want {
				t.Errorf("executed: got %v, want %v; errors %v", got, want, res.Errors)
			}
			if got, want := res.Code(), c.code; got != want {
				t.Errorf("code: got %q, want %q; errors %v", got, want, res.Errors)
			}
		})
	}
}

// TestInternalErrors: a panic or an internal error reaches the client as
// the request id alone, and the log as the cause with the same id.
func TestInternalErrors(t *testing.T) {
	for _, c := range []struct{ query, cause string }{
		{"{ boom }", "secret detail"},
		{"{ broken }", "disk on fire"},
	} {
		t.Run(c.query, func(t *testing.T) {
			var logs bytes.Buffer
			e := &Executor{Schema: testSchema(t), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			ctx := WithRequestID(context.Background(), "req-42")
			res := e.Do(ctx, Request{Query: c.query})
			if len(res.Errors) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(res.Errors), res.Errors)
			}
			msg := res.Errors[0].Message
			if !strings.Contains(msg, "req-42") || strings.Contains(msg, c.cause) {
				t.Errorf("message: got %q, want the request id and not the cause", msg)
			}
			if got, want := res.Errors[0].Extensions["requestId"], "req-42"; got != want {
				t.Errorf("extensions.requestId: got %v, want %v", got, want)
			}
			if !strings.Contains(logs.String(), "request_id=req-42") || !strings.Contains(logs.String(), c.cause) {
				t.Errorf("log: got %q, want the request id and the cause", logs.String())
			}
			if res := e.Do(ctx, Request{Query: "{ hello }"}); len(res.Errors) > 0 {
				t.Errorf("after the failure: %v", res.Errors)
			}
		})
	}
}

// TestLimitReportedOnce: once a request is out of work, every resolver
// still called fails alike; the answer says so once.
func TestLimitReportedOnce(t *testing.T) {
	e := &Executor{Schema: testSchema(t)}
	res := e.Do(context.Background(), Request{Query: "{ items { limited } }"})
	if got, want := len(res.Errors), 1; got != want {
		t.Errorf("errors: got %d, want %d: %v", got, want, res.Errors)
	}
}

func TestValidRequestID(t *testing.T) {
	for _, c := range []struct {
		id   string
		want bool
	}{
		{"abc-123_x.y", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"", false},
		{"a b", false},
		{"a\nb", false},
		{"é", false},
	} {
		t.Run(c.id, func(t *testing.T) {
			if got := ValidRequestID(c.id); got != c.want {
				t.Errorf("ValidRequestID(%q): got %v, want %v", c.id, got, c.want)
			}
		})
	}
}

// jsonOf is the answer as the transports write it.
func jsonOf(t *testing.T, res *Result) string {
	t.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
