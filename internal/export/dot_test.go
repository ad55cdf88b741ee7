package export_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// TestDOTGraphviz feeds the DOT to Graphviz (dot -Tsvg) and counts the
// nodes and edges of the SVG it draws.
func TestDOTGraphviz(t *testing.T) {
	dot := tool(t, "dot", "graphviz")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			nodes, edges := contents(t, tx)
			cmd := exec.Command(dot, "-Tsvg")
			cmd.Stdin = bytes.NewReader(render(t, export.DOT, tx))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			svg, err := cmd.Output()
			if err != nil || stderr.Len() > 0 {
				t.Fatalf("dot -Tsvg: got %v and %q, want an SVG and no warning", err, stderr.String())
			}
			drawn, err := svgShapes(svg)
			if err != nil {
				t.Fatalf("SVG: got %v, want well-formed XML", err)
			}
			if got, want := [2]int{len(drawn["node"]), len(drawn["edge"])}, [2]int{len(nodes), len(edges)}; got != want {
				t.Errorf("SVG nodes, edges: got %v, want %v", got, want)
			}
			for _, n := range nodes {
				if got := drawn["node"][n.ID]; !strings.ContainsRune(n.Name, '\n') && got != n.Name {
					t.Errorf("label of %s: got %q, want %q", n.ID, got, n.Name)
				}
			}
		})
	}
}

// svgShapes returns, by class ("node" or "edge"), the text of each <g> that
// Graphviz draws, by its title (a node's id) or, for an edge, its title
// ("from->to") and text.
func svgShapes(svg []byte) (map[string]map[string]string, error) {
	out := map[string]map[string]string{"node": {}, "edge": {}}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = false // the DOCTYPE names an external DTD
	var class, title, text, in string
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if class != "" {
				depth++
				in = tok.Name.Local
			} else if tok.Name.Local == "g" && (attr(tok, "class") == "node" || attr(tok, "class") == "edge") {
				class, title, text, depth = attr(tok, "class"), "", "", 0
			}
		case xml.CharData:
			if in == "title" && title == "" {
				title = string(tok)
			} else if in == "text" {
				text += string(tok)
			}
		case xml.EndElement:
			switch {
			case class == "edge" && depth == 0:
				out[class][title+" "+text] = text // two types may join the same pair
				class = ""
			case class != "" && depth == 0:
				out[class][title] = text
				class = ""
			case class != "":
				depth--
				in = ""
			}
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestDOTGolden(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, os.DirFS(setsDir), "sets"))
	t.Run("all", func(t *testing.T) {
		testdb.Golden(t, "testdata/golden/tricky.dot", render(t, export.DOT, tx))
	})
	t.Run("focus", func(t *testing.T) {
		g, err := export.Neighbourhood(tx, "tool-y", 1)
		if err != nil {
			t.Fatal(err)
		}
		testdb.Golden(t, "testdata/golden/tricky-focus.dot", render(t, export.DOT, g))
	})
}

// TestDOTFocusGraphviz checks that a focused export draws too.
func TestDOTFocusGraphviz(t *testing.T) {
	dot := tool(t, "dot", "graphviz")
	tx := testdb.Begin(t, testdb.SeededFrom(t, cases[0].fsys, cases[0].display))
	g, err := export.Neighbourhood(tx, "kafka", 2)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = bytes.NewReader(render(t, export.DOT, g))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("dot -Tsvg: got %v, want an SVG:\n%s", err, out)
	}
}
