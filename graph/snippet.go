package graph

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// snippetWidth is about how many bytes of text a snippet shows.
const snippetWidth = 160

// Snippet returns a short excerpt of n's text in lang (its description, or
// its name and aliases when the description does not match) around the words
// that match query or are index terms among also (the alternatives a
// search read: a typo's correction), each matched word wrapped in ** **. It
// returns "" when nothing matches.
func (s *Store) Snippet(n *Node, query, lang string, also ...string) string {
	want := map[string]bool{}
	for _, t := range s.Analyzer.Tokens(lang, query) {
		want[t.Term] = true
	}
	for _, t := range also {
		want[t] = true
	}
	texts := []string{n.Description[lang], n.Describe(lang), strings.Join(append([]string{n.Name}, n.Aliases...), " · ")}
	for _, text := range texts {
		var hits []Token
		for _, t := range s.Analyzer.Tokens(lang, text) {
			if want[t.Term] {
				hits = append(hits, t)
			}
		}
		if len(hits) > 0 {
			return mark(text, hits)
		}
	}
	return ""
}

// Matched returns the words of n's text in lang (its names, aliases and
// description) whose index term is among terms, each once, in the order
// met, as written: what a corrected word of a query matched.
func (s *Store) Matched(n *Node, lang string, terms []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, text := range append(append([]string{n.Name}, n.Aliases...), n.Description[lang]) {
		for _, t := range s.Analyzer.Tokens(lang, text) {
			w := text[t.Start:t.End]
			if !seen[strings.ToLower(w)] && slices.Contains(terms, t.Term) {
				seen[strings.ToLower(w)] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// mark cuts a window of text around the first hit, on word boundaries, and
// wraps the hits inside it.
func mark(text string, hits []Token) string {
	start := max(0, hits[0].Start-snippetWidth/3)
	end := min(len(text), start+snippetWidth)
	start, end = wordStart(text, start), wordEnd(text, end)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for _, h := range hits {
		if h.Start < at || h.End > end {
			continue
		}
		b.WriteString(text[at:h.Start])
		b.WriteString("**" + text[h.Start:h.End] + "**")
		at = h.End
	}
	b.WriteString(text[at:end])
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

func wordStart(s string, i int) int {
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	if j := strings.LastIndexByte(s[:i], ' '); i > 0 && j >= 0 && i-j < 20 {
		return j + 1
	}
	return i
}

func wordEnd(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	if j := strings.IndexByte(s[i:], ' '); i < len(s) && j >= 0 && j < 20 {
		return i + j
	}
	return i
}
