package graph_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

var errRollBack = errors.New("roll back")

// withSource adds a source src-x to data set api, and an edge of api citing
// it when cited is true.
func withSource(t *testing.T, s *graph.Store, cited bool) {
	t.Helper()
	err := mutate(t, s, func(m *graph.Mutation) error {
		if _, err := m.UpsertNode("api", &graph.Node{ID: "src-x", Kind: graph.KindSource, Name: "Source X"}); err != nil {
			return err
		}
		if !cited {
			return nil
		}
		_, err := m.AddEdge("api", graph.Edge{From: "kafka", Type: "related_to", To: "lonely", Evidence: []graph.Evidence{{Source: "src-x", Quote: "x"}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCitedSourceKeepsKindAndStays(t *testing.T) {
	asTool := func(id string) func(m *graph.Mutation) error {
		return func(m *graph.Mutation) error {
			_, err := m.UpsertNode("", &graph.Node{ID: id, Kind: graph.KindTool, Name: "Now a tool"})
			return err
		}
	}
	del := func(id string) func(m *graph.Mutation) error {
		return func(m *graph.Mutation) error { return m.DeleteNode(id) }
	}
	cases := []struct {
		name    string
		cited   bool
		fn      func(*graph.Mutation) error
		wantErr error
	}{
		{"a source another data set cites keeps its kind", false, asTool("report"), graph.ErrConflict},
		{"a source another data set cites stays", false, del("report"), graph.ErrConflict},
		{"a source its own data set cites keeps its kind", true, asTool("src-x"), graph.ErrConflict},
		{"a source its own data set cites stays", true, del("src-x"), graph.ErrConflict},
		{"a source nothing cites may change kind", false, asTool("src-x"), nil},
		{"a source nothing cites may be deleted", false, del("src-x"), nil},
		{"a source whose citing relation was removed may be deleted", true, func(m *graph.Mutation) error {
			if err := m.RemoveEdge("kafka", "related_to", "lonely"); err != nil {
				return err
			}
			return m.DeleteNode("src-x")
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := fixtureStore(t)
			withSource(t, s, c.cited)
			before := testdb.Dump(t, s)
			err := mutate(t, s, c.fn)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("got %v, want %v", err, c.wantErr)
			}
			if c.wantErr != nil && !maps.Equal(testdb.Dump(t, s), before) {
				t.Errorf("a refused mutation changed the store")
			}
		})
	}
}

// TestStaleRefs is the scenario of issue 12: after the only relation of api
// to a node of main goes, api no longer refers to it, so main may drop it.
func TestStaleRefs(t *testing.T) {
	cases := []struct {
		name string
		undo func(m *graph.Mutation) error
	}{
		{"removeRelation", func(m *graph.Mutation) error { return m.RemoveEdge("zipkin", "related_to", "stream-processing") }},
		{"deleteEntity", func(m *graph.Mutation) error { return m.DeleteNode("zipkin") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := fixtureStore(t)
			err := mutate(t, s, func(m *graph.Mutation) error {
				if _, err := m.UpsertNode("api", &graph.Node{ID: "zipkin", Kind: graph.KindTool, Name: "Zipkin"}); err != nil {
					return err
				}
				_, err := m.AddEdge("api", graph.Edge{From: "zipkin", Type: "related_to", To: "stream-processing", Evidence: ev("tracing streams")})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if refs, _ := s.Referrers(ctx, "main"); !reflect.DeepEqual(refs, map[string][]string{"api": {"report", "stream-processing"}}) {
				t.Fatalf("referrers of main before: got %v, want api referring to report and stream-processing", refs)
			}
			if err := mutate(t, s, c.undo); err != nil {
				t.Fatal(err)
			}
			refs, err := s.Referrers(ctx, "main")
			if err != nil || len(refs) != 0 {
				t.Errorf("referrers of main after: got %v (%v), want none", refs, err)
			}
		})
	}
}

// TestRefsAfterRandomMutations checks, after each of many random
// mutations, that every data set's references equal a recomputation from
// the relations stored, and that exactly the cited sources refuse deletion.
func TestRefsAfterRandomMutations(t *testing.T) {
	s := fixtureStore(t)
	seedSet(t, s, "other", []graph.Node{
		{ID: "paper", Kind: graph.KindSource, Name: "A paper"},
		{ID: "flink", Kind: graph.KindTool, Name: "Flink"},
	}, []graph.Edge{
		{From: "flink", Type: "related_to", To: "stream-processing", Evidence: []graph.Evidence{{Source: "paper", Quote: "p"}}},
	}, map[string][]string{"main": {"stream-processing"}})
	ids := []string{"kafka", "confluent", "confluent-platform", "talk-real-time", "linkedin", "stream-processing", "lonely", "flink", "zipkin", "jaeger"}
	sources := []string{"report", "paper", "blog"}
	rng := rand.New(rand.NewPCG(12, 13))
	for step := range 300 {
		op := randomMutation(rng, ids, sources)
		err := mutate(t, s, op.fn)
		if err != nil && !errors.Is(err, graph.ErrInvalid) && !errors.Is(err, graph.ErrNotFound) && !errors.Is(err, graph.ErrConflict) {
			t.Fatalf("step %d, %s: %v", step, op.name, err)
		}
		got, want := storedRefs(t, s), recomputedRefs(t, s)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d, after %s (%v): refs got %v, want %v", step, op.name, err, got, want)
		}
		checkCitedSources(t, s, sources, step)
	}
}

type namedMutation struct {
	name string
	fn   func(*graph.Mutation) error
}

func randomMutation(rng *rand.Rand, ids, sources []string) namedMutation {
	id := func() string { return ids[rng.IntN(len(ids))] }
	src := func() string { return sources[rng.IntN(len(sources))] }
	sets := []string{"api", "main", "other"}
	switch rng.IntN(6) {
	case 0, 1:
		e := graph.Edge{From: id(), Type: "related_to", To: id(), Evidence: []graph.Evidence{{Source: src(), Quote: "q"}, {Source: src(), Quote: "r"}}}
		ds := sets[rng.IntN(len(sets))]
		return namedMutation{fmt.Sprintf("add %s %s by %s citing %s", e.From, e.To, ds, e.Evidence[0].Source), func(m *graph.Mutation) error { _, err := m.AddEdge(ds, e); return err }}
	case 2, 3:
		from, to := id(), id()
		return namedMutation{fmt.Sprintf("remove %s %s", from, to), func(m *graph.Mutation) error { return m.RemoveEdge(from, "related_to", to) }}
	case 4:
		n := id()
		return namedMutation{"delete " + n, func(m *graph.Mutation) error { return m.DeleteNode(n) }}
	default:
		n, ds := id(), sets[rng.IntN(len(sets))]
		if rng.IntN(2) == 0 {
			n = src()
		}
		return namedMutation{fmt.Sprintf("upsert %s in %s", n, ds), func(m *graph.Mutation) error {
			kind := graph.KindConcept
			if slices.Contains(sources, n) && rng.IntN(3) > 0 {
				kind = graph.KindSource
			}
			if _, err := m.Node(n); err == nil {
				ds = "" // keep its data set
			}
			_, err := m.UpsertNode(ds, &graph.Node{ID: n, Kind: kind, Name: "Node " + n})
			return err
		}}
	}
}

// storedRefs returns every data set's recorded references.
func storedRefs(t *testing.T, s *graph.Store) map[string]map[string][]string {
	t.Helper()
	all, err := s.Datasets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string][]string{}
	for _, d := range all {
		if len(d.Refs) > 0 {
			out[d.Name] = d.Refs
		}
	}
	return out
}

// recomputedRefs reads every relation and the evidence each data set gives
// for it, and returns which other data sets' ids each data set refers to.
func recomputedRefs(t *testing.T, s *graph.Store) map[string]map[string][]string {
	t.Helper()
	tx := begin(t, s)
	setOf := func(id string) string {
		n, err := tx.Node(id)
		if err != nil {
			t.Fatalf("node %s: %v", id, err)
		}
		return n.Dataset
	}
	out := map[string]map[string][]string{}
	add := func(ds, id string) {
		other := setOf(id)
		if other == ds {
			return
		}
		if out[ds] == nil {
			out[ds] = map[string][]string{}
		}
		if !slices.Contains(out[ds][other], id) {
			out[ds][other] = append(out[ds][other], id)
			slices.Sort(out[ds][other])
		}
	}
	for _, k := range graph.Kinds {
		nodes, err := tx.IDs(k, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range nodes {
			rels, err := tx.Relations(id, graph.Out, "", -1)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rels {
				for _, x := range r.Evidence {
					add(x.Dataset, r.From)
					add(x.Dataset, r.To)
					add(x.Dataset, x.Source)
				}
			}
		}
	}
	return out
}

// citedSources returns the sources some relation's evidence cites.
func citedSources(t *testing.T, s *graph.Store) map[string]bool {
	t.Helper()
	tx := begin(t, s)
	cited := map[string]bool{}
	for _, k := range graph.Kinds {
		ids, err := tx.IDs(k, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			rels, err := tx.Relations(id, graph.Out, "", -1)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rels {
				for _, x := range r.Evidence {
					cited[x.Source] = true
				}
			}
		}
	}
	return cited
}

// checkCitedSources deletes each source in a mutation it rolls back: a cited
// source must refuse, any other must go.
func checkCitedSources(t *testing.T, s *graph.Store, sources []string, step int) {
	t.Helper()
	cited := citedSources(t, s)
	for _, id := range sources {
		err := mutate(t, s, func(m *graph.Mutation) error {
			n, err := m.Node(id)
			if err != nil || n.Kind != graph.KindSource {
				return err
			}
			if err := m.DeleteNode(id); err != nil {
				return err
			}
			return errRollBack
		})
		if errors.Is(err, graph.ErrNotFound) || err == nil {
			continue // not a source now
		}
		if got, want := errors.Is(err, graph.ErrConflict), cited[id]; got != want {
			t.Fatalf("step %d: delete source %s: got %v, want refused %v", step, id, err, want)
		}
	}
}

// TestReseedRewritesCitations: a seed's citation counts replace the old
// ones, so a source the data set no longer cites may go.
func TestReseedRewritesCitations(t *testing.T) {
	s := fixtureStore(t)
	seedSet(t, s, "main", fixtureNodes, nil, nil)
	if err := mutate(t, s, func(m *graph.Mutation) error { return m.DeleteNode("report") }); err != nil {
		t.Errorf("delete a source no longer cited: got %v, want nil", err)
	}
}
