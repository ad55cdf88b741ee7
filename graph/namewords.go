package graph

import (
	"sort"
)

// nameCandidates finds the nodes whose name or an alias holds name's words
// (holds tells, on a folded name) through the search postings, so that an
// unknown name costs the postings of one word, not a scan of every name.
// Every node's names are indexed in the store's first language with weight
// nameWeight, so a node whose name holds the name's rarest term has a
// posting of it with a frequency of nameWeight or more; the postings come
// most frequent first, and the reading stops below that. It returns false
// when the name has no index term (only stop words), for the caller to
// scan instead. A word found only in an id is not found this way.
func (tx *Tx) nameCandidates(name string, holds func(folded string) bool) ([]string, bool, error) {
	if len(tx.s.Languages) == 0 {
		return nil, false, nil
	}
	lang := tx.s.Languages[0]
	stats, err := tx.searchStats()
	if err != nil {
		return nil, false, err
	}
	rare, rareDF := "", -1
	for _, t := range tx.s.Analyzer.Tokens(lang, name) {
		df, err := tx.docFreq(stats[lang].sets, lang, t.Term)
		if err != nil {
			return nil, false, err
		}
		if rareDF < 0 || df < rareDF {
			rare, rareDF = t.Term, df
		}
	}
	if rareDF < 0 {
		return nil, false, nil
	}
	p := prefix(tagPosting, lang, rare)
	var ids []string
	err = tx.scanKeys(p, func(k, _ []byte) error {
		tf, _, id, ok := parsePosting(p, k)
		if !ok {
			return nil
		}
		if tf < nameWeight {
			return errStop
		}
		n, err := tx.Node(id)
		if err != nil {
			return err
		}
		for _, nm := range append([]string{n.Name}, n.Aliases...) {
			if holds(tx.s.Analyzer.Fold(nm)) {
				ids = append(ids, id)
				break
			}
		}
		return nil
	})
	if err == errStop {
		err = nil
	}
	sort.Strings(ids)
	return ids, true, err
}
