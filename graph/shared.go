package graph

import (
	"errors"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// A node may be defined by several data sets: a speaker of two imported
// conferences is one person. Each data set's own-node key ("o" dataset "n"
// id) then holds that set's definition (its value is empty while one data
// set alone defines the node: the record is its definition), and the
// record ("n" id) holds the merged node, with Datasets listing the sets.
// A seed that adds, changes or drops one set's definition merges the
// definitions again, so the node lives while any data set defines it.
//
// The merge is deterministic: definitions are taken in data set name
// order; the first gives the name, file and line; every other name and
// alias becomes an alias; a description or property is the first set's
// that has it. Every definition must have the same kind (the loader
// refuses another). Each data set counts its own definition in its search
// statistics, so a shared node counts once per set that defines it.

// owners returns the data sets that define n.
func (n *Node) owners() []string {
	if len(n.Datasets) > 0 {
		return n.Datasets
	}
	return []string{n.Dataset}
}

// soleOwner reports whether set alone defines n.
func (n *Node) soleOwner(set string) bool {
	o := n.owners()
	return len(o) == 1 && o[0] == set
}

// mergeDefs merges the definitions of one node, given in data set order.
func mergeDefs(defs []*Node) *Node {
	first := defs[0]
	m := &Node{ID: first.ID, Kind: first.Kind, Name: first.Name, Dataset: first.Dataset, File: first.File, Line: first.Line}
	if len(defs) > 1 {
		for _, d := range defs {
			m.Datasets = append(m.Datasets, d.Dataset)
		}
	}
	seen := map[string]bool{m.Name: true}
	for _, d := range defs {
		for _, a := range append([]string{d.Name}, d.Aliases...) {
			if !seen[a] && len(m.Aliases) < MaxAliases {
				seen[a] = true
				m.Aliases = append(m.Aliases, a)
			}
		}
		m.Description = mergeMap(m.Description, d.Description)
		m.Props = mergeMap(m.Props, d.Props)
	}
	return m
}

// mergeMap adds to dst the keys of src it lacks.
func mergeMap(dst, src map[string]string) map[string]string {
	for k, v := range src {
		if _, ok := dst[k]; !ok {
			if dst == nil {
				dst = map[string]string{}
			}
			dst[k] = v
		}
	}
	return dst
}

// ownDef returns data set set's definition of the node whose stored record
// is rec, read at the version of txn; fill is true when the set's own-node
// key holds none yet (the record was its definition alone).
func ownDef(txn *badger.Txn, set string, rec *Node) (def *Node, fill bool, err error) {
	item, err := txn.Get(ownNodeKey(set, rec.ID))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false, fmt.Errorf("node %s: data set %s defines it but holds no key for it: %w", rec.ID, set, errCorrupt)
	}
	if err != nil {
		return nil, false, err
	}
	if item.ValueSize() == 0 {
		d := *rec
		d.Dataset, d.Datasets = set, nil
		return &d, true, nil
	}
	def = new(Node)
	err = item.Value(func(v []byte) error { return decodeNode(v, def) })
	return def, false, err
}

// mergeWith returns the record of node n of the seed's data set merged with
// the definitions of the other data sets that define rec (the stored
// record), and the own-node keys of those sets to fill.
func (w *DatasetWriter) mergeWith(txn *badger.Txn, rec, n *Node) (*Node, []kv, error) {
	defs := []*Node{n}
	var fill []kv
	for _, set := range rec.owners() {
		if set == w.name {
			continue
		}
		def, empty, err := ownDef(txn, set, rec)
		if err != nil {
			return nil, nil, err
		}
		if empty {
			fill = append(fill, kv{ownNodeKey(set, rec.ID), encodeNode(def)})
		}
		defs = append(defs, def)
	}
	slices.SortFunc(defs, func(a, b *Node) int { return cmpString(a.Dataset, b.Dataset) })
	return mergeDefs(defs), fill, nil
}

// unshare handles a node the data set defined with others and defines no
// more: the others' definitions are merged again, and the merge replaces
// the old record's keys.
func (w *DatasetWriter) unshare(old *badger.Txn, rec *Node) error {
	var defs []*Node
	for _, set := range rec.owners() {
		if set == w.name {
			continue
		}
		def, _, err := ownDef(old, set, rec)
		if err != nil {
			return err
		}
		defs = append(defs, def)
	}
	merged := mergeDefs(defs)
	oldKVs, _ := w.s.nodeKeys(rec)
	if err := w.spoolKeys(oldKVs, opDel, opUnpost); err != nil {
		return err
	}
	kvs, _ := w.s.nodeKeys(merged)
	if err := w.spoolKeys(kvs, opSet, opPosting); err != nil {
		return err
	}
	if len(defs) == 1 { // alone again: its own-node key goes back to empty
		return w.set(ownNodeKey(defs[0].Dataset, rec.ID), nil)
	}
	return nil
}

// sharedOldKeys spools the deletion of the keys of a node data set w.name
// defined with others at the old version.
func (w *DatasetWriter) sharedOldKeys(old *badger.Txn, rec *Node) error {
	if w.remerged[rec.ID] {
		kvs, _ := w.s.nodeKeys(rec) // defined again: the merge was written; drop what it replaced
		return w.spoolKeys(kvs, opDel, opUnpost)
	}
	return w.unshare(old, rec)
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
