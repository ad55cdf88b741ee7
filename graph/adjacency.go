package graph

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Relations returns the relations of node id in the given directions, in key
// order: outgoing before incoming, then by type, the other node's kind and
// its id (adjacency keys hold the kind, see keys.go). A non-empty name keeps
// one relation type. An inverse name reads the type the other way round:
// made_by outward is makes inward ("X made_by Y" is "Y makes X"). limit < 0
// means no limit.
func (tx *Tx) Relations(id string, dir Direction, name string, limit int) ([]Relation, error) {
	return tx.relations(id, dir, name, limit, true)
}

// Links is Relations without the evidence (Evidence is nil): it reads keys
// only, for callers that want the neighbours, not the proof.
func (tx *Tx) Links(id string, dir Direction, name string, limit int) ([]Relation, error) {
	return tx.relations(id, dir, name, limit, false)
}

func (tx *Tx) relations(id string, dir Direction, name string, limit int, evidence bool) ([]Relation, error) {
	typ := ""
	if name != "" {
		t, inv, ok := LookupEdgeType(name)
		if !ok {
			return nil, fmt.Errorf("relation type %q: %w: use one of %v", name, ErrInvalid, EdgeTypeNames())
		}
		typ = t.Name
		if inv {
			dir = dir.flip()
		}
	}
	var out []Relation
	for _, d := range []Direction{Out, In} {
		if dir&d == 0 || (limit >= 0 && len(out) >= limit) {
			continue
		}
		rels, err := tx.cachedAdjacent(id, d, typ, limit-len(out), evidence)
		if err != nil {
			return nil, err
		}
		out = append(out, rels...)
	}
	return out, nil
}

// cachedAdjacent is adjacent through the store's read cache, or, for the
// lists the store does not keep (hubs, or all when it has no cache), the
// transaction's: a request that meets a hub many times reads it once. Only
// whole lists (no limit) are cached.
func (tx *Tx) cachedAdjacent(id string, d Direction, typ string, limit int, evidence bool) ([]Relation, error) {
	k := relKey{id, d, typ, evidence}
	rels, ok := tx.s.cache.relations(tx.ts, k)
	if !ok {
		rels, ok = tx.rels[k]
	}
	if ok {
		if limit >= 0 && len(rels) > limit {
			rels = rels[:limit]
		}
		return rels, nil
	}
	rels, err := tx.adjacent(id, d, typ, limit, evidence)
	if err != nil || limit >= 0 {
		return rels, err
	}
	if tx.s.cache == nil || len(rels) > maxCachedList {
		if tx.rels == nil {
			tx.rels = map[relKey][]Relation{}
		}
		tx.rels[k] = rels
	} else {
		tx.s.cache.putRelations(tx.ts, k, rels)
	}
	return rels, nil
}

// adjacent reads one direction's edges with one prefix scan, merging the
// evidence of data sets that assert the same edge.
func (tx *Tx) adjacent(id string, d Direction, typ string, limit int, evidence bool) ([]Relation, error) {
	tag := byte(tagOut)
	if d == In {
		tag = tagIn
	}
	p := prefix(tag, id)
	if typ != "" {
		p = prefix(tag, id, typ)
	}
	var out []Relation
	scan := tx.scan
	if !evidence {
		scan = tx.scanKeys
	}
	base := len(prefix(tag, id))
	err := scan(p, func(k, v []byte) error {
		t, kind, far, ds, ok := splitAdjacent(k[base:])
		if !ok {
			return nil
		}
		var ev []Evidence
		if evidence {
			var err error
			if ev, err = decodeEvidence(v, string(ds)); err != nil {
				return fmt.Errorf("decode edge %q: %w", k, err)
			}
		}
		if n := len(out); n > 0 && out[n-1].Type == t && out[n-1].Other() == string(far) {
			out[n-1].Evidence = append(out[n-1].Evidence, ev...)
			return nil
		}
		if limit >= 0 && len(out) >= limit {
			return errStop
		}
		e := Edge{From: id, Type: t, To: string(far), Evidence: ev}
		if d == In {
			e.From, e.To = e.To, e.From
		}
		out = append(out, Relation{Edge: e, Dir: d, OtherKind: kind})
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

var errStop = errors.New("stop")

// Neighbours returns the ids joined to id by any relation, in both
// directions, reading keys only.
func (tx *Tx) Neighbours(id string) ([]string, error) {
	ns, err := tx.neighbours(id)
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.id
	}
	return out, err
}

// neighbour is a node next to another, with its kind read from the key.
type neighbour struct {
	id   string
	kind Kind
}

// neighbours is the step of path search: the nodes next to id, out then in,
// each direction in key order, repeats next to each other dropped. It reads
// keys only, allocating one string per neighbour: path search reads the
// lists of hubs, thousands of keys.
func (tx *Tx) neighbours(id string) ([]neighbour, error) {
	var out []neighbour
	for _, tag := range []byte{tagOut, tagIn} {
		p := prefix(tag, id)
		err := tx.scanKeys(p, func(k, _ []byte) error {
			_, kind, far, _, ok := splitAdjacent(k[len(p):])
			if ok && (len(out) == 0 || out[len(out)-1].id != string(far)) {
				out = append(out, neighbour{string(far), kind})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LinkedIDs returns the ids of the nodes of kind k joined to id by relations
// in direction dir, of type name ("" for any; an inverse name reads the type
// the other way round), in id order without repeats, at most limit (< 0:
// all). It reads keys only, and only the keys of nodes of kind k, since
// adjacency keys hold the far end's kind: "the talks that mention Kafka" does
// not read what else points at Kafka. It returns ErrInvalid for an unknown
// relation type.
func (tx *Tx) LinkedIDs(id string, dir Direction, name string, k Kind, limit int) ([]string, error) {
	types := make([]string, 0, len(EdgeTypes))
	if name != "" {
		t, inv, ok := LookupEdgeType(name)
		if !ok {
			return nil, fmt.Errorf("relation type %q: %w: use one of %v", name, ErrInvalid, EdgeTypeNames())
		}
		types = append(types, t.Name)
		if inv {
			dir = dir.flip()
		}
	} else {
		for _, t := range EdgeTypes {
			types = append(types, t.Name)
		}
	}
	var out []string
	for _, d := range []Direction{Out, In} {
		tag := byte(tagOut)
		if d == In {
			tag = tagIn
		}
		for _, typ := range types {
			if dir&d == 0 {
				continue
			}
			// Each list is in id order, so its first limit ids are all the
			// union's first limit can take from it.
			n := 0
			err := tx.scanKeys(prefix(tag, id, typ, string(k)), func(key, _ []byte) error {
				ps := parts(key)
				if len(ps) != 5 || (n > 0 && out[len(out)-1] == ps[3]) {
					return nil
				}
				if limit >= 0 && n >= limit {
					return errStop
				}
				out = append(out, ps[3])
				n++
				return nil
			})
			if err != nil && !errors.Is(err, errStop) {
				return nil, err
			}
		}
	}
	sort.Strings(out)
	out = slices.Compact(out)
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
