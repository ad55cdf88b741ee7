package link_test

import (
	"context"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/link"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

func talk(id, en string) graph.Node {
	return graph.Node{ID: id, Kind: graph.KindTalk, Name: "Talk " + id, Description: map[string]string{"en": en}}
}

func TestFind(t *testing.T) {
	nodes := []graph.Node{
		{ID: "src", Kind: graph.KindSource, Name: "Report"},
		{ID: "derived", Kind: graph.KindSource, Name: "Derived"},
		{ID: "vault", Kind: graph.KindTool, Name: "Vault"},
		{ID: "hashicorp", Kind: graph.KindCompany, Name: "HashiCorp"},
		{ID: "sre", Kind: graph.KindConcept, Name: "Site Reliability Engineering", Aliases: []string{"SRE"}},
		talk("capitalized", "We keep secrets in Vault these days."),
		talk("lowercase", "The bank vault was empty."),
		talk("lowercase-in-context", "They keep the keys in the vault from that company."),
		talk("sentence-start", "Vault doors are heavy."),
		{ID: "phrase", Kind: graph.KindTalk, Name: "On site reliability", Description: map[string]string{
			"fr": "Les principes de la Site Reliability Engineering, appliqués.", "en": "Principles."}},
		talk("stated", "Vault, again."),
		talk("derived-only", "We use Vault once more."),
	}
	ev := func(src string) []graph.Evidence { return []graph.Evidence{{Source: src, Quote: "q"}} }
	edges := []graph.Edge{
		{From: "hashicorp", Type: "makes", To: "vault", Evidence: ev("src")},
		{From: "lowercase-in-context", Type: "mentions", To: "hashicorp", Evidence: ev("src")},
		{From: "stated", Type: "mentions", To: "vault", Evidence: ev("src")},
		{From: "derived-only", Type: "mentions", To: "vault", Evidence: ev("derived")},
	}
	s := testdb.Open(t)
	w, err := s.BeginDataset(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if err := w.PutNode(&n); err != nil {
			t.Fatal(err)
		}
	}
	kinds := map[string]graph.Kind{}
	for _, n := range nodes {
		kinds[n.ID] = n.Kind
	}
	for _, e := range edges {
		if err := w.PutEdge(e, kinds[e.From], kinds[e.To]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(graph.DatasetInfo{}); err != nil {
		t.Fatal(err)
	}
	tx := s.Begin(context.Background())
	defer tx.Discard()
	ps, err := link.Find(tx, s.Analyzer, s.Languages, link.Options{Derived: func(e graph.Evidence) bool { return e.Source == "derived" }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range ps {
		got[p.Talk+"→"+p.Entity] = p.Quote()
	}
	cases := []struct {
		name, key string
		want      bool
	}{
		{"a capitalised name mid-sentence", "capitalized→vault", true},
		{"a common word in lower case", "lowercase→vault", false},
		{"lower case, but the talk speaks of its maker", "lowercase-in-context→vault", true},
		{"a capital that only opens a sentence", "sentence-start→vault", false},
		{"a phrase, in French, found through stems", "phrase→sre", true},
		{"a relation the files state", "stated→vault", false},
		{"a relation only earlier proposals state", "derived-only→vault", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ok := got[c.key]
			if ok != c.want {
				t.Errorf("%s proposed: got %v, want %v (all: %v)", c.key, ok, c.want, got)
			}
		})
	}
	if q, want := got["capitalized→vault"], "description.en@19: Vault"; q != want {
		t.Errorf("quote: got %q, want %q", q, want)
	}
}
