package graph

import (
	"math"
	"slices"
	"sync"
)

// The accumulators of a search, and how the top is picked from them (see
// rank.go).

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

// keepMax keeps s as node num's score if it is above the one kept; a is
// sparse (its numbers are listed).
func (a *accumulator) keepMax(num uint32, s float64) {
	if int(num) >= len(a.score) {
		a.score = slices.Grow(a.score, int(num)+1-len(a.score))[:num+1]
	}
	if a.score[num] == 0 {
		a.nums = append(a.nums, num)
	}
	a.score[num] = max(a.score[num], s)
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
		if top.full() || !cut.full {
			return top.h, nil
		}
		above = cut.s
	}
	for want := 2 * limit; ; want *= 2 {
		cut := math.Inf(-1)
		if limit >= 0 {
			if _, c := bestScores(acc, floor, want); c.full {
				cut = c.s
			}
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

// kth is the k-th best score, when there are k (full).
type kth struct {
	s    float64
	full bool
}

// bestScores returns, in one pass, the k best scores at least floor (k >=
// 1) and every score tied with the k-th, and that score: a min-heap of k,
// and the numbers that scored as its root, dropped when the root rises.
func bestScores(acc *accumulator, floor float64, k int) ([]scored, kth) {
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
		return nil, kth{}
	}
	return append(h, tied...), kth{h[0].s, len(h) == k}
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
