package link_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/link"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// world is a small graph of entities and talks; each talk tests one rule.
type world struct {
	nodes []graph.Node
	edges []graph.Edge
}

func (w *world) talk(id, lang, title, text string) {
	w.nodes = append(w.nodes, graph.Node{ID: id, Kind: graph.KindTalk, Name: title,
		Props: map[string]string{"lang": lang}, Description: map[string]string{lang: text}})
}

func (w *world) edge(from, typ, to, src string) {
	w.edges = append(w.edges, graph.Edge{From: from, Type: typ, To: to, Evidence: []graph.Evidence{{Source: src, Quote: "q"}}})
}

func (w *world) find(t *testing.T) map[string]link.Proposal {
	t.Helper()
	s := testdb.Open(t)
	dw, err := s.BeginDataset(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]graph.Kind{}
	for _, n := range w.nodes {
		kinds[n.ID] = n.Kind
		if err := dw.PutNode(&n); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range w.edges {
		if err := dw.PutEdge(e, kinds[e.From], kinds[e.To]); err != nil {
			t.Fatal(err)
		}
	}
	if err := dw.Commit(graph.DatasetInfo{}); err != nil {
		t.Fatal(err)
	}
	tx := s.Begin(context.Background())
	defer tx.Discard()
	ps, err := link.Find(tx, s.Analyzer, link.Options{Derived: func(e graph.Evidence) bool { return e.Source == "derived" }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]link.Proposal{}
	for _, p := range ps {
		got[p.Talk+"→"+p.Entity] = p
	}
	return got
}

func entities() *world {
	w := &world{nodes: []graph.Node{
		{ID: "src", Kind: graph.KindSource, Name: "Report"},
		{ID: "derived", Kind: graph.KindSource, Name: "Derived"},
		{ID: "vault", Kind: graph.KindTool, Name: "Vault"},
		{ID: "hashicorp", Kind: graph.KindCompany, Name: "HashiCorp"},
		{ID: "ansible", Kind: graph.KindTool, Name: "Ansible"},
		{ID: "google", Kind: graph.KindCompany, Name: "Google"},
		{ID: "red-hat", Kind: graph.KindCompany, Name: "Red Hat"},
		{ID: "ios", Kind: graph.KindTool, Name: "iOS"},
		{ID: "sarah-connor", Kind: graph.KindPerson, Name: "Sarah Connor", Aliases: []string{"Sarah"}},
		{ID: "build-system", Kind: graph.KindConcept, Name: "Build system"},
		{ID: "logging", Kind: graph.KindConcept, Name: "Logging", Aliases: []string{"Logs"}},
		{ID: "security", Kind: graph.KindConcept, Name: "Security", Aliases: []string{"Sicherheit", "sécurité"}},
		{ID: "kubernetes", Kind: graph.KindTool, Name: "Kubernetes"},
		{ID: "go", Kind: graph.KindTool, Name: "Go", Aliases: []string{"golang"}, Props: map[string]string{"type": "programming language"}},
		{ID: "rust", Kind: graph.KindTool, Name: "Rust", Props: map[string]string{"type": "programming language"}},
		{ID: "python", Kind: graph.KindTool, Name: "Python", Props: map[string]string{"type": "programming language"}},
		{ID: "django", Kind: graph.KindTool, Name: "Django"},
		{ID: "scp", Kind: graph.KindTool, Name: "Stellar Consensus Protocol", Aliases: []string{"SCP"}},
		{ID: "secure-copy", Kind: graph.KindTool, Name: "Secure copy", Aliases: []string{"SCP"}},
		{ID: "pycon", Kind: graph.KindConference, Name: "PyCon"},
	}}
	w.edge("hashicorp", "makes", "vault", "src")
	w.edge("django", "uses", "python", "src")
	return w
}

func TestFindRules(t *testing.T) {
	w := entities()
	cases := []struct {
		id, lang, title, text string
		entity                string
		want                  bool
	}{
		{"ordinary-word", "en", "Secrets", "We keep secrets in Vault these days.", "vault", false},
		{"ordinary-word-with-maker", "en", "Secrets", "We keep secrets in Vault, from HashiCorp.", "vault", true},
		{"lower-case-with-maker", "en", "Secrets", "The bank vault was empty, said HashiCorp.", "vault", false},
		{"title-without-relations", "en", "Ansible at Scale", "Automating a thousand servers.", "ansible", true},
		{"first-name", "en", "Hello", "Sarah talks about the future.", "sarah-connor", false},
		{"full-name", "en", "Hello", "As Sarah Connor said, the future is not set.", "sarah-connor", true},
		{"stop-word-between", "en", "Tracking", "We build a system to track parcels.", "build-system", false},
		{"phrase", "en", "Builds", "A faster build system for large repositories.", "build-system", true},
		{"title-case-title", "en", "The Afghan War Logs", "What the leaked documents told.", "logging", false},
		{"longer-proper-name", "en", "Moon", "The team entered the Google Lunar X Prize in 2010.", "google", false},
		{"company-mid-sentence", "en", "Search", "Our search engine competes with Google every day.", "google", true},
		{"german-stop-word", "de", "Reden", "Wir reden über Reden und das Reden.", "red-hat", false},
		{"other-case", "en", "IO", "Fast IO on small machines.", "ios", false},
		{"distinctive", "en", "Apps", "Shipping apps on iOS and the web.", "ios", true},
		{"shared-acronym", "en", "Copying", "We copy files with SCP over the network.", "scp", false},
		{"compound", "de", "Betrieb", "Wir betreiben einen Kubernetes-Cluster im Keller.", "kubernetes", true},
		{"lower-case-invented-word", "en", "Ops", "Running kubernetes at home.", "kubernetes", true},
		{"languages-together", "en", "Languages", "We compare Go, Rust and Python for parsers.", "rust", true},
		{"language-alone", "en", "Languages", "We wrote it in Rust last year.", "rust", false},
		{"language-named-so", "en", "Workshop", "Rust programming language: a workshop for beginners.", "rust", true},
		{"language-compiler", "de", "Werkzeug", "Wir bauen den Rust-Compiler aus den Quellen.", "rust", true},
		{"written-in", "en", "Tools", "A fuzzer written in Rust for embedded targets.", "rust", true},
		{"rust-on-cars", "en", "Cars", "Rust on old cars, and how to stop it.", "rust", false},
		{"rust-code-lower", "en", "Cars", "The rust code of the old hull paint.", "rust", false},
		{"versioned", "en", "Setup", "Bring a laptop with Python 3 installed.", "python", true},
		{"topic", "en", "Locks", "Physical security of data centres.", "security", true},
		{"topic-german", "de", "Schlösser", "Über die Sicherheit von Türschlössern.", "security", true},
		{"topic-french", "fr", "Serrures", "La sécurité des serrures.", "security", true},
		{"stated", "en", "Again", "We keep secrets in Vault from HashiCorp.", "vault", false},
		{"derived-only", "en", "Again and again", "We keep secrets in Vault from HashiCorp.", "vault", true},
	}
	for _, c := range cases {
		w.talk(c.id, c.lang, c.title, c.text)
	}
	w.edge("stated", "mentions", "vault", "src")
	w.edge("derived-only", "mentions", "vault", "derived")
	got := w.find(t)
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			p, ok := got[c.id+"→"+c.entity]
			if ok != c.want {
				t.Errorf("%s→%s proposed: got %v (%q), want %v", c.id, c.entity, ok, p.Text, c.want)
			}
		})
	}
	if p, want := got["ordinary-word-with-maker→vault"], "We keep secrets in Vault, from HashiCorp."; p.Quote() != want {
		t.Errorf("quote: got %q, want the sentence %q", p.Quote(), want)
	}
}

// TestConferenceContext: at a conference whose talks surely speak of
// Python (with Django), a talk that names Python alone mentions it; at
// another conference it does not.
func TestConferenceContext(t *testing.T) {
	w := entities()
	w.nodes = append(w.nodes, graph.Node{ID: "other", Kind: graph.KindConference, Name: "Other"})
	for i := range 4 {
		id := fmt.Sprintf("py-%d", i)
		w.talk(id, "en", "Web apps", "Building web apps with Django and Python.")
		w.edge(id, "part_of", "pycon", "src")
	}
	w.talk("py-alone", "en", "Typing", "Type hints in Python are getting better.")
	w.edge("py-alone", "part_of", "pycon", "src")
	w.talk("other-alone", "en", "Typing", "Type hints in Python are getting better.")
	w.edge("other-alone", "part_of", "other", "src")
	got := w.find(t)
	if _, ok := got["py-alone→python"]; !ok {
		t.Error("py-alone→python: not proposed, want it (its conference speaks of Python)")
	}
	if _, ok := got["other-alone→python"]; ok {
		t.Error("other-alone→python: proposed, want none (no context)")
	}
}

func TestEmployers(t *testing.T) {
	w := entities()
	cases := []struct {
		id, bio, role, employer string
		want                    bool
	}{
		{"engineer-at", "Jane is a site reliability engineer at Google, where she keeps search up.", "", "google", true},
		{"works-for", "He works for Red Hat on OpenShift.", "", "red-hat", true},
		{"tag-line", "", "Developer Advocate @ HashiCorp", "hashicorp", true},
		{"tag-line-first", "", "Google, Staff Engineer", "google", true},
		{"chez", "Développeuse chez HashiCorp depuis trois ans, elle écrit du Go.", "", "hashicorp", true},
		{"bei", "Sie arbeitet als Entwicklerin bei Google in Zürich.", "", "google", true},
		{"past", "She worked at Google for ten years before founding her own studio.", "", "google", false},
		{"mention", "He loves Google products and writes about search engines.", "", "google", false},
		{"expert", "A Google Developer Expert and meetup organizer.", "", "google", false},
	}
	for _, c := range cases {
		n := graph.Node{ID: c.id, Kind: graph.KindPerson, Name: "Person " + c.id, Props: map[string]string{}}
		if c.bio != "" {
			n.Description = map[string]string{"en": c.bio}
		}
		if c.role != "" {
			n.Props["role"] = c.role
		}
		w.nodes = append(w.nodes, n)
	}
	got := w.find(t)
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			p, ok := got[c.id+"→"+c.employer]
			if ok != c.want || ok && p.Type != "works_at" {
				t.Errorf("%s works_at %s proposed: got %v (%q), want %v", c.id, c.employer, ok, p.Type, c.want)
			}
		})
	}
}
