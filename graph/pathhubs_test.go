package graph_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// distanceAvoiding is a plain one-sided BFS that walks through no node
// closed says so of (reaching one only as the end); -1 when to is further
// than maxHops.
func distanceAvoiding(t *testing.T, tx *graph.Tx, from, to string, maxHops int, closed func(id string) bool) int {
	t.Helper()
	if from == to {
		return 0
	}
	dist := map[string]int{from: 0}
	front := []string{from}
	for d := 0; d < maxHops && len(front) > 0; d++ {
		var next []string
		for _, id := range front {
			ns, err := tx.Neighbours(id)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				if _, ok := dist[n]; ok {
					continue
				}
				if n == to {
					return d + 1
				}
				dist[n] = d + 1
				if !closed(n) {
					next = append(next, n)
				}
			}
		}
		front = next
	}
	return -1
}

// TestPathAvoidsHubs: between random pairs of a graph with hubs, the path
// passes through no conference, source or node of more than HubRelations
// relations (but those Via names) and is as short as a BFS that avoids
// them finds; a shorter path through hubs is reported exactly when one
// exists, with the hubs it passes through.
func TestPathAvoidsHubs(t *testing.T) {
	const hubRelations = 20
	nodes, edges := hubGraph(5)
	s := testdb.OpenDir(t, t.TempDir())
	seedSet(t, s, "main", nodes, edges, nil)
	tx := begin(t, s)
	kind := func(id string) graph.Kind {
		k, err := tx.KindOf(id)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	hub := func(via map[string]bool) func(string) bool {
		return func(id string) bool {
			if via[id] {
				return false
			}
			if k := kind(id); k == graph.KindSource || k == graph.KindConference {
				return true
			}
			d, err := tx.CountRelations(id, graph.Both, "")
			if err != nil {
				t.Fatal(err)
			}
			return d > hubRelations
		}
	}
	source := func(via map[string]bool) func(string) bool {
		return func(id string) bool { return !via[id] && kind(id) == graph.KindSource }
	}
	r := rand.New(rand.NewPCG(6, 6))
	type pair struct {
		from, to string
		via      map[string]bool
	}
	pairs := []pair{{"talk-001", "talk-002", nil}, {"talk-001", "talk-002", map[string]bool{"edition-0": true}},
		{"talk-001", "talk-001", nil}} // a node to itself: no hop, nothing shorter
	for i := 0; i < 200; i++ {
		var via map[string]bool
		if i%4 == 0 {
			via = map[string]bool{fmt.Sprintf("edition-%d", r.IntN(6)): true, "concept-00": true}
		}
		pairs = append(pairs, pair{nodes[r.IntN(len(nodes))].ID, nodes[r.IntN(len(nodes))].ID, via})
	}
	for i, p := range pairs {
		hops := 2 + i%5
		t.Run(fmt.Sprintf("%s-%s-%d-%d", p.from, p.to, hops, len(p.via)), func(t *testing.T) {
			res, err := tx.PathAvoiding(p.from, p.to, graph.PathOptions{MaxHops: hops, HubRelations: hubRelations, Via: p.via})
			if err != nil {
				t.Fatal(err)
			}
			length := func(rels []graph.Relation) int {
				if rels == nil {
					return -1
				}
				return len(rels)
			}
			want := distanceAvoiding(t, tx, p.from, p.to, hops, hub(p.via))
			if got := length(res.Relations); got != want {
				t.Fatalf("length: got %d, want %d", got, want)
			}
			ids, _ := walk(p.from, res.Relations)
			for j := 1; j+1 < len(ids); j++ {
				if hub(p.via)(ids[j]) {
					t.Errorf("walk %v passes through hub %s", ids, ids[j])
				}
			}
			shortest := distanceAvoiding(t, tx, p.from, p.to, hops, source(p.via))
			wantShorter := shortest >= 0 && (want < 0 || shortest < want)
			if got := res.Shorter != nil; got != wantShorter {
				t.Fatalf("shorter through hubs: got %d hops, want one (%v) of %d hops", length(res.Shorter), wantShorter, shortest)
			}
			if !wantShorter {
				return
			}
			if got := len(res.Shorter); got != shortest {
				t.Errorf("shorter through hubs: got %d hops, want %d", got, shortest)
			}
			ids, _ = walk(p.from, res.Shorter)
			var hubs []string
			for j := 1; j+1 < len(ids); j++ {
				if hub(p.via)(ids[j]) {
					hubs = append(hubs, ids[j])
				}
			}
			if fmt.Sprint(res.Hubs) != fmt.Sprint(hubs) || len(hubs) == 0 {
				t.Errorf("hubs: got %v, want %v, at least one", res.Hubs, hubs)
			}
		})
	}
}
