package graph

import (
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// deleteStale deletes, at the seed's version, every key the data set held
// at the old version that the seed has not written again. It runs after the
// new keys are flushed, so each key is written once at that version.
func (w *DatasetWriter) deleteStale() error {
	old := w.s.db.NewTransactionAt(w.old, false)
	defer old.Discard()
	cur := w.s.db.NewTransactionAt(w.ts, false)
	defer cur.Discard()
	wb := w.s.db.NewWriteBatchAt(w.ts)
	defer wb.Cancel()
	del := func(k []byte) error {
		if item, err := cur.Get(k); err == nil && item.Version() == w.ts {
			return nil // written again by this seed
		}
		if err := w.ops.record(k, true); err != nil {
			return err
		}
		return wb.Delete(k)
	}
	if err := w.eachOldKey(old, cur, del); err != nil {
		return err
	}
	for _, rec := range w.replaced {
		kvs, _ := w.s.nodeKeys(rec)
		for _, k := range kvs {
			if err := del(k.key); err != nil {
				return err
			}
		}
	}
	for _, k := range w.rewrite {
		if err := wb.Set(k.key, k.val); err != nil {
			return err
		}
		if err := w.ops.record(k.key, false); err != nil {
			return err
		}
	}
	return wb.Flush()
}

// eachOldKey calls fn with every key data set w.name held at the old
// version: its nodes' keys, its edges' keys, its statistics and record. It
// fails with ErrConflict when a node changes kind while another data set's
// relations point at it: their keys hold the old kind.
func (w *DatasetWriter) eachOldKey(old, cur *badger.Txn, fn func([]byte) error) error {
	it := old.NewIterator(badger.IteratorOptions{Prefix: prefix(tagOwn, w.name)})
	defer it.Close()
	degrees := map[string]bool{} // degree keys already given to fn
	for it.Rewind(); it.Valid(); it.Next() {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		keys, err := w.oldKeys(old, cur, it.Item(), degrees)
		if err != nil {
			return err
		}
		for _, k := range append(keys, it.Item().KeyCopy(nil)) {
			if err := fn(k); err != nil {
				return err
			}
		}
	}
	// Every language the data set has statistics in, not only the store's
	// Languages: descriptions are indexed in their own languages.
	if err := eachKey(old, prefix(tagStats, w.name), fn); err != nil {
		return err
	}
	if err := eachKey(old, prefix(tagDF, w.name), fn); err != nil {
		return err
	}
	if err := eachKey(old, prefix(tagCite, w.name), fn); err != nil {
		return err
	}
	if err := eachKey(old, prefix(tagFile, w.name), fn); err != nil {
		return err
	}
	return fn(datasetKey(w.name))
}

// oldKeys returns the keys an own-key item of the old version stands for.
func (w *DatasetWriter) oldKeys(old, cur *badger.Txn, item *badger.Item, degrees map[string]bool) ([][]byte, error) {
	var keys [][]byte
	ps := parts(item.Key())
	switch {
	case len(ps) == 3 && ps[1] == string(ownNode):
		n, err := getNode(old, ps[2])
		if err != nil {
			return nil, fmt.Errorf("read old node %s: %w", ps[2], err)
		}
		if !slices.Contains(n.owners(), w.name) { // it has moved to a set seeded since
			return nil, nil
		}
		if !n.soleOwner(w.name) {
			return w.sharedOldKeys(old, cur, n)
		}
		if err := w.checkKindKept(cur, n); err != nil {
			return nil, err
		}
		kvs, _ := w.s.nodeKeys(n)
		for _, k := range kvs {
			keys = append(keys, k.key)
		}
	case len(ps) == 5 && ps[1] == string(ownEdge):
		e := Edge{From: ps[2], Type: ps[3], To: ps[4]}
		var from, to Kind
		if err := item.Value(func(v []byte) error { from, to = parseOwnEdgeValue(v); return nil }); err != nil {
			return nil, err
		}
		keys = append(keys, outKey(e, to, w.name), inKey(e, from, w.name))
		for _, id := range []string{e.From, e.To} {
			if !degrees[id] {
				degrees[id] = true
				keys = append(keys, degreeKey(id, w.name))
			}
		}
	}
	return keys, nil
}

// checkKindKept refuses a node whose kind the seed changes while another
// data set has relations to it.
func (w *DatasetWriter) checkKindKept(cur *badger.Txn, old *Node) error {
	n, err := getNode(cur, old.ID)
	if err != nil || n.Kind == old.Kind {
		return nil // removed (the loader checks references) or kept
	}
	p := prefix(tagDegree, old.ID)
	it := cur.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
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
