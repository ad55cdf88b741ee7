package graph_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// TestTalkIndexPatchEqualsBuild: after each of many random mutations, the
// talk index kept for the new version — patched from the previous one for
// the nodes the mutation wrote — equals an index built from scratch at that
// version, and the aggregate answers still match the brute-force ones
// for the seeded graph (checked by the other tests) because the index is
// the same. A seed afterwards is built anew, not patched.
func TestTalkIndexPatchEqualsBuild(t *testing.T) {
	w := randomWorld(21, 120)
	s := w.store(t)
	ctx := context.Background()
	if _, err := begin(t, s).CountTalks(graph.TalkFilter{}); err != nil { // an index in use
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(21, 5))
	edges := w.main
	applied, lastPatches := 0, 0
	for i := range 120 {
		op := randomTalkWrite(r, i, edges)
		if err := s.Mutate(ctx, op); err != nil {
			continue // a refused mutation (a conflict, a relation already gone) publishes nothing
		}
		applied++
		tx := s.Begin(ctx)
		kept, fresh, patches, err := graph.TalkIndexes(tx)
		tx.Discard()
		if err != nil {
			t.Fatal(err)
		}
		if kept != fresh {
			t.Fatalf("mutation %d: patched index differs from a new build:\n%s", i, firstDiff(kept, fresh))
		}
		if patches != lastPatches+1 {
			t.Fatalf("mutation %d: got %d patches, want %d: the index was built anew", i, patches, lastPatches+1)
		}
		lastPatches = patches
	}
	if applied < 60 {
		t.Fatalf("only %d of 120 random mutations applied, want most", applied)
	}
}

// randomTalkWrite returns one random small write over the world's ids:
// relations added and removed, talks and conferences edited, talks and
// entities created and deleted.
func randomTalkWrite(r *rand.Rand, i int, edges []graph.Edge) func(*graph.Mutation) error {
	talk := fmt.Sprintf("talk-%03d", r.IntN(120))
	ent := fmt.Sprintf("ent-%02d", r.IntN(40))
	switch r.IntN(9) {
	case 0, 1:
		typ := []string{"mentions", "about", "advocates"}[r.IntN(3)]
		return func(m *graph.Mutation) error {
			_, err := m.AddEdge("main", graph.Edge{From: talk, Type: typ, To: ent, Evidence: srcEv("added")})
			return err
		}
	case 2:
		e := edges[r.IntN(len(edges))]
		return func(m *graph.Mutation) error { return m.RemoveEdge(e.From, e.Type, e.To) }
	case 3:
		p := fmt.Sprintf("p-%02d", r.IntN(50))
		return func(m *graph.Mutation) error {
			_, err := m.AddEdge("main", graph.Edge{From: p, Type: "gave", To: talk, Evidence: srcEv("gave")})
			return err
		}
	case 4:
		conf := fmt.Sprintf("conf-%d", r.IntN(6))
		return func(m *graph.Mutation) error {
			_, err := m.AddEdge("main", graph.Edge{From: conf, Type: "has_part", To: talk, Evidence: srcEv("part")})
			return err
		}
	case 5:
		props := map[string]string{}
		if r.IntN(2) == 0 {
			props["date"] = fmt.Sprintf("%d-02-03", 2010+r.IntN(12))
		}
		if r.IntN(2) == 0 {
			props["lang"] = []string{"en", "fr", "EN"}[r.IntN(3)]
		}
		if r.IntN(2) == 0 {
			props["track"] = []string{"Ops", "Data"}[r.IntN(2)]
		}
		return func(m *graph.Mutation) error {
			_, err := m.UpsertNode("main", &graph.Node{ID: talk, Kind: graph.KindTalk, Name: "Talk edited", Props: props,
				Description: map[string]string{"en": "cache " + strings.Repeat("raft ", r.IntN(2))}})
			return err
		}
	case 6:
		conf := fmt.Sprintf("conf-%d", r.IntN(6))
		props := map[string]string{}
		switch r.IntN(3) {
		case 0:
			props["date"] = fmt.Sprintf("%d-06-01", 2011+r.IntN(10))
		case 1:
			props["year"] = fmt.Sprint(2011 + r.IntN(10))
		}
		return func(m *graph.Mutation) error {
			_, err := m.UpsertNode("main", &graph.Node{ID: conf, Kind: graph.KindConference, Name: fmt.Sprintf("Conf %d", i), Props: props})
			return err
		}
	case 7:
		id := fmt.Sprintf("talk-new-%03d", i)
		return func(m *graph.Mutation) error {
			if _, err := m.UpsertNode("main", &graph.Node{ID: id, Kind: graph.KindTalk, Name: "New talk"}); err != nil {
				return err
			}
			if _, err := m.AddEdge("main", graph.Edge{From: id, Type: "mentions", To: ent, Evidence: srcEv("new")}); err != nil {
				return err
			}
			_, err := m.AddEdge("main", graph.Edge{From: "p-01", Type: "gave", To: id, Evidence: srcEv("new")})
			return err
		}
	default:
		victim := []string{talk, ent}[r.IntN(2)]
		return func(m *graph.Mutation) error { return m.DeleteNode(victim) }
	}
}

// srcEv is evidence citing the world's source.
func srcEv(quote string) []graph.Evidence { return []graph.Evidence{{Source: "src", Quote: quote}} }

// firstDiff returns the first line where two dumps differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\npatched %s\nbuilt   %s", i, x, y)
		}
	}
	return ""
}

// TestTalkIndexReadersDuringWrites: readers ask many-talk questions while
// mutations publish new versions (each patched from the last); every
// reader's answers agree with each other at its own version, and the
// indexes they share are never written (go test -race checks that).
func TestTalkIndexReadersDuringWrites(t *testing.T) {
	w := randomWorld(22, 120)
	s := w.store(t)
	ctx := context.Background()
	done := make(chan struct{})
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				tx := s.Begin(ctx)
				ent := fmt.Sprintf("ent-%02d", (g+i)%40)
				ids, err1 := tx.TalkIDs(graph.TalkFilter{Mentioning: ent}, 0, -1)
				n, err2 := tx.CountTalks(graph.TalkFilter{Mentioning: ent})
				trend, err3 := tx.Trend(ent, graph.ByYear)
				_, err4 := tx.Similar(fmt.Sprintf("talk-%03d", i%120), 5)
				tx.Discard()
				sum := 0
				for _, p := range trend {
					sum += p.Talks
				}
				if err := errors.Join(err1, err2, err3); err != nil || n != len(ids) || sum != n {
					errs <- fmt.Errorf("%s: %d talks listed, %d counted, %d in the trend (%v)", ent, len(ids), n, sum, err)
					return
				}
				if err4 != nil && !errors.Is(err4, graph.ErrInvalid) && !errors.Is(err4, graph.ErrNotFound) {
					errs <- err4
					return
				}
			}
		}()
	}
	r := rand.New(rand.NewPCG(22, 5))
	for i := range 40 {
		s.Mutate(ctx, randomTalkWrite(r, i, w.main)) // refusals publish nothing
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
