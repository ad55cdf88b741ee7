package graph

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// RemoveEdge removes edge from-type-to (either type name) as every data set
// asserts it. It returns ErrNotFound when no data set asserts it.
func (m *Mutation) RemoveEdge(from, typ, to string) error {
	e, ok := Edge{From: from, Type: typ, To: to}.Canonical()
	if !ok {
		return fmt.Errorf("relation type %q: %w", typ, ErrInvalid)
	}
	sets, err := m.assertingSets(e)
	if err != nil {
		return err
	}
	if len(sets) == 0 {
		return fmt.Errorf("relation %s %s %s: %w", e.From, e.Type, e.To, ErrNotFound)
	}
	for _, ds := range sets {
		if err := m.dropEdge(e, ds); err != nil {
			return err
		}
	}
	return nil
}

// assertingSets returns the data sets that assert e.
func (m *Mutation) assertingSets(e Edge) ([]string, error) {
	to, _ := m.KindOf(e.To)
	p := prefix(tagOut, e.From, e.Type, string(to), e.To)
	it := m.txn.NewIterator(badgerKeysOnly(p))
	defer it.Close()
	var sets []string
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		sets = append(sets, lastPart(it.Item().Key()))
	}
	return sets, nil
}

// dropEdge deletes the keys of edge e as data set dataset asserts it; the
// own-edge key's value gives the kinds in its adjacency keys.
func (m *Mutation) dropEdge(e Edge, dataset string) error {
	own := ownEdgeKey(dataset, e)
	item, err := m.txn.Get(own)
	if err != nil {
		return fmt.Errorf("read relation %s %s %s of %s: %w", e.From, e.Type, e.To, dataset, err)
	}
	var from, to Kind
	if err := item.Value(func(v []byte) error { from, to = parseOwnEdgeValue(v); return nil }); err != nil {
		return err
	}
	ev, err := m.evidence(outKey(e, to, dataset))
	if err != nil {
		return err
	}
	for _, k := range [][]byte{outKey(e, to, dataset), inKey(e, from, dataset), own} {
		if err := m.del(k); err != nil {
			return err
		}
	}
	m.counts[string(degreeKey(e.From, dataset))]--
	m.counts[string(degreeKey(e.To, dataset))]--
	sources := evidenceSources(ev)
	for _, src := range sources {
		m.counts[string(citeKey(dataset, src))]--
	}
	m.touch(dataset, append(sources, e.From, e.To)...)
	return m.count(dataset, 0, -1)
}

// DeleteNode deletes node id and every relation it has, whichever data set
// asserts them. A source that evidence cites cannot be deleted: ErrConflict.
// An unknown id is ErrNotFound.
func (m *Mutation) DeleteNode(id string) error {
	n, err := m.Node(id)
	if err != nil {
		return err
	}
	if len(n.Datasets) > 1 {
		return fmt.Errorf("node %q: %w: data sets %v define it; remove it from their seed files and re-seed", id, ErrConflict, n.Datasets)
	}
	if err := m.checkNotCited(n, "it cannot be deleted"); err != nil {
		return err
	}
	var edges []struct {
		e  Edge
		ds string
	}
	for _, tag := range []byte{tagOut, tagIn} {
		p := prefix(tag, id)
		it := m.txn.NewIterator(badgerKeysOnly(p))
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			ps := parts(it.Item().Key())
			e := Edge{From: ps[0], Type: ps[1], To: ps[3]}
			if tag == tagIn {
				e.From, e.To = e.To, e.From
			}
			edges = append(edges, struct {
				e  Edge
				ds string
			}{e, ps[4]})
		}
		it.Close()
	}
	for _, x := range edges {
		if err := m.dropEdge(x.e, x.ds); err != nil {
			return err
		}
	}
	if err := m.removeNodeKeys(n); err != nil {
		return err
	}
	return m.count(n.Dataset, -1, 0)
}

// evidence returns the evidence stored under an edge key, or nil.
func (m *Mutation) evidence(k []byte) ([]Evidence, error) {
	item, err := m.txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ev []Evidence
	err = item.Value(func(v []byte) (err error) {
		ev, err = decodeEvidence(v, "")
		return err
	})
	return ev, err
}

func badgerKeysOnly(p []byte) badger.IteratorOptions {
	return badger.IteratorOptions{Prefix: p, PrefetchValues: false}
}

func errorsIsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
