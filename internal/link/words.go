package link

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkgraph/talkgraph/graph"
)

// word is one word of a text: a run of letters and digits, with the "+"
// and "#" that end "C++" and "C#" and the "." that opens ".NET".
type word struct {
	start, end int
	raw        string // as written
	folded     string // case and accents folded
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// splitWords splits text into words, leaving out those of web addresses,
// mail addresses and paths ("https://etherpad.wikimedia.org/…" names no
// Wikimedia).
func splitWords(an graph.Analyzer, text string) []word {
	var out []word
	skip := addressSpans(text)
	for i := 0; i < len(text); {
		if len(skip) > 0 && i >= skip[0][0] {
			if i < skip[0][1] {
				i = skip[0][1]
				continue
			}
			skip = skip[1:]
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		if start > 0 && text[start-1] == '.' && (start < 2 || !isWordRune(lastRune(text[:start-1]))) {
			start-- // ".NET"
		}
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			i += size
		}
		for i < len(text) && (text[i] == '+' || text[i] == '#') {
			i++
		}
		raw := text[start:i]
		out = append(out, word{start: start, end: i, raw: raw, folded: foldWord(an, raw)})
	}
	return out
}

// addressSpans returns the byte spans of the text's web and mail addresses
// and paths: runs of non-space that hold "://", start "www.", or hold both
// a dot and a slash or an at sign.
func addressSpans(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		if text[i] == ' ' || text[i] == '\n' || text[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' {
			j++
		}
		tok := strings.TrimLeft(text[i:j], "(<[\"'")
		dotted := strings.Contains(strings.TrimRight(tok, ".,;:!?)>]\"'"), ".")
		if strings.Contains(tok, "://") || strings.HasPrefix(strings.ToLower(tok), "www.") ||
			dotted && (strings.Contains(tok, "/") || strings.Contains(tok, "@")) {
			out = append(out, [2]int{i, j})
		}
		i = j
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// foldWord folds a word's letters as name lookups do and keeps its
// symbols: "C++" is "c++", "Sécurité" "securite".
func foldWord(an graph.Analyzer, raw string) string {
	core := strings.TrimLeft(strings.TrimRight(raw, "+#"), ".")
	f := strings.ReplaceAll(an.Fold(core), " ", "")
	if strings.HasPrefix(raw, ".") {
		f = "." + f
	}
	return f + raw[len(strings.TrimRight(raw, "+#")):]
}

// joined reports whether two words follow each other within a name: only
// spaces between them, or one joining mark ("open-source", "Node.js",
// "HTTP/2"), not the end of a sentence or a comma.
func joined(text string, a, b word) bool {
	sep := text[a.end:b.start]
	if sep == "" {
		return true
	}
	if strings.TrimLeft(sep, " \u00a0\t") == "" {
		return true
	}
	return len(sep) == 1 && strings.ContainsRune("-./_:", rune(sep[0]))
}

// capitalised reports whether a word starts with a capital.
func capitalised(w word) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w.raw, "."))
	return unicode.IsUpper(r)
}

// sentenceStart reports whether the word opens a sentence, a line or a
// quotation: its capital then tells nothing.
func sentenceStart(text string, w word) bool {
	before := strings.TrimRight(text[:w.start], " \u00a0\t\"“„«'‘(")
	if before == "" {
		return true
	}
	last := lastRune(before)
	return strings.ContainsRune(".!?:;\n•*-–—", last)
}

// sentence returns the sentence of text that holds [start, end), trimmed
// and cut to graph.MaxQuoteLen bytes around the match.
func sentence(text string, start, end int) string {
	from := 0
	for i := start - 1; i > 0; i-- {
		if strings.ContainsRune(".!?\n", rune(text[i])) && (i+1 >= len(text) || text[i+1] == ' ' || text[i] == '\n') {
			from = i + 1
			break
		}
	}
	to := len(text)
	for i := end; i < len(text); i++ {
		if text[i] == '\n' || strings.ContainsRune(".!?", rune(text[i])) && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			to = i + 1
			if text[i] == '\n' {
				to = i
			}
			break
		}
	}
	s := strings.TrimSpace(text[from:to])
	if len(s) > graph.MaxQuoteLen {
		// Keep the match in the middle of what fits.
		lo := max(0, start-from-graph.MaxQuoteLen/2)
		s = strings.TrimSpace(text[from:to])[lo:]
		s = s[:min(len(s), graph.MaxQuoteLen-6)]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		for len(s) > 0 && !utf8.RuneStart(s[0]) {
			s = s[1:]
		}
		s = "…" + strings.TrimSpace(s) + "…"
	}
	return s
}
