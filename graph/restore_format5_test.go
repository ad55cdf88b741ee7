package graph_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// TestRestoreFormat5Backup: a backup a format 5 release wrote (Badger's
// stream of a format 5 database) restores like a format 5 database opens:
// upgraded in place, with the posting blocks its postings give.
func TestRestoreFormat5Backup(t *testing.T) {
	cases := []struct {
		name string
		dst  func(t *testing.T) *graph.Store
	}{
		{"on disk", func(t *testing.T) *graph.Store { return testdb.OpenDir(t, t.TempDir()) }},
		{"in memory", func(t *testing.T) *graph.Store {
			s := graph.NewStore("")
			s.InMemory = true
			if err := s.Open(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := MustOpen(t)
			seedSet(t, src, "a", corpus(43, 150), nil, nil)
			search := func(s *graph.Store) []graph.SearchHit {
				tx := s.Begin(context.Background())
				defer tx.Discard()
				hits, err := tx.Search("latency stream kafka", nil, nil, 15)
				if err != nil {
					t.Fatal(err)
				}
				return hits
			}
			want := search(src)
			downgrade(t, src, nil)
			var backup bytes.Buffer
			db := graph.RawDB(src)
			if _, err := db.NewStreamAt(db.MaxVersion()).Backup(&backup, 0); err != nil {
				t.Fatal(err)
			}
			dst := tc.dst(t)
			if _, err := dst.Restore(context.Background(), &backup, false); err != nil {
				t.Fatalf("restore a format 5 backup: got %v, want no error", err)
			}
			if v, err := readVersion(t, dst); err != nil || v != graph.FormatVersion {
				t.Errorf("version after the restore: got %d (%v), want %d", v, err, graph.FormatVersion)
			}
			checkBlocks(t, dst, "the restore")
			if got := search(dst); !slices.Equal(got, want) {
				t.Errorf("search after the restore:\ngot  %v\nwant %v", got, want)
			}
		})
	}
}
