package export_test

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// triples indexes parsed N-Quads by subject, then predicate.
type triples map[string]map[string][]nqTerm

func indexQuads(qs []nquad) triples {
	ix := triples{}
	for _, q := range qs {
		if ix[q.s.value] == nil {
			ix[q.s.value] = map[string][]nqTerm{}
		}
		ix[q.s.value][q.p.value] = append(ix[q.s.value][q.p.value], q.o)
	}
	return ix
}

// literals returns the values of a subject's literal objects of one
// predicate, as "value", "value@lang" or "value^^type".
func (ix triples) literals(subj, pred string) []string {
	var out []string
	for _, o := range ix[subj][pred] {
		switch {
		case o.lang != "":
			out = append(out, o.value+"@"+o.lang)
		case o.dtype != "":
			out = append(out, o.value+"^^"+o.dtype)
		default:
			out = append(out, o.value)
		}
	}
	return out
}

// TestDgraph reads the Dgraph dialect back and checks every node, edge and
// piece of evidence against the store.
func TestDgraph(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			qs, err := parseNQuads(string(render(t, export.Dgraph, tx)))
			if err != nil {
				t.Fatalf("parse: got %v, want N-Quads", err)
			}
			for _, q := range qs {
				if q.g.kind != 0 {
					t.Fatalf("graph label: got %q, want none (Dgraph reads it as a namespace)", q.g.value)
				}
				if q.p.value == export.UpsertPredicate {
					t.Errorf("%s <%s> %s: got a value, want none: dgraph live -U stores the blank node's label there", q.s.value, q.p.value, q.o.quoted)
				}
				if got, err := strconv.Unquote(q.o.quoted); q.o.kind == 'L' && (err != nil || got != q.o.value) {
					t.Errorf("literal %s: Go's Unquote (Dgraph's loader) gives %q, %v, want %q", q.o.quoted, got, err, q.o.value)
				}
			}
			ix := indexQuads(qs)
			nodes, edges := contents(t, tx)
			for _, n := range nodes {
				checkNodeQuads(t, ix, n)
			}
			checkEdgeQuads(t, ix, edges)
		})
	}
}

func checkNodeQuads(t *testing.T, ix triples, n *graph.Node) {
	t.Helper()
	want := map[string][]string{
		"dgraph.type": {strings.ToUpper(string(n.Kind[:1])) + string(n.Kind[1:])},
		"id":          {n.ID},
		"kind":        {string(n.Kind)},
		"name":        {n.Name},
		"alias":       n.Aliases,
		"dataset":     {n.Dataset},
	}
	for l, d := range n.Description {
		want["description"] = append(want["description"], d+"@"+l)
	}
	if len(n.Description) > 0 {
		want["description"] = append(want["description"], n.Describe("en"))
	}
	for p, v := range n.Props {
		switch graph.Props[p] {
		case graph.PropInt:
			v += "^^http://www.w3.org/2001/XMLSchema#integer"
		case graph.PropDate:
			v += "^^http://www.w3.org/2001/XMLSchema#date"
		}
		want[p] = []string{v}
	}
	for pred, w := range want {
		got := ix.literals(n.ID, pred)
		slices.Sort(got)
		w = slices.Sorted(slices.Values(w))
		if !slices.Equal(got, w) {
			t.Errorf("_:%s <%s>: got %q, want %q", n.ID, pred, got, w)
		}
	}
}

func checkEdgeQuads(t *testing.T, ix triples, edges []graph.Edge) {
	t.Helper()
	var want, got []string
	for _, e := range edges {
		objs := ix[e.From][e.Type]
		if !slices.ContainsFunc(objs, func(o nqTerm) bool { return o.kind == 'B' && o.value == e.To }) {
			t.Errorf("edge: got no _:%s <%s> _:%s, want it", e.From, e.Type, e.To)
		}
		for _, ev := range e.Evidence {
			want = append(want, fmt.Sprintf("%s %s %s %s %q %s", e.From, e.Type, e.To, ev.Source, ev.Quote, ev.Dataset))
		}
	}
	for subj, preds := range ix {
		if !slices.Contains(ix.literals(subj, "dgraph.type"), "Evidence") {
			continue
		}
		one := func(p string) string {
			if len(preds[p]) != 1 {
				return ""
			}
			return preds[p][0].value
		}
		got = append(got, fmt.Sprintf("%s %s %s %s %q %s", one("evidence.from"), one("evidence.relation"),
			one("evidence.to"), one("evidence.source"), one("evidence.quote"), one("evidence.dataset")))
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("evidence nodes: got %q, want %q", got, want)
	}
}

var (
	schemaPred = regexp.MustCompile(`^<([^<>]+)>: (\[(?:string|int|datetime|uid)\]|string|int|datetime|uid)( @(index\([a-z, ]+\)|reverse|count|upsert|lang))* \.$`)
	schemaType = regexp.MustCompile(`^type ([A-Z][A-Za-z]*) \{$`)
	typeField  = regexp.MustCompile(`^  <(~?)([^<>]+)>$`)
)

// TestDgraphSchema checks the schema line by line against the grammar of
// Dgraph's schema files, that it declares every predicate and type the
// N-Quads use, and that every type field is a declared predicate.
func TestDgraphSchema(t *testing.T) {
	var b bytes.Buffer
	if err := export.WriteDgraphSchema(&b); err != nil {
		t.Fatal(err)
	}
	testdb.Golden(t, "testdata/golden/dgraph.schema", b.Bytes())
	preds, types := map[string]string{}, map[string]bool{}
	inType := ""
	for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		switch m, mt, mf := schemaPred.FindStringSubmatch(line), schemaType.FindStringSubmatch(line), typeField.FindStringSubmatch(line); {
		case line == "":
		case inType == "" && m != nil:
			preds[m[1]] = m[2]
		case inType == "" && mt != nil:
			inType, types[mt[1]] = mt[1], true
		case inType != "" && mf != nil:
			if typ, ok := preds[mf[2]]; !ok || (mf[1] == "~" && !strings.Contains(typ, "uid")) {
				t.Errorf("line %d: type %s has field %q, want a declared (uid, for ~) predicate", i+1, inType, mf[1]+mf[2])
			}
		case inType != "" && line == "}":
			inType = ""
		default:
			t.Errorf("line %d: got %q, want a predicate, a type or a field", i+1, line)
		}
	}
	if typ := preds[export.UpsertPredicate]; !strings.HasPrefix(b.String(), "<"+export.UpsertPredicate+">: string @index(exact) @upsert .\n") {
		t.Errorf("upsert predicate: got %q, want a string with an exact index and @upsert (dgraph live -U looks nodes up by it)", typ)
	}
	for _, c := range cases {
		tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
		qs, err := parseNQuads(string(render(t, export.Dgraph, tx)))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			checkSchemaFits(t, b.String(), preds, types, q)
		}
	}
}

// checkSchemaFits checks that the schema declares q's predicate with a
// type that holds q's object: uid for a node, @lang for a language-tagged
// string, int and datetime for xsd:integer and xsd:date, string otherwise.
func checkSchemaFits(t *testing.T, schema string, preds map[string]string, types map[string]bool, q nquad) {
	t.Helper()
	p := q.p.value
	if p == "dgraph.type" {
		if !types[q.o.value] {
			t.Errorf("type %s: got no definition, want one", q.o.value)
		}
		return
	}
	typ, ok := preds[p]
	want := "string"
	switch {
	case q.o.kind == 'B':
		want = "[uid]"
		if strings.HasPrefix(p, "evidence.") {
			want = "uid"
		}
	case q.o.dtype == "http://www.w3.org/2001/XMLSchema#integer":
		want = "int"
	case q.o.dtype == "http://www.w3.org/2001/XMLSchema#date":
		want = "datetime"
	case p == "alias":
		want = "[string]"
	}
	if !ok || typ != want {
		t.Errorf("predicate %s (object %s): got schema type %q, want %q", p, q.o.quoted+q.o.value, typ, want)
	}
	if q.o.lang != "" && !strings.Contains(schema, "<"+p+">: "+typ+" @lang") {
		t.Errorf("predicate %s: got a language-tagged value and no @lang in the schema, want @lang", p)
	}
	if q.o.kind == 'B' && !strings.Contains(schema, "<"+p+">: "+typ+" @reverse") {
		t.Errorf("predicate %s: got a uid edge and no @reverse in the schema, want @reverse (DQL reads the inverse as ~%s)", p, p)
	}
}

// TestDgraphLabels checks what dgraph live -U xid relies on to find the
// nodes of a previous load: one blank node label per node and per piece of
// evidence, the same labels in every export, and a focused export's labels
// among the whole graph's (loading one over the other adds nothing).
func TestDgraphLabels(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, cases[0].fsys, cases[0].display))
	full := render(t, export.Dgraph, tx)
	if again := render(t, export.Dgraph, tx); !bytes.Equal(full, again) {
		t.Fatalf("two exports of the same data: got different bytes, want the same")
	}
	all := dgraphLabels(t, full)
	nodes, edges := contents(t, tx)
	if want := len(nodes) + evidenceCount(edges); len(all) != want {
		t.Errorf("labels: got %d, want one per node and piece of evidence, %d", len(all), want)
	}
	g, err := export.Neighbourhood(tx, "kafka", 1)
	if err != nil {
		t.Fatal(err)
	}
	for l := range dgraphLabels(t, render(t, export.Dgraph, g)) {
		if !all[l] {
			t.Errorf("label _:%s of the focused export: got none in the whole export, want the same labels", l)
		}
	}
}

func dgraphLabels(t *testing.T, doc []byte) map[string]bool {
	t.Helper()
	qs, err := parseNQuads(string(doc))
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]bool{}
	for _, q := range qs {
		labels[q.s.value] = true
	}
	return labels
}

func TestDgraphGolden(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, os.DirFS(setsDir), "sets"))
	testdb.Golden(t, "testdata/golden/tricky.dgraph.rdf", render(t, export.Dgraph, tx))
}

// TestDgraphLiveCommand checks the command against what dgraph live's
// documentation states: the format comes from a .rdf or .rdf.gz name, or
// from --format=rdf; -U names the upsert predicate.
func TestDgraphLiveCommand(t *testing.T) {
	for _, c := range []struct{ name, data, schema, want string }{
		{"rdf", "graph.rdf", "graph.schema", "dgraph live -f graph.rdf -s graph.schema -U xid"},
		{"rdf.gz", "out/g.rdf.gz", "out/g.schema", "dgraph live -f out/g.rdf.gz -s out/g.schema -U xid"},
		{"nq", "graph.nq", "graph.schema", "dgraph live -f graph.nq -s graph.schema -U xid --format=rdf"},
		{"spaces and quotes", "my graph's.rdf", "s s", `dgraph live -f 'my graph'\''s.rdf' -s 's s' -U xid`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := export.DgraphLiveCommand(c.data, c.schema); got != c.want {
				t.Errorf("DgraphLiveCommand(%q, %q): got %q, want %q", c.data, c.schema, got, c.want)
			}
		})
	}
}

// TestNQuadsReader checks that the test's N-Quads reader refuses what the
// grammar refuses, so that TestNQuads means something.
func TestNQuadsReader(t *testing.T) {
	for _, c := range []struct {
		name, line string
		ok         bool
	}{
		{"triple", `_:a <name> "x" .`, true},
		{"typed", `_:a <n> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .`, true},
		{"language", `_:a <d> "x"@en-GB .`, true},
		{"graph label", `_:a <p> _:b <g> .`, true},
		{"comment after", `_:a <p> _:b . # note`, true},
		{"escapes", `_:a <p> "\t\b\n\r\f\"\'\\\u00e9\U0001F600" .`, true},
		{"no dot", `_:a <p> _:b`, false},
		{"text after dot", `_:a <p> _:b . x`, false},
		{"unclosed literal", `_:a <p> "x .`, false},
		{"bad escape", `_:a <p> "\x41" .`, false},
		{"space in IRI", `_:a <p q> "x" .`, false},
		{"literal subject", `"x" <p> _:b .`, false},
		{"blank predicate", `_:a _:p _:b .`, false},
		{"label ends with dot", `_:a. <p> _:b .`, false},
		{"empty label", `_: <p> _:b .`, false},
		{"bad language", `_:a <p> "x"@1en .`, false},
		{"bad datatype", `_:a <p> "x"^^xsd:int .`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseNQuads(c.line + "\n")
			if got := err == nil; got != c.ok {
				t.Errorf("parse %s: got error %v, want ok=%v", c.line, err, c.ok)
			}
		})
	}
}
