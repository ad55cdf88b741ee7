package graph

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/dgraph-io/badger/v4"
)

// Tx is a read-only view of the store at one instant. It caches the nodes it
// has read, and the adjacency lists the store's cache does not keep, so a
// request that meets the same node many times reads it once.
// A Tx is not safe for concurrent use unless the caller serialises access.
type Tx struct {
	ctx   context.Context
	s     *Store
	txn   *badger.Txn
	ts    uint64
	nodes map[string]*Node
	rels  map[relKey][]Relation // lists the store's cache does not keep
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

// findNode reads node id, nil when there is none: without making an error
// for a miss, which is what a seed into a new database meets for every
// node.
func findNode(txn *badger.Txn, id string) (*Node, error) {
	item, err := txn.Get(nodeKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read node %q: %w", id, err)
	}
	n := new(Node)
	if err := item.Value(func(v []byte) error { return decodeNode(v, n) }); err != nil {
		return nil, fmt.Errorf("decode node %q: %w", id, err)
	}
	return n, nil
}

// getNode reads node id; an error wrapping ErrNotFound when there is none.
func getNode(txn *badger.Txn, id string) (*Node, error) {
	n, err := findNode(txn, id)
	if err == nil && n == nil {
		return nil, fmt.Errorf("node %q: %w", id, ErrNotFound)
	}
	return n, err
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
// matched whole without regard to case or accents, never a word contained
// in a longer name (so that "Les" is not a talk whose title holds it).
// When several nodes share the name, the node whose id is exactly name
// wins, then the only node whose name is exactly name (exactly: the same
// bytes, case and accents included); otherwise it returns an
// *AmbiguousError (ErrAmbiguous) listing them. When no name matches whole,
// it returns a *NotFoundError naming the closest known names ("David
// Mazières" for "mazieres"). Resolve chooses among exactly what Lookup
// returns.
func (tx *Tx) Resolve(name string) (*Node, error) {
	ids, err := tx.Lookup(name)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		return tx.pick(ids, name)
	}
	closest, err := tx.Closest(name, 3)
	if err != nil {
		return nil, err
	}
	return nil, &NotFoundError{What: "entity " + quoteClipped(name), Closest: closest}
}

// sumCounts adds up the uint32 counts stored under key(ds) for each data set
// (document frequencies, degrees): one point read per set, and bloom filters
// answer most misses.
func (tx *Tx) sumCounts(sets []string, key func(ds string) []byte) (int, error) {
	n := 0
	for _, ds := range sets {
		item, err := tx.txn.Get(key(ds))
		if errors.Is(err, badger.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return 0, err
		}
		err = item.Value(func(v []byte) error {
			if len(v) == 4 {
				n += int(binary.BigEndian.Uint32(v))
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return n, nil
}
