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
	order := make([]int, len(feats))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(feats[b].weight, feats[a].weight) })
	rest := make([]float64, len(order)+1) // rest[i]: what features order[i:] can add
	for i := len(order) - 1; i >= 0; i-- {
		rest[i] = rest[i+1] + feats[order[i]].weight
	}
	partial := map[int32]float64{}
	prune := limit > 0
	i := 0
	for ; i < len(order); i++ {
		if prune && len(partial) >= limit && above(kthScore(partial, limit), rest[i]) {
			break
		}
		f := feats[order[i]]
		for _, t := range f.talks {
			if t != self {
				partial[t] += f.weight
			}
		}
	}
	floor := 0.0
	if i < len(order) {
		floor = kthScore(partial, limit)
	}
	scores := map[string]float64{}
	for t, p := range partial {
		if i < len(order) && above(floor, p+rest[i]) {
			continue // cannot reach the limit-th best
		}
		s := 0.0
		for _, f := range feats {
			if idx.hasFeature(t, f) {
				s += f.weight
			}
		}
		scores[idx.names[t]] = s
	}
	return topSimilarMap(scores, limit)
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
