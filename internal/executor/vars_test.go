package executor

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
)

// TestStringPointersCoerceAlike: variables given to graphql-go as *string
// coerce to the same values, and fail the same way, as plain strings, for
// every scalar, an enum and a list.
func TestStringPointersCoerceAlike(t *testing.T) {
	color := graphql.NewEnum(graphql.EnumConfig{Name: "Color", Values: graphql.EnumValueConfigMap{"RED": {Value: "red"}}})
	echo := func(typ graphql.Input) *graphql.Field {
		return &graphql.Field{Type: graphql.String, Args: graphql.FieldConfigArgument{"v": {Type: typ}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				b, err := json.Marshal(p.Args["v"])
				return string(b), err
			}}
	}
	sch, err := graphql.NewSchema(graphql.SchemaConfig{Query: graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: graphql.Fields{
		"s": echo(graphql.String), "id": echo(graphql.ID), "i": echo(graphql.Int), "f": echo(graphql.Float),
		"b": echo(graphql.Boolean), "e": echo(color), "l": echo(graphql.NewList(graphql.String)),
	}})})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ query, value string }{
		{`query($v: String!) { s(v: $v) }`, "text"},
		{`query($v: String) { s(v: $v) }`, ""},
		{`query($v: ID!) { id(v: $v) }`, "talk-1"},
		{`query($v: Int) { i(v: $v) }`, "12"},
		{`query($v: Float) { f(v: $v) }`, "1.5"},
		{`query($v: Boolean) { b(v: $v) }`, "true"},
		{`query($v: Color) { e(v: $v) }`, "RED"},
		{`query($v: Color) { e(v: $v) }`, "BLUE"},
		{`query($v: [String]) { l(v: $v) }`, "one"},
	} {
		t.Run(tc.query+" "+tc.value, func(t *testing.T) {
			doc, err := parser.Parse(parser.ParseParams{Source: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			run := func(vars map[string]any) string {
				res := graphql.Execute(graphql.ExecuteParams{Schema: sch, AST: doc, Args: vars, Context: context.Background()})
				b, _ := json.Marshal(res)
				return string(b)
			}
			vars := map[string]any{"v": tc.value}
			op := doc.Definitions[0].(*ast.OperationDefinition)
			if got, want := run(stringPointers(op, vars)), run(vars); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}
