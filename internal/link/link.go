// Package link proposes "mentions" relations that the seed files do not state
// yet: it looks for the names and aliases of known entities in the titles
// and descriptions of talks, in every language, with the same analysis as
// search (case, accents, stems), and keeps only matches it is confident of.
package link

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkgraph/talkgraph/graph"
)

// Proposal is one proposed relation: talk mentions entity, with where the
// name was found.
type Proposal struct {
	Talk, Entity string
	Field        string // "name" or "description.<lang>"
	Offset       int    // byte offset of the match in that field
	Text         string // the matched text as written
}

// Quote is the proposal's evidence quote: where and what was matched.
func (p Proposal) Quote() string { return fmt.Sprintf("%s@%d: %s", p.Field, p.Offset, p.Text) }

// Options tune what counts as stated.
type Options struct {
	// Derived reports whether an edge's evidence comes only from a file of
	// earlier proposals (which are proposed again, not treated as stated).
	Derived func(graph.Evidence) bool
}

// candidate is one name of an entity, as a sequence of index terms.
type candidate struct {
	id    string
	terms []string
	multi bool   // more than one index term: precise enough without context
	form  string // the name as written
	// distinctive: written in a way no dictionary word is (a capital or a
	// digit inside, "HashiCorp", "k8s", or in capitals, "SRE").
	distinctive bool
}

// index finds names by their first index term, per language, built for a
// language when a text in it is first met.
type index struct {
	an    graph.Analyzer
	names [][2]string // id, name
	langs map[string]map[string][]candidate
}

// Find proposes mentions for every talk the transaction sees, ordered by
// talk then entity. An entity is proposed once per talk, at its first match.
// A talk's title is read in langs and in the talk's "lang" prop, each
// description in its own language.
func Find(tx *graph.Tx, an graph.Analyzer, langs []string, opts Options) ([]Proposal, error) {
	idx, err := buildIndex(tx, an)
	if err != nil {
		return nil, err
	}
	talks, err := tx.IDs(graph.KindTalk, 0, -1)
	if err != nil {
		return nil, err
	}
	var out []Proposal
	for _, id := range talks {
		ps, err := findInTalk(tx, langs, idx, id, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// buildIndex collects the names to look for. Talks, sources and
// conferences are not linked to.
func buildIndex(tx *graph.Tx, an graph.Analyzer) (*index, error) {
	idx := &index{an: an, langs: map[string]map[string][]candidate{}}
	err := tx.EachNode(func(n *graph.Node) error {
		if n.Kind == graph.KindTalk || n.Kind == graph.KindSource || n.Kind == graph.KindConference {
			return nil
		}
		for _, name := range append([]string{n.Name}, n.Aliases...) {
			if utf8.RuneCountInString(name) < 3 {
				continue // "Go", "AI": too ambiguous to find in prose
			}
			idx.names = append(idx.names, [2]string{n.ID, name})
		}
		return nil
	})
	return idx, err
}

// in returns the names of language l by their first term.
func (idx *index) in(l string) map[string][]candidate {
	if m, ok := idx.langs[l]; ok {
		return m
	}
	m := map[string][]candidate{}
	for _, nm := range idx.names {
		toks := idx.an.Tokens(l, nm[1])
		if len(toks) == 0 {
			continue
		}
		c := candidate{id: nm[0], terms: terms(toks), multi: len(toks) > 1, form: nm[1], distinctive: distinctive(nm[1])}
		m[c.terms[0]] = append(m[c.terms[0]], c)
	}
	idx.langs[l] = m
	return m
}

// distinctive reports whether a one-word name is written as no dictionary
// word is: a capital or a digit after its first letter.
func distinctive(name string) bool {
	for i, r := range name {
		if i > 0 && (unicode.IsUpper(r) || unicode.IsDigit(r)) {
			return true
		}
	}
	return false
}

func terms(toks []graph.Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

// stated returns the entities the talk is already joined to, in either
// direction, by relations not derived from earlier proposals.
func stated(tx *graph.Tx, talk string, opts Options) (map[string]bool, error) {
	rels, err := tx.Relations(talk, graph.Both, "", -1)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rels {
		for _, ev := range r.Evidence {
			if opts.Derived == nil || !opts.Derived(ev) {
				out[r.Other()] = true
				break
			}
		}
	}
	return out, nil
}

// field is one text of a talk and the language to analyze it in.
type field struct{ name, lang, text string }

func findInTalk(tx *graph.Tx, langs []string, idx *index, id string, opts Options) ([]Proposal, error) {
	n, err := tx.Node(id)
	if err != nil {
		return nil, err
	}
	known, err := stated(tx, id, opts)
	if err != nil {
		return nil, err
	}
	titleLangs := slices.Clone(langs)
	if l := n.Props["lang"]; l != "" {
		titleLangs = append(titleLangs, l)
	}
	var fields []field
	for _, l := range titleLangs {
		fields = append(fields, field{"name", l, n.Name})
	}
	descLangs := slices.Sorted(maps.Keys(n.Description))
	for _, l := range descLangs {
		if d := n.Description[l]; d != "" {
			fields = append(fields, field{"description." + l, l, d})
		}
	}
	found := map[string]Proposal{}
	for _, f := range fields {
		for _, p := range match(idx.an, idx.in(f.lang), f, known) {
			if _, ok := found[p.Entity]; !ok {
				p.Talk = id
				found[p.Entity] = p
			}
		}
	}
	return confident(tx, found, known)
}

// match finds the names of index in one field's text. A name of several
// words, or one written distinctively and found as written, is sure; a
// single plain word is sure only when found as written, not opening a
// sentence, in a text where capitals tell names apart (not German, whose
// nouns all take one, nor a title in Title Case) or, there, when it is
// long (the short ones are the dictionary's: Rust, Vault, Flink, Spark).
// Other matches need a context (see confident).
func match(an graph.Analyzer, index map[string][]candidate, f field, known map[string]bool) []Proposal {
	toks := an.Tokens(f.lang, f.text)
	capsTell := f.lang != "de" && (f.name != "name" || !titleCase(f.text))
	var out []Proposal
	for i, t := range toks {
		for _, c := range index[t.Term] {
			if known[c.id] || i+len(c.terms) > len(toks) || !equalTerms(toks[i:i+len(c.terms)], c.terms) {
				continue
			}
			end := toks[i+len(c.terms)-1].End
			p := Proposal{Entity: c.id, Field: f.name, Offset: t.Start, Text: f.text[t.Start:end]}
			w := strings.TrimSuffix(strings.TrimSuffix(p.Text, "'s"), "’s") // "Mozilla's"
			asWritten := w == c.form || w == strings.ToUpper(c.form)
			named := asWritten && properNoun(f.text, t.Start)
			if c.multi || c.distinctive && asWritten || named && (capsTell || utf8.RuneCountInString(c.form) >= 7) {
				out = append(out, p)
			} else {
				out = append(out, Proposal{Entity: "?" + c.id, Field: p.Field, Offset: p.Offset, Text: p.Text})
			}
		}
	}
	return out
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
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			upper++
		}
	}
	return long >= 2 && upper*10 >= long*6
}

func equalTerms(toks []graph.Token, want []string) bool {
	for i, t := range toks {
		if t.Term != want[i] {
			return false
		}
	}
	return true
}

// properNoun reports whether the word at off is written as a name: with a
// capital (or in capitals) and not merely because it opens a sentence.
func properNoun(text string, off int) bool {
	r, _ := utf8.DecodeRuneInString(text[off:])
	if !unicode.IsUpper(r) {
		return false
	}
	before := strings.TrimRightFunc(text[:off], unicode.IsSpace)
	if before == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(before)
	return !strings.ContainsRune(".!?:«\"“(", last)
}

// contextTypes are the relations that make a lower-case single word
// credible: the entity's maker, owner, creator, maintainer or family.
var contextTypes = []string{"makes", "owns", "created", "maintains", "part_of", "based_on", "open_sourced_as"}

// confident keeps precise matches and, for a single word written in lower
// case or opening a sentence (a "Vault" that may be a vault), only those
// whose entity's maker, owner or family the talk already speaks of.
func confident(tx *graph.Tx, found map[string]Proposal, known map[string]bool) ([]Proposal, error) {
	// What the talk surely speaks of is context too: "Mozilla's language,
	// Rust" needs no stated relation to Mozilla.
	context := maps.Clone(known)
	for key := range found {
		if !strings.HasPrefix(key, "?") {
			context[key] = true
		}
	}
	var out []Proposal
	for key, p := range found {
		if !strings.HasPrefix(key, "?") {
			out = append(out, p)
			continue
		}
		id := key[1:]
		if _, sure := found[id]; sure {
			continue
		}
		ok, err := inContext(tx, id, context)
		if err != nil {
			return nil, err
		}
		if ok {
			p.Entity = id
			out = append(out, p)
		}
	}
	sortProposals(out)
	return out, nil
}

func inContext(tx *graph.Tx, id string, known map[string]bool) (bool, error) {
	for _, typ := range contextTypes {
		rels, err := tx.Relations(id, graph.Both, typ, -1)
		if err != nil {
			return false, err
		}
		for _, r := range rels {
			if known[r.Other()] {
				return true, nil
			}
		}
	}
	return false, nil
}

func sortProposals(out []Proposal) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Talk != out[j].Talk {
			return out[i].Talk < out[j].Talk
		}
		return out[i].Entity < out[j].Entity
	})
}
