package graph_test

import (
	"context"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// downgrade turns a format 6 database into what format 5 wrote, or what an
// upgrade killed midway left: version 5, and of the posting blocks only
// those keep keeps (keep nil: none, nor the node numbers).
func downgrade(t *testing.T, s *graph.Store, keep func(k []byte) bool) {
	t.Helper()
	db := graph.RawDB(s)
	ts := db.MaxVersion() + 1
	txn := db.NewTransactionAt(ts, true)
	defer txn.Discard()
	var del [][]byte
	it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: false})
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().KeyCopy(nil)
		derived := k[0] == 'p' || k[0] == 'x' || k[0] == 'X' || string(k) == "!nums"
		if derived && (keep == nil || !keep(k)) {
			del = append(del, k)
		}
	}
	it.Close()
	for _, k := range del {
		if err := txn.Delete(k); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range map[string][]byte{
		"!version":   binary.BigEndian.AppendUint32(nil, 5),
		"!published": binary.BigEndian.AppendUint64(nil, ts),
	} {
		if err := txn.Set([]byte(k), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := txn.CommitAt(ts, nil); err != nil {
		t.Fatal(err)
	}
}

// TestOpenUpgradesFormat5: a format 5 database, or one whose upgrade was
// killed midway, opens as format 6 with the posting blocks its postings
// give, and searches as before.
func TestOpenUpgradesFormat5(t *testing.T) {
	cases := []struct {
		name string
		keep func(k []byte) bool
	}{
		{"format 5", nil},
		{"an upgrade killed after publishing the blocks", func([]byte) bool { return true }},
		{"an upgrade killed with some blocks written", func(k []byte) bool { return k[0] != 'p' || k[len(k)-1]%2 == 0 || len(k)%3 == 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := graph.NewStore(dir)
			if err := s.Open(); err != nil {
				t.Fatal(err)
			}
			seedSet(t, s, "a", corpus(41, 200), nil, nil)
			search := func(s *graph.Store) []graph.SearchHit {
				tx := s.Begin(context.Background())
				defer tx.Discard()
				hits, err := tx.Search("latency stream kafka cache", nil, nil, 20)
				if err != nil {
					t.Fatal(err)
				}
				return hits
			}
			want := search(s)
			downgrade(t, s, tc.keep)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			again := testdb.OpenDir(t, dir)
			if v, err := readVersion(t, again); err != nil || v != graph.FormatVersion {
				t.Errorf("version after the upgrade: got %d (%v), want %d", v, err, graph.FormatVersion)
			}
			checkBlocks(t, again, "the upgrade")
			if got := search(again); !slices.Equal(got, want) {
				t.Errorf("search after the upgrade:\ngot  %v\nwant %v", got, want)
			}
		})
	}
}

// TestUpgradeDropsBlocksOfTermsWithoutPostings: an upgrade killed after
// publishing the blocks leaves format 5, which a format 5 release still
// writes; a term whose postings it deleted meanwhile must not keep its
// blocks when the upgrade runs again.
func TestUpgradeDropsBlocksOfTermsWithoutPostings(t *testing.T) {
	for _, term := range []string{"zebra", "latency"} {
		t.Run(term, func(t *testing.T) {
			dir := t.TempDir()
			s := graph.NewStore(dir)
			if err := s.Open(); err != nil {
				t.Fatal(err)
			}
			seedSet(t, s, "a", corpus(47, 120), nil, nil)
			downgrade(t, s, func([]byte) bool { return true })
			// What a format 5 writer does to a term: its postings go, and
			// the blocks it does not know of stay.
			db := graph.RawDB(s)
			ts := db.MaxVersion() + 1
			txn := db.NewTransactionAt(ts, true)
			var del [][]byte
			for _, p := range []string{"ten\x00" + term + "\x00", "fa\x00en\x00" + term} {
				it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(p)})
				for it.Rewind(); it.Valid(); it.Next() {
					del = append(del, it.Item().KeyCopy(nil))
				}
				it.Close()
			}
			if len(del) == 0 {
				t.Fatalf("no postings of %s", term)
			}
			for _, k := range del {
				if err := txn.Delete(k); err != nil {
					t.Fatal(err)
				}
			}
			if err := txn.Set([]byte("!published"), binary.BigEndian.AppendUint64(nil, ts)); err != nil {
				t.Fatal(err)
			}
			if err := txn.CommitAt(ts, nil); err != nil {
				t.Fatal(err)
			}
			txn.Discard()
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			again := testdb.OpenDir(t, dir)
			checkBlocks(t, again, "the upgrade")
		})
	}
}
