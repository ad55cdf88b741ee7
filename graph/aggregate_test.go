package graph_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

func TestTalkFiltersAgainstBruteForce(t *testing.T) {
	w := randomWorld(11, 300)
	tx := begin(t, w.store(t))
	for _, f := range filters() {
		var want []string
		for _, id := range w.talkIDs() {
			if w.selects(id, f) {
				want = append(want, id)
			}
		}
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			got, err := tx.TalkIDs(f, 0, -1)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("TalkIDs: got %v, want %v", got, want)
			}
			n, err := tx.CountTalks(f)
			if err != nil || n != len(want) {
				t.Errorf("CountTalks: got %d, %v, want %d", n, err, len(want))
			}
			page, err := tx.TalkIDs(f, 2, 3)
			if wantPage := want[min(2, len(want)):min(5, len(want))]; err != nil || !slices.Equal(page, wantPage) {
				t.Errorf("TalkIDs(offset 2, limit 3): got %v, %v, want %v", page, err, wantPage)
			}
		})
	}
}

func TestCountRelationsAgainstBruteForce(t *testing.T) {
	w := randomWorld(12, 200)
	tx := begin(t, w.store(t))
	for _, id := range []string{"ent-00", "ent-05", "p-01", "conf-0", "talk-007", "src"} {
		for _, c := range []struct {
			dir  graph.Direction
			name string
		}{{graph.Both, ""}, {graph.Out, ""}, {graph.In, ""}, {graph.In, "mentions"}, {graph.Out, "mentioned_in"}, {graph.Both, "part_of"}, {graph.Out, "gave"}} {
			t.Run(fmt.Sprintf("%s/%d/%s", id, c.dir, c.name), func(t *testing.T) {
				rels, err := tx.Relations(id, c.dir, c.name, -1)
				if err != nil {
					t.Fatal(err)
				}
				want := 0
				for _, e := range w.edges {
					var match bool
					if t, inv, ok := graph.LookupEdgeType(c.name); ok {
						dir := c.dir
						if inv && dir != graph.Both {
							dir ^= graph.Both
						}
						match = e.Type == t.Name && (dir&graph.Out != 0 && e.From == id || dir&graph.In != 0 && e.To == id)
					} else {
						match = c.dir&graph.Out != 0 && e.From == id || c.dir&graph.In != 0 && e.To == id
					}
					if match {
						want++
					}
				}
				got, err := tx.CountRelations(id, c.dir, c.name)
				if err != nil || got != want || got != len(rels) {
					t.Errorf("CountRelations: got %d, %v, want %d (Relations lists %d)", got, err, want, len(rels))
				}
			})
		}
	}
	if _, err := tx.CountRelations("ent-00", graph.Both, "mentionz"); err == nil {
		t.Error("CountRelations with an unknown type: got nil, want an error")
	}
}

func TestTopicsAgainstBruteForce(t *testing.T) {
	w := randomWorld(13, 300)
	tx := begin(t, w.store(t))
	for _, f := range filters() {
		for _, kinds := range [][]graph.Kind{nil, {graph.KindPublication}, {graph.KindConference, graph.KindPerson}} {
			for _, limit := range []int{0, 3, 1000} {
				t.Run(fmt.Sprintf("%+v/%v/%d", f, kinds, limit), func(t *testing.T) {
					want := w.topics(f, kinds, limit)
					got, err := tx.Topics(f, kinds, limit)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(got, want) {
						t.Errorf("got %v, want %v", got, want)
					}
				})
			}
		}
	}
}

func TestTrendAgainstBruteForce(t *testing.T) {
	w := randomWorld(14, 300)
	tx := begin(t, w.store(t))
	for _, id := range []string{"ent-00", "ent-01", "ent-09", "conf-2", "p-04"} {
		for _, by := range []graph.TrendBy{graph.ByYear, graph.ByConference} {
			t.Run(fmt.Sprintf("%s/%d", id, by), func(t *testing.T) {
				got, err := tx.Trend(id, by)
				if err != nil {
					t.Fatal(err)
				}
				if want := w.trend(id, by); !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}
	}
}

func TestSimilarAgainstBruteForce(t *testing.T) {
	w := randomWorld(15, 300)
	tx := begin(t, w.store(t))
	// Many talks and limits: the early stop (features heaviest first, the
	// last feature's list cut at the limit) meets each of its cases.
	ids := []string{"talk-000", "talk-017", "talk-123", "talk-299"}
	for i := 3; i < 300; i += 23 {
		ids = append(ids, fmt.Sprintf("talk-%03d", i))
	}
	for _, id := range ids {
		for _, limit := range []int{0, 1, 2, 5, 10, 40, -1} {
			t.Run(fmt.Sprintf("%s/%d", id, limit), func(t *testing.T) { checkSimilar(t, tx, w, id, limit) })
		}
	}
	if _, err := tx.Similar("ent-00", 5); err == nil {
		t.Error("Similar of a concept: got nil, want an error")
	}
}

// TestSimilarCutsTheLastList: when fewer talks than asked share anything
// but a hub with the talk, the rest of the top are talks that have only the
// hub, in id order: the early stop takes them from the front of the hub's
// list instead of scoring all of it, and must take the right ones.
func TestSimilarCutsTheLastList(t *testing.T) {
	w := &world{byID: map[string]graph.Node{}, edges: map[string]graph.Edge{}}
	add := func(n graph.Node) { w.nodes = append(w.nodes, n); w.byID[n.ID] = n }
	edge := func(from, typ, to string) {
		e, _ := graph.Edge{From: from, Type: typ, To: to, Evidence: []graph.Evidence{{Source: "src", Quote: "q"}}}.Canonical()
		w.main = append(w.main, e)
		w.edges[e.Key()] = e
	}
	add(graph.Node{ID: "src", Kind: graph.KindSource, Name: "Source"})
	add(graph.Node{ID: "hub", Kind: graph.KindConcept, Name: "Hub"})
	add(graph.Node{ID: "rare", Kind: graph.KindConcept, Name: "Rare"})
	for i := 29; i >= 0; i-- {
		id := fmt.Sprintf("t%02d", i)
		add(graph.Node{ID: id, Kind: graph.KindTalk, Name: fmt.Sprintf("Q%02d", i)})
		edge(id, "mentions", "hub")
		if i%7 == 3 && i != 24 {
			edge(id, "about", "rare") // t03, t10, t17
		}
	}
	tx := begin(t, w.store(t))
	for _, id := range []string{"t03", "t00", "t17"} {
		for _, limit := range []int{1, 2, 3, 4, 6, 29, 40, -1} {
			t.Run(fmt.Sprintf("%s/%d", id, limit), func(t *testing.T) { checkSimilar(t, tx, w, id, limit) })
		}
	}
}

// checkSimilar compares Similar with the brute force of w: the same talks in
// the same order, scores, shared entities and words.
func checkSimilar(t *testing.T, tx *graph.Tx, w *world, id string, limit int) {
	t.Helper()
	got, err := tx.Similar(id, limit)
	if err != nil {
		t.Fatal(err)
	}
	want := w.similar(id, limit)
	if len(got) != len(want) {
		t.Fatalf("similar talks: got %d, want %d", len(got), len(want))
	}
	for i := range got {
		g, x := got[i], want[i]
		if g.ID != x.ID || math.Abs(g.Score-x.Score) > 1e-9 || !slices.Equal(g.Shared, x.Shared) || !slices.Equal(g.Words, x.Words) {
			t.Fatalf("rank %d: got %+v, want %+v", i, g, x)
		}
	}
}
