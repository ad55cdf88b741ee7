package graph_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// TestRestoreLive: a store in use takes a backup's content as one new
// version: a reader that began before reads the old content to its end,
// one that begins after reads the backup's, and the content hashes of the
// two stores agree; a damaged backup, or data without force, changes
// nothing.
func TestRestoreLive(t *testing.T) {
	ctx := context.Background()
	from := testdb.Seeded(t)
	var backup bytes.Buffer
	if err := from.Backup(ctx, &backup); err != nil {
		t.Fatal(err)
	}
	want, err := from.ContentHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, where := range []string{"on disk", "in memory"} {
		t.Run(where, func(t *testing.T) {
			s := testdb.Open(t)
			if where == "on disk" {
				s = graph.NewStore(filepath.Join(t.TempDir(), "db"))
				s.Analyzer = textindex.MustNew()
				if err := s.Open(); err != nil {
					t.Fatal(err)
				}
				defer s.Close()
			}
			seedSet(t, s, "main", fixtureNodes, fixtureEdges, nil)
			before, err := s.ContentHash(ctx)
			if err != nil {
				t.Fatal(err)
			}
			reader := s.Begin(ctx)
			defer reader.Discard()
			unchanged := func(what string) {
				t.Helper()
				if h, err := s.ContentHash(ctx); err != nil || h != before {
					t.Errorf("%s: content %s (%v), want it unchanged", what, h, err)
				}
			}
			if _, err := s.RestoreLive(ctx, bytes.NewReader(backup.Bytes()), false); !errors.Is(err, graph.ErrConflict) {
				t.Errorf("restore over data without force: got %v, want ErrConflict", err)
			}
			unchanged("refused without force")
			damaged := bytes.Clone(backup.Bytes())
			damaged[len(damaged)/2] ^= 0xff
			if _, err := s.RestoreLive(ctx, bytes.NewReader(damaged), true); !errors.Is(err, graph.ErrInvalid) {
				t.Errorf("a damaged backup: got %v, want ErrInvalid", err)
			}
			unchanged("a damaged backup")
			plain := testdb.OpenDir(t, filepath.Join(t.TempDir(), "plain"))
			if _, err := plain.RestoreLive(ctx, bytes.NewReader(backup.Bytes()), true); !errors.Is(err, graph.ErrVersion) {
				t.Errorf("a backup of another text analysis: got %v, want ErrVersion", err)
			}
			info, err := s.RestoreLive(ctx, bytes.NewReader(backup.Bytes()), true)
			if err != nil {
				t.Fatal(err)
			}
			if info.Checksum == "" {
				t.Errorf("checksum: got none, want the backup's verified")
			}
			if got, err := s.ContentHash(ctx); err != nil || got != want {
				t.Errorf("content after the restore: got %s (%v), want the backup's %s", got, err, want)
			}
			// The reader that began before still reads the old content.
			if _, err := reader.Node(fixtureNodes[0].ID); err != nil {
				t.Errorf("the old reader: node %s: %v, want it still there", fixtureNodes[0].ID, err)
			}
			after := testdb.Begin(t, s)
			if _, err := after.Node(fixtureNodes[0].ID); !errors.Is(err, graph.ErrNotFound) {
				t.Errorf("a new reader: node %s: got %v, want ErrNotFound", fixtureNodes[0].ID, err)
			}
			if hits, err := after.Search("kafka", nil, nil, 3); err != nil || len(hits) == 0 || hits[0].ID != "kafka" {
				t.Errorf("search after the restore: got %v (%v), want kafka first", hits, err)
			}
			if err := s.CheckPostingBlocks(ctx); err != nil {
				t.Errorf("posting blocks: %v", err)
			}
		})
	}
}
