package graph_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// The fixture: a small graph around one talk, every edge backed by the
// report node.
var fixtureNodes = []graph.Node{
	{ID: "report", Kind: graph.KindSource, Name: "Conference report", Description: map[string]string{"en": "A report of the day.", "fr": "Un compte rendu de la journée."}},
	{ID: "kafka", Kind: graph.KindTool, Name: "Apache Kafka", Aliases: []string{"Kafka"}, Description: map[string]string{"en": "Open-source messaging system."}},
	{ID: "confluent", Kind: graph.KindCompany, Name: "Confluent"},
	{ID: "confluent-platform", Kind: graph.KindTool, Name: "Confluent Platform"},
	{ID: "neha-narkhede", Kind: graph.KindPerson, Name: "Neha Narkhede", Props: map[string]string{"role": "CTO"}},
	{ID: "talk-real-time", Kind: graph.KindTalk, Name: "The rise of real time", Description: map[string]string{"en": "Why streams beat batches; the speaker shows Kafka."}, Props: map[string]string{"date": "2017-04-24", "order": "1"}},
	{ID: "linkedin", Kind: graph.KindCompany, Name: "LinkedIn"},
	{ID: "stream-processing", Kind: graph.KindConcept, Name: "Stream processing"},
	{ID: "lonely", Kind: graph.KindConcept, Name: "Lonely idea"},
}

func ev(quote string) []graph.Evidence {
	return []graph.Evidence{{Source: "report", Quote: quote}}
}

var fixtureEdges = []graph.Edge{
	{From: "confluent", Type: "makes", To: "confluent-platform", Evidence: ev("Confluent makes the platform")},
	{From: "linkedin", Type: "created", To: "kafka", Evidence: ev("Kafka was born at LinkedIn")},
	{From: "neha-narkhede", Type: "gave", To: "talk-real-time", Evidence: ev("Neha gave the first talk")},
	{From: "talk-real-time", Type: "about", To: "kafka", Evidence: ev("a talk about Kafka")},
	{From: "talk-real-time", Type: "mentions", To: "confluent", Evidence: ev("she presents Confluent")},
	{From: "confluent-platform", Type: "based_on", To: "kafka", Evidence: ev("built on Kafka")},
	{From: "neha-narkhede", Type: "works_at", To: "confluent", Evidence: ev("co-founder of Confluent")},
	{From: "kafka", Type: "related_to", To: "stream-processing", Evidence: ev("streams")},
}

// seedSet replaces data set name with nodes and edges through a DatasetWriter.
func seedSet(tb testing.TB, s *graph.Store, name string, nodes []graph.Node, edges []graph.Edge, refs map[string][]string) {
	tb.Helper()
	ctx := context.Background()
	w, err := s.BeginDataset(ctx, name)
	if err != nil {
		tb.Fatalf("begin seed %s: %v", name, err)
	}
	for _, n := range nodes {
		if err := w.PutNode(&n); err != nil {
			w.Abort()
			tb.Fatalf("put node %s: %v", n.ID, err)
		}
	}
	kinds := map[string]graph.Kind{}
	for _, n := range nodes {
		kinds[n.ID] = n.Kind
	}
	kindOf := func(id string) graph.Kind {
		if k, ok := kinds[id]; ok {
			return k
		}
		k, _, _, _ := s.NodeKind(ctx, id) // defined by another data set
		return k
	}
	for _, e := range edges {
		if err := w.PutEdge(e, kindOf(e.From), kindOf(e.To)); err != nil {
			w.Abort()
			tb.Fatalf("put edge %s: %v", e.Key(), err)
		}
	}
	if err := w.Commit(graph.DatasetInfo{Refs: refs}); err != nil {
		tb.Fatalf("commit %s: %v", name, err)
	}
}

func fixtureStore(tb testing.TB) *graph.Store {
	tb.Helper()
	s := testdb.OpenDir(tb, tb.TempDir())
	seedSet(tb, s, "main", fixtureNodes, fixtureEdges, nil)
	return s
}

// begin opens a read transaction discarded at the end of the test; the
// graph tests call it by this short name everywhere, rank_test.go included.
func begin(tb testing.TB, s *graph.Store) *graph.Tx {
	tb.Helper()
	return testdb.Begin(tb, s)
}

func TestSeederNodeReadsBack(t *testing.T) {
	s := fixtureStore(t)
	tx := begin(t, s)
	for _, want := range fixtureNodes {
		t.Run(want.ID, func(t *testing.T) {
			got, err := tx.Node(want.ID)
			if err != nil {
				t.Fatalf("Node: got %v, want nil", err)
			}
			want.Dataset = "main"
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("Node: got %+v, want %+v", *got, want)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		if _, err := tx.Node("nobody"); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("Node: got %v, want %v", err, graph.ErrNotFound)
		}
	})
}

// rel renders a relation as seen from its node: name, other end, direction.
func rel(r graph.Relation) string {
	d := "out"
	if r.Dir == graph.In {
		d = "in"
	}
	return fmt.Sprintf("%s %s (%s)", r.Name(), r.Other(), d)
}

func TestRelations(t *testing.T) {
	tx := begin(t, fixtureStore(t))
	for _, tc := range []struct {
		name  string
		id    string
		dir   graph.Direction
		typ   string
		limit int
		want  []string
	}{
		{"all both ways", "confluent", graph.Both, "", -1, []string{"makes confluent-platform (out)", "mentioned_in talk-real-time (in)", "employs neha-narkhede (in)"}},
		{"out only", "confluent", graph.Out, "", -1, []string{"makes confluent-platform (out)"}},
		{"in only", "confluent", graph.In, "", -1, []string{"mentioned_in talk-real-time (in)", "employs neha-narkhede (in)"}},
		{"forward name outward", "confluent", graph.Out, "makes", -1, []string{"makes confluent-platform (out)"}},
		{"forward name inward", "confluent", graph.In, "makes", -1, nil},
		{"forward name at the target", "confluent-platform", graph.Out, "makes", -1, nil},
		{"forward name both ways at the target", "confluent-platform", graph.Both, "makes", -1, []string{"made_by confluent (in)"}},
		{"inverse name outward", "confluent-platform", graph.Out, "made_by", -1, []string{"made_by confluent (in)"}},
		{"inverse name inward", "confluent-platform", graph.In, "made_by", -1, nil},
		{"inverse name both ways", "confluent-platform", graph.Both, "made_by", -1, []string{"made_by confluent (in)"}},
		{"inverse name outward at the origin", "confluent", graph.Out, "made_by", -1, nil},
		{"inverse name inward at the origin", "confluent", graph.In, "made_by", -1, []string{"makes confluent-platform (out)"}},
		{"symmetric from origin", "kafka", graph.Both, "related_to", -1, []string{"related_to stream-processing (out)"}},
		{"symmetric from target", "stream-processing", graph.Both, "related_to", -1, []string{"related_to kafka (in)"}},
		{"limit", "kafka", graph.Both, "", 2, []string{"related_to stream-processing (out)", "subject_of talk-real-time (in)"}},
		{"limit zero", "kafka", graph.Both, "", 0, nil},
		{"unknown node", "nobody", graph.Both, "", -1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rels, err := tx.Relations(tc.id, tc.dir, tc.typ, tc.limit)
			if err != nil {
				t.Fatalf("Relations: got %v, want nil", err)
			}
			var got []string
			for _, r := range rels {
				got = append(got, rel(r))
				if len(r.Evidence) != 1 || r.Evidence[0].Source != "report" || r.Evidence[0].Dataset != "main" {
					t.Errorf("evidence of %s: got %+v, want one from report in main", rel(r), r.Evidence)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Relations: got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("unknown type", func(t *testing.T) {
		_, err := tx.Relations("kafka", graph.Both, "invented", -1)
		if !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("Relations: got %v, want %v", err, graph.ErrInvalid)
		}
	})
}

func TestEvidenceMerge(t *testing.T) {
	s := fixtureStore(t)
	seedSet(t, s, "reprise", []graph.Node{{ID: "second-report", Kind: graph.KindSource, Name: "Another report"}},
		[]graph.Edge{{From: "talk-real-time", Type: "about", To: "kafka", Evidence: []graph.Evidence{{Source: "second-report", Quote: "Kafka again", Dataset: "ignored"}}}},
		map[string][]string{"main": {"kafka", "talk-real-time"}})
	want := []graph.Evidence{
		{Source: "report", Quote: "a talk about Kafka", Dataset: "main"},
		{Source: "second-report", Quote: "Kafka again", Dataset: "reprise"},
	}
	tx := begin(t, s)
	for _, tc := range []struct{ name, id, typ string }{
		{"from the origin", "talk-real-time", "about"},
		{"from the target", "kafka", "subject_of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rels, err := tx.Relations(tc.id, graph.Both, tc.typ, -1)
			if err != nil {
				t.Fatalf("Relations: got %v, want nil", err)
			}
			if len(rels) != 1 {
				t.Fatalf("relations: got %d, want 1", len(rels))
			}
			if !reflect.DeepEqual(rels[0].Evidence, want) {
				t.Errorf("evidence: got %+v, want %+v", rels[0].Evidence, want)
			}
		})
	}
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Edges != len(fixtureEdges) || st.Evidence != len(fixtureEdges)+1 {
		t.Errorf("stats: got %d edges, %d evidence, want %d, %d", st.Edges, st.Evidence, len(fixtureEdges), len(fixtureEdges)+1)
	}
}

func TestIDs(t *testing.T) {
	tx := begin(t, fixtureStore(t))
	for _, tc := range []struct {
		name          string
		kind          graph.Kind
		offset, limit int
		want          []string
	}{
		{"all", graph.KindTool, 0, -1, []string{"confluent-platform", "kafka"}},
		{"offset", graph.KindTool, 1, -1, []string{"kafka"}},
		{"limit", graph.KindTool, 0, 1, []string{"confluent-platform"}},
		{"offset and limit", graph.KindConcept, 1, 1, []string{"stream-processing"}},
		{"offset past the end", graph.KindTool, 5, -1, nil},
		{"limit zero", graph.KindTool, 0, 0, nil},
		{"kind with no node", graph.KindPublication, 0, -1, nil},
		{"companies", graph.KindCompany, 0, -1, []string{"confluent", "linkedin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tx.IDs(tc.kind, tc.offset, tc.limit)
			if err != nil {
				t.Fatalf("IDs: got %v, want nil", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("IDs: got %q, want %q", got, tc.want)
			}
		})
	}
}

func without[T any](list []T, drop func(T) bool) []T {
	var out []T
	for _, x := range list {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}

func TestReseedRemovesNode(t *testing.T) {
	const gone = "linkedin"
	nodes := without(fixtureNodes, func(n graph.Node) bool { return n.ID == gone })
	edges := without(fixtureEdges, func(e graph.Edge) bool { return e.From == gone || e.To == gone })
	s := fixtureStore(t)
	seedSet(t, s, "main", nodes, edges, nil)

	got := testdb.Dump(t, s)
	for k := range got {
		if strings.Contains(k, gone) {
			t.Errorf("key %q: got it, want no key naming %s", k, gone)
		}
	}
	// The store holds exactly what a fresh seed of the smaller set holds.
	fresh := testdb.OpenDir(t, t.TempDir())
	seedSet(t, fresh, "main", nodes, edges, nil)
	want := testdb.Dump(t, fresh)
	delete(got, "dmain")
	delete(want, "dmain")
	if !reflect.DeepEqual(got, want) {
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("key %q: got it, want none", k)
			}
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("key %q: got %q, want %q", k, got[k], v)
			}
		}
	}
	tx := begin(t, s)
	if _, err := tx.Node(gone); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("Node(%s): got %v, want %v", gone, err, graph.ErrNotFound)
	}
	if ids, _ := tx.Lookup("LinkedIn"); len(ids) != 0 {
		t.Errorf("Lookup: got %v, want none", ids)
	}
	d, err := s.Dataset(context.Background(), "main")
	if err != nil || d.Nodes != len(nodes) || d.Edges != len(edges) {
		t.Errorf("data set record: got %+v (%v), want %d nodes, %d edges", d, err, len(nodes), len(edges))
	}
}

func TestRemoveDataset(t *testing.T) {
	ctx := context.Background()
	s := fixtureStore(t)
	seedSet(t, s, "extra", []graph.Node{{ID: "extra-report", Kind: graph.KindSource, Name: "Extra"}},
		[]graph.Edge{{From: "extra-report", Type: "mentions", To: "kafka", Evidence: []graph.Evidence{{Source: "extra-report"}}}},
		map[string][]string{"main": {"kafka"}})
	for _, tc := range []struct {
		name string
		set  string
		want error
	}{
		{"unknown", "nothing-here", graph.ErrNotFound},
		{"referred to", "main", graph.ErrConflict},
		{"referrer", "extra", nil},
		{"no longer referred to", "main", nil},
		{"already removed", "main", graph.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.RemoveDataset(ctx, tc.set)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("RemoveDataset(%s): got %v, want %v", tc.set, err, tc.want)
			}
			if errors.Is(err, graph.ErrConflict) && !strings.Contains(err.Error(), "data set extra refers to [kafka]") {
				t.Errorf("message: got %q, want it to name extra and kafka", err)
			}
		})
	}
	// Only the format version and the analysis are left.
	var keys []string
	for k := range testdb.Dump(t, s) {
		keys = append(keys, k)
	}
	slices.Sort(keys) // a map's order changes from run to run
	if want := []string{"!analyzer", "!version"}; !slices.Equal(keys, want) {
		t.Errorf("keys after removing every data set: got %q, want %q", keys, want)
	}
}

func TestBeginDatasetRefusesBadName(t *testing.T) {
	s := testdb.OpenDir(t, t.TempDir())
	for _, name := range []string{"", "Main", "a b", "a\x00b"} {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			w, err := s.BeginDataset(context.Background(), name)
			if !errors.Is(err, graph.ErrInvalid) {
				if w != nil {
					w.Abort()
				}
				t.Errorf("BeginDataset: got %v, want %v", err, graph.ErrInvalid)
			}
		})
	}
	if n := len(testdb.Dump(t, s)); n != 2 {
		t.Errorf("keys: got %d, want 2 (the version and the analysis)", n)
	}
}
