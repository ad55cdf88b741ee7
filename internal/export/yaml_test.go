package export_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// readTree returns every file under dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// exportYAML writes store's YAML export into a new directory.
func exportYAML(t *testing.T, store *graph.Store) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := export.WriteYAML(dir, testdb.Begin(t, store), false); err != nil {
		t.Fatalf("export yaml: %v", err)
	}
	return dir
}

// withoutPlaces drops what depends on the files the data came from: the
// file and line of nodes and evidence.
func withoutPlaces(nodes []*graph.Node, edges []graph.Edge) ([]graph.Node, []graph.Edge) {
	ns := make([]graph.Node, len(nodes))
	for i, n := range nodes {
		ns[i] = *n
		ns[i].File, ns[i].Line = "", 0
	}
	es := make([]graph.Edge, len(edges))
	for i, e := range edges {
		es[i] = e
		es[i].Evidence = slices.Clone(e.Evidence)
		for j := range es[i].Evidence {
			es[i].Evidence[j].File, es[i].Evidence[j].Line = "", 0
		}
	}
	return ns, es
}

// TestYAMLRoundTrip exports seed files, seeds them into a fresh store and
// exports again: the two trees are byte for byte the same, and the second
// store holds the same nodes and edges, evidence included.
func TestYAMLRoundTrip(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			first := testdb.SeededFrom(t, c.fsys, c.display)
			dir1 := exportYAML(t, first)
			second := testdb.SeededFrom(t, os.DirFS(dir1), "export")
			dir2 := exportYAML(t, second)
			tree1, tree2 := readTree(t, dir1), readTree(t, dir2)
			if got, want := slices.Sorted(maps.Keys(tree2)), slices.Sorted(maps.Keys(tree1)); !slices.Equal(got, want) {
				t.Fatalf("files of the second export: got %v, want %v", got, want)
			}
			for name, b := range tree1 {
				if !bytes.Equal(tree2[name], b) {
					t.Errorf("%s: got different bytes on the second cycle, want the same:\n%s\n---\n%s", name, tree2[name], b)
				}
			}
			n1, e1 := withoutPlaces(contents(t, testdb.Begin(t, first)))
			n2, e2 := withoutPlaces(contents(t, testdb.Begin(t, second)))
			if i := firstDiff(n2, n1); i >= 0 {
				t.Errorf("node %d after the round trip: got %+v, want %+v", i, at(n2, i), at(n1, i))
			}
			if i := firstDiff(e2, e1); i >= 0 {
				t.Errorf("edge %d after the round trip: got %+v, want %+v", i, at(e2, i), at(e1, i))
			}
		})
	}
}

// firstDiff returns the index of the first element where got and want
// differ, or -1 when they are equal.
func firstDiff[T any](got, want []T) int {
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) || !reflect.DeepEqual(got[i], want[i]) {
			return i
		}
	}
	return -1
}

// at returns s[i], or nil past the end.
func at[T any](s []T, i int) any {
	if i < len(s) {
		return s[i]
	}
	return nil
}

// filelessSource is a Source that keeps no seed files: its data sets are
// written afresh, as those made through the API are.
type filelessSource struct{ export.Source }

// TestYAMLGolden pins the seed files written afresh for the tricky sets:
// an edge two sets assert is written in both, each with its own evidence.
func TestYAMLGolden(t *testing.T) {
	files, err := export.YAMLFiles(filelessSource{testdb.Begin(t, testdb.SeededFrom(t, os.DirFS(setsDir), "sets"))})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"alpha/edges.yaml", "alpha/person.yaml", "alpha/source.yaml", "alpha/talk.yaml",
		"alpha/tool.yaml", "beta/edges.yaml", "beta/source.yaml"}
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, want) {
		t.Fatalf("files: got %v, want %v", got, want)
	}
	for _, name := range want {
		t.Run(name, func(t *testing.T) { testdb.Golden(t, "testdata/golden/yaml/"+name, files[name]) })
	}
}

// TestYAMLSplit checks that a long list is split into numbered files, each
// within MaxItemsPerFile, that the loader reads back.
func TestYAMLSplit(t *testing.T) {
	const count = 2*export.MaxItemsPerFile + 1
	g := &export.Subgraph{}
	for i := range count {
		g.Nodes = append(g.Nodes, &graph.Node{ID: fmt.Sprintf("c%05d", i), Kind: graph.KindConcept, Name: fmt.Sprintf("Concept %d", i), Dataset: "big"})
	}
	files, err := export.YAMLFiles(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file  string
		items int
	}{
		{"big/concept-001.yaml", export.MaxItemsPerFile},
		{"big/concept-002.yaml", export.MaxItemsPerFile},
		{"big/concept-003.yaml", 1},
	} {
		t.Run(c.file, func(t *testing.T) {
			if got := strings.Count(string(files[c.file]), "\n  - id: "); got != c.items {
				t.Errorf("items: got %d, want %d", got, c.items)
			}
		})
	}
	if len(files) != 3 {
		t.Errorf("files: got %v, want 3", slices.Sorted(maps.Keys(files)))
	}
	dir := t.TempDir()
	if _, err := export.WriteYAML(dir, g, false); err != nil {
		t.Fatal(err)
	}
	st, err := testdb.SeededFrom(t, os.DirFS(dir), "split").Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Nodes != count {
		t.Errorf("nodes seeded from the split files: got %d, want %d", st.Nodes, count)
	}
}

// TestWriteYAMLExisting checks what WriteYAML does with a directory that
// already holds files.
func TestWriteYAMLExisting(t *testing.T) {
	g := &export.Subgraph{Nodes: []*graph.Node{{ID: "x", Kind: graph.KindConcept, Name: "X", Dataset: "set"}}}
	for _, c := range []struct {
		name     string
		files    []string // present before the export
		force    bool
		wantErr  error
		wantKept []string // files that must still exist
		wantGone []string
	}{
		{"missing directory", nil, false, nil, []string{"set/concept.yaml"}, nil},
		{"other files", []string{"README.md", "set/notes.txt"}, false, nil, []string{"README.md", "set/notes.txt", "set/concept.yaml"}, nil},
		{"seed files", []string{"set/old.yaml"}, false, export.ErrExists, []string{"set/old.yaml"}, []string{"set/concept.yaml"}},
		{"seed files forced", []string{"set/old.yml", "set/notes.txt", "other/keep.yaml"}, true, nil,
			[]string{"set/concept.yaml", "set/notes.txt", "other/keep.yaml"}, []string{"set/old.yml"}},
		{"directory of one set", []string{"loose.yaml"}, true, errAny, []string{"loose.yaml"}, []string{"set/concept.yaml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			for _, f := range c.files {
				p := filepath.Join(dir, f)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("nodes: []\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := export.WriteYAML(dir, g, c.force)
			if (c.wantErr == nil) != (err == nil) || (c.wantErr != nil && c.wantErr != errAny && !errors.Is(err, c.wantErr)) {
				t.Errorf("error: got %v, want %v", err, c.wantErr)
			}
			for _, f := range c.wantKept {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("%s: got %v, want it there", f, err)
				}
			}
			for _, f := range c.wantGone {
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					t.Errorf("%s: got it there, want it absent", f)
				}
			}
		})
	}
}

// errAny stands for any error in a table.
var errAny = errors.New("any error")
