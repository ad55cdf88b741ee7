// Package textindex supplies the language analysis of the graph's full-text
// index and name lookup, built from bleve's analysis packages: English and
// French stemmers and stop words, with case and accents folded before
// stemming (users often type words without their accents); every other
// language bleve has a stemmer for (Danish, Dutch, Finnish, German,
// Hungarian, Italian, Norwegian, Portuguese, Romanian, Russian, Spanish,
// Swedish, Turkish) with bleve's own analyzer for it, accents folded after;
// and any other language with case and accents folded, no stemming.
package textindex

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da" // registers its analyzer
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fi"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/no"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/sv"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/talkgraph/talkgraph/graph"
)

// Analyzer implements graph.Analyzer for English, French and the languages
// of bleveLangs; any other language gets lower-casing and accent folding
// only. It is safe for concurrent use.
type Analyzer struct {
	version int
	langs   map[string]*analysis.DefaultAnalyzer
	neutral *analysis.DefaultAnalyzer
	folder  *asciifolding.AsciiFoldingFilter
	caches  map[string]*wordCache // by language ("" for neutral); fixed by newVersion
	cached  atomic.Int64          // entries in all caches
}

// wordCache maps a word as the tokenizer gave it to its term, in one
// language. A plain map behind a read lock, not a sync.Map: a lookup by
// the token's bytes then needs no copy of them (the compiler converts
// m[string(b)] without allocating), and the dictionary and the seed look
// up every word of every text.
type wordCache struct {
	mu sync.RWMutex
	m  map[string]string
}

var _ graph.Analyzer = (*Analyzer)(nil)

// New builds the analyzer, of the current Version. It returns an error
// only if bleve's registry lacks a component, which would be a build
// problem.
func New() (*Analyzer, error) { return newVersion(Version) }

// newVersion builds the analysis of a version. Both fold French accents
// before stemming, so that a word typed without them ("securite") is the
// word with them ("sécurité"); but the stemmer, given "expliquees", left
// "explique", and given "explique", "expliqu": version 3 then drops a
// stem's final "e", which brings both to "expliqu" ("donnée" and
// "données" to "donn"). Version 2 stays, to read the databases it
// indexed.
func newVersion(version int) (*Analyzer, error) {
	cache := registry.NewCache()
	a := &Analyzer{version: version, langs: map[string]*analysis.DefaultAnalyzer{}, folder: asciifolding.New()}
	chains := map[string][]string{
		"en": {en.PossessiveName, lowercase.Name, en.StopName, foldName, en.SnowballStemmerName},
		"fr": {lowercase.Name, fr.ElisionName, fr.StopName, foldName, fr.SnowballStemmerName, frFinalEName},
		"":   {lowercase.Name, foldName},
	}
	if version == 2 {
		chains["fr"] = []string{lowercase.Name, fr.ElisionName, fr.StopName, foldName, fr.SnowballStemmerName}
	}
	tok, err := cache.TokenizerNamed(unicode.Name)
	if err != nil {
		return nil, err
	}
	for lang, names := range chains {
		an := &analysis.DefaultAnalyzer{Tokenizer: tok}
		for _, n := range names {
			switch n {
			case foldName:
				an.TokenFilters = append(an.TokenFilters, foldFilter{a.folder})
				continue
			case frFinalEName:
				an.TokenFilters = append(an.TokenFilters, finalEFilter{})
				continue
			}
			f, err := cache.TokenFilterNamed(n)
			if err != nil {
				return nil, err
			}
			an.TokenFilters = append(an.TokenFilters, f)
		}
		if lang == "" {
			a.neutral = an
		} else {
			a.langs[lang] = an
		}
	}
	for _, lang := range bleveLangs {
		an, err := cache.AnalyzerNamed(lang)
		if err != nil {
			return nil, err
		}
		d, ok := an.(*analysis.DefaultAnalyzer)
		if !ok {
			return nil, fmt.Errorf("bleve's %s analyzer is a %T, not a chain of filters", lang, an)
		}
		// Accents are folded after bleve's chain: its stemmers and
		// normalisers expect the language's letters.
		filters := append(slices.Clone(d.TokenFilters), foldFilter{a.folder})
		a.langs[lang] = &analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: filters}
	}
	a.caches = map[string]*wordCache{"": {m: map[string]string{}}}
	for lang := range a.langs {
		a.caches[lang] = &wordCache{m: map[string]string{}}
	}
	return a, nil
}

// bleveLangs are the languages analysed by bleve's own analyzer for them:
// those of its lang packages with a stemmer.
var bleveLangs = []string{"da", "de", "es", "fi", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv", "tr"}

// Name and Version identify the analysis: a database records them, since
// its postings hold what this analysis made (see graph.Analyzer). Version
// changes whenever the analysis of any text changes.
const (
	Name    = "bleve-multilingual"
	Version = 3
)

// Name returns Name and the analysis' version, as graph.Analyzer asks.
func (a *Analyzer) Name() string { return fmt.Sprintf("%s/%d", Name, a.version) }

// MustNew is New for package-level defaults; it panics on error.
func MustNew() *Analyzer {
	a, err := New()
	if err != nil {
		panic(err)
	}
	return a
}

// Fold lower-cases s, folds accents to ASCII and collapses white space and
// punctuation between words, so "Mazières" and "mazieres" are one name, and
// so are "PostgreSQL" and "postgresql".
func (a *Analyzer) Fold(s string) string {
	if alnumASCII(s) {
		// Most words are: the dictionary folds every word of every text,
		// and the general path below costs three copies of each.
		return strings.ToLower(s)
	}
	return a.foldText(s)
}

// foldText is Fold for any text.
func (a *Analyzer) foldText(s string) string {
	s = string(a.folder.Filter([]byte(strings.ToLower(s))))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 127)
	}), " ")
}

// alnumASCII tells whether s holds only ASCII letters and digits, which
// Fold only lower-cases.
func alnumASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// Tokens analyzes text as language lang.
//
// Every filter of the chains works on one token at a time, so the result of
// the chain for a word is cached: words repeat (Zipf), and stemming was most
// of the cost of seeding. bleve's filters keep no state between calls, so no
// lock is needed around them.
func (a *Analyzer) Tokens(lang, text string) []graph.Token {
	if text == "" {
		return nil
	}
	an, ok := a.langs[lang]
	if !ok {
		// "de-CH" is analysed as German.
		base, _, _ := strings.Cut(lang, "-")
		if an, ok = a.langs[base]; ok {
			lang = base
		} else {
			an, lang = a.neutral, ""
		}
	}
	ts := an.Tokenizer.Tokenize([]byte(text))
	out := make([]graph.Token, 0, len(ts))
	for _, t := range ts {
		if term := a.term(an, lang, t); term != "" {
			out = append(out, graph.Token{Term: term, Start: t.Start, End: t.End})
		}
	}
	return out
}

// maxCached bounds the word cache (about 100 bytes an entry, so ~10 MB).
const maxCached = 100_000

// term runs the filter chain on one token, through the cache. A stop word
// gives "".
func (a *Analyzer) term(an *analysis.DefaultAnalyzer, lang string, t *analysis.Token) string {
	c := a.caches[lang]
	c.mu.RLock()
	term, ok := c.m[string(t.Term)]
	c.mu.RUnlock()
	if ok {
		return term
	}
	word := string(t.Term) // the filters below change t.Term in place
	stream := analysis.TokenStream{t}
	for _, f := range an.TokenFilters {
		stream = f.Filter(stream)
	}
	if len(stream) == 1 {
		term = string(stream[0].Term)
	}
	if a.cached.Load() < maxCached {
		c.mu.Lock()
		if _, ok := c.m[word]; !ok {
			c.m[word] = term
			a.cached.Add(1)
		}
		c.mu.Unlock()
	}
	return term
}

// foldName marks where accents are folded in a chain: before stemming, so a
// word typed with or without its accents always gets the same stem.
const foldName = "fold"

// foldFilter folds accents in each term.
// frFinalEName names finalEFilter in a chain.
const frFinalEName = "fr_final_e"

// finalEFilter drops the final "e" of a French stem of four letters or
// more, which the stemmer leaves after a plural ("explique" of
// "expliquees") but removes from the singular ("expliqu").
type finalEFilter struct{}

func (finalEFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		if n := len(t.Term); n > 4 && t.Term[n-1] == 'e' {
			t.Term = t.Term[:n-1]
		}
	}
	return ts
}

type foldFilter struct {
	f *asciifolding.AsciiFoldingFilter
}

func (ff foldFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		t.Term = ff.f.Filter(t.Term)
	}
	return ts
}

// init registers the analysis, so that any program linking this package
// reads a database indexed with it (see graph.RegisterAnalyzer).
func init() {
	graph.RegisterAnalyzer(MustNew())
	old, err := newVersion(2)
	if err != nil {
		panic(err)
	}
	graph.RegisterAnalyzer(old)
}
