package graph

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Field weights: a word of the name or an alias counts as much as three words
// of a description, so "Kafka" ranks Kafka before talks that mention it.
const (
	nameWeight = 3
	descWeight = 1
	maxUint16  = math.MaxUint16
)

// BM25 parameters, the usual ones.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

type posting struct {
	lang, term string
	tf, length int
}

// postings returns the node's index terms in each of its languages (see
// nodeLangs): its names and aliases, and its description in that language,
// analyzed in that language.
func (s *Store) postings(n *Node) []posting {
	var out []posting
	for _, lang := range s.nodeLangs(n) {
		tf := map[string]int{}
		length := s.termFreqs(n, lang, func(term string, w int) { tf[term] += w })
		terms := make([]string, 0, len(tf))
		for t := range tf {
			terms = append(terms, t)
		}
		sort.Strings(terms)
		for _, t := range terms {
			out = append(out, posting{lang, t, tf[t], length})
		}
	}
	return out
}

// nodeLangs returns the languages a node is indexed in: the store's
// Languages (so that a name is found whatever the language of the query),
// each language the node has a description in, and a talk's "lang" prop
// (the language of its title). Each text is analysed in its own language;
// the search reads every language indexed, so a German description is
// found by German words with German stemming.
func (s *Store) nodeLangs(n *Node) []string {
	langs := slices.Clone(s.Languages)
	for lang := range n.Description {
		langs = append(langs, lang)
	}
	if l := strings.ToLower(n.Props["lang"]); l != "" && n.Kind == KindTalk {
		langs = append(langs, l) // "FR" in a programme is "fr" in the index
	}
	slices.Sort(langs)
	return slices.Compact(langs)
}

// termFreqs calls fn with each index term of n's text in lang and its
// weight, and returns the text's length in terms. It is the one definition
// of what a node's postings hold: the search scores a node from it too.
func (s *Store) termFreqs(n *Node, lang string, fn func(term string, weight int)) int {
	length := 0
	for _, name := range append([]string{n.Name}, n.Aliases...) {
		for _, t := range s.Analyzer.Tokens(lang, name) {
			fn(t.Term, nameWeight)
			length++
		}
	}
	for _, t := range s.Analyzer.Tokens(lang, n.Description[lang]) {
		fn(t.Term, descWeight)
		length++
	}
	return length
}

// SearchHit is a node that matches a search, with its score.
type SearchHit struct {
	ID    string
	Score float64
	// Lang is the language whose analysis matched best.
	Lang string
	// Via, when set, is the entity the query names that the hit is
	// related to: the hit's text holds none of the query's words (see
	// SearchOptions.Related).
	Via string
}

// Search ranks nodes by BM25 against text, analyzed per language. With no
// langs, every indexed language is searched and a node keeps its best score.
// Only nodes whose kind is in kinds are kept when kinds is not empty. The
// result is ordered by score, then id, and cut at limit. It returns the
// store's read errors and the context's error.
func (tx *Tx) Search(text string, langs []string, kinds []Kind, limit int) ([]SearchHit, error) {
	return tx.SearchWith(text, SearchOptions{Langs: langs, Kinds: kinds}, limit)
}

// SearchOptions narrow a search.
type SearchOptions struct {
	// Langs are the languages searched; none: every indexed language.
	Langs []string
	// Kinds keeps the nodes of these kinds; none: every kind.
	Kinds []Kind
	// Conference, an id, keeps the talks part of that conference and
	// nothing else; "": no such filter.
	Conference string
	// Expander, when set, widens the query's words (typos, the last word's
	// completions, compounds): see Expander.
	Expander Expander
	// Related adds, below every direct match, the talks related to an
	// entity the query names whole (a topic named in another language:
	// "Verschlüsselung", an alias of Encryption, finds the talks about
	// encryption in English).
	Related bool
}

// SearchWith is Search with the options o. Filters are applied as nodes
// are met, before they enter the top, so the top is exact and the search
// still stops early. It returns ErrNotFound when o.Conference is not a
// conference, the store's read errors and the context's error.
func (tx *Tx) SearchWith(text string, o SearchOptions, limit int) ([]SearchHit, error) {
	hits, _, err := tx.SearchWords(text, o, limit)
	return hits, err
}

// SearchWords is SearchWith that also says what it made of each word of
// the query in each language searched: its term, how many texts hold it,
// the alternatives searched (see Expander).
func (tx *Tx) SearchWords(text string, o SearchOptions, limit int) ([]SearchHit, []SearchedWord, error) {
	f, err := tx.newFilter(o)
	if err != nil {
		return nil, nil, err
	}
	// A node's score is its best language's, so the top of the whole is
	// within the union of each language's top.
	stats, err := tx.searchStats()
	if err != nil {
		return nil, nil, err
	}
	langs := o.Langs
	if len(langs) == 0 {
		langs = searchLangs(stats)
	}
	best := map[string]SearchHit{}
	floor := math.Inf(-1)
	var words []SearchedWord
	for _, lang := range langs {
		hits, ws, err := tx.searchLang(stats[lang], lang, text, f, o.Expander, limit, floor)
		if err != nil {
			return nil, nil, err
		}
		words = append(words, ws...)
		for _, h := range hits {
			if h.Score > best[h.ID].Score {
				best[h.ID] = h
			}
		}
		// Nodes that score less than the limit-th best so far cannot
		// enter the top: the next language need not look at them.
		if top := topOf(best, limit); top.full() && len(top.h) > 0 {
			floor = top.h[0].Score
		}
	}
	hits := topOf(best, limit).sorted()
	if o.Related {
		if hits, err = tx.addRelated(text, f, hits, limit); err != nil {
			return nil, nil, err
		}
	}
	return hits, words, nil
}

// searchLangs returns every language indexed, those with the most nodes
// first: their top sets the floor the smaller ones are searched above, and
// a language costs what its postings of the query's words cost, so many
// languages cost what their postings cost, not a search each.
func searchLangs(stats map[string]langTotals) []string {
	langs := slices.Collect(maps.Keys(stats))
	slices.SortFunc(langs, func(a, b string) int {
		if c := cmp.Compare(stats[b].docs, stats[a].docs); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return langs
}

func topOf(hits map[string]SearchHit, limit int) *topHits {
	top := &topHits{limit: limit}
	for _, h := range hits {
		top.add(h)
	}
	return top
}

// better orders hits: higher score first, then id.
func better(a, b SearchHit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.ID < b.ID
}

// topHits keeps the best limit hits in a heap whose root is the worst kept,
// so a frequent word's thousands of matches are not all sorted.
type topHits struct {
	limit int // < 0: keep all
	h     []SearchHit
}

func (t *topHits) full() bool { return t.limit >= 0 && len(t.h) >= t.limit }

func (t *topHits) add(h SearchHit) {
	switch {
	case t.limit == 0:
	case t.limit < 0 || len(t.h) < t.limit:
		t.h = append(t.h, h)
		t.up(len(t.h) - 1)
	case better(h, t.h[0]):
		t.h[0] = h
		t.down(0)
	}
}

func (t *topHits) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !better(t.h[p], t.h[i]) {
			return
		}
		t.h[p], t.h[i] = t.h[i], t.h[p]
		i = p
	}
}

func (t *topHits) down(i int) {
	for {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(t.h) && better(t.h[w], t.h[l]) {
			w = l
		}
		if r < len(t.h) && better(t.h[w], t.h[r]) {
			w = r
		}
		if w == i {
			return
		}
		t.h[w], t.h[i] = t.h[i], t.h[w]
		i = w
	}
}

func (t *topHits) sorted() []SearchHit {
	sort.Slice(t.h, func(i, j int) bool { return better(t.h[i], t.h[j]) })
	return t.h
}

// scanKeys calls fn for every key with prefix p, without reading values.
func (tx *Tx) scanKeys(p []byte, fn func(k, v []byte) error) error {
	return tx.scanRaw(p, false, fn)
}

// scan calls fn for every key with prefix p and its value.
func (tx *Tx) scan(p []byte, fn func(k, v []byte) error) error {
	return tx.scanRaw(p, true, fn)
}

// scanRaw calls fn with every key under p (and its value when values is
// set), counting one store read, and stops when the transaction's context
// is done: checked at the first key and every few thousand after, as a
// check per key cost a build of the talk index more than its reading.
func (tx *Tx) scanRaw(p []byte, values bool, fn func(k, v []byte) error) error {
	tx.s.reads.Add(1)
	it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
	defer it.Close()
	n := 0
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		if n++; n%4096 == 1 {
			if err := tx.ctx.Err(); err != nil {
				return err
			}
		}
		item := it.Item()
		var err error
		if values && item.ValueSize() > 0 {
			err = item.Value(func(v []byte) error { return fn(item.Key(), v) })
		} else {
			err = fn(item.Key(), nil)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
