package textindex

import "testing"

// TestMeaningless: the words similar talks may not be alike by, in every
// language's analysis, and words they may.
func TestMeaningless(t *testing.T) {
	a := MustNew()
	cases := []struct {
		lang, word string
		want       bool
	}{
		{"en", "can", true},
		{"en", "able", true},
		{"de", "und", true},
		{"en", "und", true}, // a German word in an English text
		{"fr", "les", true},
		{"en", "https", true},
		{"en", "www", true},
		{"en", "2", true},
		{"en", "2024", true},
		{"en", "kafka", false},
		{"en", "rust", false},
		{"de", "Datenbank", false},
		{"en", "k8s", false},
		{"en", "3d", false},
	}
	for _, c := range cases {
		t.Run(c.lang+"/"+c.word, func(t *testing.T) {
			toks := a.Tokens(c.lang, c.word)
			if len(toks) == 0 {
				if !c.want {
					t.Fatalf("%q in %s: no term, want one", c.word, c.lang)
				}
				return // a stop word of the language: never a term at all
			}
			if got := a.Meaningless(toks[0].Term); got != c.want {
				t.Errorf("Meaningless(%q) (%q in %s): got %v, want %v", toks[0].Term, c.word, c.lang, got, c.want)
			}
		})
	}
}
