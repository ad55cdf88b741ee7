package lexicon

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/vellum"

	"github.com/talkgraph/talkgraph/graph"
)

// What a match through an alternative is worth, beside the word as typed
// (1): a guess ranks below what was typed, a likelier guess above a less
// likely one.
const (
	factorTypo1  = 0.6  // one edit
	factorTypo2  = 0.4  // two edits
	factorPrefix = 0.8  // a completion of the last word
	factorPart   = 0.7  // a compound holding the word
	factorJoined = 0.9  // this word and the next written as one
	factorSplit  = 0.85 // this word written as two
)

// Bounds on what one word of a query may add to a search: each
// alternative read costs its postings.
const (
	maxTypos       = 5
	maxCompletions = 8
	maxParts       = 12
	minPrefix      = 2 // runes of the last word before it is completed
	minSplitSide   = 2
)

// Distances, as the convention of search boxes (Elasticsearch's
// fuzziness AUTO, Meilisearch, Typesense): no edit below 5 letters, one
// from 5, two from 9.
func maxEdits(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// Expand proposes the index terms a word of a query may stand for (see
// graph.Expander): the words one or two edits from a word no text holds,
// the completions of the last word, the compounds holding a word in a
// compounding language, the word joined with the next or split in two.
func (d *Dict) Expand(lang string, w graph.QueryWord) []graph.Alternative {
	terms := d.terms[lang]
	if terms == nil || w.Term == "" {
		return nil
	}
	var out []graph.Alternative
	if w.Last && utf8.RuneCountInString(w.Surface) >= minPrefix {
		out = append(out, d.completions(lang, terms, w)...)
	}
	if w.DF == 0 && len(out) == 0 {
		// A word being typed that some words start with is not a typo.
		out = append(out, d.typos(lang, terms, w)...)
	}
	if slices.Contains(compounding, lang) {
		out = append(out, d.compounds(lang, w)...)
	}
	if w.Next != "" {
		if t := d.term(lang, w.Surface+w.Next); t != "" && has(terms, t) {
			out = append(out, graph.Alternative{Term: t, Factor: factorJoined, Why: "joined", Spans: 2})
		}
	}
	if w.DF == 0 {
		if a, ok := d.split(lang, terms, w.Surface); ok {
			out = append(out, a)
		}
	}
	return dedupe(out, w.Term)
}

// typos returns the terms within the word's edit distance, the nearest
// and most common first: the terms of the words written within it of the
// word as typed (a typo in a word's ending changes its stem beyond
// recognition), and the terms within it of the word's own term.
func (d *Dict) typos(lang string, terms *vellum.FST, w graph.QueryWord) []graph.Alternative {
	edits := maxEdits(w.Surface)
	if edits == 0 {
		return nil
	}
	best := map[string]int{} // term -> fewest edits
	keep := func(term string, e int) {
		if old, ok := best[term]; !ok || e < old {
			best[term] = e
		}
	}
	if words := d.words[lang]; words != nil {
		eachWithin(words, w.Surface, edits, false, func(_ []byte, v uint64, e int) { keep(d.termOf[lang][v], e) })
	}
	if e := min(edits, maxEdits(w.Term)); e > 0 {
		eachWithin(terms, w.Term, e, false, func(k []byte, _ uint64, e int) { keep(string(k), e) })
	}
	type near struct {
		term  string
		edits int
		df    uint64
	}
	found := make([]near, 0, len(best))
	for t, e := range best {
		if df, ok, _ := terms.Get([]byte(t)); ok && t != w.Term {
			found = append(found, near{t, e, df})
		}
	}
	slices.SortFunc(found, func(a, b near) int {
		return cmp.Or(cmp.Compare(a.edits, b.edits), cmp.Compare(b.df, a.df), strings.Compare(a.term, b.term))
	})
	// The nearest only: a word one edit away is what was meant far more
	// often than one two edits away, and each alternative read costs its
	// postings.
	if len(found) > 0 {
		nearest := found[0].edits
		found = slices.DeleteFunc(found, func(n near) bool { return n.edits > nearest })
	}
	var out []graph.Alternative
	for _, n := range found[:min(len(found), maxTypos)] {
		f := factorTypo1
		if n.edits > 1 {
			f = factorTypo2
		}
		out = append(out, graph.Alternative{Term: n.term, Factor: f, Why: "typo", Spans: 1})
	}
	return out
}

// eachWithin calls fn with each key of f within edits of q (that starts
// with a key within edits, when prefix), its value and its edits.
func eachWithin(f *vellum.FST, q string, edits int, prefix bool, fn func(k []byte, v uint64, edits int)) {
	it, err := f.Search(newWithin(q, edits, prefix), nil, nil)
	for err == nil {
		k, v := it.Current()
		fn(k, v, int(it.EditDistance()))
		err = it.Next()
	}
}

// completions returns the most common terms of the words that start with
// the word as typed (its surface, not its stem: "gres" is not completed
// as "gre"), the word's own term left out.
func (d *Dict) completions(lang string, terms *vellum.FST, w graph.QueryWord) []graph.Alternative {
	best := topK{k: maxCompletions}
	p := []byte(w.Surface)
	if words := d.words[lang]; words != nil {
		seen := map[uint64]bool{}
		_ = each(words, nil, p, prefixEnd(p), func(k []byte, v uint64) bool {
			if !seen[v] {
				seen[v] = true
				if t := d.termOf[lang][v]; t != w.Term {
					if df, ok, _ := terms.Get([]byte(t)); ok {
						best.add(t, df)
					}
				}
			}
			return true
		})
		return best.alternatives(factorPrefix, "prefix")
	}
	_ = each(terms, nil, p, prefixEnd(p), func(k []byte, v uint64) bool {
		if string(k) != w.Term {
			best.add(string(k), v)
		}
		return true
	})
	return best.alternatives(factorPrefix, "prefix")
}

// compounds returns the most common terms that hold the word as a part:
// as their end or middle ("datenbank" in "graphdatenbank") or start
// ("daten" in "datenbank").
func (d *Dict) compounds(lang string, w graph.QueryWord) []graph.Alternative {
	n := utf8.RuneCountInString(w.Term)
	if n < minPart+1 {
		return nil
	}
	best := topK{k: maxParts}
	p := []byte(w.Term)
	if n < minPart+2 {
		p = append(p, 0) // a short word only as a compound's end
	}
	if parts := d.parts[lang]; parts != nil {
		_ = each(parts, nil, p, prefixEnd(p), func(k []byte, v uint64) bool {
			if i := strings.IndexByte(string(k), 0); i >= 0 {
				best.add(string(k[i+1:]), v)
			}
			return true
		})
	}
	if w.DF == 0 || n >= minPart+2 {
		start := []byte(w.Term)
		_ = each(d.terms[lang], nil, start, prefixEnd(start), func(k []byte, v uint64) bool {
			if utf8.RuneCount(k) >= n+minPart {
				best.add(string(k), v)
			}
			return true
		})
	}
	return best.alternatives(factorPart, "part")
}

// split returns the word written as two terms that texts hold, the split
// whose rarer side is the most common.
func (d *Dict) split(lang string, terms *vellum.FST, surface string) (graph.Alternative, bool) {
	var best graph.Alternative
	bestDF := uint64(0)
	for i := range surface {
		if utf8.RuneCountInString(surface[:i]) < minSplitSide || utf8.RuneCountInString(surface[i:]) < minSplitSide {
			continue
		}
		a, b := d.term(lang, surface[:i]), d.term(lang, surface[i:])
		if a == "" || b == "" {
			continue
		}
		da, oka, _ := terms.Get([]byte(a))
		db, okb, _ := terms.Get([]byte(b))
		if oka && okb && min(da, db) > bestDF {
			best, bestDF = graph.Alternative{Term: a + " " + b, Factor: factorSplit, Why: "split", Spans: 1}, min(da, db)
		}
	}
	return best, bestDF > 0
}

// term returns the index term of a single word in lang, "" when the
// analysis makes it none (a stop word) or more than one.
func (d *Dict) term(lang, word string) string {
	toks := d.an.Tokens(lang, word)
	if len(toks) != 1 {
		return ""
	}
	return toks[0].Term
}

func has(f *vellum.FST, term string) bool {
	ok, err := f.Contains([]byte(term))
	return ok && err == nil
}

// dedupe drops the alternatives that repeat a term, or the word's own.
func dedupe(alts []graph.Alternative, own string) []graph.Alternative {
	seen := map[string]bool{own: true}
	out := alts[:0]
	for _, a := range alts {
		if !seen[a.Term] {
			seen[a.Term] = true
			out = append(out, a)
		}
	}
	return out
}

// topK keeps the k keys of highest value, ties by key.
type topK struct {
	k    int
	keys []string
	vals []uint64
}

func (t *topK) add(key string, v uint64) {
	if slices.Contains(t.keys, key) {
		return
	}
	i := 0
	for i < len(t.keys) && (t.vals[i] > v || t.vals[i] == v && t.keys[i] < key) {
		i++
	}
	if i >= t.k {
		return
	}
	t.keys = slices.Insert(t.keys, i, key)
	t.vals = slices.Insert(t.vals, i, v)
	if len(t.keys) > t.k {
		t.keys, t.vals = t.keys[:t.k], t.vals[:t.k]
	}
}

func (t *topK) alternatives(factor float64, why string) []graph.Alternative {
	out := make([]graph.Alternative, len(t.keys))
	for i, k := range t.keys {
		out[i] = graph.Alternative{Term: k, Factor: factor, Why: why, Spans: 1}
	}
	return out
}
