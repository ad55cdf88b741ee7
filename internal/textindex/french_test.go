package textindex

import (
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// TestFrenchForms: the forms of a French word share an index term, typed
// with or without accents; another word does not.
func TestFrenchForms(t *testing.T) {
	a := MustNew()
	term := func(w string) string {
		toks := a.Tokens("fr", w)
		if len(toks) != 1 {
			t.Fatalf("Tokens(fr, %q): got %d tokens, want 1", w, len(toks))
		}
		return toks[0].Term
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"explique", "expliquées", true},
		{"expliqué", "expliquer", true},
		{"sécurité", "securite", true},
		{"donnée", "données", true},
		{"données", "don", false},
		{"nation", "nationale", false},
	} {
		if got := term(tc.a) == term(tc.b); got != tc.same {
			t.Errorf("%q (%s) and %q (%s) share a term: got %v, want %v", tc.a, term(tc.a), tc.b, term(tc.b), got, tc.same)
		}
	}
}

// TestVersion2StillReads: a database indexed with version 2 is read with
// version 2, whatever analysis the program now indexes with.
func TestVersion2StillReads(t *testing.T) {
	dir := t.TempDir()
	old, err := newVersion(2)
	if err != nil {
		t.Fatal(err)
	}
	s := graph.NewStore(dir)
	s.Analyzer = old
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = graph.NewStore(dir)
	s.Analyzer = MustNew()
	if err := s.Open(); err != nil {
		t.Fatalf("open a version 2 database: %v", err)
	}
	defer s.Close()
	if got, want := s.Analyzer.Name(), Name+"/2"; got != want {
		t.Errorf("analysis: got %s, want %s", got, want)
	}
}
