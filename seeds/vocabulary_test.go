package seeds_test

// Vocabulary tests: the vocabulary seeded beside dotScale adds entities
// without changing what dotScale's questions answer ("one thing is one
// entity whatever set names it": the vocabulary's Kafka is dotScale's).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/seeds"
)

// resolved is what a name designates: an id, or the kind of error.
func resolved(tx *graph.Tx, name string) string {
	n, err := tx.Resolve(name)
	var amb *graph.AmbiguousError
	switch {
	case errors.As(err, &amb):
		return "AMBIGUOUS"
	case err != nil:
		return "NOT_FOUND"
	}
	return n.ID
}

func TestVocabularyKeepsDotScaleNames(t *testing.T) {
	ctx := context.Background()
	alone := testdb.Seeded(t).Begin(ctx)
	defer alone.Discard()
	all := testdb.SeededAll(t).Begin(ctx)
	defer all.Discard()
	var names []string
	err := alone.EachNode(func(n *graph.Node) error {
		names = append(names, n.ID, n.Name)
		names = append(names, n.Aliases...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if got, want := resolved(all, name), resolved(alone, name); got != want {
			t.Errorf("%q with the vocabulary: got %s, want %s (as dotScale alone answers)", name, got, want)
		}
	}
}

func TestVocabularyKeepsDotScaleRelations(t *testing.T) {
	ctx := context.Background()
	alone := testdb.Seeded(t).Begin(ctx)
	defer alone.Discard()
	all := testdb.SeededAll(t).Begin(ctx)
	defer all.Discard()
	talks, err := alone.IDs(graph.KindTalk, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	if len(talks) != 10 {
		t.Fatalf("dotScale talks: got %d, want 10", len(talks))
	}
	for _, id := range talks {
		got, want := relationSet(t, all, id), relationSet(t, alone, id)
		if !slices.Equal(got, want) {
			t.Errorf("relations of %s with the vocabulary: got %q, want %q", id, got, want)
		}
	}
}

func relationSet(t *testing.T, tx *graph.Tx, id string) []string {
	t.Helper()
	rels, err := tx.Relations(id, graph.Both, "", -1)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rels {
		out = append(out, fmt.Sprintf("%s %s %s", r.From, r.Type, r.To))
	}
	slices.Sort(out)
	return out
}

func TestVocabularyEntities(t *testing.T) {
	tx := testdb.SeededAll(t).Begin(context.Background())
	defer tx.Discard()
	vocab := 0
	err := tx.EachNode(func(n *graph.Node) error {
		inVocab := false
		for _, ds := range append([]string{n.Dataset}, n.Datasets...) {
			inVocab = inVocab || slices.Contains(seeds.Vocabulary, ds)
		}
		if !inVocab || n.Kind == graph.KindSource {
			return nil
		}
		vocab++
		if n.Props["url"] == "" {
			t.Errorf("%s (%s): no url: every vocabulary entity needs a source", n.ID, n.Dataset)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if vocab < 5000 {
		t.Errorf("vocabulary entities: got %d, want thousands (5000 or more)", vocab)
	}
	for _, tc := range []struct {
		name string
		id   string
		kind graph.Kind
	}{
		{"Kafka", "kafka", graph.KindTool}, // dotScale's, also the landscape's
		{"Apache Kafka", "kafka", graph.KindTool},
		{"Python", "python", graph.KindTool}, // Linguist's and simple-icons'
		{"Kubernetes", "kubernetes", graph.KindTool},
		{"golang", "go", graph.KindTool}, // a Linguist alias
		{"Microsoft", "microsoft", graph.KindCompany},
		{"Datenschutz", "data-protection", graph.KindConcept},
		{"sécurité", "security", graph.KindConcept},
		{"TLS", "tls", graph.KindConcept},
		{"GnuPG", "gnupg", graph.KindTool},
	} {
		n, err := tx.Resolve(tc.name)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if n.ID != tc.id || n.Kind != tc.kind {
			t.Errorf("%s: got %s (%s), want %s (%s)", tc.name, n.ID, n.Kind, tc.id, tc.kind)
		}
	}
}

func TestVocabularyRelationsFromRegistries(t *testing.T) {
	tx := testdb.SeededAll(t).Begin(context.Background())
	defer tx.Discard()
	for _, tc := range []struct{ from, typ, to string }{
		{"apache-software-foundation", "makes", "kafka"}, // the landscape's Crunchbase organisation
		{"kafka", "about", "streaming-messaging"},        // its landscape subcategory
		{"prometheus", "about", "observability"},         // a subcategory that is dotScale's concept
		{"red-hat", "makes", "ansible"},
	} {
		found := false
		for _, id := range linked(t, tx, tc.from, tc.typ, "") {
			found = found || id == tc.to
		}
		if !found {
			t.Errorf("%s %s %s: not found", tc.from, tc.typ, tc.to)
		}
	}
}
