package graph

import (
	"fmt"
	"slices"
	"time"
)

// UpsertNode creates node n in data set dataset, or replaces the node with
// its id. A node keeps the data set that defines it: naming another one is
// ErrConflict, and so is changing the kind of a node that has relations or
// of a source that evidence cites. It returns whether the node was created,
// FieldProblems (ErrInvalid) for a node that fails CheckNode.
func (m *Mutation) UpsertNode(dataset string, n *Node) (created bool, err error) {
	if ps := CheckNode(n); len(ps) > 0 {
		return false, ps
	}
	old, err := m.Node(n.ID)
	switch {
	case err == nil:
		if len(old.Datasets) > 1 {
			return false, fmt.Errorf("node %q: %w: data sets %v define it; edit their seed files", n.ID, ErrConflict, old.Datasets)
		}
		if dataset != "" && dataset != old.Dataset {
			return false, fmt.Errorf("node %q: %w: it belongs to data set %s", n.ID, ErrConflict, old.Dataset)
		}
		if old.Kind != n.Kind && m.hasRelations(n.ID) {
			return false, fmt.Errorf("node %q: %w: it has relations, so its kind stays %s", n.ID, ErrConflict, old.Kind)
		}
		if old.Kind != n.Kind {
			if err := m.checkNotCited(old, "it stays a source"); err != nil {
				return false, err
			}
		}
		n.Dataset = old.Dataset
		if err := m.removeNodeKeys(old); err != nil {
			return false, err
		}
	case errorsIsNotFound(err):
		if err := CheckID(dataset); err != nil {
			return false, fmt.Errorf("data set: %w: %w", ErrInvalid, err)
		}
		n.Dataset, created = dataset, true
	default:
		return false, err
	}
	n.File, n.Line, n.Datasets = "", 0, nil
	keys, ps := m.s.nodeKeys(n)
	keys = append(keys, kv{ownNodeKey(n.Dataset, n.ID), nil})
	for _, k := range keys {
		if err := m.set(k.key, k.val); err != nil {
			return false, err
		}
	}
	m.addStats(n.Dataset, ps, 1)
	if created {
		return true, m.count(n.Dataset, 1, 0)
	}
	return false, nil
}

func (m *Mutation) removeNodeKeys(n *Node) error {
	keys, ps := m.s.nodeKeys(n)
	keys = append(keys, kv{ownNodeKey(n.Dataset, n.ID), nil})
	for _, k := range keys {
		if err := m.del(k.key); err != nil {
			return err
		}
	}
	m.addStats(n.Dataset, ps, -1)
	return nil
}

// addStats adds (sign 1) or takes away (-1) a node's postings from the
// data set's search statistics and document frequencies.
func (m *Mutation) addStats(dataset string, ps []posting, sign int64) {
	for lang, l := range textLengths(ps) {
		d := m.stats[[2]string{dataset, lang}]
		m.stats[[2]string{dataset, lang}] = [2]int64{d[0] + sign, d[1] + sign*int64(l)}
	}
	for _, p := range ps {
		m.counts[string(dfKey(dataset, p.lang, p.term))] += sign
	}
}

// count changes a data set record's node and edge counts.
func (m *Mutation) count(dataset string, nodes, edges int) error {
	d, err := m.record(dataset)
	if err != nil {
		return err
	}
	d.Nodes += nodes
	d.Edges += edges
	d.SeededAt = time.Now().UTC()
	return nil
}

func (m *Mutation) hasRelations(id string) bool {
	for _, tag := range []byte{tagOut, tagIn} {
		p := prefix(tag, id)
		it := m.txn.NewIterator(badgerKeysOnly(p))
		it.Seek(p)
		found := it.ValidForPrefix(p)
		it.Close()
		if found {
			return true
		}
	}
	return false
}

// AddEdge asserts edge e (either type name) for data set dataset, adding its
// evidence to what the data set already gives for the edge. It returns
// whether the edge was new to the data set, and FieldProblems (ErrInvalid) for an
// edge that fails CheckEdge.
func (m *Mutation) AddEdge(dataset string, e Edge) (created bool, err error) {
	if err := CheckID(dataset); err != nil {
		return false, fmt.Errorf("data set: %w: %w", ErrInvalid, err)
	}
	if ps := CheckEdge(e, m); len(ps) > 0 {
		return false, ps
	}
	e, _ = e.Canonical()
	from, _ := m.KindOf(e.From)
	to, _ := m.KindOf(e.To)
	ev, err := m.evidence(outKey(e, to, dataset))
	if err != nil {
		return false, err
	}
	created = ev == nil
	cited := evidenceSources(ev)
	for _, x := range e.Evidence {
		x.Dataset, x.File, x.Line = "", "", 0
		if !slices.Contains(ev, x) {
			ev = append(ev, x)
		}
	}
	for _, src := range evidenceSources(ev) {
		if !slices.Contains(cited, src) {
			m.counts[string(citeKey(dataset, src))]++
		}
	}
	val := encodeEvidence(ev)
	for _, k := range []kv{{outKey(e, to, dataset), val}, {inKey(e, from, dataset), val}, {ownEdgeKey(dataset, e), ownEdgeValue(from, to)}} {
		if err := m.set(k.key, k.val); err != nil {
			return false, err
		}
	}
	if err := m.addRefs(dataset, e); err != nil {
		return false, err
	}
	if created {
		m.counts[string(degreeKey(e.From, dataset))]++
		m.counts[string(degreeKey(e.To, dataset))]++
		return true, m.count(dataset, 0, 1)
	}
	return false, nil
}

// addRefs records the ids of other data sets the edge refers to, so those
// sets cannot drop them.
func (m *Mutation) addRefs(dataset string, e Edge) error {
	d, err := m.record(dataset)
	if err != nil {
		return err
	}
	ids := []string{e.From, e.To}
	for _, x := range e.Evidence {
		ids = append(ids, x.Source)
	}
	for _, id := range ids {
		n, err := m.Node(id)
		if err != nil || slices.Contains(n.owners(), dataset) {
			continue
		}
		if d.Refs == nil {
			d.Refs = map[string][]string{}
		}
		for _, set := range n.owners() { // each set that defines it: none may drop it alone
			if !slices.Contains(d.Refs[set], id) {
				d.Refs[set] = append(d.Refs[set], id)
				slices.Sort(d.Refs[set])
			}
		}
	}
	return nil
}
