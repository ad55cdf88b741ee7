// Package link proposes "mentions" relations that the seed files do not state
// yet: it looks for the names and aliases of known entities in the titles
// and descriptions of talks, in every language, with the same analysis as
// search (case, accents, stems), and keeps only matches it is confident of.
package link

import (
	"fmt"
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
	multi bool // more than one index term: precise enough without context
}

// Find proposes mentions for every talk the transaction sees, ordered by
// talk then entity. An entity is proposed once per talk, at its first match.
func Find(tx *graph.Tx, an graph.Analyzer, langs []string, opts Options) ([]Proposal, error) {
	index, err := buildIndex(tx, an, langs)
	if err != nil {
		return nil, err
	}
	talks, err := tx.IDs(graph.KindTalk, 0, -1)
	if err != nil {
		return nil, err
	}
	var out []Proposal
	for _, id := range talks {
		ps, err := findInTalk(tx, an, langs, index, id, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// buildIndex maps, per language, the first term of each name to the names
// that start with it. Talks and sources are not linked to.
func buildIndex(tx *graph.Tx, an graph.Analyzer, langs []string) (map[string]map[string][]candidate, error) {
	index := map[string]map[string][]candidate{}
	for _, l := range langs {
		index[l] = map[string][]candidate{}
	}
	err := tx.EachNode(func(n *graph.Node) error {
		if n.Kind == graph.KindTalk || n.Kind == graph.KindSource || n.Kind == graph.KindConference {
			return nil
		}
		for _, name := range append([]string{n.Name}, n.Aliases...) {
			if utf8.RuneCountInString(name) < 3 {
				continue // "Go", "AI": too ambiguous to find in prose
			}
			for _, l := range langs {
				toks := an.Tokens(l, name)
				if len(toks) == 0 {
					continue
				}
				c := candidate{n.ID, terms(toks), len(toks) > 1}
				index[l][c.terms[0]] = append(index[l][c.terms[0]], c)
			}
		}
		return nil
	})
	return index, err
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

func findInTalk(tx *graph.Tx, an graph.Analyzer, langs []string, index map[string]map[string][]candidate, id string, opts Options) ([]Proposal, error) {
	n, err := tx.Node(id)
	if err != nil {
		return nil, err
	}
	known, err := stated(tx, id, opts)
	if err != nil {
		return nil, err
	}
	var fields []field
	for _, l := range langs {
		fields = append(fields, field{"name", l, n.Name})
	}
	for _, l := range langs {
		if d := n.Description[l]; d != "" {
			fields = append(fields, field{"description." + l, l, d})
		}
	}
	found := map[string]Proposal{}
	for _, f := range fields {
		for _, p := range match(an, index[f.lang], f, known) {
			if _, ok := found[p.Entity]; !ok {
				p.Talk = id
				found[p.Entity] = p
			}
		}
	}
	return confident(tx, found, known)
}

// match finds the names of index in one field's text.
func match(an graph.Analyzer, index map[string][]candidate, f field, known map[string]bool) []Proposal {
	toks := an.Tokens(f.lang, f.text)
	var out []Proposal
	for i, t := range toks {
		for _, c := range index[t.Term] {
			if known[c.id] || i+len(c.terms) > len(toks) || !equalTerms(toks[i:i+len(c.terms)], c.terms) {
				continue
			}
			end := toks[i+len(c.terms)-1].End
			p := Proposal{Entity: c.id, Field: f.name, Offset: t.Start, Text: f.text[t.Start:end]}
			if c.multi || properNoun(f.text, t.Start) {
				out = append(out, p)
			} else {
				out = append(out, Proposal{Entity: "?" + c.id, Field: p.Field, Offset: p.Offset, Text: p.Text})
			}
		}
	}
	return out
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
		ok, err := inContext(tx, id, known)
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
