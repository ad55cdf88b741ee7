package graph

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

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
// matched without regard to case or accents. When several nodes share the
// name, the node whose id is exactly name wins, then the only node whose
// name is exactly name (exactly: the same bytes, case and accents
// included); otherwise it returns an *AmbiguousError (ErrAmbiguous) listing
// them. When no name matches whole, a name that contains it as whole words
// and is the only one to do so is taken ("mazieres" for "David Mazières").
// Otherwise it returns a *NotFoundError naming the closest known names.
func (tx *Tx) Resolve(name string) (*Node, error) {
	ids, err := tx.Lookup(name)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		return tx.pick(ids, name)
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

// lookupWords returns the ids of nodes with a name that holds name's folded
// words as whole words, in id order. It serves only names that match
// nothing whole. Candidates come from the postings of the name's rarest
// index term (see nameCandidates); when it has none, from the name index.
func (tx *Tx) lookupWords(name string) ([]string, error) {
	q := " " + tx.s.Analyzer.Fold(name) + " "
	if strings.TrimSpace(q) == "" || utf8.RuneCountInString(q) > maxFoldedName+2 {
		return nil, nil // no stored name can hold it
	}
	holds := func(folded string) bool { return strings.Contains(" "+folded+" ", q) }
	if ids, ok, err := tx.nameCandidates(name, holds); ok || err != nil {
		return ids, err
	}
	seen := map[string]bool{}
	var ids []string
	err := tx.scan([]byte{tagAlias}, func(k, _ []byte) error {
		ps := parts(k)
		if len(ps) == 2 && !seen[ps[1]] && holds(ps[0]) {
			seen[ps[1]] = true
			ids = append(ids, ps[1])
		}
		return nil
	})
	sort.Strings(ids)
	return ids, err
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
