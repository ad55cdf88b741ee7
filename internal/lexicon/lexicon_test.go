package lexicon_test

import (
	"context"
	"io/fs"
	"os"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/lexicon"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/seeds"
)

// programmes returns a store holding dotScale 2017, the curated
// vocabulary (topics named in English, German and French) and real talks
// of five programmes in those languages (testdata/programmes), and its
// dictionary.
func programmes(tb testing.TB) (*graph.Store, *lexicon.Lexicon) {
	tb.Helper()
	s := testdb.Open(tb)
	var sets []*seed.Set
	for _, src := range []struct {
		fsys fs.FS
		dir  string
	}{
		{seeds.FS, seeds.Default},
		{seeds.FS, "vocabulary-curated"},
		{os.DirFS("testdata"), "programmes"},
	} {
		found, err := seed.Discover(src.fsys, src.dir, src.dir)
		if err != nil {
			tb.Fatal(err)
		}
		sets = append(sets, found...)
	}
	if _, err := seed.NewLoader(s).Seed(context.Background(), sets); err != nil {
		tb.Fatalf("seed: %v", err)
	}
	lex := lexicon.New(s, nil)
	tb.Cleanup(func() { lex.Close() })
	return s, lex
}

// search runs text as the schema does (with the dictionary unless exact)
// and returns the ids of the hits of kinds.
func search(tb testing.TB, s *graph.Store, lex *lexicon.Lexicon, text string, exact bool, kinds []graph.Kind, limit int) ([]string, []graph.SearchedWord) {
	tb.Helper()
	tx := testdb.Begin(tb, s)
	o := graph.SearchOptions{Kinds: kinds}
	if !exact {
		o.Expander, o.Related = lex.For(tx), true
	}
	hits, words, err := tx.SearchWords(text, o, limit)
	if err != nil {
		tb.Fatalf("search %q: %v", text, err)
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids, words
}

var talks = []graph.Kind{graph.KindTalk}

// TestHalfRemembered searches what people half-remember of talks in
// English, German and French: each query must find its talk (or entity)
// among the first five, and, taken as typed, must not (else the case
// proves nothing).
func TestHalfRemembered(t *testing.T) {
	s, lex := programmes(t)
	for _, tc := range []struct {
		why, text, want string
		kinds           []graph.Kind
	}{
		{"one typo (transposition)", "kafak", "talk-rise-of-real-time", talks},
		{"one typo (a letter missing)", "blamless", "talk-chaos-management-during-a-major-incident", talks},
		{"one typo (a letter changed)", "concensus", "talk-stellar-consensus-protocol", talks},
		{"one typo in a long word", "obsevability", "talk-observability-3-ways", talks},
		{"one typo in a product's name", "prometeus", "39c3-1266", talks},
		{"one typo in a company's name", "hashicrop", "hashicorp", nil},
		{"one typo in a German word", "Schwachstelen", "38c3-815", talks},
		{"the start of the last word", "zipk", "talk-observability-3-ways", talks},
		{"the start of a name", "stell", "talk-stellar-consensus-protocol", talks},
		{"the start of a company's name", "hashic", "hashicorp", nil},
		{"the start of the last of three words", "serverl", "talk-searching-for-the-server-in-serverless", talks},
		{"the start of a German word", "Schwachst", "38c3-815", talks},
		{"a German compound's end", "Verteilung", "38c3-780", talks},
		{"a German compound's end, in a plural", "Datenbank", "38c3-642533", talks},
		{"two words written as one", "post gres", "talk-scaling-out-postgresql", talks},
		{"one word written as two", "datascience", "bdxio2019-05", talks},
		{"a topic named in German", "Kryptographie", "38c3-150", talks},
		{"a topic named in German, two words", "Künstliche Intelligenz", "38c3-195643", talks},
		{"a topic named in French", "chiffrement", "38c3-150", talks},
		{"a topic named in French, two words", "vie privée", "38c3-106", talks},
	} {
		t.Run(tc.why, func(t *testing.T) {
			got, words := search(t, s, lex, tc.text, false, tc.kinds, 5)
			if !slices.Contains(got, tc.want) {
				t.Errorf("search %q: got %v, want %s among them (words %+v)", tc.text, got, tc.want, words)
			}
			if exact, _ := search(t, s, lex, tc.text, true, tc.kinds, 5); slices.Contains(exact, tc.want) {
				t.Errorf("search %q taken as typed: got %v, which holds %s already: the case tests nothing", tc.text, exact, tc.want)
			}
		})
	}
}
