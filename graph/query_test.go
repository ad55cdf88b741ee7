package graph_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

func TestLookup(t *testing.T) {
	tx := begin(t, fixtureStore(t))
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"kafka", []string{"kafka"}},
		{"KAFKA", []string{"kafka"}},
		{"  Apache   KAFKA ", []string{"kafka"}},
		{"confluent", []string{"confluent"}},
		{"Confluent Platform", []string{"confluent-platform"}},
		{"neha narkhede", []string{"neha-narkhede"}},
		{"talk-real-time", []string{"talk-real-time"}},
		{"Neha", nil},
		{"kafk", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tx.Lookup(tc.name)
			if err != nil {
				t.Fatalf("Lookup: got %v, want nil", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Lookup(%q): got %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	tx := begin(t, fixtureStore(t))
	for _, tc := range []struct {
		name    string
		want    string   // id, or "" for not found
		closest []string // for not found
	}{
		{"kafka", "kafka", nil},
		{"KAFKA", "kafka", nil},
		{"apache kafka", "kafka", nil},
		{"CONFLUENT platform", "confluent-platform", nil},
		// A word of a longer name is not the name: the closest are named.
		{"narkhede", "", []string{"Neha Narkhede"}},
		{"real time", "", nil},
		{"kafak", "", []string{"Apache Kafka"}},
		{"Confluent Platfrom", "", []string{"Confluent Platform", "Confluent"}},
		{"zzzzzzzzzz", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := tx.Resolve(tc.name)
			if tc.want != "" {
				if err != nil {
					t.Fatalf("Resolve(%q): got %v, want %s", tc.name, err, tc.want)
				}
				if n.ID != tc.want {
					t.Errorf("Resolve(%q): got %s, want %s", tc.name, n.ID, tc.want)
				}
				return
			}
			if !errors.Is(err, graph.ErrNotFound) {
				t.Fatalf("Resolve(%q): got %v, want %v", tc.name, err, graph.ErrNotFound)
			}
			var nf *graph.NotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("Resolve(%q): got %T, want *graph.NotFoundError", tc.name, err)
			}
			if !slices.Equal(nf.Closest, tc.closest) {
				t.Errorf("Closest: got %q, want %q", nf.Closest, tc.closest)
			}
		})
	}
}

// walk renders a path as the ids it goes through and the canonical edges.
func walk(from string, rels []graph.Relation) ([]string, []string) {
	ids := []string{from}
	var edges []string
	for _, r := range rels {
		ids = append(ids, r.Other())
		edges = append(edges, r.From+" "+r.Type+" "+r.To)
	}
	return ids, edges
}

func TestPath(t *testing.T) {
	tx := begin(t, fixtureStore(t))
	for _, tc := range []struct {
		name      string
		from, to  string
		hops      int
		wantIDs   []string // nil: no path
		wantEdges []string
	}{
		{"shortest", "neha-narkhede", "linkedin", graph.MaxHops,
			[]string{"neha-narkhede", "talk-real-time", "kafka", "linkedin"},
			[]string{"neha-narkhede gave talk-real-time", "talk-real-time about kafka", "linkedin created kafka"}},
		{"other way", "linkedin", "neha-narkhede", graph.MaxHops,
			[]string{"linkedin", "kafka", "talk-real-time", "neha-narkhede"},
			[]string{"linkedin created kafka", "talk-real-time about kafka", "neha-narkhede gave talk-real-time"}},
		{"exactly max hops", "neha-narkhede", "linkedin", 3,
			[]string{"neha-narkhede", "talk-real-time", "kafka", "linkedin"},
			[]string{"neha-narkhede gave talk-real-time", "talk-real-time about kafka", "linkedin created kafka"}},
		{"one hop", "confluent", "confluent-platform", 1,
			[]string{"confluent", "confluent-platform"},
			[]string{"confluent makes confluent-platform"}},
		{"beyond max hops", "neha-narkhede", "linkedin", 2, nil, nil},
		{"zero hops", "kafka", "linkedin", 0, nil, nil},
		{"unconnected", "kafka", "lonely", graph.MaxHops, nil, nil},
		{"unknown node", "kafka", "nobody", graph.MaxHops, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rels, err := tx.Path(tc.from, tc.to, tc.hops)
			if err != nil {
				t.Fatalf("Path: got %v, want nil", err)
			}
			if tc.wantIDs == nil {
				if rels != nil {
					t.Errorf("Path: got %v, want nil", rels)
				}
				return
			}
			ids, edges := walk(tc.from, rels)
			if !slices.Equal(ids, tc.wantIDs) {
				t.Errorf("walk: got %q, want %q", ids, tc.wantIDs)
			}
			if !slices.Equal(edges, tc.wantEdges) {
				t.Errorf("edges: got %q, want %q", edges, tc.wantEdges)
			}
			for _, r := range rels {
				if len(r.Evidence) == 0 {
					t.Errorf("evidence of %s: got none, want some", r.Key())
				}
			}
		})
	}
	t.Run("same node", func(t *testing.T) {
		rels, err := tx.Path("kafka", "kafka", 3)
		if err != nil || rels == nil || len(rels) != 0 {
			t.Errorf("Path: got %v (%v), want an empty path", rels, err)
		}
	})
	for _, hops := range []int{-1, graph.MaxHops + 1} {
		t.Run("max hops out of range", func(t *testing.T) {
			if _, err := tx.Path("kafka", "linkedin", hops); !errors.Is(err, graph.ErrInvalid) {
				t.Errorf("Path(maxHops %d): got %v, want %v", hops, err, graph.ErrInvalid)
			}
		})
	}
}

// TestPathAvoidsSources: a source is evidence, and the path search must not
// join two nodes through it, whichever end the search starts from.
func TestPathAvoidsSources(t *testing.T) {
	s := testdb.OpenDir(t, t.TempDir())
	by := []graph.Evidence{{Source: "article"}}
	seedSet(t, s, "main", []graph.Node{
		{ID: "article", Kind: graph.KindSource, Name: "Article"},
		{ID: "alpha", Kind: graph.KindConcept, Name: "Alpha"},
		{ID: "beta", Kind: graph.KindConcept, Name: "Beta"},
		{ID: "chi", Kind: graph.KindConcept, Name: "Chi"},
	}, []graph.Edge{
		{From: "article", Type: "mentions", To: "alpha", Evidence: by},
		{From: "article", Type: "mentions", To: "beta", Evidence: by},
		{From: "alpha", Type: "related_to", To: "chi", Evidence: by},
	}, nil)
	tx := begin(t, s)
	for _, tc := range []struct {
		name, from, to string
		want           []string // walk, nil for no path
	}{
		{"through a source", "alpha", "beta", nil},
		{"through a source, other way", "beta", "alpha", nil},
		{"from a source", "article", "chi", []string{"article", "alpha", "chi"}},
		{"to a source", "chi", "article", []string{"chi", "alpha", "article"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rels, err := tx.Path(tc.from, tc.to, graph.MaxHops)
			if err != nil {
				t.Fatalf("Path: got %v, want nil", err)
			}
			var got []string
			if rels != nil {
				got, _ = walk(tc.from, rels)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Path(%s, %s): got %q, want %q", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	tx := begin(t, fixtureStore(t))
	for _, tc := range []struct {
		name  string
		text  string
		langs []string
		kinds []graph.Kind
		limit int
		want  []string
	}{
		// The tool named Kafka ranks above the talk whose description mentions it.
		{"name above description", "kafka", nil, nil, -1, []string{"kafka", "talk-real-time"}},
		{"case folded", "KAFKA", nil, nil, -1, []string{"kafka", "talk-real-time"}},
		{"kind filter", "kafka", nil, []graph.Kind{graph.KindTalk}, -1, []string{"talk-real-time"}},
		{"limit", "kafka", nil, nil, 1, []string{"kafka"}},
		{"several words", "confluent platform", nil, nil, -1, []string{"confluent-platform", "confluent"}},
		{"french description", "journée", []string{"fr"}, nil, -1, []string{"report"}},
		{"french word in english", "journée", []string{"en"}, nil, -1, nil},
		{"no match", "zeppelin", nil, nil, -1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := tx.Search(tc.text, tc.langs, tc.kinds, tc.limit)
			if err != nil {
				t.Fatalf("Search: got %v, want nil", err)
			}
			var got []string
			for i, h := range hits {
				got = append(got, h.ID)
				if h.Score <= 0 {
					t.Errorf("score of %s: got %v, want > 0", h.ID, h.Score)
				}
				if i > 0 && h.Score > hits[i-1].Score {
					t.Errorf("order: got %s (%v) after %s (%v), want descending scores", h.ID, h.Score, hits[i-1].ID, hits[i-1].Score)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Search(%q): got %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestStats(t *testing.T) {
	s := fixtureStore(t)
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatalf("Stats: got %v, want nil", err)
	}
	if len(st.Datasets) != 1 {
		t.Fatalf("data sets: got %d, want 1", len(st.Datasets))
	}
	wantKinds := map[graph.Kind]int{graph.KindSource: 1, graph.KindTool: 2, graph.KindCompany: 2, graph.KindPerson: 1, graph.KindTalk: 1, graph.KindConcept: 2}
	wantTypes := map[string]int{"makes": 1, "created": 1, "gave": 1, "about": 1, "mentions": 1, "based_on": 1, "works_at": 1, "related_to": 1}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"nodes", st.Nodes, len(fixtureNodes)},
		{"edges", st.Edges, len(fixtureEdges)},
		{"evidence", st.Evidence, len(fixtureEdges)},
		{"by kind", st.ByKind, wantKinds},
		{"by type", st.ByType, wantTypes},
		{"data set name", st.Datasets[0].Name, "main"},
		{"data set nodes", st.Datasets[0].Nodes, len(fixtureNodes)},
		{"data set edges", st.Datasets[0].Edges, len(fixtureEdges)},
		{"seeded at set", st.Datasets[0].SeededAt.IsZero(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
			}
		})
	}
}
