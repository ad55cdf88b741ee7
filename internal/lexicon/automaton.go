package lexicon

import "github.com/blevesearch/vellum"

// within is an automaton of the keys within k edits of a query
// (insertions, deletions, substitutions and transpositions of neighbours,
// counted on bytes: index terms and names are folded to ASCII but for
// scripts without accents to fold), or, as a prefix automaton, of the
// keys that start with such a key. The transducer's search walks only
// the keys it can still match, computing one row of the edit-distance
// table per byte it reads (Ukkonen's rows, with Damerau's transposition):
// a few hundred rows for a word, where a Levenshtein DFA built for the
// word allocated a table of states by 256 bytes at each query.
//
// A state is the index of a row; rows are kept, so that a transposition
// can read the row before the previous one.
type within struct {
	q      []byte
	k      int
	prefix bool
	width  int     // len(q)+1
	cells  []int32 // rows, width each
	parent []int32 // the row before, -1 for the first
	last   []byte  // the byte that led to the row
	best   []int32 // prefix: the fewest edits a start of the key matched with, k+1 if none
	depth  []int32 // the bytes read to the row
	tmp    []int32 // the row being computed, kept only if it can match
}

var _ vellum.Automaton = (*within)(nil)

// dead is the state of a key that can no longer match: rows are kept
// only for the states that can.
const dead = 1

// newWithin returns the automaton of the keys within k edits of q, or
// that start with one when prefix.
func newWithin(q string, k int, prefix bool) *within {
	a := &within{q: []byte(q), k: k, prefix: prefix, width: len(q) + 1}
	a.cells = make([]int32, 0, 64*a.width)
	for j := range a.width {
		a.cells = append(a.cells, int32(j))
	}
	for range a.width {
		a.cells = append(a.cells, int32(k+1))
	}
	a.parent = append(a.parent, -1, -1)
	a.last = append(a.last, 0, 0)
	a.best = append(a.best, int32(k+1), int32(k+1))
	a.depth = append(a.depth, 0, 0)
	if int(a.cells[a.width-1]) <= k {
		a.best[0] = a.cells[a.width-1]
	}
	return a
}

func (a *within) row(s int) []int32 { return a.cells[s*a.width : (s+1)*a.width] }

func (a *within) Start() int { return 0 }

// Edits returns the edits of the key read to state s: of the whole key,
// or of its best start for a prefix automaton.
func (a *within) Edits(s int) int {
	if a.prefix {
		return int(a.best[s])
	}
	return int(a.row(s)[a.width-1])
}

func (a *within) IsMatch(s int) bool { return a.Edits(s) <= a.k }

func (a *within) CanMatch(s int) bool {
	if a.prefix && int(a.best[s]) <= a.k {
		return true
	}
	for _, c := range a.row(s) {
		if int(c) <= a.k {
			return true
		}
	}
	return false
}

func (a *within) WillAlwaysMatch(int) bool { return false }

func (a *within) Accept(s int, b byte) int {
	if s == dead {
		return dead
	}
	if a.prefix && int(a.best[s]) <= a.k && !a.open(s) {
		return s // a matched start: whatever follows matches, as it did
	}
	n := len(a.parent)
	if a.tmp == nil {
		a.tmp = make([]int32, a.width)
	}
	prev, cur := a.row(s), a.tmp
	far := int32(a.k + 1)
	for j := range cur {
		cur[j] = far
	}
	// Only the cells within k of the diagonal can be k or less: the
	// others stay k+1, which is all a later row needs of them.
	i := int(a.depth[s]) + 1
	if i <= a.k {
		cur[0] = int32(i)
	}
	low := cur[0]
	var before []int32
	if p := a.parent[s]; p >= 0 {
		before = a.row(int(p))
	}
	for j := max(1, i-a.k); j <= min(a.width-1, i+a.k); j++ {
		cost := int32(1)
		if a.q[j-1] == b {
			cost = 0
		}
		c := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, far)
		if before != nil && j > 1 && a.q[j-1] == a.last[s] && a.q[j-2] == b {
			c = min(c, before[j-2]+1)
		}
		cur[j] = c
		low = min(low, c)
	}
	best := a.best[s]
	if a.prefix {
		best = min(best, cur[a.width-1])
	}
	if int(low) > a.k && int(best) > a.k {
		return dead // no key through it can match
	}
	a.cells = append(a.cells, cur...)
	a.parent = append(a.parent, int32(s))
	a.last = append(a.last, b)
	a.best = append(a.best, best)
	a.depth = append(a.depth, int32(i))
	return n
}

// open reports whether a row can still lower the edits of a matched
// start: a longer start may match with fewer.
func (a *within) open(s int) bool {
	for _, c := range a.row(s) {
		if c < a.best[s] {
			return true
		}
	}
	return false
}

// EditDistance and MatchAndDistance make within a vellum.FuzzyAutomaton,
// so that an iterator tells the edits of each key it returns.
func (a *within) EditDistance(s int) uint8 { return uint8(min(a.Edits(s), 255)) }

func (a *within) MatchAndDistance(input string) (bool, uint8) {
	s := a.Start()
	for i := 0; i < len(input) && a.CanMatch(s); i++ {
		s = a.Accept(s, input[i])
	}
	return a.IsMatch(s), a.EditDistance(s)
}
