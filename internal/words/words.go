// Package words tells whether a word is an ordinary word of English,
// German or French: a tool or brand named by such a word ("Rust", "Helm",
// "Signal", "Chef") may be the word itself in a text, so the linker asks
// for more than a match before it takes it for a name.
//
// en.txt is SCOWL's size-35 American English list (Debian's
// wamerican-small: common words, lower-cased); de.txt and fr.txt are the
// words of the vocabulary's names that Debian's German and French lists
// hold as common words, checked by hand (see README.md).
package words

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed en.txt
var enList string

//go:embed de.txt
var deList string

//go:embed fr.txt
var frList string

var sets = sync.OnceValue(func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for lang, list := range map[string]string{"en": enList, "de": deList, "fr": frList} {
		m := make(map[string]bool, strings.Count(list, "\n"))
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
		out[lang] = m
	}
	return out
})

// OrdinaryIn reports whether word (any case) is an ordinary word of lang
// itself, English apart.
func OrdinaryIn(lang, word string) bool {
	return sets()[lang][strings.ToLower(word)]
}

// Ordinary reports whether word (any case) is an ordinary word of English
// or of lang: English counts in every language, for talks in German or
// French name English tools and use English words.
// A plural counts as its singular ("logos").
func Ordinary(lang, word string) bool {
	w := strings.ToLower(word)
	s := sets()
	if s["en"][w] || s[lang][w] {
		return true
	}
	if sing, ok := strings.CutSuffix(w, "s"); ok && len(sing) >= 3 {
		return s["en"][sing] || s[lang][sing]
	}
	return false
}
