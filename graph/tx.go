package graph

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Tx is a read-only view of the store at one instant. It caches the nodes it
// has read, so a request that meets the same node many times reads it once.
// A Tx is not safe for concurrent use unless the caller serialises access.
type Tx struct {
	ctx   context.Context
	s     *Store
	txn   *badger.Txn
	ts    uint64
	nodes map[string]*Node
	done  bool
}

// Discard ends the transaction. It may be called more than once.
func (tx *Tx) Discard() {
	if !tx.done {
		tx.done = true
		tx.txn.Discard()
		tx.s.release(tx.ts)
	}
}

// Context returns the context the transaction was opened with.
func (tx *Tx) Context() context.Context { return tx.ctx }

// Node returns the node with the given id, or an error wrapping ErrNotFound.
func (tx *Tx) Node(id string) (*Node, error) {
	if n, ok := tx.nodes[id]; ok {
		if n == nil {
			return nil, fmt.Errorf("node %q: %w", id, ErrNotFound)
		}
		return n, nil
	}
	if err := tx.ctx.Err(); err != nil {
		return nil, err
	}
	if n, ok := tx.s.cache.node(tx.ts, id); ok {
		tx.nodes[id] = n
		return n, nil
	}
	tx.s.reads.Add(1)
	n, err := getNode(tx.txn, id)
	if errors.Is(err, ErrNotFound) {
		tx.nodes[id] = nil
	}
	if err != nil {
		return nil, err
	}
	tx.nodes[id] = n
	tx.s.cache.putNode(tx.ts, n)
	return n, nil
}

// KindOf returns the kind of node id, reading only the head of its record
// (or the cached node), or an error wrapping ErrNotFound.
func (tx *Tx) KindOf(id string) (Kind, error) {
	if n, ok := tx.nodes[id]; ok && n != nil {
		return n.Kind, nil
	}
	if n, ok := tx.s.cache.node(tx.ts, id); ok {
		return n.Kind, nil
	}
	tx.s.reads.Add(1)
	item, err := tx.txn.Get(nodeKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", fmt.Errorf("node %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", err
	}
	var k Kind
	err = item.Value(func(v []byte) error { k = kindOf(v); return nil })
	return k, err
}

func getNode(txn *badger.Txn, id string) (*Node, error) {
	item, err := txn.Get(nodeKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("node %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read node %q: %w", id, err)
	}
	n := new(Node)
	err = item.Value(func(v []byte) error { return decodeNode(v, n) })
	if err != nil {
		return nil, fmt.Errorf("decode node %q: %w", id, err)
	}
	return n, nil
}

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

// cachedAdjacent is adjacent through the store's read cache; only whole
// lists (no limit) are cached.
func (tx *Tx) cachedAdjacent(id string, d Direction, typ string, limit int, evidence bool) ([]Relation, error) {
	k := relKey{id, d, typ, evidence}
	if rels, ok := tx.s.cache.relations(tx.ts, k); ok {
		if limit >= 0 && len(rels) > limit {
			rels = rels[:limit]
		}
		return rels, nil
	}
	rels, err := tx.adjacent(id, d, typ, limit, evidence)
	if err == nil && limit < 0 {
		tx.s.cache.putRelations(tx.ts, k, rels)
	}
	return rels, err
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
	err := scan(p, func(k, v []byte) error {
		ps := parts(k)
		if len(ps) != 5 {
			return nil
		}
		var ev []Evidence
		if evidence {
			var err error
			if ev, err = decodeEvidence(v, ps[4]); err != nil {
				return fmt.Errorf("decode edge %q: %w", k, err)
			}
		}
		e := Edge{From: ps[0], Type: ps[1], To: ps[3]}
		if d == In {
			e.From, e.To = e.To, e.From
		}
		if n := len(out); n > 0 && out[n-1].Key() == e.Key() {
			out[n-1].Evidence = append(out[n-1].Evidence, ev...)
			return nil
		}
		if limit >= 0 && len(out) >= limit {
			return errStop
		}
		e.Evidence = ev
		out = append(out, Relation{Edge: e, Dir: d, OtherKind: Kind(ps[2])})
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
// keys only, through the read cache.
func (tx *Tx) neighbours(id string) ([]neighbour, error) {
	var out []neighbour
	for _, d := range []Direction{Out, In} {
		rels, err := tx.cachedAdjacent(id, d, "", -1, false)
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if o := r.Other(); len(out) == 0 || out[len(out)-1].id != o {
				out = append(out, neighbour{o, r.OtherKind})
			}
		}
	}
	return out, nil
}

// Degree returns how many relations node id has, in both directions, as
// counted when they were written (an edge asserted by two data sets counts
// twice). It reads one short list of keys, not the relations.
func (tx *Tx) Degree(id string) (int, error) {
	n := 0
	err := tx.scan(prefix(tagDegree, id), func(_, v []byte) error {
		if len(v) == 4 {
			n += int(binary.BigEndian.Uint32(v))
		}
		return nil
	})
	return n, err
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

// IDs returns the ids of nodes of kind k in id order, skipping offset and
// keeping at most limit (limit < 0: all).
func (tx *Tx) IDs(k Kind, offset, limit int) ([]string, error) {
	var out []string
	i := 0
	err := tx.scanKeys(prefix(tagKind, string(k)), func(key, _ []byte) error {
		if i++; i <= offset {
			return nil
		}
		if limit >= 0 && len(out) >= limit {
			return errStop
		}
		out = append(out, lastPart(key))
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// Lookup returns the ids of the nodes whose id, name or an alias folds to
// the same text as name (case and accents folded by the Analyzer), in id order.
func (tx *Tx) Lookup(name string) ([]string, error) {
	var out []string
	err := tx.scanKeys(prefix(tagAlias, tx.s.Analyzer.Fold(name)), func(k, _ []byte) error {
		out = append(out, lastPart(k))
		return nil
	})
	sort.Strings(out)
	return out, err
}

// Resolve returns the node that name designates: an id, a name or an alias,
// matched without regard to case or accents. When several nodes share the
// name, the one whose id equals name wins, then the first by id. When no name
// matches whole, a name that contains it as whole words and is the only one
// to do so is taken ("mazieres" for "David Mazières"). Otherwise it returns a
// *NotFoundError naming the closest known names.
func (tx *Tx) Resolve(name string) (*Node, error) {
	ids, err := tx.Lookup(name)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		return tx.Node(pick(ids, name))
	}
	ids, err = tx.lookupWords(name)
	if err != nil {
		return nil, err
	}
	if len(ids) > 1 {
		ids = tx.dropSources(ids)
	}
	if len(ids) == 1 {
		return tx.Node(ids[0])
	}
	var closest []string
	if len(ids) > 1 {
		for _, id := range ids[:min(len(ids), 5)] {
			if n, err := tx.Node(id); err == nil {
				closest = append(closest, n.Name)
			}
		}
	} else if closest, err = tx.Closest(name, 3); err != nil {
		return nil, err
	}
	return nil, &NotFoundError{What: fmt.Sprintf("entity %q", name), Closest: closest}
}

// dropSources removes the sources from ids unless nothing else is left: a
// source's title often names what it is about.
func (tx *Tx) dropSources(ids []string) []string {
	var out []string
	for _, id := range ids {
		if n, err := tx.Node(id); err == nil && n.Kind != KindSource {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return ids
	}
	return out
}

func pick(ids []string, name string) string {
	for _, id := range ids {
		if id == name {
			return id
		}
	}
	return ids[0]
}

// lookupWords returns the ids of nodes with a name that holds name's folded
// words as whole words, in id order. It scans the name index: it serves only
// names that match nothing whole.
func (tx *Tx) lookupWords(name string) ([]string, error) {
	q := " " + tx.s.Analyzer.Fold(name) + " "
	if strings.TrimSpace(q) == "" {
		return nil, nil
	}
	seen := map[string]bool{}
	var ids []string
	err := tx.scan([]byte{tagAlias}, func(k, _ []byte) error {
		ps := parts(k)
		if len(ps) == 2 && !seen[ps[1]] && strings.Contains(" "+ps[0]+" ", q) {
			seen[ps[1]] = true
			ids = append(ids, ps[1])
		}
		return nil
	})
	sort.Strings(ids)
	return ids, err
}
