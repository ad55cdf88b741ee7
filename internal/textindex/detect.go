package textindex

import (
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// detectLangs are the languages DetectLanguage tells apart: those of the
// analysis with a stop word list, which is what it counts.
var detectLangs = []string{"en", "fr", "de", "es", "it", "nl", "pt", "da", "sv", "no", "fi"}

var stopMaps = sync.OnceValues(func() (map[string]analysis.TokenMap, error) {
	cache := registry.NewCache()
	out := map[string]analysis.TokenMap{}
	for _, l := range detectLangs {
		m, err := cache.TokenMapNamed("stop_" + l)
		if err != nil {
			return nil, err
		}
		out[l] = m
	}
	return out, nil
})

// DetectLanguage guesses the language of a text of a few sentences (a
// biography) from its function words: the language whose stop words are
// the most of its words, when at least three are and no other language
// comes close. It reports false when it cannot tell (a short text, a list
// of names), for the caller to fall back on what it knows.
func DetectLanguage(text string) (string, bool) {
	maps, err := stopMaps()
	if err != nil {
		return "", false
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' })
	best, second, lang := 0, 0, ""
	for _, l := range detectLangs {
		n := 0
		for _, w := range words {
			if _, stop := maps[l][w]; stop {
				n++
			}
		}
		switch {
		case n > best:
			best, second, lang = n, best, l
		case n > second:
			second = n
		}
	}
	if best < 3 || best*2 < second*3 {
		return "", false
	}
	return lang, true
}
