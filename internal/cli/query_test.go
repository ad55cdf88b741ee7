package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/server"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// nested12 nests relations { to { … } } twelve levels deep.
var nested12 = `{ entity(name: "kafka") {` + strings.Repeat(" relations { to {", 6) + " name" + strings.Repeat(" } }", 6) + " } }"

// runQuery runs `talkgraph query` on a seeded store (which it closes, as
// the command does), or against server, and returns what it printed and
// the exit status.
func runQuery(t *testing.T, server, query string, human bool) (out, errOut string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	opts := &queryOptions{IO: &IO{In: strings.NewReader(""), Out: &o, Err: &e}, Query: query, Server: server, Human: human,
		Store: func(context.Context) (*graph.Store, error) { return testdb.Seeded(t), nil }}
	err := queryRun(context.Background(), opts)
	var ee exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case err != nil:
		e.WriteString(err.Error())
		code = 2
	}
	return o.String(), e.String(), code
}

// TestQueryLikeTheServer: `talkgraph query` on the local database answers
// byte for byte as the server does, refusals and query order included.
func TestQueryLikeTheServer(t *testing.T) {
	sch, err := schema.New(testdb.Seeded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New()
	srv.Schema, srv.Prepare, srv.Sizes = &sch.GraphQL, sch.Begin, sch
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	for _, c := range []struct {
		name, query, want string
		code              int
	}{
		{"malformed variable", `query($n:){ talks { title } }`, `"code":"GRAPHQL_PARSE_FAILED"`, 1},
		{"nested twelve levels", nested12, `"code":"LIMIT_EXCEEDED"`, 1},
		{"fields in query order", `{ talks(first: 1) { title id speakers { name id } } }`,
			`{"data":{"talks":[{"title":"Build and test performance at scale","id":"talk-build-and-test-performance-at-scale","speakers":[{"name":"Ulf Adams","id":"ulf-adams"}]}]}}`, 0},
		{"dotScale relations with evidence", `{ talks(conference: "dotScale 2017") { relations(direction: OUT) { type evidence { source { id } } } } }`,
			`"evidence":[{"source":{"id":"article-dotscale-2017-fr"}}]`, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			local, errOut, code := runQuery(t, "", c.query, false)
			if code != c.code {
				t.Errorf("local exit status: got %d, want %d; stderr %q", code, c.code, errOut)
			}
			if !strings.Contains(local, c.want) {
				t.Errorf("local: got %.300s, want it to hold %s", local, c.want)
			}
			remote, errOut, code := runQuery(t, ts.URL, c.query, false)
			if code != c.code {
				t.Errorf("--server exit status: got %d, want %d; stderr %q", code, c.code, errOut)
			}
			if remote != local {
				t.Errorf("--server: got %.300s, want the local answer %.300s", remote, local)
			}
		})
	}
}

// TestQueryForPeople: at a terminal, errors are written for people: the
// message and code, then the query's line with a caret under the column.
func TestQueryForPeople(t *testing.T) {
	for _, c := range []struct {
		name, query string
		want        []string
		wantOut     string
	}{
		{"syntax error", "{ talks {\n  title\n", []string{
			"error: Syntax Error GraphQL request (3:1) Expected Name, found EOF [GRAPHQL_PARSE_FAILED]\n",
			"   3 | \n       ^\n"}, ""},
		{"unknown field", "{ talks { titel } }", []string{
			`error: Cannot query field "titel" on type "Talk". Did you mean "title"? [GRAPHQL_VALIDATION_FAILED]` + "\n" +
				"   1 | { talks { titel } }\n" +
				"                 ^\n"}, ""},
		{"field error keeps the data", `{ talks(first: 1) { title } entity(name: "Kafak") { id } }`, []string{
			`error: entity "Kafak" not found: did you mean "Apache Kafka"? [NOT_FOUND] at entity` + "\n"},
			`"title": "Build and test performance at scale"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runQuery(t, "", c.query, true)
			if code != 1 {
				t.Errorf("exit status: got %d, want 1", code)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr: got\n%s\nwant it to hold\n%s", errOut, w)
				}
			}
			if strings.Contains(errOut, `"extensions"`) {
				t.Errorf("stderr: got %q, want no JSON", errOut)
			}
			if !strings.Contains(out, c.wantOut) || c.wantOut == "" && out != "" {
				t.Errorf("stdout: got %q, want %q", out, c.wantOut)
			}
		})
	}
}

// TestQueryNoServer: --server pointed at nothing says so and how to start
// one.
func TestQueryNoServer(t *testing.T) {
	_, errOut, code := runQuery(t, "http://127.0.0.1:1", "{ __typename }", false)
	if code == 0 {
		t.Errorf("exit status: got 0, want a failure")
	}
	for _, want := range []string{"no talkgraph server answers at http://127.0.0.1:1", "talkgraph serve --addr 127.0.0.1:1"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("got %q, want it to say %q", errOut, want)
		}
	}
}
