package graph

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// Ranking adds up BM25 scores term at a time: each word of the query reads
// its posting blocks (see blocks.go), a few values of up to 1,024 postings
// each, and adds each posting's score to its node's accumulator, an array
// indexed by node number. The cost is the postings of the query's words,
// whatever their number: it grows linearly with the words, and a word that
// every text holds costs an array pass, not a key read a posting. The top
// is then picked from the accumulators (see pick). A filter that keeps a
// few nodes scores them from their text instead (see scoreAll).

// queryTerm is one analyzed word of the query in one language.
type queryTerm struct {
	term string
	idf  float64
	df   int
	// memo holds the scores of small frequencies and lengths of a word
	// many texts hold, computed once: its postings repeat them, and the
	// division cost a sixth of an eight-word search in a profile.
	memo []float64
}

const (
	memoTF   = 8    // frequencies below this are memoised
	memoLen  = 512  // and lengths below this
	memoFrom = 4096 // for a word this many texts hold, or more
)

// memoise fills t.memo when the word is frequent enough to repay it.
func (t *queryTerm) memoise(avg float64) {
	if t.df < memoFrom {
		return
	}
	t.memo = make([]float64, memoTF*memoLen)
	for tf := 1; tf < memoTF; tf++ {
		for l := range memoLen {
			t.memo[tf*memoLen+l] = bm25(t.idf, tf, l, avg)
		}
	}
}

// ranker holds one language's search.
type ranker struct {
	tx    *Tx
	lang  string
	avg   float64
	terms []*queryTerm
	index map[string]int // a term's place in terms
}

// bm25 is one term's BM25 contribution for a node.
func bm25(idf float64, tf, length int, avg float64) float64 {
	f := float64(tf)
	return idf * f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*float64(length)/avg))
}

// addTerm adds a word of the query; it returns false when no node holds it.
func (r *ranker) addTerm(term string, docs float64, df int) bool {
	if df == 0 {
		return false
	}
	idf := math.Log(1 + (docs-float64(df)+0.5)/(float64(df)+0.5))
	t := &queryTerm{term: term, idf: idf, df: df}
	t.memoise(r.avg)
	r.terms = append(r.terms, t)
	return true
}

// accumulate adds up the scores of every node holding a term, term after
// term in the query's order, so that two nodes with the same postings get
// the same sum.
func (r *ranker) accumulate(acc *accumulator) error {
	p := prefix(tagBlock, r.lang)
	it := r.tx.txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
	defer it.Close()
	for _, t := range r.terms {
		tp := prefix(tagBlock, r.lang, t.term)
		for it.Seek(tp); it.ValidForPrefix(tp); it.Next() {
			if err := r.tx.ctx.Err(); err != nil {
				return err
			}
			k := it.Item().Key()
			if len(k) != len(tp)+4 {
				continue
			}
			base := binary.BigEndian.Uint32(k[len(tp):]) << blockBits
			err := it.Item().Value(func(v []byte) error {
				r.addBlock(acc, t, base, v)
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// addBlock adds the scores of one block's postings: the loop every posting
// of the query goes through.
func (r *ranker) addBlock(acc *accumulator, t *queryTerm, base uint32, v []byte) {
	for ; len(v) >= blockEntrySize; v = v[blockEntrySize:] {
		num := base | uint32(binary.BigEndian.Uint16(v))
		tf, length := int(binary.BigEndian.Uint16(v[2:])), int(binary.BigEndian.Uint16(v[4:]))
		var s float64
		if t.memo != nil && tf < memoTF && length < memoLen {
			s = t.memo[tf*memoLen+length]
		} else {
			s = bm25(t.idf, tf, length, r.avg)
		}
		if acc.dense && int(num) < len(acc.score) {
			acc.score[num] += s
		} else {
			acc.add(num, s)
		}
	}
}

// scoreNode returns a node's whole score for the query, from its text: the
// same analysis wrote its postings (see Store.termFreqs).
func (r *ranker) scoreNode(n *Node) float64 {
	tf := make([]int, len(r.terms))
	length := r.tx.s.termFreqs(n, r.lang, func(term string, w int) {
		if i, ok := r.index[term]; ok {
			tf[i] += w
		}
	})
	length = min(length, maxUint16)
	score := 0.0
	for i, t := range r.terms {
		if tf[i] > 0 {
			score += bm25(t.idf, min(tf[i], maxUint16), length, r.avg)
		}
	}
	return score
}

// searchLang returns the best limit nodes that f accepts for text analyzed
// in lang (limit < 0: all). Nodes scoring less than floor may be left out.
func (tx *Tx) searchLang(st langTotals, lang, text string, f *filter, limit int, floor float64) ([]SearchHit, error) {
	docs, total, sets := st.docs, st.length, st.sets
	if docs == 0 || limit == 0 {
		return nil, nil
	}
	r := &ranker{tx: tx, lang: lang, avg: float64(total) / float64(docs), index: map[string]int{}}
	for _, t := range tx.s.Analyzer.Tokens(lang, text) {
		if _, ok := r.index[t.Term]; ok {
			continue
		}
		df, err := tx.docFreq(sets, lang, t.Term)
		if err != nil {
			return nil, err
		}
		if r.addTerm(t.Term, float64(docs), df) {
			r.index[t.Term] = len(r.terms) - 1
		}
	}
	if len(r.terms) == 0 {
		return nil, nil
	}
	tx.s.reads.Add(1)
	if f.ids != nil {
		return r.scoreAll(f, limit)
	}
	size, err := tx.numbers()
	if err != nil {
		return nil, err
	}
	postings := 0
	for _, t := range r.terms {
		postings += t.df
	}
	acc := accumulators.Get().(*accumulator)
	defer accumulators.Put(acc)
	acc.prepare(size, 4*postings >= size)
	defer acc.reset()
	if err := r.accumulate(acc); err != nil {
		return nil, err
	}
	return r.pick(acc, f, limit, floor)
}

// accepts reports whether f keeps node id, reading its kind only when f
// asks for kinds.
func (r *ranker) accepts(f *filter, id string) (bool, error) {
	if !f.acceptID(id) {
		return false, nil
	}
	if len(f.kinds) == 0 {
		return true, nil
	}
	k, err := r.tx.KindOf(id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return f.accept(id, k), nil
}

// scoreAll scores each node of f.ids from its text: a filter that keeps a
// few nodes (a conference's talks) is answered by them, not by reading
// postings until enough of them come up.
func (r *ranker) scoreAll(f *filter, limit int) ([]SearchHit, error) {
	top := &topHits{limit: limit}
	for _, id := range slices.Sorted(maps.Keys(f.ids)) {
		n, err := r.tx.Node(id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !f.accept(id, n.Kind) {
			continue
		}
		if score := r.scoreNode(n); score > 0 {
			top.add(SearchHit{ID: id, Score: score, Lang: r.lang})
		}
	}
	return top.h, nil
}

// langTotals are the search statistics of one language summed over the
// data sets, and the data sets that have some.
type langTotals struct {
	langStats
	sets []string
}

// searchStats reads the search statistics of every language in one scan.
func (tx *Tx) searchStats() (map[string]langTotals, error) {
	out := map[string]langTotals{}
	err := tx.scan([]byte{tagStats}, func(k, v []byte) error {
		ps := parts(k)
		if len(ps) == 2 && len(v) == 16 {
			t := out[ps[1]]
			t.docs += binary.BigEndian.Uint64(v)
			t.length += binary.BigEndian.Uint64(v[8:])
			t.sets = append(t.sets, ps[0])
			out[ps[1]] = t
		}
		return nil
	})
	return out, err
}

// docFreq sums the document frequency of term in lang over the data sets.
func (tx *Tx) docFreq(sets []string, lang, term string) (int, error) {
	return tx.sumCounts(sets, func(ds string) []byte { return dfKey(ds, lang, term) })
}

// numbers returns how many node numbers have been given: the size of an
// accumulator.
func (tx *Tx) numbers() (int, error) {
	v, ok, err := getValue(tx.txn, numsKey())
	if err != nil || !ok || len(v) != 4 {
		return 0, err
	}
	return int(binary.BigEndian.Uint32(v)), nil
}
