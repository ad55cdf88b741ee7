package graph

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// Ranking reads postings by impact (see the "t" keys in keys.go): a term's
// postings come in buckets of one term frequency, each bucket by text length,
// shortest first, so within a bucket BM25 scores only fall. Merging the
// buckets by their next score gives the term's postings best first, and the
// search stops as soon as nothing unread can enter the top: a word that
// every description holds costs a page of postings, not all of them. A
// query of one term stops at the first head that cannot enter the top (see
// top); several terms add up postings as they are read, with MaxScore
// bounds, and stop once the top is settled (see rankacc.go). A filter that
// keeps a few nodes scores them from their text instead (see scoreAll).

// A bucket reads firstChunk postings when found, then chunk at a time: most
// buckets found are never read further (their bound, from the shortest text,
// is loose), and a page of ten hits mostly comes from the best bucket.
const (
	firstChunk = 4
	chunk      = 48
	// A bucket read further doubles its chunk up to maxChunk: each chunk
	// costs a seek, which a profile of eight-word searches showed costing
	// as much as the reading.
	maxChunk = 1024
)

// bucket walks the postings of one term frequency of one term. It reads them
// a chunk at a time through the ranker's one iterator, since opening a Badger
// iterator per bucket cost more than the reading in a profile.
type bucket struct {
	prefix []byte
	tf     int
	t      *queryTerm
	buf    []head
	resume []byte // where the next chunk starts; nil when all is read
	size   int    // the next chunk's size
	// the posting at the head, valid while ok
	head
	score float64
	ok    bool
}

type head struct {
	id     string
	length int
}

// queryTerm is one analyzed word of the query in one language. Its buckets
// are found lazily, most frequent first: a bucket of a lower frequency can
// only beat the heads read so far with a shorter text, and bound says by how
// much at most.
type queryTerm struct {
	prefix  []byte // "t" lang 0 term 0
	idf     float64
	buckets []*bucket
	more    []byte  // where the next bucket's search starts; nil when all are found
	cur     *bucket // the best head, when not stale
	stale   bool
	i       int // the term's place in the ranker's terms
}

// bm25 is one term's BM25 contribution for a node.
func bm25(idf float64, tf, length int, avg float64) float64 {
	f := float64(tf)
	return idf * f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*float64(length)/avg))
}

// fill reads the next chunk from the iterator, which stands at the chunk's
// first key, and leaves it past the bucket's last key read.
func (b *bucket) fill(it *badger.Iterator, size int) {
	b.buf = b.buf[:0]
	var last []byte
	for ; it.ValidForPrefix(b.prefix) && len(b.buf) < size; it.Next() {
		k := it.Item().Key()
		if _, length, id, ok := parsePosting(b.t.prefix, k); ok {
			b.buf = append(b.buf, head{id, length})
		}
		last = append(last[:0], k...) // Key is valid only until Next
	}
	b.resume = nil
	if it.ValidForPrefix(b.prefix) {
		b.resume = append(append(b.resume, last...), 0) // the first key after last
	}
}

// advance moves the head to the bucket's next posting, reading a chunk when
// the buffer is spent.
func (b *bucket) advance(r *ranker) {
	if len(b.buf) == 0 && b.resume != nil {
		r.it.Seek(b.resume)
		b.size = min(max(chunk, 2*b.size), maxChunk)
		b.fill(r.it, b.size)
	}
	b.ok = len(b.buf) > 0
	if !b.ok {
		return
	}
	b.head, b.buf = b.buf[0], b.buf[1:]
	b.score = bm25(b.t.idf, b.tf, b.length, r.avg)
}

// ahead orders bucket heads: higher score first, then smaller id, the order
// of better.
func (b *bucket) ahead(o *bucket) bool {
	if o == nil || !o.ok {
		return b.ok
	}
	return b.ok && (b.score > o.score || b.score == o.score && b.id < o.id)
}

// ranker holds one language's search: its terms and its iterator.
type ranker struct {
	tx    *Tx
	lang  string
	avg   float64
	terms []*queryTerm
	index map[string]int   // a term's place in terms
	it    *badger.Iterator // over the language's postings
}

// addTerm adds a word of the query; it returns false when no node holds it.
func (r *ranker) addTerm(term string, docs float64, df int) bool {
	if df == 0 {
		return false
	}
	t := &queryTerm{prefix: prefix(tagPosting, r.lang, term)}
	t.idf = math.Log(1 + (docs-float64(df)+0.5)/(float64(df)+0.5))
	t.more = t.prefix
	r.terms = append(r.terms, t)
	return true
}

// discover finds t's next bucket and reads its first chunk.
func (r *ranker) discover(t *queryTerm) {
	r.it.Seek(t.more)
	t.more = nil
	if !r.it.ValidForPrefix(t.prefix) {
		return
	}
	k := r.it.Item().Key()
	if len(k) < len(t.prefix)+4 {
		return
	}
	code := binary.BigEndian.Uint16(k[len(t.prefix):])
	b := &bucket{t: t, tf: maxUint16 - int(code), buf: make([]head, 0, firstChunk)}
	b.prefix = binary.BigEndian.AppendUint16(append([]byte(nil), t.prefix...), code)
	b.fill(r.it, firstChunk)
	b.advance(r)
	t.buckets = append(t.buckets, b)
	if code < maxUint16 && b.tf > 1 {
		t.more = binary.BigEndian.AppendUint16(append([]byte(nil), t.prefix...), code+1)
	}
}

// bound is the most a posting in t's buckets not found yet can score: a
// lower frequency than the last found, with the shortest text.
func (r *ranker) bound(t *queryTerm) float64 {
	if t.more == nil {
		return 0
	}
	if len(t.buckets) == 0 {
		return math.Inf(1)
	}
	return bm25(t.idf, t.buckets[len(t.buckets)-1].tf-1, 0, r.avg)
}

// best returns t's best head, finding buckets until none unfound can beat it.
func (r *ranker) best(t *queryTerm) *bucket {
	for {
		var tb *bucket
		for _, b := range t.buckets {
			if b.ahead(tb) {
				tb = b
			}
		}
		if t.more == nil || tb != nil && tb.ok && tb.score > r.bound(t) {
			return tb
		}
		r.discover(t)
	}
}

// next returns the bucket whose head is best of all, or nil when all are
// read, and the threshold: the most a node not read yet can score. Each
// term's best head is kept between calls: only the term that moved is
// looked at again, so a step costs one pass over the terms.
func (r *ranker) next() (*bucket, float64) {
	var best *bucket
	threshold := 0.0
	for _, t := range r.terms {
		if t.stale {
			t.cur, t.stale = r.best(t), false
		}
		if tb := t.cur; tb != nil && tb.ok {
			threshold += tb.score
			if best == nil || tb.ahead(best) {
				best = tb
			}
		}
	}
	return best, threshold
}

// scoreNode returns a node's whole score for the query, from its text: the
// same analysis wrote its postings (see Store.termFreqs), so this random
// access costs one node read whatever the number of words, where reading
// the node's posting of each term cost a point read per bucket of it.
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
// in lang (limit < 0: all).
// Nodes scoring less than floor may be left out.
func (tx *Tx) searchLang(st langTotals, lang, text string, f *filter, limit int, floor float64) ([]SearchHit, error) {
	docs, total, sets := st.docs, st.length, st.sets
	if docs == 0 {
		return nil, nil
	}
	r := &ranker{tx: tx, lang: lang, avg: float64(total) / float64(docs), index: map[string]int{}}
	p := prefix(tagPosting, lang)
	r.it = tx.txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
	defer r.it.Close()
	seen := map[string]bool{}
	for _, t := range tx.s.Analyzer.Tokens(lang, text) {
		if seen[t.Term] {
			continue
		}
		seen[t.Term] = true
		df, err := tx.docFreq(sets, lang, t.Term)
		if err != nil {
			return nil, err
		}
		if r.addTerm(t.Term, float64(docs), df) {
			r.index[t.Term] = len(r.terms) - 1
		}
	}
	tx.s.reads.Add(1)
	if f.ids != nil {
		return r.scoreAll(f, limit)
	}
	if len(r.terms) > 1 {
		return r.accumulate(f, limit, floor)
	}
	return r.top(f, limit)
}

// top returns the best limit nodes f accepts for a query of one term: the
// bucket heads come best first, so the search stops at the first head that
// cannot enter the top.
func (r *ranker) top(f *filter, limit int) ([]SearchHit, error) {
	if limit == 0 {
		return nil, nil
	}
	for _, t := range r.terms {
		t.stale = true
	}
	top := &topHits{limit: limit}
	done := map[string]bool{}
	for {
		if err := r.tx.ctx.Err(); err != nil {
			return nil, err
		}
		b, _ := r.next()
		if b == nil {
			break
		}
		head := SearchHit{ID: b.id, Score: b.score, Lang: r.lang}
		if top.full() && !better(head, top.h[0]) {
			break // nothing unread can enter the top
		}
		b.advance(r)
		b.t.stale = true
		if done[head.ID] {
			continue
		}
		done[head.ID] = true
		h, ok, err := r.hit(f, head)
		if err != nil {
			return nil, err
		}
		if ok {
			top.add(h)
		}
	}
	return top.h, nil
}

// hit returns the hit of a one-term search met at head, and false when f
// does not accept the node.
func (r *ranker) hit(f *filter, head SearchHit) (SearchHit, bool, error) {
	ok, err := r.accepts(f, head.ID)
	return head, ok, err
}

// scoreAll scores each node of f.ids from its text: a filter that keeps a
// few nodes (a conference's talks) is answered by them, not by reading
// postings until enough of them come up.
func (r *ranker) scoreAll(f *filter, limit int) ([]SearchHit, error) {
	top := &topHits{limit: limit}
	if len(r.terms) == 0 {
		return nil, nil
	}
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
