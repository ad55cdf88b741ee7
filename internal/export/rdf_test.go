package export_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

const (
	rdfNS    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	xsdNS    = "http://www.w3.org/2001/XMLSchema#"
	schemaNS = "https://schema.org/"
	tgNS     = export.DefaultBase + "ns#"
	idNS     = export.DefaultBase + "id/"
)

// schemaClasses is what the export promises a linked-data reader: the
// schema.org class of each kind.
var schemaClasses = map[graph.Kind][]string{
	graph.KindConference:   {"Event"},
	graph.KindTalk:         {"Event"},
	graph.KindPerson:       {"Person"},
	graph.KindCompany:      {"Organization", "Corporation"},
	graph.KindOrganization: {"Organization"},
	graph.KindTool:         {"SoftwareApplication"},
	graph.KindConcept:      {"DefinedTerm"},
	graph.KindPublication:  {"CreativeWork"},
	graph.KindSource:       {"CreativeWork"},
}

// objects returns the objects of (subj, pred) as "value", "value@lang",
// "value^^type" for literals and "<iri>" for IRIs, sorted.
func (ix triples) objects(subj, pred string) []string {
	var out []string
	for _, o := range ix[subj][pred] {
		switch {
		case o.kind == 'I':
			out = append(out, "<"+o.value+">")
		case o.lang != "":
			out = append(out, o.value+"@"+o.lang)
		case o.dtype != "":
			out = append(out, o.value+"^^"+o.dtype)
		default:
			out = append(out, o.value)
		}
	}
	slices.Sort(out)
	return out
}

// TestNQuadsStandard reads the N-Quads with the strict grammar reader and
// checks what standard N-Quads needs (absolute IRIs, no blank node, no
// graph label) and that every node, relation and piece of evidence of the
// store is there in schema.org and talkgraph terms.
func TestNQuadsStandard(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			qs, err := parseNQuads(string(render(t, export.NQuads, tx)))
			if err != nil {
				t.Fatalf("parse: got %v, want N-Quads", err)
			}
			for _, q := range qs {
				checkStandardQuad(t, q)
			}
			ix := indexQuads(qs)
			nodes, edges := contents(t, tx)
			for _, n := range nodes {
				checkRDFNode(t, ix, n)
			}
			for _, e := range edges {
				if got := ix.objects(idNS+e.From, tgNS+e.Type); !slices.Contains(got, "<"+idNS+e.To+">") {
					t.Errorf("relation %s %s %s: got objects %q, want <%s>", e.From, e.Type, e.To, got, idNS+e.To)
				}
			}
			if got, want := reifications(ix), wantReifications(edges); !slices.Equal(got, want) {
				t.Errorf("reified evidence: got %q, want %q", got, want)
			}
		})
	}
}

func checkStandardQuad(t *testing.T, q nquad) {
	t.Helper()
	if q.g.kind != 0 {
		t.Errorf("graph label %s: got one, want the default graph", q.g.value)
	}
	for _, term := range []nqTerm{q.s, q.p, q.o} {
		if term.kind == 'B' {
			t.Errorf("blank node _:%s: got one, want IRIs only", term.value)
		}
		if term.kind == 'I' && !absolute(term.value) {
			t.Errorf("IRI <%s>: got a relative IRI, want an absolute one", term.value)
		}
		if term.dtype != "" && !absolute(term.dtype) {
			t.Errorf("datatype <%s>: got a relative IRI, want an absolute one", term.dtype)
		}
	}
}

func absolute(iri string) bool {
	u, err := url.Parse(iri)
	return err == nil && u.Scheme != ""
}

func checkRDFNode(t *testing.T, ix triples, n *graph.Node) {
	t.Helper()
	s := idNS + n.ID
	want := map[string][]string{
		rdfNS + "type":             {"<" + tgNS + strings.ToUpper(string(n.Kind[:1])) + string(n.Kind[1:]) + ">"},
		schemaNS + "identifier":    {n.ID},
		schemaNS + "name":          {n.Name},
		schemaNS + "alternateName": n.Aliases,
		tgNS + "dataset":           {n.Dataset},
	}
	for _, c := range schemaClasses[n.Kind] {
		want[rdfNS+"type"] = append(want[rdfNS+"type"], "<"+schemaNS+c+">")
	}
	for l, d := range n.Description {
		want[schemaNS+"description"] = append(want[schemaNS+"description"], d+"@"+l)
	}
	for pred, w := range want {
		if got, w := ix.objects(s, pred), slices.Sorted(slices.Values(w)); !slices.Equal(got, w) {
			t.Errorf("<%s> <%s>: got %q, want %q", s, pred, got, w)
		}
	}
	var got []string
	for _, objs := range ix[s] {
		for _, o := range objs {
			got = append(got, o.value)
		}
	}
	for p, v := range n.Props {
		if graph.Props[p] == graph.PropTime {
			v += ":00"
		}
		if !slices.Contains(got, v) {
			t.Errorf("<%s> property %s: got no object %q, want one", s, p, v)
		}
	}
}

// reifications returns each rdf:Statement as "subject predicate object
// source quote dataset", sorted.
func reifications(ix triples) []string {
	var out []string
	for subj := range ix {
		if !slices.Contains(ix.objects(subj, rdfNS+"type"), "<"+rdfNS+"Statement>") {
			continue
		}
		one := func(p string) string {
			if objs := ix[subj][p]; len(objs) == 1 {
				return objs[0].value
			}
			return ""
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %q %s", one(rdfNS+"subject"), one(rdfNS+"predicate"), one(rdfNS+"object"),
			one(tgNS+"source"), one(tgNS+"quote"), one(tgNS+"dataset")))
	}
	slices.Sort(out)
	return out
}

func wantReifications(edges []graph.Edge) []string {
	var out []string
	for _, e := range edges {
		for _, ev := range e.Evidence {
			out = append(out, fmt.Sprintf("%s %s %s %s %q %s", idNS+e.From, tgNS+e.Type, idNS+e.To, idNS+ev.Source, ev.Quote, ev.Dataset))
		}
	}
	slices.Sort(out)
	return out
}

func TestRDFGolden(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, os.DirFS(setsDir), "sets"))
	testdb.Golden(t, "testdata/golden/tricky.nq", render(t, export.NQuads, tx))
	testdb.Golden(t, "testdata/golden/tricky.jsonld", render(t, export.JSONLD, tx))
}

// TestRDFBase checks that --base moves every talkgraph IRI and nothing
// else, and that a base that cannot prefix IRIs is refused.
func TestRDFBase(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, os.DirFS(setsDir), "sets"))
	for _, c := range []struct {
		name, base string
		ok         bool
	}{
		{"https", "https://example.org/kg/", true},
		{"urn", "urn:example:kg/", true},
		{"relative", "kg/", false},
		{"no slash", "https://example.org/kg", false},
		{"ends with #", "https://example.org/kg#", false},
		{"fragment", "https://example.org/kg#x/", false},
		{"query", "https://example.org/kg?x=/", false},
		{"space", "https://example.org/k g/", false},
		{"angle bracket", "https://example.org/<kg>/", false},
	} {
		for _, f := range []export.Format{export.NQuads, export.JSONLD} {
			t.Run(c.name+"/"+string(f), func(t *testing.T) {
				var b bytes.Buffer
				err := export.WriteOptions(&b, f, tx, export.Options{Base: c.base})
				if !c.ok {
					if !errors.Is(err, graph.ErrInvalid) {
						t.Errorf("base %q: got %v, want an error wrapping ErrInvalid", c.base, err)
					}
					return
				}
				if err != nil {
					t.Fatalf("base %q: got %v, want no error", c.base, err)
				}
				if strings.Contains(b.String(), export.DefaultBase) || !strings.Contains(b.String(), c.base+"id/") {
					t.Errorf("base %q: got the default base or not the given one in the output", c.base)
				}
			})
		}
	}
}

// rdflibSummary is what testdata/rdflib/check.py prints.
type rdflibSummary struct {
	Triples    int            `json:"triples"`
	Types      map[string]int `json:"types"`
	Statements [][]string     `json:"statements"`
}

// TestRDFWithRdflib has rdflib, an RDF library nobody here wrote, parse the
// N-Quads and the JSON-LD, find them the same graph, and report the classes
// and reified evidence it read, which the test compares with the store.
func TestRDFWithRdflib(t *testing.T) {
	python := rdflibPython(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			dir := t.TempDir()
			nq, jsonld := filepath.Join(dir, "graph.nq"), filepath.Join(dir, "graph.jsonld")
			nqText := render(t, export.NQuads, tx)
			writeFile(t, nq, nqText)
			writeFile(t, jsonld, render(t, export.JSONLD, tx))
			cmd := exec.Command(python, filepath.Join("testdata", "rdflib", "check.py"), nq, jsonld)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("rdflib: got %v: %s, want both files read as one graph", err, stderr.String())
			}
			var got rdflibSummary
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("rdflib summary: %v in %q", err, out)
			}
			nodes, edges := contents(t, tx)
			checkRdflibSummary(t, got, nodes, edges, distinctStatements(t, nqText))
		})
	}
}

func checkRdflibSummary(t *testing.T, got rdflibSummary, nodes []*graph.Node, edges []graph.Edge, triples int) {
	t.Helper()
	if got.Triples != triples {
		t.Errorf("triples: rdflib read %d, want the %d distinct statements of the file", got.Triples, triples)
	}
	want := map[string]int{rdfNS + "Statement": evidenceCount(edges), tgNS + "Evidence": evidenceCount(edges)}
	for _, n := range nodes {
		for _, c := range schemaClasses[n.Kind] {
			want[schemaNS+c]++
		}
	}
	for class, n := range want {
		if got.Types[class] != n {
			t.Errorf("subjects of type <%s>: rdflib read %d, want %d", class, got.Types[class], n)
		}
	}
	var gotSt []string
	for _, s := range got.Statements {
		gotSt = append(gotSt, fmt.Sprintf("%s %s %s %s %q %s", s[0], s[1], s[2], s[3], s[4], s[5]))
	}
	slices.Sort(gotSt)
	if wantSt := wantReifications(edges); !slices.Equal(gotSt, wantSt) {
		t.Errorf("reified evidence: rdflib read %q, want %q", gotSt, wantSt)
	}
}

func distinctStatements(t *testing.T, doc []byte) int {
	t.Helper()
	seen := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			seen[line] = true
		}
	}
	return len(seen)
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rdflibPython returns Debian's python3 when it can import rdflib (the
// python3 on PATH may be another one). Otherwise the test is skipped,
// except under CI=true, where it fails.
func rdflibPython(t *testing.T) string {
	t.Helper()
	const python = "/usr/bin/python3"
	out, err := exec.Command(python, "-c", "import rdflib; print(rdflib.__version__)").CombinedOutput()
	if err == nil {
		t.Logf("rdflib %s", bytes.TrimSpace(out))
		return python
	}
	msg := fmt.Sprintf("%s cannot import rdflib (%v): install Debian's python3-rdflib (apt-get install -y python3-rdflib)", python, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
