package graph_test

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// TestPostingBlocksFollowOneMutation: one Mutation that writes a node
// several times, deletes and creates it again, in any order, leaves the
// blocks holding exactly the postings.
func TestPostingBlocksFollowOneMutation(t *testing.T) {
	node := func(id, text string) *graph.Node {
		return &graph.Node{ID: id, Kind: graph.KindConcept, Name: "Node " + id, Description: map[string]string{"en": text}}
	}
	type step struct {
		del  bool
		text string
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"change and change back", []step{{text: "kafka kafka stream"}, {text: "kafka stream"}}},
		{"delete and create again", []step{{del: true}, {text: "kafka stream"}}},
		{"delete, create, change", []step{{del: true}, {text: "raft"}, {text: "kafka kafka kafka"}}},
		{"change, delete", []step{{text: "kafka raft"}, {del: true}}},
		{"change, delete, create with the old text", []step{{text: "raft"}, {del: true}, {text: "kafka stream"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t)
			seedSet(t, s, "a", []graph.Node{*node("x", "kafka stream"), *node("y", "kafka")}, nil, nil)
			err := s.Mutate(context.Background(), func(m *graph.Mutation) error {
				for _, st := range tc.steps {
					var err error
					if st.del {
						err = m.DeleteNode("x")
					} else {
						_, err = m.UpsertNode("a", node("x", st.text))
					}
					if err != nil {
						return err
					}
				}
				_, err := m.UpsertNode("a", node("z", "fresh kafka"))
				if err != nil {
					return err
				}
				return m.DeleteNode("z")
			})
			if err != nil {
				t.Fatal(err)
			}
			checkBlocks(t, s, tc.name)
		})
	}
}

// TestSearchAllLanguagesExactly: a search of every language keeps a node's
// best language's score, and with the floor set by the larger languages
// still returns the brute-force top.
func TestSearchAllLanguagesExactly(t *testing.T) {
	nodes := corpus(13, 300)
	s := MustOpen(t)
	seedSet(t, s, "main", nodes, nil, nil)
	tx := begin(t, s)
	for _, q := range searchQueries() {
		best := map[string]graph.SearchHit{}
		for _, lang := range []string{"en", "fr"} {
			for _, h := range bruteBM25(nodes, lang, strings.Fields(q)) {
				if h.Score > best[h.ID].Score {
					best[h.ID] = h
				}
			}
		}
		var all []graph.SearchHit
		for _, h := range best {
			all = append(all, h)
		}
		sortHits(all)
		for _, limit := range []int{1, 5, 20, -1} {
			t.Run(fmt.Sprintf("%s/%d", q, limit), func(t *testing.T) {
				got, err := tx.Search(q, nil, nil, limit)
				if err != nil {
					t.Fatal(err)
				}
				want := all
				if limit >= 0 && len(want) > limit {
					want = want[:limit]
				}
				if len(got) != len(want) {
					t.Fatalf("hits: got %d, want %d", len(got), len(want))
				}
				for i := range got {
					if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > 1e-9 {
						t.Fatalf("hit %d: got %s %.12f, want %s %.12f", i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
					}
				}
			})
		}
	}
}

// sortHits orders hits as the store does: score, then id.
func sortHits(hs []graph.SearchHit) {
	slices.SortFunc(hs, func(a, b graph.SearchHit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// TestPostingBlocksAfterFailedSeed: a re-seed that fails at commit (its
// context ends while stale keys are deleted) or is aborted rolls back its
// postings, numbers and blocks together; the next writes keep them equal.
func TestPostingBlocksAfterFailedSeed(t *testing.T) {
	for _, budget := range []int{64 << 20, 8 << 10} {
		for _, abort := range []bool{false, true} {
			t.Run(fmt.Sprintf("budget=%d/abort=%v", budget, abort), func(t *testing.T) {
				defer graph.SetSpoolBudget(graph.SetSpoolBudget(budget))
				s := MustOpen(t)
				nodes := corpus(51, 120)
				seedSet(t, s, "a", nodes, nil, nil)
				ctx, cancel := context.WithCancel(context.Background())
				w, err := s.BeginDataset(ctx, "a")
				if err != nil {
					t.Fatal(err)
				}
				for i, n := range append(corpus(52, 150), graph.Node{ID: "late", Kind: graph.KindTool, Name: "Zebra late"}) {
					if i%4 == 0 {
						continue
					}
					if err := w.PutNode(&n); err != nil {
						t.Fatal(err)
					}
				}
				cancel()
				if abort {
					w.Abort()
				} else if err := w.Commit(graph.DatasetInfo{}); err == nil {
					t.Fatal("commit after cancel: got no error, want one")
				}
				checkBlocks(t, s, "the failed seed")
				seedSet(t, s, "b", corpus(53, 30), nil, nil)
				checkBlocks(t, s, "a seed after it")
				err = s.Mutate(context.Background(), func(m *graph.Mutation) error {
					_, err := m.UpsertNode("a", &graph.Node{ID: "late", Kind: graph.KindTool, Name: "Zebra zebra"})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				checkBlocks(t, s, "a mutation after it")
				hits, err := begin(t, s).Search("zebra", []string{"en"}, nil, 1)
				if err != nil || len(hits) != 1 || hits[0].ID != "late" {
					t.Errorf("search zebra: got %v %v, want late first", hits, err)
				}
			})
		}
	}
}

// TestPostingBlocksUnusualBytes: terms and ids of bytes 0x01..0xFF (a
// term that is another's prefix, accents, a 1,000-byte word) keep their
// own blocks, and a search finds exactly their nodes.
func TestPostingBlocksUnusualBytes(t *testing.T) {
	long := strings.Repeat("z", 1000)
	longID := strings.Repeat("q", graph.MaxIDLen)
	nodes := []graph.Node{
		{ID: "x.y_z-9", Kind: graph.KindConcept, Name: "Café crème", Description: map[string]string{"en": "kafka"}},
		{ID: longID, Kind: graph.KindConcept, Name: "Kafkas", Description: map[string]string{"en": "crèmes " + long}},
		{ID: "plain", Kind: graph.KindConcept, Name: "Kafka", Description: map[string]string{"en": long + "a"}},
	}
	s := MustOpen(t)
	seedSet(t, s, "a", nodes, nil, nil)
	checkBlocks(t, s, "the seed")
	for _, tc := range []struct{ q, want string }{
		{"kafka", "plain x.y_z-9"}, {"kafkas", longID}, {"crème", "x.y_z-9"}, {long, longID},
	} {
		t.Run(fmt.Sprintf("%.20s", tc.q), func(t *testing.T) {
			hits, err := begin(t, s).Search(tc.q, []string{"en"}, nil, -1)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, h := range hits {
				ids = append(ids, h.ID)
			}
			slices.Sort(ids)
			if got := strings.Join(ids, " "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
