package export_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// graphmlXSD is the GraphML 1.0 schema (structure, attributes and
// parseinfo in one file, importing xlink.xsd), taken from Debian's
// libjgrapht-java: see testdata/graphml/README.md.
const graphmlXSD = "testdata/graphml/graphml.xsd"

// TestGraphMLSchema validates the GraphML against the GraphML XSD with
// xmllint: elements, attribute types (ids are NMTOKENs) and the key
// references (every edge's source and target is a node, every data's key
// is declared).
func TestGraphMLSchema(t *testing.T) {
	xmllint := tool(t, "xmllint", "libxml2-utils")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			file := filepath.Join(t.TempDir(), "graph.graphml")
			if err := os.WriteFile(file, render(t, export.GraphML, tx), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", graphmlXSD, file).CombinedOutput()
			if err != nil {
				t.Errorf("xmllint: got %v, want a valid document:\n%s", err, out)
			}
		})
	}
}

// graphmlDoc is what TestGraphMLContent reads back.
type graphmlDoc struct {
	Keys []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
	} `xml:"key"`
	Nodes []struct {
		ID   string        `xml:"id,attr"`
		Data []graphmlData `xml:"data"`
	} `xml:"graph>node"`
	Edges []struct {
		ID     string        `xml:"id,attr"`
		Source string        `xml:"source,attr"`
		Target string        `xml:"target,attr"`
		Data   []graphmlData `xml:"data"`
	} `xml:"graph>edge"`
}

type graphmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// TestGraphMLContent reads the GraphML back with encoding/xml and checks
// that every value comes back as it was.
func TestGraphMLContent(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			var doc graphmlDoc
			if err := xml.Unmarshal(render(t, export.GraphML, tx), &doc); err != nil {
				t.Fatalf("parse: got %v, want well-formed XML", err)
			}
			nodes, edges := contents(t, tx)
			if len(doc.Nodes) != len(nodes) || len(doc.Edges) != len(edges) {
				t.Fatalf("nodes, edges: got %d, %d, want %d, %d", len(doc.Nodes), len(doc.Edges), len(nodes), len(edges))
			}
			keys := map[string]string{}
			for _, k := range doc.Keys {
				keys[k.ID] = k.Name
			}
			for i, n := range nodes {
				got := dataMap(doc.Nodes[i].Data, keys)
				checkValue(t, n.ID+" name", got["name"], n.Name)
				checkValue(t, n.ID+" kind", got["kind"], string(n.Kind))
				checkValue(t, n.ID+" dataset", got["dataset"], n.Dataset)
				for l, d := range n.Description {
					checkValue(t, n.ID+" description_"+l, got["description_"+l], d)
				}
				for p, v := range n.Props {
					checkValue(t, n.ID+" "+p, got[p], v)
				}
			}
			for i, e := range edges {
				d := doc.Edges[i]
				if want := e.From + ":" + e.Type + ":" + e.To; d.ID != want || d.Source != e.From || d.Target != e.To {
					t.Errorf("edge %d: got id %s from %s to %s, want id %s from %s to %s", i, d.ID, d.Source, d.Target, want, e.From, e.To)
				}
				got := dataMap(d.Data, keys)
				checkValue(t, d.ID+" type", got["type"], e.Type)
				checkValue(t, d.ID+" quote", got["quote"], e.Evidence[0].Quote)
			}
		})
	}
}

func dataMap(data []graphmlData, keys map[string]string) map[string]string {
	m := map[string]string{}
	for _, d := range data {
		m[keys[d.Key]] = d.Value
	}
	return m
}

// checkValue compares a value read back from XML with the stored one, in
// which the characters XML 1.0 cannot hold stand as U+FFFD.
func checkValue(t *testing.T, what, got, stored string) {
	t.Helper()
	want := strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return unicode.ReplacementChar
		}
		return r
	}, stored)
	if got != want {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// TestGraphMLKeys checks the attributes the GraphML declares, which the
// tools that read it show by name.
func TestGraphMLKeys(t *testing.T) {
	var doc graphmlDoc
	if err := xml.Unmarshal(render(t, export.GraphML, &export.Subgraph{}), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, k := range doc.Keys {
		got[k.For+"/"+k.Name] = true
	}
	want := []string{"node/label", "node/kind", "node/name", "node/aliases", "node/description_en",
		"node/description_fr", "node/dataset", "edge/label", "edge/type", "edge/evidence", "edge/quote", "edge/source"}
	for p := range graph.Props {
		want = append(want, "node/"+p)
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("key %s: got none, want it declared", w)
		}
	}
	if len(doc.Keys) != len(want) {
		t.Errorf("keys: got %d, want %d", len(doc.Keys), len(want))
	}
}

func TestGraphMLGolden(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, os.DirFS(setsDir), "sets"))
	out := render(t, export.GraphML, tx)
	if !bytes.Contains(out, []byte("&lt;script&gt;")) {
		t.Errorf("escaping: got no &lt;script&gt;, want the name's markup escaped")
	}
	testdb.Golden(t, "testdata/golden/tricky.graphml", out)
}
