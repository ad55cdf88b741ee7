package graph_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// TestSeedIsAtomicForReaders checks that a reader never sees part of a seed:
// before Commit it sees the old content, after it the new, and a reader that
// began before keeps its snapshot.
func TestSeedIsAtomicForReaders(t *testing.T) {
	s := fixtureStore(t)
	ctx := context.Background()
	w, err := s.BeginDataset(ctx, "main")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range fixtureNodes[:3] { // the new content: three nodes, no edges
		if err := w.PutNode(&n); err != nil {
			t.Fatal(err)
		}
	}
	during := s.Begin(ctx)
	defer during.Discard()
	if _, err := during.Node("lonely"); err != nil {
		t.Errorf("during the seed: got %v, want the old node still there", err)
	}
	if err := w.Commit(graph.DatasetInfo{}); err != nil {
		t.Fatal(err)
	}
	after := s.Begin(ctx)
	defer after.Discard()
	for _, c := range []struct {
		name string
		tx   *graph.Tx
		want bool
	}{{"reader from before the commit", during, true}, {"reader from after", after, false}} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.tx.Node("lonely")
			if got := err == nil; got != c.want {
				t.Errorf("lonely present: got %v, want %v (%v)", got, c.want, err)
			}
			ids, err := c.tx.IDs(graph.KindConcept, 0, -1)
			if err != nil {
				t.Fatal(err)
			}
			if c.want && len(ids) == 0 {
				t.Errorf("concepts: got none, want the old ones")
			}
		})
	}
}

func TestAbortLeavesStoreAsItWas(t *testing.T) {
	s := fixtureStore(t)
	before := testdb.Dump(t, s)
	w, err := s.BeginDataset(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	n := graph.Node{ID: "intruder", Kind: graph.KindTool, Name: "Intruder"}
	if err := w.PutNode(&n); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if got := testdb.Dump(t, s); !maps.Equal(got, before) {
		t.Errorf("store changed by an aborted seed: got %d keys, want %d", len(got), len(before))
	}
	// The writer lock is free again.
	seedSet(t, s, "main", fixtureNodes, fixtureEdges, nil)
}

// TestOpenRollsBackUnpublishedWrites simulates a writer killed before it
// published: versions above the published one are in the database. Open
// must roll them back, so the content is exactly what it was.
func TestOpenRollsBackUnpublishedWrites(t *testing.T) {
	dir := t.TempDir()
	s := graph.NewStore(dir)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	seedSet(t, s, "main", fixtureNodes, fixtureEdges, nil)
	before := testdb.Dump(t, s)
	ts := graph.RawDB(s).MaxVersion() + 1
	wb := graph.RawDB(s).NewWriteBatchAt(ts)
	for _, k := range []string{"nkafka", "nintruder", "kconcept\x00lonely"} {
		if err := wb.Set([]byte(k), []byte("garbage")); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Delete([]byte("nlinkedin")); err != nil {
		t.Fatal(err)
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = graph.NewStore(dir)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := testdb.Dump(t, s); !maps.Equal(got, before) {
		for k, v := range got {
			if before[k] != v {
				t.Errorf("key %q: got %q, want %q", k, v, before[k])
			}
		}
		for k := range before {
			if _, ok := got[k]; !ok {
				t.Errorf("key %q: missing after rollback", k)
			}
		}
	}
	tx := s.Begin(context.Background())
	defer tx.Discard()
	if _, err := tx.Node("intruder"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unpublished node: got %v, want ErrNotFound", err)
	}
}

// TestOpenAfterCrashLeftEmptyFiles: a process killed right after creating a
// value log or a memtable log leaves an empty file, which Badger alone
// cannot open ("Create a new file").
func TestOpenAfterCrashLeftEmptyFiles(t *testing.T) {
	for _, name := range []string{"000099.vlog", "00099.mem"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := graph.NewStore(dir)
			if err := s.Open(); err != nil {
				t.Fatal(err)
			}
			seedSet(t, s, "main", fixtureNodes, fixtureEdges, nil)
			want := testdb.Dump(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			s = graph.NewStore(dir)
			if err := s.Open(); err != nil {
				t.Fatalf("open: got %v, want the database back", err)
			}
			defer s.Close()
			if got := testdb.Dump(t, s); !maps.Equal(got, want) {
				t.Errorf("content changed: got %d keys, want %d", len(got), len(want))
			}
		})
	}
}
