package export_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/seeds"
)

// setsDir holds two small data sets whose text is hard to escape, and an
// edge both of them assert.
const setsDir = "testdata/sets"

// cases are the data every format is tested on: the embedded dotScale 2017
// set, and the tricky sets of testdata.
var cases = []struct {
	name    string
	fsys    fs.FS
	display string
}{
	{"dotscale", seeds.DotScale(), "seeds"},
	{"tricky", os.DirFS(setsDir), "sets"},
}

// render writes src in format f.
func render(tb testing.TB, f export.Format, src export.Source) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := export.Write(&b, f, src); err != nil {
		tb.Fatalf("export %s: %v", f, err)
	}
	return b.Bytes()
}

// contents reads every node and edge of src.
func contents(tb testing.TB, src export.Source) ([]*graph.Node, []graph.Edge) {
	tb.Helper()
	var nodes []*graph.Node
	var edges []graph.Edge
	if err := src.EachNode(func(n *graph.Node) error { nodes = append(nodes, n); return nil }); err != nil {
		tb.Fatal(err)
	}
	if err := src.EachEdge(func(e graph.Edge) error { edges = append(edges, e); return nil }); err != nil {
		tb.Fatal(err)
	}
	return nodes, edges
}

func evidenceCount(edges []graph.Edge) int {
	n := 0
	for _, e := range edges {
		n += len(e.Evidence)
	}
	return n
}

// tool returns the path of an external program the test needs. When it is
// missing the test is skipped, except under CI=true, where it fails.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := name + " not found: install Debian's " + pkg + " (apt-get install -y " + pkg + ")"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
