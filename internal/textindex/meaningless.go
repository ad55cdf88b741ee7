package textindex

import (
	"strings"
	"sync"
)

// weakWords are words that say nothing of what a talk is about, though no
// stop list holds them: what every abstract says ("talk", "learn"), and
// what programmes say in German and French.
var weakWords = strings.Fields(`
	can could able even also well make makes made get gets use used using uses new way ways like just
	many much one two three first last lot lots thing things something anything everything different
	various often still yet however since us let want need know see look take give come show talk talks
	speaker speakers present presentation presentations discuss learn explain year years day days time
	times people part parts kind good great best better big small high low long short world today now
	around within without across based focus example examples introduction overview session sessions
	workshop workshops will would may might must shall really actually simply already always never
	kann können könnt auch noch schon mal immer sehr viel viele neue neuen neues gibt geht gehen machen
	zeigen zeigt vortrag vorträge heute dabei dazu daher etwa sowie wie wird werden wurde gut
	peut peuvent aussi encore très plus bien faire fait nouveau nouvelle nouvelles voir comment ainsi
	depuis conférence présentation atelier être avoir va vont
	http https www com org net html available`)

// meaningless holds the index terms, in every language, of the stop words
// of every language and of weakWords: a German "und" read by the English
// analysis is a term there, and means nothing either.
var meaningless = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	a := MustNew()
	maps, err := stopMaps()
	if err != nil {
		return out
	}
	var words []string
	for _, m := range maps {
		for w := range m {
			words = append(words, w)
		}
	}
	words = append(words, weakWords...)
	langs := append([]string{""}, detectLangs...)
	for _, w := range words {
		out[a.Fold(w)] = true
		for _, l := range langs {
			for _, t := range a.Tokens(l, w) {
				out[t.Term] = true
			}
		}
	}
	return out
})

// Meaningless reports whether an index term is a word that means nothing
// in any language the analysis knows: a stop word of any of them, a word
// every abstract uses ("can", "able", "talk"), a part of a web address
// ("https", "www"), or a number ("2": a list's item, a version, a year).
// Similar talks share no such word.
func (a *Analyzer) Meaningless(term string) bool {
	return meaningless()[term] || strings.TrimLeft(term, "0123456789") == ""
}
