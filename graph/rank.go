package graph

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"
	"sync"

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

// accumulator holds the scores of one search by node number. A search of
// rare words lists the numbers it scores, so that it touches only their
// nodes; a search whose words most texts hold (dense) does not, and reads
// the whole array once instead, which cost less than a list of most
// numbers.
type accumulator struct {
	score []float64
	nums  []uint32
	dense bool
}

// accumulators are reused: at 100,000 talks one is a megabyte.
var accumulators = sync.Pool{New: func() any { return &accumulator{} }}

// prepare sizes the array for size node numbers.
func (a *accumulator) prepare(size int, dense bool) {
	if len(a.score) < size {
		a.score = make([]float64, size)
	}
	a.dense = dense
}

func (a *accumulator) reset() {
	if a.dense {
		clear(a.score)
	}
	for _, n := range a.nums {
		a.score[n] = 0
	}
	a.nums = a.nums[:0]
}

// add adds s, which is above 0 (idf is, as no data set counts more nodes
// holding a word than nodes), to node num's score.
func (a *accumulator) add(num uint32, s float64) {
	if int(num) >= len(a.score) {
		a.score = slices.Grow(a.score, int(num)+1-len(a.score))[:num+1]
	}
	if a.score[num] == 0 && !a.dense {
		a.nums = append(a.nums, num)
	}
	a.score[num] += s
}

// each calls fn with every number scored at least floor, and its score.
func (a *accumulator) each(floor float64, fn func(n uint32, s float64)) {
	if a.dense {
		for n, s := range a.score {
			if s > 0 && s >= floor {
				fn(uint32(n), s)
			}
		}
		return
	}
	for _, n := range a.nums {
		if s := a.score[n]; s >= floor {
			fn(n, s)
		}
	}
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

// pick returns the best limit nodes of the accumulators that f accepts
// (limit < 0: all), leaving out those that score less than floor. Ids are
// read only for the nodes that may enter the top: the limit best scores and
// their ties, more when the filter refuses some. Each round offers the
// nodes scoring from a cut up to the last round's cut, the cut being the
// want-th best score, want doubling each round.
func (r *ranker) pick(acc *accumulator, f *filter, limit int, floor float64) ([]SearchHit, error) {
	top := &topHits{limit: limit}
	above := math.Inf(1) // the last round's cut: what scores more is offered
	if limit > 0 {
		best, cut := bestScores(acc, floor, limit)
		for _, c := range best {
			if err := r.offer(top, f, c.n, c.s); err != nil {
				return nil, err
			}
		}
		if top.full() || len(best) < limit {
			return top.h, nil
		}
		above = cut
	}
	for want := 2 * limit; ; want *= 2 {
		cut := math.Inf(-1)
		if limit >= 0 {
			cut = kthScore(acc, floor, want)
		}
		var err error
		acc.each(max(cut, floor), func(n uint32, s float64) {
			if err == nil && s < above {
				err = r.offer(top, f, n, s)
			}
		})
		if err != nil {
			return nil, err
		}
		if top.full() || math.IsInf(cut, -1) {
			return top.h, nil
		}
		above = cut
	}
}

type scored struct {
	n uint32
	s float64
}

// bestScores returns, in one pass, the k best scores at least floor (k >=
// 1) and every score tied with the k-th, and that score: a min-heap of k,
// and the numbers that scored as its root, dropped when the root rises.
func bestScores(acc *accumulator, floor float64, k int) ([]scored, float64) {
	h := make([]scored, 0, k)
	var tied []scored
	acc.each(floor, func(n uint32, s float64) {
		switch {
		case len(h) < k:
			h = append(h, scored{n, s})
			upScored(h, len(h)-1)
		case s == h[0].s:
			tied = append(tied, scored{n, s})
		case s > h[0].s:
			out := h[0]
			h[0] = scored{n, s}
			downScored(h, 0)
			if out.s == h[0].s {
				tied = append(tied, out)
			} else {
				tied = tied[:0] // they scored the old root, below the new one
			}
		}
	})
	if len(h) == 0 {
		return nil, math.Inf(-1)
	}
	return append(h, tied...), h[0].s
}

func upScored(h []scored, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p].s <= h[i].s {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func downScored(h []scored, i int) {
	for {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[l].s < h[m].s {
			m = l
		}
		if r < len(h) && h[r].s < h[m].s {
			m = r
		}
		if m == i {
			return
		}
		h[m], h[i] = h[i], h[m]
		i = m
	}
}

// kthScore returns the k-th best score of the accumulators at least floor
// (k >= 1), or -Inf when fewer score that.
func kthScore(acc *accumulator, floor float64, k int) float64 {
	h := make(minFloats, 0, k)
	acc.each(floor, func(_ uint32, s float64) {
		switch {
		case len(h) < k:
			h.push(s)
		case s > h[0]:
			h[0] = s
			h.down(0)
		}
	})
	if len(h) < k {
		return math.Inf(-1)
	}
	return h[0]
}

// offer adds node number n to the top when f accepts it.
func (r *ranker) offer(top *topHits, f *filter, n uint32, score float64) error {
	id, ok, err := getValue(r.tx.txn, numIDKey(n))
	if err != nil || !ok {
		return err // a number without a node: its node was never indexed
	}
	accepted, err := r.accepts(f, string(id))
	if err != nil || !accepted {
		return err
	}
	top.add(SearchHit{ID: string(id), Score: score, Lang: r.lang})
	return nil
}

// minFloats is a min-heap of scores.
type minFloats []float64

func (h *minFloats) push(s float64) {
	*h = append(*h, s)
	for i := len(*h) - 1; i > 0; {
		p := (i - 1) / 2
		if (*h)[p] <= (*h)[i] {
			return
		}
		(*h)[p], (*h)[i] = (*h)[i], (*h)[p]
		i = p
	}
}

func (h minFloats) down(i int) {
	for {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[l] < h[m] {
			m = l
		}
		if r < len(h) && h[r] < h[m] {
			m = r
		}
		if m == i {
			return
		}
		h[m], h[i] = h[i], h[m]
		i = m
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
