package graph_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// seedFiles seeds data set set holding only the given files.
func seedFiles(t *testing.T, s *graph.Store, set string, files ...graph.SeedFile) {
	t.Helper()
	w, err := s.BeginDataset(context.Background(), set)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := w.PutFile(f.Name, f.Data); err != nil {
			w.Abort()
			t.Fatal(err)
		}
	}
	if err := w.Commit(graph.DatasetInfo{}); err != nil {
		t.Fatal(err)
	}
}

func datasetFiles(t *testing.T, s *graph.Store, set string) []graph.SeedFile {
	t.Helper()
	files, err := testdb.Begin(t, s).DatasetFiles(set)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDatasetFiles: a data set keeps its seed files as seeded, large ones
// in parts; a new seed replaces them, a drop deletes them, and another
// data set's stay.
func TestDatasetFiles(t *testing.T) {
	s := testdb.Open(t)
	big := bytes.Repeat([]byte("nodes: []\n# padding\n"), 3<<16/20+7) // over 3 parts
	a := graph.SeedFile{Name: "a.yaml", Data: big}
	b := graph.SeedFile{Name: "b.yaml", Data: []byte("edges: []\n")}
	empty := graph.SeedFile{Name: "c.yaml", Data: []byte{}}
	seedFiles(t, s, "one", a, b, empty)
	seedFiles(t, s, "two", b)
	same := func(got []graph.SeedFile, want ...graph.SeedFile) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("files: got %d, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i].Name != want[i].Name || !bytes.Equal(got[i].Data, want[i].Data) {
				t.Errorf("file %d: got %s (%d bytes), want %s (%d bytes)", i, got[i].Name, len(got[i].Data), want[i].Name, len(want[i].Data))
			}
		}
	}
	same(datasetFiles(t, s, "one"), a, b, empty)
	seedFiles(t, s, "one", b)
	same(datasetFiles(t, s, "one"), b)
	if err := s.RemoveDataset(context.Background(), "one"); err != nil {
		t.Fatal(err)
	}
	same(datasetFiles(t, s, "one"))
	same(datasetFiles(t, s, "two"), b)
}
