package graph

import (
	"math"
	"slices"
)

// unreadBound is the most t can add to the score of a node of text length
// length whose posting of t has not been read: its posting stands at or
// after the head of its bucket, so a bucket counts only once its head is
// no longer than length, and buckets not found yet hold lower frequencies.
// Buckets are found most frequent first and bm25 grows with the frequency,
// so the first bucket that counts gives the bound.
func (r *ranker) unreadBound(t *queryTerm, length int) float64 {
	for _, b := range t.buckets {
		if b.ok && b.length <= length {
			return bm25(t.idf, b.tf, length, r.avg)
		}
	}
	if t.more == nil {
		return 0
	}
	if len(t.buckets) == 0 {
		return math.Inf(1)
	}
	return bm25(t.idf, t.buckets[len(t.buckets)-1].tf-1, length, r.avg)
}

// unseenBound is the most a node none of whose postings has been read can
// score. The text length of a node is one number in every term's postings,
// so the bound is the best over lengths of the sum of unreadBound, which is
// tighter than the threshold algorithm's sum of heads (each head may stand
// at a different length). Between two head lengths every term's bound only
// falls as the length grows, so the heads' lengths (and 1) are the only
// lengths to try.
func (r *ranker) unseenBound() float64 {
	lengths := []int{1}
	for _, t := range r.terms {
		for _, b := range t.buckets {
			if b.ok {
				lengths = append(lengths, b.length)
			}
		}
	}
	slices.Sort(lengths)
	best := 0.0
	for _, l := range slices.Compact(lengths) {
		sum := 0.0
		for _, t := range r.terms {
			sum += r.unreadBound(t, l)
		}
		best = max(best, sum)
	}
	return best
}

// othersBound sums unreadBound over the terms other than t.
func (r *ranker) othersBound(t *queryTerm, length int) float64 {
	sum := 0.0
	for _, u := range r.terms {
		if u != t {
			sum += r.unreadBound(u, length)
		}
	}
	return sum
}
