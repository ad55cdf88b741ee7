package graph

import (
	"strings"
	"unicode"
)

// Token is one index term of a text and where it stands in it.
type Token struct {
	Term       string
	Start, End int // byte offsets of the original word
}

// Analyzer turns text into what the indexes hold. The graph package knows no
// language; the caller supplies one analyzer for all of them (the CLI uses
// bleve's English and French analyzers).
type Analyzer interface {
	// Fold returns s with case and accents folded, for exact name lookup.
	Fold(s string) string
	// Tokens splits text in language lang into index terms (stemmed, stop
	// words removed). An unknown lang gets a language-neutral analysis.
	Tokens(lang, text string) []Token
	// Name identifies the analysis and its version ("name/version"). A
	// database records the name it was indexed with (see keys.go) and is
	// read only with that analysis: another one would misread its postings.
	Name() string
}

// PlainAnalyzer lower-cases and splits on anything that is not a letter or a
// digit. It folds no accents and stems nothing: it is the fallback that keeps
// the graph package free of language libraries.
type PlainAnalyzer struct{}

// Name is "plain/1".
func (PlainAnalyzer) Name() string { return "plain/1" }

// Fold lower-cases s and collapses runs of space.
func (PlainAnalyzer) Fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// Tokens returns the lower-cased words of text.
func (PlainAnalyzer) Tokens(_ string, text string) []Token {
	var toks []Token
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			toks = append(toks, Token{strings.ToLower(text[start:i]), start, i})
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, Token{strings.ToLower(text[start:]), start, len(text)})
	}
	return toks
}
