package graph

import (
	"encoding/binary"
	"maps"
	"slices"
)

// Version returns the store version the transaction reads: what a cache of
// derived data (a dictionary of the index's terms) is valid for.
func (tx *Tx) Version() uint64 { return tx.ts }

// Terms calls fn with every index term of every language and how many
// nodes hold it, summed over the data sets: languages in name order, each
// language's terms in byte order. It reads the document frequencies ("f"
// keys), not the postings. It returns the store's read errors, fn's error
// and the context's error.
func (tx *Tx) Terms(fn func(lang, term string, df int) error) error {
	byLang := map[string]map[string]int{}
	err := tx.scan([]byte{tagDF}, func(k, v []byte) error {
		ps := parts(k)
		if len(ps) != 3 || len(v) != 4 {
			return nil
		}
		m := byLang[ps[1]]
		if m == nil {
			m = map[string]int{}
			byLang[ps[1]] = m
		}
		m[ps[2]] += int(binary.BigEndian.Uint32(v))
		return nil
	})
	if err != nil {
		return err
	}
	for _, lang := range slices.Sorted(maps.Keys(byLang)) {
		for _, term := range slices.Sorted(maps.Keys(byLang[lang])) {
			if df := byLang[lang][term]; df > 0 {
				if err := fn(lang, term, df); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Names calls fn with every folded name, alias and id the name index
// holds and the id of the node it names, in folded-name order. It returns
// the store's read errors, fn's error and the context's error.
func (tx *Tx) Names(fn func(folded, id string) error) error {
	return tx.scanKeys([]byte{tagAlias}, func(k, _ []byte) error {
		if ps := parts(k); len(ps) == 2 {
			return fn(ps[0], ps[1])
		}
		return nil
	})
}

// Words calls fn with each word of n's texts as its search postings hold
// them (see termFreqs), in each language n is indexed in: the word as
// written, case and accents folded, and its index term. A dictionary of
// what people type reads it: a typo is near the word written, not always
// near its stem ("orchestraton" is one edit from "orchestration", five
// from "orchestr").
func (s *Store) Words(n *Node, fn func(lang, word, term string)) {
	for _, lang := range s.nodeLangs(n) {
		texts := append(append([]string{n.Name}, n.Aliases...), n.Description[lang])
		for _, text := range texts {
			for _, t := range s.Analyzer.Tokens(lang, text) {
				fn(lang, s.Analyzer.Fold(text[t.Start:t.End]), t.Term)
			}
		}
	}
}
