package graph

import "fmt"

// MaxHops bounds path search: beyond it, paths say little and cost much.
const MaxHops = 8

// Path returns one shortest chain of relations from one node to another,
// following relations in either direction, found by breadth-first search
// from both ends at once. The chain's relations are in walking order, each
// with its evidence. It returns nil when no path of at most maxHops exists.
func (tx *Tx) Path(from, to string, maxHops int) ([]Relation, error) {
	if maxHops < 0 || maxHops > MaxHops {
		return nil, fmt.Errorf("maxHops %d: %w: use 0 to %d", maxHops, ErrInvalid, MaxHops)
	}
	if from == to {
		return []Relation{}, nil
	}
	prevF := map[string]string{from: ""}
	prevB := map[string]string{to: ""}
	frontF, frontB := []string{from}, []string{to}
	for hops := 0; hops < maxHops && len(frontF) > 0 && len(frontB) > 0; hops++ {
		// Expand the smaller side: the search then visits about the square
		// root of what one-sided search would.
		var meet string
		var err error
		if len(frontF) <= len(frontB) {
			frontF, meet, err = tx.expand(frontF, prevF, prevB)
		} else {
			frontB, meet, err = tx.expand(frontB, prevB, prevF)
		}
		if err != nil {
			return nil, err
		}
		if meet != "" {
			return tx.chain(meet, prevF, prevB)
		}
	}
	return nil, nil
}

// expand takes one BFS step from front, recording parents in prev, and
// returns the new front and the first node already reached from the other side.
// Sources are not walked through: they are evidence, and a chain through "the
// article mentions both" says nothing about how two things are related.
func (tx *Tx) expand(front []string, prev, other map[string]string) ([]string, string, error) {
	var next []string
	for _, id := range front {
		if prev[id] != "" && tx.isSource(id) {
			continue
		}
		ns, err := tx.Neighbours(id)
		if err != nil {
			return nil, "", err
		}
		for _, n := range ns {
			if _, seen := prev[n]; seen {
				continue
			}
			prev[n] = id
			if root, ok := other[n]; ok && (root == "" || !tx.isSource(n)) {
				return nil, n, nil
			}
			next = append(next, n)
		}
	}
	return next, "", nil
}

// chain rebuilds the walk from the meeting point and reads, for each step,
// the first relation (in key order) that joins the two nodes.
func (tx *Tx) chain(meet string, prevF, prevB map[string]string) ([]Relation, error) {
	var ids []string
	for id := meet; id != ""; id = prevF[id] {
		ids = append([]string{id}, ids...)
	}
	for id := prevB[meet]; id != ""; id = prevB[id] {
		ids = append(ids, id)
	}
	rels := make([]Relation, 0, len(ids)-1)
	for i := 0; i+1 < len(ids); i++ {
		r, err := tx.between(ids[i], ids[i+1])
		if err != nil {
			return nil, err
		}
		rels = append(rels, r)
	}
	return rels, nil
}

// between finds the relation joining a and b from a's keys, then reads the
// evidence of that one relation only: a hub's whole adjacency list with its
// evidence would cost much more.
func (tx *Tx) between(a, b string) (Relation, error) {
	links, err := tx.Links(a, Both, "", -1)
	if err != nil {
		return Relation{}, err
	}
	for _, l := range links {
		if l.Other() != b {
			continue
		}
		rels, err := tx.Relations(a, l.Dir, l.Type, -1)
		if err != nil {
			return Relation{}, err
		}
		for _, r := range rels {
			if r.Other() == b {
				return r, nil
			}
		}
	}
	return Relation{}, fmt.Errorf("no relation between %s and %s: %w", a, b, ErrNotFound)
}

func (tx *Tx) isSource(id string) bool {
	k, err := tx.KindOf(id)
	return err == nil && k == KindSource
}
