package schema_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/lexicon"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// do runs q through the executor users go through (as the server and
// `talkgraph query` do), with the server's guard.
func do(s *schema.Schema, ctx context.Context, q string, vars map[string]any) *executor.Result {
	e := &executor.Executor{Schema: &s.GraphQL, Begin: s.Begin, Guard: guard.Guard{Limits: guard.Default(), Sizes: s}, CacheSize: -1}
	return e.Do(ctx, executor.Request{Query: q, Variables: vars})
}

// dataOf is the "data" of res as JSON decodes it: a compiled plan writes
// the answer's JSON without building Result.Data.
func dataOf(tb testing.TB, res *executor.Result) map[string]any {
	tb.Helper()
	b, err := res.MarshalJSON()
	if err != nil {
		tb.Fatal(err)
	}
	var out struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatal(err)
	}
	return out.Data
}

// mustSchema returns the schema over an in-memory store seeded with the
// embedded dotScale 2017 data set, with the dictionary the server gives
// it.
func mustSchema(tb testing.TB) *schema.Schema {
	tb.Helper()
	store := testdb.Seeded(tb)
	lex := lexicon.New(store, nil)
	tb.Cleanup(func() { lex.Close() })
	s, err := schema.New(store, nil, schema.WithDictionary(lex.For))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestSDLMatchesFile(t *testing.T) {
	for _, c := range []struct {
		file string
		opts []schema.Option
	}{{"schema.graphql", nil}, {"schema-mutations.graphql", []schema.Option{schema.WithMutations()}}} {
		t.Run(c.file, func(t *testing.T) {
			s, err := schema.New(graph.NewStore(""), nil, c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			testdb.Golden(t, c.file, []byte(s.SDL()))
		})
	}
}

// TestQueries runs every testdata/queries/*.graphql and compares the JSON
// result with the .json beside it.
func TestQueries(t *testing.T) {
	s := mustSchema(t)
	files, err := filepath.Glob("testdata/queries/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no queries found: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		t.Run(name, func(t *testing.T) {
			q, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			compact, err := json.Marshal(do(s, context.Background(), string(q), nil))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, compact, "", "  "); err != nil {
				t.Fatal(err)
			}
			got := append(buf.Bytes(), '\n')
			testdb.Golden(t, strings.TrimSuffix(f, ".graphql")+".json", got)
		})
	}
}

// TestErrorsInQueryOrder: graphql-go resolves fields in map order; the
// errors of one answer still come in the order of the query, every time.
func TestErrorsInQueryOrder(t *testing.T) {
	s := mustSchema(t)
	q := `{ z: entity(name: "no-such-z") { id } a: entity(name: "no-such-a") { id } m: entity(name: "no-such-m") { id } }`
	for range 20 {
		res := do(s, context.Background(), q, nil)
		var got []string
		for _, e := range res.Errors {
			got = append(got, fmt.Sprint(e.Path))
		}
		if want := []string{"[z]", "[a]", "[m]"}; !slices.Equal(got, want) {
			t.Fatalf("error paths: got %v, want %v", got, want)
		}
	}
}
