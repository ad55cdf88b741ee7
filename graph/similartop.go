package graph

import (
	"cmp"
	"slices"
)

// topSimilar returns the best limit (< 0: all) talks by the sum of the
// weights of the features they share with talk self, exactly, without
// adding a weight to each of the thousands of talks a hub concept has.
//
// It adds the features' weights rarest (heaviest) first, as MaxScore does:
// once the limit-th best partial sum is above the sum of the weights still
// to add, a talk not yet met cannot reach the top, so the rest of the
// features (the hubs) are not walked. The talks met that could still
// reach the top are then scored in full, adding their features in the
// documented order, so scores (and so ties) are those of adding everything.
func (idx *talkIndex) topSimilar(self int32, feats []feature, limit int) []SimilarTalk {
	if limit == 0 {
		return []SimilarTalk{}
	}
	var order []int // features that other talks have, heaviest first
	for i, f := range feats {
		if len(f.talks) > 1 || len(f.talks) == 1 && f.talks[0] != self {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(feats[b].weight, feats[a].weight) })
	rest := make([]float64, len(order)+1) // rest[i]: what features order[i:] can add
	for i := len(order) - 1; i >= 0; i-- {
		rest[i] = rest[i+1] + feats[order[i]].weight
	}
	sc := getScratch(idx.rows.Len())
	defer putScratch(sc)
	i := 0
	for ; i < len(order); i++ {
		if limit >= 0 && len(sc.met) >= limit && above(sc.kth(limit), rest[i]) {
			break
		}
		if limit >= 0 && i == len(order)-1 {
			sc.meetFirst(feats[order[i]].talks, self, limit)
			break
		}
		f, bit := feats[order[i]], featureBit(order[i])
		for _, t := range f.talks {
			if t != self {
				sc.add(t, f.weight, bit)
			}
		}
		sc.done |= bit
	}
	return idx.settle(sc, feats, rest[i], limit)
}

// featureBit is the bit that records feature i in a talk's bits (the
// first 64 features have one).
func featureBit(i int) uint64 {
	if i >= 64 {
		return 0
	}
	return 1 << i
}

// similarScratch is what one topSimilar keeps per talk, in slices indexed
// by number rather than maps: the partial sum, which of the features walked
// the talk has, and whether it was met (stamp equal to gen). A few are kept
// for reuse in scratches: at 100 000 talks one is 3 MB, and a sync.Pool
// is emptied at each GC (clearing new memory was 9% of the similar
// benchmark's CPU in a profile; no change in throughput was measured).
type similarScratch struct {
	score []float64
	bits  []uint64
	stamp []uint32
	gen   uint32
	met   []int32
	done  uint64 // the features whose lists were walked to the end
}

var scratches = make(chan *similarScratch, 4)

func getScratch(n int) *similarScratch {
	var sc *similarScratch
	select {
	case sc = <-scratches:
	default:
		sc = &similarScratch{}
	}
	if len(sc.stamp) < n {
		sc.score, sc.bits, sc.stamp = make([]float64, n), make([]uint64, n), make([]uint32, n)
		sc.gen = 0
	}
	if sc.gen++; sc.gen == 0 { // wrapped: every stamp could look current
		clear(sc.stamp)
		sc.gen = 1
	}
	sc.met, sc.done = sc.met[:0], 0
	return sc
}

// putScratch keeps sc for the next request, unless enough are kept.
func putScratch(sc *similarScratch) {
	select {
	case scratches <- sc:
	default:
	}
}

// add adds w to talk t's partial sum and bit to its features.
func (sc *similarScratch) add(t int32, w float64, bit uint64) {
	if sc.stamp[t] != sc.gen {
		sc.stamp[t], sc.score[t], sc.bits[t] = sc.gen, 0, 0
		sc.met = append(sc.met, t)
	}
	sc.score[t] += w
	sc.bits[t] |= bit
}

// meetFirst meets the first limit talks of the last feature's list (in id
// order) not met yet: the others it holds score its weight alone, as these
// do, and come after them by id.
func (sc *similarScratch) meetFirst(talks []int32, self int32, limit int) {
	met := 0
	for _, t := range talks {
		if met == limit {
			return
		}
		if sc.stamp[t] != sc.gen && t != self {
			sc.add(t, 0, 0)
			met++
		}
	}
}

// kth returns the k-th largest partial sum of the talks met (k <= met).
func (sc *similarScratch) kth(k int) float64 {
	h := make([]float64, 0, k)
	for _, t := range sc.met {
		s := sc.score[t]
		switch {
		case len(h) < k:
			h = append(h, s)
			for i := len(h) - 1; i > 0 && h[(i-1)/2] > h[i]; i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
		case s > h[0]:
			h[0] = s
			siftDown(h)
		}
	}
	return h[0]
}

// settle scores in full the talks met, best partial sum first, until none
// left can reach the limit-th best (their partial sum plus rest, what the
// features not added could still give), and returns the best limit.
func (idx *talkIndex) settle(sc *similarScratch, feats []feature, rest float64, limit int) []SimilarTalk {
	cands := slices.Clone(sc.met)
	slices.SortFunc(cands, func(a, b int32) int { return cmp.Compare(sc.score[b], sc.score[a]) })
	better := func(a, b SimilarTalk) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	}
	top := []SimilarTalk{}
	for _, t := range cands {
		if limit >= 0 && len(top) == limit && above(top[limit-1].Score, sc.score[t]+rest) {
			break
		}
		s := SimilarTalk{ID: idx.names[t]}
		for j, f := range feats {
			if bit := featureBit(j); bit&sc.done != 0 && sc.bits[t]&bit != 0 || bit&sc.done == 0 && idx.hasFeature(t, f) {
				s.Score += f.weight
			}
		}
		if limit >= 0 && len(top) == limit && better(s, top[limit-1]) > 0 {
			continue
		}
		at, _ := slices.BinarySearchFunc(top, s, better)
		top = slices.Insert(top, at, s)
		if limit >= 0 && len(top) > limit {
			top = top[:limit]
		}
	}
	return top
}

// above reports whether a is above b by more than the rounding of sums
// added in another order could make up.
func above(a, b float64) bool { return a > b+1e-9*(1+b) }

// siftDown restores a min-heap whose root grew.
func siftDown[T cmp.Ordered](h []T) {
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l] < h[m] {
			m = l
		}
		if r < len(h) && h[r] < h[m] {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
