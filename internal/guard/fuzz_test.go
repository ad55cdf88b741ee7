package guard_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/testutil"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/schema"
)

// Bounds of the fuzz properties. They are hang checks, not benchmarks: the
// guard normally takes microseconds, and only an egregious time fails.
const (
	fuzzHangAfter = 10 * time.Second // the guard did not return at all
	fuzzTooSlow   = 2 * time.Second  // Scan+Check on an input up to fuzzTimedSize
	fuzzTimedSize = 64 << 10
)

// realSchema is talkgraph's schema. Check only reads its types, so the store
// is never opened.
func realSchema(tb testing.TB) *graphql.Schema {
	tb.Helper()
	s, err := schema.New(graph.NewStore(""), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &s.GraphQL
}

// exampleQueries returns the queries GraphiQL offers and those the schema's
// golden tests run.
func exampleQueries(tb testing.TB) []string {
	tb.Helper()
	b, err := os.ReadFile("../server/assets/graphiql/examples.json")
	if err != nil {
		tb.Fatal(err)
	}
	var examples []struct{ Query string }
	if err := json.Unmarshal(b, &examples); err != nil {
		tb.Fatalf("examples.json: %v", err)
	}
	var out []string
	for _, e := range examples {
		out = append(out, e.Query)
	}
	files, err := filepath.Glob("../../schema/testdata/queries/*.graphql")
	if err != nil || len(files) == 0 {
		tb.Fatalf("schema/testdata/queries: got %d files (%v), want some", len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, string(b))
	}
	return append(out, testutil.IntrospectionQuery)
}

// hostileCase is a request built to cost the server too much, and the limit
// that refuses it ("" when it must pass).
type hostileCase struct {
	name  string
	query string
	vars  map[string]any
	limit string
}

func repeatJoin(n int, f func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return strings.Join(parts, " ")
}

// hostileCases are the hostile inputs of the server tests, at the guard.
func hostileCases() []hostileCase {
	deep := func(n int) string { // talks { speakers { talks { ... name ... } } }
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			if i%2 == 0 {
				b.WriteString("talks{")
			} else {
				b.WriteString("speakers{")
			}
		}
		b.WriteString("name")
		b.WriteString(strings.Repeat("}", n+1))
		return b.String()
	}
	return []hostileCase{
		{"normal query", `{ talks(mentioning: "automation") { title speakers { name } } }`, nil, ""},
		{"introspection", testutil.IntrospectionQuery, nil, ""},
		{"nested 12 deep", deep(12), nil, "depth"},
		{"7 KB of aliases with different arguments", "{" + repeatJoin(250, func(i int) string {
			return fmt.Sprintf("a%d: talks(first: %d) {title}", i, i+1)
		}) + "}", nil, "aliases"},
		{"7 KB of one field with different arguments", "{" + repeatJoin(300, func(i int) string {
			return fmt.Sprintf("talks(first: %d) {title}", i+1)
		}) + "}", nil, "repeated response key"},
		{"3 MB of nested braces", strings.Repeat("{", 3<<19) + strings.Repeat("}", 3<<19), nil, "nesting"},
		{"10000 levels of nesting", strings.Repeat("{", 10000) + strings.Repeat("}", 10000), nil, "nesting"},
		{"1000 aliases of an expensive field", "{" + repeatJoin(1000, func(i int) string {
			return fmt.Sprintf("a%d: talks(first: 1000) { speakers { talks { title } } }", i)
		}) + "}", nil, "tokens"},
		{"100000 __typename", "{" + strings.Repeat(" __typename", 100000) + " }", nil, "tokens"},
		{"first of a million", `{ talks(first: 1000000) { title } }`, nil, "first"},
		{"first of a million as a variable", `query($n: Int) { talks(first: $n) { title } }`, map[string]any{"n": float64(1000000)}, "first"},
		{"fragments expanding exponentially", `{ ...A } fragment A on Query { ...B ...B ...B ...B } fragment B on Query { ...C ...C ...C ...C } fragment C on Query { ...D ...D ...D ...D } fragment D on Query { ...E ...E ...E ...E } fragment E on Query { talks { title } }`, nil, "repeated response key"},
		{"fragments expanding exponentially under aliases", `{ ...A } fragment A on Query { a: talks { ...B } b: talks { ...B } c: talks { ...B } } fragment B on Talk { a: speakers { ...C } b: speakers { ...C } c: speakers { ...C } } fragment C on Person { a: talks { ...D } b: talks { ...D } c: talks { ...D } } fragment D on Talk { a: speakers { name } b: speakers { name } c: speakers { name } }`, nil, "aliases"},
		{"60 directives", "{ talks { title" + strings.Repeat(" @include(if: true)", 60) + " } }", nil, "directives"},
		{"the same field 1001 times", "{ talks { " + strings.Repeat("title ", 1001) + "} }", nil, "repeated response key"},
	}
}

// guardErr runs the guard as the handler does: Scan, then Parse, then Check.
// parseErr is set when the parser refused a document Scan let through.
func guardErr(l guard.Limits, s *graphql.Schema, query string, vars map[string]any) (err, parseErr error) {
	if err := l.Scan(query); err != nil {
		return err, nil
	}
	doc, perr := parser.Parse(parser.ParseParams{Source: query})
	if perr != nil {
		return nil, perr
	}
	return l.Check(context.Background(), s, doc, vars), nil
}

func TestHostileCases(t *testing.T) {
	s, l := realSchema(t), guard.Default()
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			err, perr := guardErr(l, s, c.query, c.vars)
			if perr != nil {
				t.Fatalf("parse: got %v, want a document", perr)
			}
			var le *guard.LimitError
			switch {
			case c.limit == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case c.limit != "" && !errors.As(err, &le):
				t.Errorf("got %v, want a refusal on %s", err, c.limit)
			case c.limit != "" && le.Limit != c.limit:
				t.Errorf("limit: got %v, want %v (%v)", le.Limit, c.limit, err)
			}
		})
	}
}

// TestScanStopsAtTheLimit: Scan stops counting soon after the first token
// past MaxTokens, as LimitError documents, rather than reading the rest of
// a megabyte; its Got then tells how far it read.
func TestScanStopsAtTheLimit(t *testing.T) {
	l := guard.Default()
	for _, c := range []struct{ name, query string }{
		{"words and spaces", "{" + strings.Repeat(" __typename", 100000) + " }"},
		{"words and commas", "{" + strings.Repeat("__typename,", 100000) + "}"},
		{"words and newlines", "{\n" + strings.Repeat("title\n", 100000) + "}"},
		{"punctuation", "{ talks(" + strings.Repeat("a: 1 ", 100000) + ") { title } }"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var le *guard.LimitError
			if err := l.Scan(c.query); !errors.As(err, &le) || le.Limit != "tokens" {
				t.Fatalf("got %v, want a refusal on tokens", err)
			}
			if got, want := le.Got, l.MaxTokens+1; got > want+10 {
				t.Errorf("tokens counted: got %v, want about %v (Scan read on past the limit)", got, want)
			}
		})
	}
}

// checkRefusal asserts the shape every refusal has: a *LimitError naming a
// limit, its value, and a count past it; or, for what is no limit (a
// fragment cycle, say), an error with an extensions code.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var le *guard.LimitError
	if !errors.As(err, &le) {
		var ext gqlerrors.ExtendedError
		if !errors.As(err, &ext) || ext.Extensions()["code"] == nil || err.Error() == "" {
			t.Fatalf("error: got %v (%T), want a *guard.LimitError or an error with an extensions code", err, err)
		}
		return
	}
	if le.Limit == "" || le.Got <= le.Max {
		t.Fatalf("refusal: got limit %q max %d got %d, want a named limit and a count past it", le.Limit, le.Max, le.Got)
	}
	if want := fmt.Sprintf("limit of %d", le.Max); !strings.Contains(err.Error(), want) {
		t.Fatalf("message: got %q, want it to contain %q", err, want)
	}
	if got, want := le.Extensions()["code"], guard.Code; got != want {
		t.Fatalf("extensions.code: got %v, want %v", got, want)
	}
}

// unusedFragments is a document whose fragments, none used, spread two
// fragments of the next level each: n levels, 2^n paths.
func unusedFragments(n int) string {
	var b strings.Builder
	b.WriteString("{ talks { title } }")
	for i := range n {
		fmt.Fprintf(&b, " fragment A%d on Query { ...A%d ...B%d } fragment B%d on Query { ...A%d ...B%d }", i, i+1, i+1, i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment A%d on Query { talks { title } } fragment B%d on Query { talks { title } }", n, n)
	return b.String()
}

// TestCheckRefusesWhatValidationCannotTake: graphql-go's validation
// (OverlappingFieldsCanBeMerged) follows fragment spreads with no memory of
// where it has been, in every fragment, used or not: a cycle overflows the
// stack, killing the process, and a chain of fragments spreading two others
// takes time exponential in its length. Check runs first, so it must refuse
// both. (graphql.ValidateDocument is not called here: it would crash.)
func TestCheckRefusesWhatValidationCannotTake(t *testing.T) {
	s, l := realSchema(t), guard.Default()
	for _, c := range []struct{ name, query string }{
		{"unused fragment spreading itself", `{ talks { title } } fragment A on Query { ...A }`},
		{"fragment spreading itself", `{ ...A } fragment A on Query { ...A talks { title } }`},
		{"two fragments spreading each other", `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A talks { title } }`},
		{"unused fragments in a cycle of three", `{ talks { title } } fragment A on Query { ...B } fragment B on Query { ...C } fragment C on Query { ...A }`},
		{"cycle through an inline fragment", `{ ...A } fragment A on Query { ... on Query { ...A } }`},
		{"unused fragments expanding exponentially", unusedFragments(40)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := l.Scan(c.query); err != nil {
				t.Fatalf("Scan: got %v, want nil (Check is the one to refuse)", err)
			}
			doc, err := parser.Parse(parser.ParseParams{Source: c.query})
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			err = l.Check(context.Background(), s, doc, nil)
			if err == nil {
				t.Fatalf("Check of a %d-byte document: got nil, want a refusal", len(c.query))
			}
			checkRefusal(t, err)
		})
	}
}

// FuzzGuard mutates queries and checks that the guard never panics, that a
// document Scan lets through never crashes the parser (deep nesting would
// overflow its stack) and that Scan+Check return quickly.
func FuzzGuard(f *testing.F) {
	for _, q := range exampleQueries(f) {
		f.Add(q)
	}
	for _, c := range hostileCases() {
		if len(c.query) <= 8<<10 {
			f.Add(c.query)
		}
	}
	for _, q := range []string{
		"",
		"{",
		"}}}}{{{{",
		`{ talks(mentioning: "}}}}{{{{") { title } }`,
		`{ talks(mentioning: """ {{{{ \""" {{{{ """) { title } }`,
		`{ talks(mentioning: "\"{{{{") { title } } # {{{{`,
		"{ talks { title } } # {{{{\r{{{{",
		"{ talks(mentioning: \"a\\\n{{{{\") { title } }",
		`query Q($a: [[[[Int]]]] = [[[[1]]]]) { talks { title } }`,
		`{ node(id: "x") { ... on Talk { speakers { ... on Person { talks { ...F } } } } } } fragment F on Talk { title ...F }`,
		`{ ...A ...A } fragment A on Query { ...B } fragment B on Query { ...A talks { title } }`,
		`{ talks(first: -1) { title } talks(first: 99999999999999999999) { title } }`,
		`query($n: Int) { talks(first: $n) { speakers { talks { title } } } }`,
		`mutation { upsertEntity(input: {id: "x", kind: TALK, name: "y"}) { id } }`,
		`subscription { talks { title } }`,
		`{ search(text: "x", kinds: [TALK, PERSON]) { node { ... on Talk { speakers { name } } } } }`,
		`{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }`,
		`{ __type(name: "Talk") { name } talks @skip(if: true) @include(if: false) { title } }`,
		"{ talks { \x00 title } }",
		"{ talks { \xff\xfe title } }",
		"\ufeff{ talks { title } }",
		`{ a: talks { title } a: talks { id } }`,
		`type Q { a: Int } { talks { title } }`,
	} {
		f.Add(q)
	}
	s, l := realSchema(f), guard.Default()
	f.Fuzz(func(t *testing.T, query string) {
		type result struct {
			scanErr, parseErr, checkErr error
			took                        time.Duration
		}
		done := make(chan result, 1)
		go func() {
			var r result
			start := time.Now()
			r.scanErr = l.Scan(query)
			r.took = time.Since(start)
			if r.scanErr == nil {
				var doc *ast.Document
				doc, r.parseErr = parser.Parse(parser.ParseParams{Source: query})
				if r.parseErr == nil {
					start := time.Now()
					r.checkErr = l.Check(context.Background(), s, doc, nil)
					r.took += time.Since(start)
				}
			}
			done <- r
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(fuzzHangAfter):
			t.Fatalf("guard on a %d-byte query: no answer after %v", len(query), fuzzHangAfter)
		}
		checkRefusal(t, r.scanErr)
		checkRefusal(t, r.checkErr)
		if len(query) <= fuzzTimedSize && r.took > fuzzTooSlow {
			t.Fatalf("Scan+Check on a %d-byte query: took %v, want well under %v", len(query), r.took, fuzzTooSlow)
		}
	})
}

// BenchmarkGuardRefusal measures the guard's time on each hostile case:
// Scan, and Check on the parsed document when Scan lets it through (the
// parse is done once, outside the timing; see BenchmarkGuardRefusalParse).
func BenchmarkGuardRefusal(b *testing.B) {
	s, l := realSchema(b), guard.Default()
	for _, c := range hostileCases() {
		var doc *ast.Document
		if l.Scan(c.query) == nil {
			var err error
			if doc, err = parser.Parse(parser.ParseParams{Source: c.query}); err != nil {
				b.Fatalf("%s: parse: %v", c.name, err)
			}
		}
		b.Run(strings.ReplaceAll(c.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(c.query)))
			b.ReportAllocs()
			for b.Loop() {
				if err := l.Scan(c.query); err != nil {
					continue
				}
				_ = l.Check(context.Background(), s, doc, c.vars)
			}
		})
	}
}

// BenchmarkGuardRefusalParse is what the server spends on a hostile case
// up to the guard's answer: Scan, Parse when Scan passes, Check.
func BenchmarkGuardRefusalParse(b *testing.B) {
	s, l := realSchema(b), guard.Default()
	for _, c := range hostileCases() {
		b.Run(strings.ReplaceAll(c.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(c.query)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = guardErr(l, s, c.query, c.vars)
			}
		})
	}
}
