package link

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkgraph/talkgraph/internal/words"
)

// field is one text of a talk and the language to read it in.
type field struct {
	name, lang, text string
	title            bool
}

// match is a name found in a field: words [first, last] of the field.
type match struct {
	n           *name
	first, last int
	stem        bool // found by the stems of a topic's name
}

// verdict says what a match is worth.
type verdict int

const (
	no      verdict = iota
	sure            // a mention
	context         // a mention if the entity's family is in context
)

// find returns the names found in a field: for each place, the longest.
func (ix *Index) find(f field, ws []word) []match {
	var all []match
	for i, w := range ws {
		for _, n := range ix.byWord[w.folded] {
			if last := i + len(n.words) - 1; last < len(ws) && ix.wordsEqual(f.text, ws, i, n) {
				all = append(all, match{n: n, first: i, last: last})
			}
		}
	}
	all = append(all, ix.findStems(f, ws)...)
	slices.SortStableFunc(all, func(a, b match) int {
		if a.first != b.first {
			return a.first - b.first
		}
		return (b.last - b.first) - (a.last - a.first)
	})
	var out []match
	end := -1
	for _, m := range all {
		if m.first > end {
			out = append(out, m)
			end = m.last
		} else if len(out) > 0 && out[len(out)-1].first == m.first && out[len(out)-1].last == m.last && out[len(out)-1].n.ent != m.n.ent {
			out = append(out, m) // two entities of one name: context will choose
		}
	}
	return out
}

func (ix *Index) wordsEqual(text string, ws []word, i int, n *name) bool {
	for k, nw := range n.words {
		w := ws[i+k]
		if w.folded != nw || k > 0 && !joined(text, ws[i+k-1], w) {
			return false
		}
		// Accents fold for a text typed without them ("Mazieres"), but a
		// word written with them is another word: "über" is no Uber.
		if l := strings.ToLower(w.raw); l != n.lower[k] && !isASCII(n.lower[k]) == isASCII(l) && !isASCII(l) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// findStems finds the topics' names by their stems ("databases" for
// Database, "encrypted" for Encryption), the words following each other
// with nothing dropped between them. Only in English, the language the
// topics are named in: a topic's name read with another language's stems
// meets false friends ("exploiter", to run, is no Exploit); the German and
// French names are aliases, found as words.
func (ix *Index) findStems(f field, ws []word) []match {
	if f.lang != "en" {
		return nil
	}
	toks := ix.an.Tokens(f.lang, f.text)
	if len(toks) == 0 {
		return nil
	}
	byStart := map[int]int{} // word start -> word index
	for i, w := range ws {
		byStart[w.start] = i
	}
	names := ix.stemsIn(f.lang)
	var out []match
	for i, t := range toks {
		for _, sn := range names[t.Term] {
			last := i + len(sn.terms) - 1
			if last >= len(toks) {
				continue
			}
			ok := true
			for k := 1; k < len(sn.terms) && ok; k++ {
				ok = toks[i+k].Term == sn.terms[k] && !hasLetter(f.text[toks[i+k-1].End:toks[i+k].Start])
			}
			first, okFirst := byStart[t.Start]
			lastW, okLast := byStart[toks[last].Start]
			// An inflection, not a derivation: "databases" is Database, but
			// "parallel" is not Parallelism nor "activity" Activism; a one-word
			// name only in the plural, and never an acronym.
			ok = ok && okFirst && okLast && !sn.n.acronym && inflection(ws[lastW].folded, sn.n.words[len(sn.n.words)-1], len(sn.terms) == 1)
			if ok && lastW-first == len(sn.terms)-1 {
				out = append(out, match{n: sn.n, first: first, last: lastW, stem: true})
			}
		}
	}
	return out
}

// inflection reports whether the text's word w may be an inflection of the
// name's word n: the plural or singular of a one-word name, a form as long
// or one letter shorter within a longer name.
func inflection(w, n string, single bool) bool {
	if single {
		return w == n || w == n+"s" || w == n+"es" // "art" is not Arts, nor "electronic" Electronics
	}
	return utf8.RuneCountInString(w) >= utf8.RuneCountInString(n)-1
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// judge says what a match is worth before context (see the package doc);
// covered holds the words of every match of the field.
func (ix *Index) judge(f field, ws []word, m match, covered map[int]bool) verdict {
	n, first := m.n, ws[m.first]
	raw := f.text[first.start:ws[m.last].end]
	asWritten := raw == n.form || raw == strings.ToUpper(n.form) || strings.EqualFold(raw, n.form) && capitalised(first) == startsUpper(n.form)
	var v verdict
	switch {
	case ix.shared(n):
		v = context // namesakes: the context chooses
	case n.acronym:
		v = context
		switch {
		case raw == n.form && (utf8.RuneCountInString(n.form) >= 3 || n.ent.kind == "concept"):
			v = sure // "TLS", "AI"; not "rest" for REST
		case utf8.RuneCountInString(n.form) <= 2:
			v = no // "M3", "PR": too short to tell a tool by
		}
	case n.ent.kind == "concept":
		v = sure
		w := n.words[0]
		switch {
		case n.multi:
		case n.head:
			v = context // "Tracing" of Distributed tracing: "contact tracing" is another
		case f.title && titleCase(f.text) && words.Ordinary(f.lang, w):
			v = context // "War Logs": a title's capitals tell nothing
		case f.lang != "en" && words.Ordinary("en", w) && words.OrdinaryIn(f.lang, w):
			v = context // an English word that is another in the text's language: "compiler", to compile
		}
	case n.multi:
		v = sure
		if !asWritten && allOrdinary(f.lang, n.words) {
			v = context // "red hat", "open policy agent" in lower case
		}
	case n.distinctive:
		v = context
		if raw == n.form || raw == strings.ToUpper(n.form) || n.ent.kind != "brand" && !words.Ordinary(f.lang, n.words[0]) && utf8.RuneCountInString(n.words[0]) >= 4 {
			v = sure // "github" is GitHub; "chatbot" is no ChatBot
		}
	case words.Ordinary(f.lang, n.words[0]) || utf8.RuneCountInString(n.words[0]) <= 3 || n.ent.kind == "brand":
		// "Rust", "Go", "Signal": the case, and a context. A brand is no
		// better known: a registry lists it without saying what it is, and
		// many are words ("Meetup", "Turbo", "Mini").
		v = no
		if asWritten {
			v = context
		}
	default:
		v = sure // "Ansible", "Kubernetes"
	}
	if v != no && partOfLongerName(f, ws, m, covered) {
		v = context
	}
	if v == context && !n.multi && n.ent.kind != "concept" && !ix.shared(n) && asWritten && versioned(f.text, ws, m) {
		v = sure // "Python 3", "Go 1.22": a name with a version is a product's
	}
	if v == context && n.ent.typ == "programming language" && !n.multi && !ix.shared(n) && asWritten && languageCue(f.text, ws, m) {
		v = sure // "Rust programming language", "Rust-Compiler", "written in Go"
	}
	return v
}

// languageAfter are words that, right after a name, say it is a
// programming language's ("Rust-Compiler", "Go code"), in English, German
// and French; languageBefore the pairs of words that do so right before it
// ("written in Rust").
var (
	languageAfter = map[string]bool{
		"programming": true, "language": true, "lang": true, "compiler": true, "compilers": true,
		"code": true, "codebase": true, "crate": true, "crates": true, "toolchain": true,
		"developer": true, "developers": true, "programmer": true, "programmers": true,
		"programmiersprache": true, "entwickler": true, "entwicklerinnen": true, "vorkenntnisse": true,
		"programmierung": true, "langage": true, "développeur": true, "développeurs": true,
	}
	languageBefore = map[[2]string]bool{
		{"written", "in"}: true, {"implemented", "in"}: true, {"rewritten", "in"}: true,
		{"programming", "in"}: true, {"coding", "in"}: true, {"écrit", "en"}: true,
		{"écrits", "en"}: true, {"programmer", "en"}: true, {"programmieren", "mit"}: true,
	}
)

// languageCue reports whether the words around a match say it names a
// programming language: one of languageAfter right after it (apart by a
// space or a hyphen), or one of languageBefore's pairs right before it.
func languageCue(text string, ws []word, m match) bool {
	if i := m.last + 1; i < len(ws) && languageAfter[ws[i].folded] {
		if sep := text[ws[m.last].end:ws[i].start]; sep == " " || sep == "-" {
			return true
		}
	}
	if i := m.first; i >= 2 {
		return languageBefore[[2]string{ws[i-2].folded, ws[i-1].folded}] &&
			text[ws[i-2].end:ws[i-1].start] == " " && text[ws[i-1].end:ws[i].start] == " "
	}
	return false
}

// versioned reports whether the word after a match is a version number
// ("3", "3.12", "v2"), apart by a space.
func versioned(text string, ws []word, m match) bool {
	i := m.last + 1
	if i >= len(ws) || text[ws[m.last].end:ws[i].start] != " " {
		return false
	}
	v := strings.TrimPrefix(ws[i].raw, "v")
	if v == "" || len(v) > 4 {
		return false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func allOrdinary(lang string, ws []string) bool {
	for _, w := range ws {
		if !words.Ordinary(lang, w) {
			return false
		}
	}
	return true
}

// partOfLongerName reports whether a match is words of a longer proper
// name: a capitalised word right before it (not opening the sentence) or
// right after it, in a text where capitals tell names apart, that is no
// name of its own ("Mozilla Firefox" is two names; "Google Lunar X Prize"
// one). In German, whose nouns all take a capital, only an English word
// apart by a space counts ("Lower Hardware Hacking Area", "Human Security";
// not "Kubernetes-Cluster").
func partOfLongerName(f field, ws []word, m match, covered map[int]bool) bool {
	if f.lang != "de" && f.title && titleCase(f.text) {
		return false // a title's words all take a capital
	}
	if m.n.multi && !capitalised(ws[m.first]) {
		return false // "distributed systems" is no proper name
	}
	neighbour := func(i int, a, b word) bool {
		if covered[i] || !joined(f.text, a, b) || !capitalised(ws[i]) {
			return false
		}
		if f.lang == "de" {
			return strings.TrimSpace(f.text[a.end:b.start]) == "" && words.Ordinary("en", ws[i].folded) && !words.OrdinaryIn("de", ws[i].folded)
		}
		return true
	}
	if i := m.first - 1; i >= 0 && !sentenceStart(f.text, ws[i]) && neighbour(i, ws[i], ws[m.first]) {
		return true
	}
	if i := m.last + 1; i < len(ws) && !isAcronym(ws[i].raw) && neighbour(i, ws[m.last], ws[i]) {
		return true
	}
	return false
}

// titleCase reports whether most words of four letters or more of a title
// start with a capital, as in "Streaming With Apache Kafka": capitals tell
// nothing there.
func titleCase(text string) bool {
	long, upper := 0, 0
	for _, w := range strings.Fields(text) {
		if utf8.RuneCountInString(w) < 4 {
			continue
		}
		long++
		if startsUpper(w) {
			upper++
		}
	}
	return long >= 2 && upper*10 >= long*6
}
