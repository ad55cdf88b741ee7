package graph_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// hubGraph returns a graph shaped like the synthetic data sets: talks in
// editions, speakers, and concepts mentioned along a long tail, so that a
// few concepts are hubs; a source backs every edge and mentions a few nodes.
func hubGraph(seed uint64) ([]graph.Node, []graph.Edge) {
	r := rand.New(rand.NewPCG(seed, 2))
	by := []graph.Evidence{{Source: "src"}}
	nodes := []graph.Node{{ID: "src", Kind: graph.KindSource, Name: "Source"}}
	var edges []graph.Edge
	add := func(id string, k graph.Kind) { nodes = append(nodes, graph.Node{ID: id, Kind: k, Name: id}) }
	for c := 0; c < 40; c++ {
		add(fmt.Sprintf("concept-%02d", c), graph.KindConcept)
	}
	for e := 0; e < 6; e++ {
		add(fmt.Sprintf("edition-%d", e), graph.KindConference)
	}
	for p := 0; p < 120; p++ {
		add(fmt.Sprintf("person-%03d", p), graph.KindPerson)
	}
	for i := 0; i < 300; i++ {
		talk := fmt.Sprintf("talk-%03d", i)
		add(talk, graph.KindTalk)
		edges = append(edges,
			graph.Edge{From: fmt.Sprintf("person-%03d", r.IntN(120)), Type: "gave", To: talk, Evidence: by},
			graph.Edge{From: talk, Type: "part_of", To: fmt.Sprintf("edition-%d", i/50), Evidence: by})
		seen := map[int]bool{}
		for k := 0; k < 1+r.IntN(3); k++ {
			c := min(39, int(r.ExpFloat64()*6))
			if !seen[c] {
				seen[c] = true
				edges = append(edges, graph.Edge{From: talk, Type: "mentions", To: fmt.Sprintf("concept-%02d", c), Evidence: by})
			}
		}
	}
	for _, id := range []string{"concept-00", "concept-39", "talk-007"} {
		edges = append(edges, graph.Edge{From: "src", Type: "mentions", To: id, Evidence: by})
	}
	return nodes, edges
}

// distance is a plain one-sided BFS that, like Path, does not walk through
// sources; -1 when to is further than maxHops.
func distance(t *testing.T, tx *graph.Tx, from, to string, maxHops int) int {
	t.Helper()
	return distanceAvoiding(t, tx, from, to, maxHops, func(id string) bool {
		k, err := tx.KindOf(id)
		if err != nil {
			t.Fatal(err)
		}
		return k == graph.KindSource
	})
}

// TestPathIsShortest: the bidirectional search, which expands the cheaper
// side and stops at the first meeting, finds paths as short as a plain BFS
// does, between random pairs of a graph with hubs, and each path is a real
// walk that passes through no source.
func TestPathIsShortest(t *testing.T) {
	nodes, edges := hubGraph(3)
	s := testdb.OpenDir(t, t.TempDir())
	seedSet(t, s, "main", nodes, edges, nil)
	tx := begin(t, s)
	r := rand.New(rand.NewPCG(4, 4))
	// First the pairs a walk through the source would join in two hops.
	pairs := [][2]string{{"concept-00", "concept-39"}, {"concept-39", "talk-007"}, {"talk-007", "concept-00"}}
	for i := 0; i < 300; i++ {
		pairs = append(pairs, [2]string{nodes[r.IntN(len(nodes))].ID, nodes[r.IntN(len(nodes))].ID})
	}
	for i, p := range pairs {
		from, to := p[0], p[1]
		hops := 1 + i%6
		t.Run(fmt.Sprintf("%s-%s-%d", from, to, hops), func(t *testing.T) {
			rels, err := tx.Path(from, to, hops)
			if err != nil {
				t.Fatal(err)
			}
			want := distance(t, tx, from, to, hops)
			got := len(rels)
			if rels == nil {
				got = -1
			}
			if got != want {
				t.Fatalf("length: got %d, want %d", got, want)
			}
			ids, _ := walk(from, rels)
			if rels != nil && ids[len(ids)-1] != to {
				t.Errorf("walk: got %v, want it to end at %s", ids, to)
			}
			for j := 1; j+1 < len(ids); j++ {
				if k, _ := tx.KindOf(ids[j]); k == graph.KindSource {
					t.Errorf("walk %v passes through source %s", ids, ids[j])
				}
			}
		})
	}
}
