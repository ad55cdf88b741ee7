// Package lexicon is the dictionary of a store's index terms and names,
// for the search to forgive what people half-remember: a typo ("kafak"),
// the start of a word being typed ("stell"), a part of a German compound
// ("Datenbank" of "Graphdatenbanken"), two words written as one or one as
// two ("open telemetry"); and for suggestions as one types a name.
//
// A Dict is built from one version of the store, through its public API
// (Tx.Terms, Tx.Names), into finite-state transducers (vellum, as bleve's
// own term dictionaries), which answer prefix and edit-distance questions
// by walking only the keys that can match. A Lexicon keeps the dictionary
// of the latest version built, and builds the next one in the background
// when the store changes: a dictionary one write behind proposes a word a
// deleted text held, which then finds nothing.
package lexicon

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/vellum"

	"github.com/talkgraph/talkgraph/graph"
)

// compounding are the languages whose nouns join into compounds that a
// part of should find ("Lastverteilung" holds "Verteilung").
var compounding = []string{"de", "nl", "sv", "da", "no"}

// Compound parts: a term of at least minCompound letters is indexed by
// its suffixes of at least minPart letters, starting after its first
// minPart letters.
const (
	minCompound = 8
	minPart     = 4
	maxNameWord = 8 // a name is found from any of its first words
)

// Dict is the dictionary of one version of a store. It is safe for
// concurrent use.
type Dict struct {
	version uint64
	an      graph.Analyzer
	terms   map[string]*vellum.FST // lang -> term -> how many texts hold it
	words   map[string]*vellum.FST // lang -> a word as written, folded -> its term's index in termOf
	termOf  map[string][]string    // lang -> the terms words stand for
	parts   map[string]*vellum.FST // lang -> suffix 0 term -> how many texts hold the term
	names   [2]*vellum.FST         // a name from its start [0] or from a later word [1], 0, entry -> entry
	entries []entry
	shown   []string // the names entries are of, folded
	nodes   []node   // in id order
}

// entry is one key of the names' transducer: a name of a node, from one
// of its words on. It is small because there are many: several for each
// name of each node.
type entry struct {
	node int32 // index in nodes
	name int32 // index in shown
	word int16 // the word of the name the key starts at
	isID bool  // the name is the node's id: shown only when no name matches as well
}

// node is what a suggestion ranks by: the more related, the better known.
type node struct {
	id      string
	kind    graph.Kind
	degree  int
	nameLen int    // runes of its shortest name
	name    string // its name, folded
}

// Version is the store version the dictionary was built from.
func (d *Dict) Version() uint64 { return d.version }

// Build builds the dictionary of the version tx reads, of store. It
// returns the store's read errors and the context's error.
func Build(tx *graph.Tx, store *graph.Store) (*Dict, error) {
	d := &Dict{version: tx.Version(), an: store.Analyzer, terms: map[string]*vellum.FST{}, parts: map[string]*vellum.FST{},
		words: map[string]*vellum.FST{}, termOf: map[string][]string{}}
	byLang := map[string][]termDF{}
	err := tx.Terms(func(lang, term string, df int) error {
		byLang[lang] = append(byLang[lang], termDF{term, df})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for lang, list := range byLang {
		if d.terms[lang], err = buildFST(list); err != nil {
			return nil, err
		}
		if slices.Contains(compounding, lang) {
			if d.parts[lang], err = buildFST(suffixes(list)); err != nil {
				return nil, err
			}
		}
	}
	if err := d.buildNodes(tx, store); err != nil {
		return nil, err
	}
	if err := d.buildNames(tx); err != nil {
		return nil, err
	}
	return d, nil
}

// buildNodes reads every node once, in id order: what a suggestion ranks
// it by (d.nodes), and the words of its texts, from which it builds, per
// language, the transducer of the words as written to their terms. Nodes
// are read as a stream, not through Tx.Node, which keeps what it reads for
// the transaction's life: every node of a large database at once.
func (d *Dict) buildNodes(tx *graph.Tx, store *graph.Store) error {
	type langWords struct {
		term  map[string]int // term -> index in termOf
		words map[string]int // word -> term index
	}
	all := map[string]*langWords{}
	err := tx.EachNode(func(n *graph.Node) error {
		deg, err := tx.CountRelations(n.ID, graph.Both, "")
		if err != nil {
			return fmt.Errorf("lexicon: %s: %w", n.ID, err)
		}
		d.nodes = append(d.nodes, node{id: n.ID, kind: n.Kind, degree: deg, nameLen: math.MaxInt, name: d.an.Fold(n.Name)})
		store.Words(n, func(lang, word, term string) {
			lw := all[lang]
			if lw == nil {
				lw = &langWords{term: map[string]int{}, words: map[string]int{}}
				all[lang] = lw
			}
			if _, ok := lw.words[word]; ok {
				return
			}
			i, ok := lw.term[term]
			if !ok {
				i = len(d.termOf[lang])
				lw.term[term] = i
				d.termOf[lang] = append(d.termOf[lang], term)
			}
			lw.words[word] = i
		})
		return nil
	})
	if err != nil {
		return err
	}
	cmpID := func(a, b node) int { return strings.Compare(a.id, b.id) }
	if !slices.IsSortedFunc(d.nodes, cmpID) {
		slices.SortFunc(d.nodes, cmpID)
	}
	for lang, lw := range all {
		list := make([]termDF, 0, len(lw.words))
		for w, i := range lw.words {
			list = append(list, termDF{w, i})
		}
		if d.words[lang], err = buildFST(list); err != nil {
			return err
		}
	}
	return nil
}

// nodeIndex is the index of node id in d.nodes, or false.
func (d *Dict) nodeIndex(id string) (int32, bool) {
	i, ok := slices.BinarySearchFunc(d.nodes, id, func(n node, id string) int { return strings.Compare(n.id, id) })
	return int32(i), ok
}

type termDF struct {
	key string
	df  int
}

// buildFST builds a transducer of keys to values; list need not be sorted.
func buildFST(list []termDF) (*vellum.FST, error) {
	slices.SortFunc(list, func(a, b termDF) int { return strings.Compare(a.key, b.key) })
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return nil, err
	}
	last := ""
	for i, t := range list {
		if i > 0 && t.key == last {
			continue
		}
		if err := b.Insert([]byte(t.key), uint64(t.df)); err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		last = t.key
	}
	if err := b.Close(); err != nil {
		return nil, err
	}
	return vellum.Load(buf.Bytes())
}

// suffixes returns the keys of the compound parts of the terms: each
// suffix that could be a word of a compound, then 0 and the term.
func suffixes(list []termDF) []termDF {
	var out []termDF
	for _, t := range list {
		if utf8.RuneCountInString(t.key) < minCompound {
			continue
		}
		for i := range t.key {
			if i < minPart || len(t.key)-i < minPart || !utf8.RuneStart(t.key[i]) {
				continue
			}
			out = append(out, termDF{t.key[i:] + "\x00" + t.key, t.df})
		}
	}
	return out
}

// prefixEnd returns the first key after every key that starts with p.
func prefixEnd(p []byte) []byte {
	end := slices.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// each calls fn with the keys and values of f from start (inclusive) to
// end (exclusive; nil: the end), through a (nil: every key), until fn
// returns false.
func each(f *vellum.FST, a vellum.Automaton, start, end []byte, fn func(k []byte, v uint64) bool) error {
	var it *vellum.FSTIterator
	var err error
	if a != nil {
		it, err = f.Search(a, start, end)
	} else {
		it, err = f.Iterator(start, end)
	}
	for err == nil {
		k, v := it.Current()
		if !fn(k, v) {
			return nil
		}
		err = it.Next()
	}
	if err == vellum.ErrIteratorDone {
		return nil
	}
	return err
}
