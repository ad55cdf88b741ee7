package compile_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestKnownQueries: every query the project knows — the schema's golden
// queries, the README's examples, GraphiQL's tabs, the explorer's
// questions and the benchmarks' — gets the same bytes from the compiled
// plans as from graphql-go, and runs compiled.
func TestKnownQueries(t *testing.T) {
	p := newPair(t)
	known := map[string][]string{
		"golden":   goldenQueries(t),
		"README":   readmeQueries(t),
		"GraphiQL": graphiqlQueries(t),
	}
	if len(known["golden"]) < 10 || len(known["README"]) < 10 || len(known["GraphiQL"]) < 3 {
		t.Fatalf("found too few queries, the files moved? %d golden, %d README, %d GraphiQL",
			len(known["golden"]), len(known["README"]), len(known["GraphiQL"]))
	}
	ran, compiled := 0, 0
	count := func(a answer) {
		ran++
		if a.engine == "compiled" {
			compiled++
		}
	}
	for source, qs := range known {
		for _, q := range qs {
			count(p.mustCompile(t, source, q, nil))
		}
	}
	explorer := explorerQueries(t)
	if len(explorer) < 5 {
		t.Fatalf("found %d explorer questions in explore.js, want at least 5", len(explorer))
	}
	for _, q := range explorer {
		for _, vars := range explorerVariables(q) {
			count(p.mustCompile(t, "explorer", q, vars))
		}
	}
	for _, b := range benchQueries {
		count(p.mustCompile(t, "benchmark", b.q, b.vars))
	}
	// The golden query past the guard's limit is a request error; all the
	// rest run compiled.
	t.Logf("%d of %d known queries ran compiled", compiled, ran)
	if compiled < ran*9/10 {
		t.Errorf("%d of %d known queries ran compiled, want at least 90%%", compiled, ran)
	}
}

// benchQueries are the questions the benchmarks ask (docs/benchmarks.md).
var benchQueries = []struct {
	q    string
	vars map[string]any
}{
	{`query Talk($id: ID!) { talk(id: $id) { title speakers { name } } }`, map[string]any{"id": "talk-devops"}},
	{`query Talk($id: ID!) { talk(id: $id) { id title speakers { name } } }`, map[string]any{"id": "talk-nope"}},
	{`{ talks(conference: "dotScale 2017") { title speakers { name } mentions { name } } }`, nil},
	{`query SpeakerTalks($id: ID!) { person(id: $id) { talks { title mentions { name } } } }`, map[string]any{"id": "andrew-shafer"}},
	{`{ talks(first: 200) { id title order speakers { name id } mentions { __typename id name ... on Tool { url } } } }`, nil},
}

func goldenQueries(t *testing.T) []string {
	files, err := filepath.Glob("../../schema/testdata/queries/*.graphql")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

var (
	readmeCommand = regexp.MustCompile(`talkgraph query '([^']*)'`)
	readmeSpan    = regexp.MustCompile("`((?:\\{ )?[a-z][a-zA-Z]*\\([^`]*\\)[^`]*)`")
)

// readmeQueries are the README's `talkgraph query` commands and the
// questions it quotes inline (a field alone gets braces, and __typename
// when it asks for nothing).
func readmeQueries(t *testing.T) []string {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range readmeCommand.FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	for _, m := range readmeSpan.FindAllStringSubmatch(string(b), -1) {
		q := m[1]
		if strings.Contains(q, ":,") || strings.Contains(q, ":)") || strings.Contains(q, "|") {
			continue // a field's signature, not a question
		}
		if !strings.HasPrefix(q, "{") {
			if !strings.Contains(q, "{") {
				q += " { __typename }"
			}
			q = "{ " + q + " }"
		}
		out = append(out, q)
	}
	return out
}

func graphiqlQueries(t *testing.T) []string {
	b, err := os.ReadFile("../server/assets/graphiql/examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var tabs []struct{ Query string }
	if err := json.Unmarshal(b, &tabs); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tab := range tabs {
		out = append(out, tab.Query)
	}
	return out
}

var (
	jsConst  = regexp.MustCompile("(?s)const ([A-Z_]+) = (`[^`]*`|'[^']*'|[0-9]+);")
	jsInsert = regexp.MustCompile(`\$\{([A-Z_]+)\}`)
)

// explorerQueries reads the explorer's questions from explore.js: its
// constants Q_…, with the constants they insert, and the query
// resolveNames builds for two names.
func explorerQueries(t *testing.T) []string {
	b, err := os.ReadFile("../server/assets/explore/explore.js")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	var names []string
	for _, m := range jsConst.FindAllStringSubmatch(string(b), -1) {
		v := m[2]
		if v[0] == '`' || v[0] == '\'' {
			v = v[1 : len(v)-1]
		}
		consts[m[1]] = v
		if strings.HasPrefix(m[1], "Q_") {
			names = append(names, m[1])
		}
	}
	expand := func(s string) string {
		for range 5 {
			s = jsInsert.ReplaceAllStringFunc(s, func(x string) string { return consts[x[2:len(x)-1]] })
		}
		return s
	}
	var out []string
	for _, n := range names {
		out = append(out, expand(consts[n]))
	}
	if f := consts["ENTITY_FIELDS"]; f != "" {
		out = append(out, `query ExploreResolve($n0: String!, $n1: String!) { e0: entity(name: $n0) { `+f+` } e1: entity(name: $n1) { `+f+` } }`)
	}
	return out
}

// explorerVariables are what a person types or clicks into the explorer:
// each variable the query declares takes each of a few values (names
// that exist, a typo, an ambiguous name, a hub), one variable at a time.
func explorerVariables(q string) []map[string]any {
	values := map[string][]any{
		"text":  {"kafka", "automatisation", "Kafak", "DevOps", "zzzz"},
		"name":  {"kafka", "DevOps", "Kafak", "hashicorp"},
		"id":    {"kafka", "talk-devops", "dotscale-2017", "no-such-id"},
		"first": {8, 50, nil},
		"from":  {"kafka", "Kafak"},
		"to":    {"zipkin", "sre", "DevOps"},
		"via":   {nil, []any{"dotScale 2017"}},
		"n0":    {"kafka", "Kafak"},
		"n1":    {"zipkin", "DevOps"},
	}
	base := map[string]any{}
	var declared []string
	for name, vs := range values {
		if strings.Contains(q, "$"+name+":") {
			declared = append(declared, name)
			base[name] = vs[0]
		}
	}
	out := []map[string]any{base}
	for _, name := range declared {
		for _, v := range values[name][1:] {
			vars := map[string]any{}
			for k, x := range base {
				vars[k] = x
			}
			vars[name] = v
			out = append(out, jsonRoundTrip(vars))
		}
	}
	return out
}

// jsonRoundTrip gives variables the types a JSON body decodes to.
func jsonRoundTrip(v map[string]any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}
