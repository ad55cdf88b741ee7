package graph

import (
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// spoolStale spools the deletion of every key the data set held at the old
// version: the merge drops the deletion of a key the seed writes again, so
// each key is written once, and the seed reads nothing it wrote.
func (w *DatasetWriter) spoolStale() error {
	if err := w.eachOldKey(w.read); err != nil {
		return err
	}
	for _, rec := range w.replaced {
		kvs, _ := w.s.nodeKeys(rec)
		if err := w.spoolKeys(kvs, opDel, opUnpost); err != nil {
			return err
		}
	}
	return nil
}

// eachOldKey spools the deletion of every key data set w.name held at the
// old version: its nodes' keys, its edges' keys, its statistics and record.
func (w *DatasetWriter) eachOldKey(old *badger.Txn) error {
	it := old.NewIterator(badger.IteratorOptions{Prefix: prefix(tagOwn, w.name)})
	defer it.Close()
	degrees := map[string]bool{} // degree keys already spooled
	i := 0
	for it.Rewind(); it.Valid(); it.Next() {
		if i++; i%1024 == 0 {
			if err := w.ctx.Err(); err != nil {
				return err
			}
		}
		if err := w.oldKeys(old, it.Item(), degrees); err != nil {
			return err
		}
		if err := w.sp.add(opDel, it.Item().KeyCopy(nil), nil); err != nil {
			return err
		}
	}
	// Every language the data set has statistics in, not only the store's
	// Languages: descriptions are indexed in their own languages.
	for _, tag := range []byte{tagStats, tagDF, tagCite, tagFile} {
		err := eachKey(old, prefix(tag, w.name), func(k []byte) error { return w.sp.add(opDel, k, nil) })
		if err != nil {
			return err
		}
	}
	return w.sp.add(opDel, datasetKey(w.name), nil)
}

// oldKeys spools the deletion of the keys an own-key item of the old
// version stands for.
func (w *DatasetWriter) oldKeys(old *badger.Txn, item *badger.Item, degrees map[string]bool) error {
	ps := parts(item.Key())
	switch {
	case len(ps) == 3 && ps[1] == string(ownNode):
		n, err := getNode(old, ps[2])
		if err != nil {
			return fmt.Errorf("read old node %s: %w", ps[2], err)
		}
		if !slices.Contains(n.owners(), w.name) { // it has moved to a set seeded since
			return nil
		}
		if !n.soleOwner(w.name) {
			return w.sharedOldKeys(old, n)
		}
		kvs, _ := w.s.nodeKeys(n)
		return w.spoolKeys(kvs, opDel, opUnpost)
	case len(ps) == 5 && ps[1] == string(ownEdge):
		e := Edge{From: ps[2], Type: ps[3], To: ps[4]}
		var from, to Kind
		if err := item.Value(func(v []byte) error { from, to = parseOwnEdgeValue(v); return nil }); err != nil {
			return err
		}
		keys := [][]byte{outKey(e, to, w.name), inKey(e, from, w.name)}
		for _, id := range []string{e.From, e.To} {
			if !degrees[id] {
				degrees[id] = true
				keys = append(keys, degreeKey(id, w.name))
			}
		}
		for _, k := range keys {
			if err := w.sp.add(opDel, k, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkKindKept refuses a node whose kind the seed changes while another
// data set has relations to it: their adjacency keys hold the old kind.
func (w *DatasetWriter) checkKindKept(txn *badger.Txn, old, n *Node) error {
	if n.Kind == old.Kind {
		return nil
	}
	p := prefix(tagDegree, old.ID)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		if ds := lastPart(it.Item().Key()); ds != w.name {
			return fmt.Errorf("node %s: %w: its kind changes from %s to %s while data set %s has relations to it; keep the kind, or remove those relations first", old.ID, ErrConflict, old.Kind, n.Kind, ds)
		}
	}
	return nil
}

// eachKey calls fn with a copy of every key with prefix p.
func eachKey(txn *badger.Txn, p []byte, fn func([]byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		if err := fn(it.Item().KeyCopy(nil)); err != nil {
			return err
		}
	}
	return nil
}
