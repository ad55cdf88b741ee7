package seed

import (
	"cmp"
	"container/heap"
	"slices"

	"github.com/talkgraph/talkgraph/graph"
)

// edgeSet finds the edges a data set states twice. A million talks state
// six million edges: a map of their keys and places held about 700 MB, so
// each edge is 16 bytes here, its ends' numbers and type packed in one word
// and its place in another, kept in chunks that are sorted and merged at
// the end.
type edgeSet struct {
	chunks [][]edgeRec
}

type edgeRec struct{ key, pos uint64 }

const edgeChunk = 1 << 16

// edgeTypes numbers the relation names, forward and inverse, from 1.
var edgeTypes = graph.EdgeTypeNames()

func edgeTypeIndex(name string) uint64 {
	i, ok := slices.BinarySearch(edgeTypes, name)
	if !ok {
		return 0
	}
	return uint64(i + 1)
}

// edgeKey packs a canonical edge: 28 bits for each end's number, 8 for the
// type. Numbers past 2^28 (268 million ids) do not pack: ok is false.
func edgeKey(from, to uint32, typ string) (uint64, bool) {
	if from >= 1<<28 || to >= 1<<28 {
		return 0, false
	}
	return uint64(from)<<36 | edgeTypeIndex(typ)<<28 | uint64(to), true
}

// edgePos packs where an edge is stated (a file's index, line, column) and
// the relation name it was stated with, in the order of the files.
func edgePos(file, line, col uint32, typ string) uint64 {
	return uint64(min(file, 1<<22-1))<<42 | uint64(min(line, 1<<24-1))<<18 | uint64(min(col, 1<<10-1))<<8 | edgeTypeIndex(typ)
}

func unpackPos(t *idTable, p uint64) (Pos, string) {
	pos := Pos{File: t.files[p>>42], Line: int(p >> 18 & (1<<24 - 1)), Col: int(p >> 8 & (1<<10 - 1))}
	typ := ""
	if i := p & 0xff; i > 0 {
		typ = edgeTypes[i-1]
	}
	return pos, typ
}

func (s *edgeSet) add(key, pos uint64) {
	if n := len(s.chunks); n == 0 || len(s.chunks[n-1]) == edgeChunk {
		s.chunks = append(s.chunks, make([]edgeRec, 0, edgeChunk))
	}
	last := &s.chunks[len(s.chunks)-1]
	*last = append(*last, edgeRec{key, pos})
}

// dups calls fn with each edge stated again (dup) and where it was first
// stated (first), in key order, and empties the set.
func (s *edgeSet) dups(fn func(first, dup edgeRec)) {
	h := edgeHeap{}
	for _, c := range s.chunks {
		if len(c) == 0 {
			continue
		}
		slices.SortFunc(c, func(a, b edgeRec) int {
			if c := cmp.Compare(a.key, b.key); c != 0 {
				return c
			}
			return cmp.Compare(a.pos, b.pos)
		})
		h = append(h, c)
	}
	s.chunks = nil
	heap.Init(&h)
	var first edgeRec
	have := false
	for len(h) > 0 {
		r := h[0][0]
		if h[0] = h[0][1:]; len(h[0]) == 0 {
			heap.Pop(&h)
		} else {
			heap.Fix(&h, 0)
		}
		if have && r.key == first.key {
			fn(first, r)
			continue
		}
		first, have = r, true
	}
}

// edgeHeap merges sorted chunks by their first record.
type edgeHeap [][]edgeRec

func (h edgeHeap) Len() int { return len(h) }
func (h edgeHeap) Less(i, j int) bool {
	a, b := h[i][0], h[j][0]
	return a.key < b.key || a.key == b.key && a.pos < b.pos
}
func (h edgeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *edgeHeap) Push(x any)   { *h = append(*h, x.([]edgeRec)) }
func (h *edgeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
