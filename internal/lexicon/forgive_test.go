package lexicon_test

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/lexicon"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// seeded returns a store holding the nodes of yaml (one data set) and its
// dictionary.
func seeded(tb testing.TB, yaml string) (*graph.Store, *lexicon.Lexicon) {
	tb.Helper()
	s := testdb.Open(tb)
	seedYAML(tb, s, "fixture", yaml)
	lex := lexicon.New(s, nil)
	tb.Cleanup(func() { lex.Close() })
	return s, lex
}

func seedYAML(tb testing.TB, s *graph.Store, set, yaml string) {
	tb.Helper()
	fsys := fstest.MapFS{set + "/nodes.yaml": {Data: []byte(yaml)}}
	sets, err := seed.Discover(fsys, ".", "testdata")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.NewLoader(s).Seed(context.Background(), sets); err != nil {
		tb.Fatalf("seed: %v", err)
	}
}

// TestExactBeatsCorrected: a text that holds the word as typed ranks
// above one that holds only what the word was taken for, however alike
// the two texts otherwise are.
func TestExactBeatsCorrected(t *testing.T) {
	s, lex := seeded(t, `nodes:
  - {id: t-stell, kind: talk, name: Stell dich ein, description: {de: "Wie man eine Schnittstelle baut."}}
  - {id: t-stellar, kind: talk, name: Stellar dich ein, description: {de: "Wie man eine Schnittstelle baut."}}
  - {id: t-bank, kind: talk, name: Die Datenbank, description: {de: "Wie man eine Tabelle baut."}}
  - {id: t-graphbank, kind: talk, name: Die Graphdatenbank, description: {de: "Wie man eine Tabelle baut."}}
  - {id: t-postgres, kind: talk, name: Postgres tuning, description: {en: "How to tune it."}}
  - {id: t-post, kind: talk, name: Post tuning, description: {en: "How to tune it."}}
  - {id: t-observability, kind: talk, name: Observability at scale, description: {en: "Traces and logs."}}
  - {id: t-observable, kind: talk, name: Observables at scale, description: {en: "Traces and logs."}}
`)
	for _, tc := range []struct {
		text, first, second string
	}{
		{"stell", "t-stell", "t-stellar"},                   // as typed, then a completion
		{"Datenbank", "t-bank", "t-graphbank"},              // as typed, then a compound
		{"post tuning", "t-post", "t-postgres"},             // both words, then one joined
		{"obsevability", "t-observability", "t-observable"}, // one edit, then two
	} {
		got, _ := search(t, s, lex, tc.text, false, talks, 5)
		i, j := slices.Index(got, tc.first), slices.Index(got, tc.second)
		if i < 0 || j < 0 || i > j {
			t.Errorf("search %q: got %v, want %s, then %s", tc.text, got, tc.first, tc.second)
		}
	}
}

// TestRealWordNotWidened: a word that texts hold, unless it is the last
// word being typed, is searched as it is, whatever words are near it: its
// search reads no other term, so it costs what it did without the
// dictionary (BenchmarkSearchForgiving measures it).
func TestRealWordNotWidened(t *testing.T) {
	s, lex := seeded(t, `nodes:
  - {id: a, kind: talk, name: Kafka streams, description: {en: "Kafka, Kafkas, kafkaesque, Kavka, Kafke and Kafta."}}
  - {id: b, kind: talk, name: Kafta, description: {en: "Grill."}}
`)
	for _, text := range []string{"kafka ", "kafka streams", "streams kafka."} {
		_, words := search(t, s, lex, text, false, nil, 5)
		for _, w := range words {
			if w.Surface == "kafka" && (w.DF == 0 || len(w.Alternatives) > 0) {
				t.Errorf("search %q: the word kafka in %s: got %d texts and alternatives %v, want it searched as typed alone", text, w.Lang, w.DF, w.Alternatives)
			}
		}
	}
	// The last word, still being typed, is completed, not corrected.
	_, words := search(t, s, lex, "kafka", false, nil, 5)
	for _, w := range words {
		for _, a := range w.Alternatives {
			if a.Why != "prefix" {
				t.Errorf("search %q: alternative %+v in %s, want completions only", "kafka", a, w.Lang)
			}
		}
	}
}

// TestNames: suggestions as one types, best first.
func TestNames(t *testing.T) {
	s, lex := programmes(t)
	tx := testdb.Begin(t, s)
	d := lex.For(tx)
	for _, tc := range []struct {
		text  string
		kinds []graph.Kind
		want  string // a suggestion's id
		how   string // how it matched
		first bool   // it comes first
	}{
		{"Kafka", nil, "kafka", "exact", true},
		{"kaf", nil, "kafka", "prefix", true},
		{"consen", []graph.Kind{graph.KindTool}, "stellar-consensus-protocol", "prefix", true}, // a later word's start
		{"hashicrop", nil, "hashicorp", "typo", true},
		{"obsevab", nil, "observability", "typo", false},
		{"Verschlüsselung", nil, "encryption", "exact", true}, // a German alias
		{"narkhede", nil, "neha-narkhede", "prefix", true},
	} {
		got := d.Names(tc.text, tc.kinds, 5)
		i := slices.IndexFunc(got, func(m graph.NameMatch) bool { return m.ID == tc.want })
		if i < 0 || got[i].How != tc.how || tc.first && i != 0 {
			t.Errorf("Names(%q): got %+v, want %s (%s, first: %v)", tc.text, got, tc.want, tc.how, tc.first)
		}
		for _, m := range got {
			if len(tc.kinds) > 0 && !slices.Contains(tc.kinds, m.Kind) {
				t.Errorf("Names(%q, %v): got %s of kind %s", tc.text, tc.kinds, m.ID, m.Kind)
			}
		}
	}
	if got := d.Names("zzzzqqq", nil, 5); len(got) != 0 {
		t.Errorf("Names(zzzzqqq): got %+v, want none", got)
	}
}

// TestLexiconFollowsWrites: after a write, the dictionary of the new
// version is built (in the background while the old one answers), and
// knows the new words.
func TestLexiconFollowsWrites(t *testing.T) {
	s, lex := seeded(t, `nodes:
  - {id: a, kind: talk, name: Graph databases, description: {en: "Nodes and edges."}}
`)
	tx := testdb.Begin(t, s)
	d := lex.For(tx)
	if got := d.Names("zeppel", nil, 5); len(got) != 0 {
		t.Fatalf("Names(zeppel) before the write: got %+v, want none", got)
	}
	seedYAML(t, s, "more", `nodes:
  - {id: b, kind: tool, name: Zeppelin, description: {en: "Notebooks."}}
`)
	if err := lex.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	tx2 := testdb.Begin(t, s)
	if got := lex.For(tx2).Names("zeppel", nil, 5); len(got) != 1 || got[0].ID != "b" {
		t.Errorf("Names(zeppel) after the write: got %+v, want b", got)
	}
	if got, _ := search(t, s, lex, "zepelin", false, nil, 5); !slices.Equal(got, []string{"b"}) {
		t.Errorf("search zepelin after the write: got %v, want [b]", got)
	}
	if err := lex.Close(); err != nil {
		t.Fatal(err)
	}
}
