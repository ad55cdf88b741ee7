package graph_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/talkgraph/talkgraph/graph"
)

// checkBlocks fails the test when the posting blocks differ from the
// postings.
func checkBlocks(t *testing.T, s *graph.Store, step string) {
	t.Helper()
	if err := s.CheckPostingBlocks(context.Background()); err != nil {
		t.Fatalf("after %s: %v", step, err)
	}
}

// TestPostingBlocksFollowWrites: after every kind of write (a seed, a
// second data set sharing nodes, a re-seed that changes and drops texts,
// mutations that rewrite and delete nodes, a data set removed), the blocks
// hold exactly the postings, and the search finds what the texts hold;
// whether a seed's spool stays in memory or is sorted in many runs.
func TestPostingBlocksFollowWrites(t *testing.T) {
	for _, budget := range []int{64 << 20, 16 << 10} {
		t.Run(fmt.Sprintf("budget=%d", budget), func(t *testing.T) {
			defer graph.SetSpoolBudget(graph.SetSpoolBudget(budget))
			postingBlocksFollowWrites(t)
		})
	}
}

func postingBlocksFollowWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	nodes := corpus(21, 300)
	s := MustOpen(t)
	seedSet(t, s, "a", nodes, nil, nil)
	checkBlocks(t, s, "a first seed")

	other := corpus(22, 300)[:60] // the same ids, other texts
	seedSet(t, s, "b", other, nil, nil)
	checkBlocks(t, s, "a second data set sharing 60 nodes")

	again := slices.Clone(nodes)
	fresh := corpus(23, 300)
	for i := range again {
		if r.IntN(3) == 0 {
			again[i].Description = fresh[i].Description
		}
	}
	again = slices.DeleteFunc(again, func(graph.Node) bool { return r.IntN(10) == 0 })
	seedSet(t, s, "a", again, nil, nil)
	checkBlocks(t, s, "a re-seed changing a third of the texts and dropping a tenth")

	err := s.Mutate(context.Background(), func(m *graph.Mutation) error {
		for i := 100; i < 120; i++ {
			n := fresh[i]
			n.Name = "Renamed zebra " + n.ID
			n.Description = map[string]string{"en": n.Description["en"]}
			if _, err := m.UpsertNode("a", &n); err != nil {
				return err
			}
		}
		n := graph.Node{ID: "new-zebra", Kind: graph.KindConcept, Name: "Zebra zebra", Description: map[string]string{"en": "zebra raft"}}
		if _, err := m.UpsertNode("api", &n); err != nil {
			return err
		}
		return m.DeleteNode(again[len(again)-1].ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, s, "mutations")
	tx := begin(t, s)
	hits, err := tx.Search("zebra", []string{"en"}, nil, 1)
	if err != nil || len(hits) != 1 || hits[0].ID != "new-zebra" {
		t.Errorf("search zebra after the mutations: got %v %v, want new-zebra first", hits, err)
	}

	if err := s.RemoveDataset(context.Background(), "b"); err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, s, "removing the second data set")
	if err := s.RemoveDataset(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, s, "removing the first data set")
}

// TestCheckPostingBlocksFindsDamage: a block that lost, gained or changed a
// posting is reported.
func TestCheckPostingBlocksFindsDamage(t *testing.T) {
	cases := []struct {
		name   string
		damage func(v []byte) []byte
	}{
		{"a posting lost", func(v []byte) []byte { return v[6:] }},
		{"a posting gained", func(v []byte) []byte {
			return append(binary.BigEndian.AppendUint16(nil, 1023), append([]byte{0, 1, 0, 1}, v...)...)
		}},
		{"a frequency changed", func(v []byte) []byte {
			v = slices.Clone(v)
			v[3]++
			return v
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t)
			seedSet(t, s, "a", corpus(31, 40), nil, nil)
			checkBlocks(t, s, "the seed")
			db := graph.RawDB(s)
			// The first block of the store, rewritten above every version.
			txn := db.NewTransactionAt(math.MaxUint64-1, true)
			defer txn.Discard()
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("p")})
			it.Rewind()
			k := it.Item().KeyCopy(nil)
			v, err := it.Item().ValueCopy(nil)
			it.Close()
			if err != nil {
				t.Fatal(err)
			}
			if err := txn.Set(k, tc.damage(v)); err != nil {
				t.Fatal(err)
			}
			if err := txn.CommitAt(math.MaxUint64-1, nil); err != nil {
				t.Fatal(err)
			}
			if err := s.CheckPostingBlocks(context.Background()); err == nil {
				t.Errorf("got no error, want the damage reported")
			}
		})
	}
}
