package graph

import (
	"fmt"
	"slices"
)

// MaxHops bounds path search: beyond it, paths say little and cost much.
const MaxHops = 8

// Path returns one shortest chain of relations from one node to another,
// following relations in either direction, found by breadth-first search
// from both ends at once. The chain's relations are in walking order, each
// with its evidence. It returns nil when no path of at most maxHops exists,
// and ErrInvalid for maxHops outside 0..MaxHops.
//
// Each step expands the side whose frontier has fewer relations (stored
// degrees, see keys.go), and within it the nodes with fewest relations
// first, stopping at the first meeting: in a graph with hubs (a concept that
// thousands of talks mention) a hub is read only when no cheaper way is left.
// Stopping early is exact: every frontier node is at the same distance, and a
// meeting with a nearer node of the other side would have been found when
// that side expanded.
func (tx *Tx) Path(from, to string, maxHops int) ([]Relation, error) {
	if maxHops < 0 || maxHops > MaxHops {
		return nil, fmt.Errorf("maxHops %d: %w: use 0 to %d", maxHops, ErrInvalid, MaxHops)
	}
	ps, err := tx.newPathSearch()
	if err != nil {
		return nil, err
	}
	return ps.search(from, to, maxHops)
}

// search is Path with ps's rule of which nodes a path may pass through.
func (ps *pathSearch) search(from, to string, maxHops int) ([]Relation, error) {
	if from == to {
		return []Relation{}, nil
	}
	f, b := newSide(from), newSide(to)
	for hops := 0; hops < maxHops && len(f.front) > 0 && len(b.front) > 0; hops++ {
		s, other, err := ps.cheaper(f, b)
		if err != nil {
			return nil, err
		}
		meet, err := ps.expand(s, other)
		if err != nil {
			return nil, err
		}
		if meet != "" {
			return ps.chain(meet, f.prev, b.prev)
		}
	}
	return nil, nil
}

// side is one end of the search: the parent of every node it has reached
// (the root's is ""), its frontier and the degrees read so far.
type side struct {
	prev   map[string]string
	front  []string
	degree map[string]int
}

func newSide(root string) *side {
	return &side{prev: map[string]string{root: ""}, front: []string{root}, degree: map[string]int{}}
}

// pathSearch holds what one Path call reads through. Degrees are point
// reads, one per data set (bloom filters answer most misses), through the
// read cache: seeking an iterator per node was half of path's time at
// 100 000 talks in a profile.
type pathSearch struct {
	tx   *Tx
	sets []string
	// closed reports whether a path may not pass through a node (it may
	// still end there); nil closes sources only.
	closed func(id string, k Kind) (bool, error)
}

// isClosed reports whether a path may not pass through node id of kind k.
func (ps *pathSearch) isClosed(id string, k Kind) (bool, error) {
	if ps.closed == nil {
		return k == KindSource, nil
	}
	return ps.closed(id, k)
}

func (tx *Tx) newPathSearch() (*pathSearch, error) {
	ps := &pathSearch{tx: tx}
	err := tx.scanKeys([]byte{tagDataset}, func(k, _ []byte) error {
		ps.sets = append(ps.sets, string(k[1:]))
		return nil
	})
	return ps, err
}

// degree returns how many relations node id has, in both directions, as
// counted when they were written (an edge asserted by two data sets counts
// twice).
func (ps *pathSearch) degree(id string) (int, error) {
	tx := ps.tx
	if d, ok := tx.s.cache.degree(tx.ts, id); ok {
		return d, nil
	}
	if err := tx.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := tx.sumCounts(ps.sets, func(ds string) []byte { return degreeKey(id, ds) })
	if err != nil {
		return 0, err
	}
	tx.s.cache.putDegree(tx.ts, id, n)
	return n, nil
}

// exactFront is the largest frontier costed node by node; a larger one is
// costed from a sample of sampleSize nodes spread over it. Hubs matter most
// in a small frontier (one concept among a talk's neighbours); in a large
// one, reading every degree would cost about as much as the step it decides.
const (
	exactFront = 64
	sampleSize = 32
)

// cost returns the relations of s's frontier, reading degrees until the sum
// passes limit (then the sum so far); a large frontier is estimated from a
// sample.
func (ps *pathSearch) cost(s *side, limit int) (int, error) {
	n, step := len(s.front), 1
	if n > exactFront {
		step = n / sampleSize
	}
	sum := 0
	for i := 0; i < n; i += step {
		id := s.front[i]
		d, ok := s.degree[id]
		if !ok {
			var err error
			if d, err = ps.degree(id); err != nil {
				return 0, err
			}
			s.degree[id] = d
		}
		if sum += d; sum*step > limit {
			break
		}
	}
	return sum * step, nil
}

// cheaper returns the side to expand and the other. Both are costed up to a
// limit that grows fourfold until one side's whole cost is known: a
// frontier of thousands (the talks of a hub) is not costed in full when the
// other side is cheap.
func (ps *pathSearch) cheaper(f, b *side) (*side, *side, error) {
	for limit := 256; ; limit *= 4 {
		cf, err := ps.cost(f, limit)
		if err != nil {
			return nil, nil, err
		}
		cb, err := ps.cost(b, limit)
		if err != nil {
			return nil, nil, err
		}
		if cf <= limit || cb <= limit {
			if cb < cf {
				return b, f, nil
			}
			return f, b, nil
		}
	}
}

// expand takes one BFS step from s's frontier, recording parents, and
// returns the first node already reached from the other side. Closed nodes
// are not walked through (but met when one is the other end): by default
// sources, which are evidence, and a chain through "the article mentions
// both" says nothing about how two things are related.
//
// Whether a node is closed (for PathAvoiding, its degree: a point read) is
// asked when it would be met and, for the next frontier, once the step is
// over: the step that meets, often through a hub of thousands of
// neighbours, stops without asking it of the neighbours it went past. A
// closed node is recorded as reached, which changes nothing: it is never
// walked through, and a meeting there is refused as it would have been.
func (ps *pathSearch) expand(s, other *side) (string, error) {
	if len(s.front) <= exactFront {
		if _, err := ps.cost(s, int(^uint(0)>>1)); err != nil {
			return "", err
		}
		slices.SortStableFunc(s.front, func(a, b string) int { return s.degree[a] - s.degree[b] })
	}
	var next []neighbour
	for _, id := range s.front {
		ns, err := ps.tx.neighbours(id)
		if err != nil {
			return "", err
		}
		for _, n := range ns {
			if _, seen := s.prev[n.id]; seen {
				continue
			}
			met, err := ps.meets(n, other)
			if err != nil {
				return "", err
			}
			s.prev[n.id] = id
			if met {
				return n.id, nil
			}
			next = append(next, n)
		}
	}
	s.front = s.front[:0]
	for _, n := range next {
		closed, err := ps.isClosed(n.id, n.kind)
		if err != nil {
			return "", err
		}
		if !closed {
			s.front = append(s.front, n.id)
		}
	}
	clear(s.degree)
	return "", nil
}

// meets reports whether reaching n meets the other side: n is the other
// end, or a node reached from there that a path may pass through.
func (ps *pathSearch) meets(n neighbour, other *side) (bool, error) {
	root, ok := other.prev[n.id]
	if !ok {
		return false, nil
	}
	if root == "" {
		return true, nil
	}
	closed, err := ps.isClosed(n.id, n.kind)
	return !closed, err
}

// chain rebuilds the walk from the meeting point and reads, for each step,
// the first relation (in key order) that joins the two nodes.
func (ps *pathSearch) chain(meet string, prevF, prevB map[string]string) ([]Relation, error) {
	var ids []string
	for id := meet; id != ""; id = prevF[id] {
		ids = append([]string{id}, ids...)
	}
	for id := prevB[meet]; id != ""; id = prevB[id] {
		ids = append(ids, id)
	}
	rels := make([]Relation, 0, len(ids)-1)
	for i := 0; i+1 < len(ids); i++ {
		r, err := ps.between(ids[i], ids[i+1])
		if err != nil {
			return nil, err
		}
		rels = append(rels, r)
	}
	return rels, nil
}

// between returns the first relation, in a's key order, that joins a and b,
// with its evidence. It reads the keys of whichever of the two has fewer
// relations, then the evidence of that one relation: a hub's whole adjacency
// list with its evidence would cost much more.
func (ps *pathSearch) between(a, b string) (Relation, error) {
	tx := ps.tx
	da, err := ps.degree(a)
	if err != nil {
		return Relation{}, err
	}
	db, err := ps.degree(b)
	if err != nil {
		return Relation{}, err
	}
	near, far := a, b
	if db < da {
		near, far = b, a
	}
	var found []Relation
	for _, d := range []Direction{Out, In} {
		links, err := tx.Links(near, d, "", -1)
		if err != nil {
			return Relation{}, err
		}
		for _, l := range links {
			if l.Other() == far {
				found = append(found, l)
			}
		}
	}
	if len(found) == 0 {
		return Relation{}, fmt.Errorf("no relation between %s and %s: %w", a, b, ErrNotFound)
	}
	// The first seen from a: out before in, then by type.
	var best Relation
	for i, l := range found {
		if near != a {
			l.Dir = l.Dir.flip()
		}
		if i == 0 || l.Dir < best.Dir || l.Dir == best.Dir && l.Type < best.Type {
			best = l
		}
	}
	if near != a {
		if best.OtherKind, err = tx.KindOf(b); err != nil {
			return Relation{}, err
		}
	}
	return tx.withEvidence(best)
}

// withEvidence reads the evidence of one link, from every data set that
// asserts it.
func (tx *Tx) withEvidence(l Relation) (Relation, error) {
	e := l.Edge
	to, err := tx.KindOf(e.To)
	if err != nil {
		return Relation{}, err
	}
	p := prefix(tagOut, e.From, e.Type, string(to), e.To)
	e.Evidence = nil
	err = tx.scan(p, func(k, v []byte) error {
		ev, err := decodeEvidence(v, lastPart(k))
		e.Evidence = append(e.Evidence, ev...)
		return err
	})
	l.Edge = e
	return l, err
}
