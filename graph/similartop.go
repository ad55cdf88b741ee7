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
	partial := map[int32]float64{}
	i := 0
	for ; i < len(order); i++ {
		if limit >= 0 && len(partial) >= limit && above(kthScore(partial, limit), rest[i]) {
			break
		}
		if limit >= 0 && i == len(order)-1 {
			idx.meetFirst(feats[order[i]].talks, self, limit, partial)
			break
		}
		f := feats[order[i]]
		for _, t := range f.talks {
			if t != self {
				partial[t] += f.weight
			}
		}
	}
	return idx.settle(self, feats, partial, rest[i], limit)
}

// meetFirst meets the first limit talks of the last feature's list (in id
// order) not met yet: the others it holds score its weight alone, as these
// do, and come after them by id.
func (idx *talkIndex) meetFirst(talks []int32, self int32, limit int, partial map[int32]float64) {
	met := 0
	for _, t := range talks {
		if met == limit {
			return
		}
		if _, ok := partial[t]; !ok && t != self {
			partial[t] = 0
			met++
		}
	}
}

// settle scores in full the talks met, best partial sum first, until none
// left can reach the limit-th best (their partial sum plus rest, what the
// features not added could still give), and returns the best limit.
func (idx *talkIndex) settle(self int32, feats []feature, partial map[int32]float64, rest float64, limit int) []SimilarTalk {
	type cand struct {
		t     int32
		score float64
	}
	cands := make([]cand, 0, len(partial))
	for t, p := range partial {
		cands = append(cands, cand{t, p})
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Compare(b.score, a.score) })
	better := func(a, b SimilarTalk) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	}
	top := []SimilarTalk{}
	for _, c := range cands {
		if limit >= 0 && len(top) == limit && (limit == 0 || above(top[limit-1].Score, c.score+rest)) {
			break
		}
		s := SimilarTalk{ID: idx.names[c.t]}
		for _, f := range feats {
			if idx.hasFeature(c.t, f) {
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

// kthScore returns the k-th largest of the scores (1 <= k <= len(scores)),
// keeping the k largest seen in a small min-heap.
func kthScore(scores map[int32]float64, k int) float64 {
	h := make([]float64, 0, k)
	for _, s := range scores {
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
