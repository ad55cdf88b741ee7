package graph

import (
	"errors"
	"math"
)

// A search of several words adds up each node's score as its postings are
// read, best first, with no read of a node's other postings (Fagin's "no
// random access" algorithm, with MaxScore's bounds). A node met so far is
// known to score at least the sum of the postings read (lower) and at most
// that plus, for each term whose posting of it is unread, unreadBound at
// its text length (upper). The search stops once the best limit lower
// sums are each above the upper sum of every other node met and above
// unseenBound, the most a node not met yet can score. Nothing outside can
// then enter the top, whatever is left to read; the top's scores are then
// completed from the nodes' text. Once no node not met can enter the top
// and at most resolveMax nodes met still might, those are scored from their
// text at once (Fagin's combined algorithm): settling them from postings
// alone read the rest of every term's postings of them, which cost half the
// time of two- and four-word searches.
//
// Why the cost grows linearly with the words: each posting read is one
// iterator step and one addition; nodes that cannot enter the top are
// dropped at once (their upper sum only falls and the top's lower sums
// only rise), and the checks, which cost a pass over the nodes kept, run
// after as many postings as nodes kept. So the work is the postings read
// times a constant, and the postings read are at most those of the words.

// resolveMax is the most nodes met that are scored from their text once no
// node not met can enter the top: each such random access costs a node read
// and an analysis of its text, as much as hundreds of postings, so that
// scoring the 400 left in an eight-word search at 20,000 talks cost more
// than reading on (a third more postings) until 64 were left.
const resolveMax = 64

// resolve turns on scoring the nodes met from their text (see resolveMax);
// a benchmark turns it off for a baseline in the same run.
var resolve = true

// candidate is a node met in some term's postings.
type candidate struct {
	length int
	part   []float64 // per term, the posting's score; 0 while unread
}

// lower is the sum of the postings read, in the order of the terms, so that
// two nodes with the same postings get the same sum.
func (c *candidate) lower() float64 {
	s := 0.0
	for _, p := range c.part {
		s += p
	}
	return s
}

// upper is lower plus what the unread postings can add.
func (r *ranker) upper(c *candidate) float64 {
	s := 0.0
	for i, p := range c.part {
		if p == 0 {
			p = r.unreadBound(r.terms[i], c.length)
		}
		s += p
	}
	return s
}

// accumulate returns the best limit nodes that f accepts for a query of
// several terms (limit < 0: all), leaving out nodes that score less than
// floor: another language's search has found limit nodes that score more.
func (r *ranker) accumulate(f *filter, limit int, floor float64) ([]SearchHit, error) {
	if limit == 0 {
		return nil, nil
	}
	for i, t := range r.terms {
		t.stale, t.i = true, i
	}
	cands := map[string]*candidate{}
	dropped := map[string]bool{}
	theta := floor // a lower bound of the limit-th best score
	stopped := false
	for step, check := 1, 256; ; step++ {
		if step%256 == 0 {
			if err := r.tx.ctx.Err(); err != nil {
				return nil, err
			}
		}
		b, _ := r.next()
		if b == nil {
			break // every posting is read: the sums are whole
		}
		id, length, score, t := b.id, b.length, b.score, b.t
		b.advance(r)
		t.stale = true
		if dropped[id] {
			continue
		}
		c := cands[id]
		if c == nil {
			ok, err := r.accepts(f, id)
			if err != nil {
				return nil, err
			}
			if !ok || score+r.othersBound(t, length) < theta {
				dropped[id] = true
				continue
			}
			c = &candidate{length: length, part: make([]float64, len(r.terms))}
			cands[id] = c
		}
		c.part[t.i] = score
		if resolve && step < check && step%1024 == 0 && len(cands) > resolveMax && r.unseenBound() < theta {
			check = step // nothing unseen can enter: prune now, maybe resolve
		}
		if step >= check {
			stopped, theta = r.prune(cands, dropped, limit, floor)
			if resolve && !stopped && len(cands) <= resolveMax && r.unseenBound() < theta {
				stopped = true // the top is among the nodes kept: score them from their text
			}
			if stopped {
				break
			}
			check = step + max(256, 2*len(cands))
		}
	}
	return r.finish(cands, stopped, limit)
}

// prune drops the nodes met that cannot enter the top, and says whether
// the top is settled: nothing met outside it and nothing not met can
// reach it. It returns the limit-th best lower sum, or floor when it is
// higher or fewer nodes are met.
func (r *ranker) prune(cands map[string]*candidate, dropped map[string]bool, limit int, floor float64) (bool, float64) {
	lows := &topHits{limit: limit}
	for id, c := range cands {
		lows.add(SearchHit{ID: id, Score: c.lower()})
	}
	theta := floor
	if lows.full() {
		theta = max(theta, lows.h[0].Score)
	}
	if math.IsInf(theta, -1) {
		return false, theta
	}
	in := make(map[string]bool, len(lows.h))
	for _, h := range lows.h {
		in[h.ID] = true
	}
	for id, c := range cands {
		if !in[id] && r.upper(c) < theta {
			delete(cands, id)
			dropped[id] = true
		}
	}
	return len(cands) == len(lows.h) && r.unseenBound() < theta, theta
}

// finish returns the top of the nodes met. When the search stopped early,
// the nodes kept are the top, and their scores are completed from their
// text; otherwise every sum is whole.
func (r *ranker) finish(cands map[string]*candidate, stopped bool, limit int) ([]SearchHit, error) {
	top := &topHits{limit: limit}
	for id, c := range cands {
		score := c.lower()
		if stopped {
			n, err := r.tx.Node(id)
			if err != nil {
				return nil, err
			}
			score = r.scoreNode(n)
		}
		top.add(SearchHit{ID: id, Score: score, Lang: r.lang})
	}
	return top.h, nil
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
