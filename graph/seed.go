package graph

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Seeder replaces the content of one data set. It streams: nodes and edges go
// to a Badger WriteBatch as they come, so memory does not grow with the data
// set. It is not atomic: a crash in the middle leaves part of the data set.
type Seeder struct {
	s     *Store
	ctx   context.Context
	name  string
	wb    *badger.WriteBatch
	stats map[string]*langStats
	nodes int
	edges int
	keys  int
}

type langStats struct{ docs, length uint64 }

// BeginSeed starts replacing data set name: it first deletes everything the
// data set held. The caller validates the content first (CheckNode, CheckEdge)
// and ends with Commit or Abort.
func (s *Store) BeginSeed(ctx context.Context, name string) (*Seeder, error) {
	if err := CheckID(name); err != nil {
		return nil, fmt.Errorf("data set name: %w: %w", ErrInvalid, err)
	}
	w := &Seeder{s: s, ctx: ctx, name: name, wb: s.db.NewWriteBatch(), stats: map[string]*langStats{}}
	if err := w.deleteOld(); err != nil {
		w.wb.Cancel()
		return nil, err
	}
	return w, nil
}

// deleteOld deletes every key the data set owns, reading them from a
// snapshot taken before any of this seed's writes.
func (w *Seeder) deleteOld() error {
	txn := w.s.db.NewTransaction(false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix(tagOwn, w.name)})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		ps := parts(it.Item().Key())
		switch {
		case len(ps) == 3 && ps[1] == string(ownNode):
			n, err := getNode(txn, ps[2])
			if err != nil {
				return fmt.Errorf("delete old node %s: %w", ps[2], err)
			}
			if n.Dataset != w.name {
				break // the node has moved to a set seeded since: it is theirs now
			}
			keys, _ := w.s.nodeKeys(n)
			for _, k := range keys {
				if err := w.wb.Delete(k.key); err != nil {
					return err
				}
			}
		case len(ps) == 5 && ps[1] == string(ownEdge):
			e := Edge{From: ps[2], Type: ps[3], To: ps[4]}
			for _, k := range [][]byte{outKey(e, w.name), inKey(e, w.name)} {
				if err := w.wb.Delete(k); err != nil {
					return err
				}
			}
		}
		if err := w.wb.Delete(it.Item().KeyCopy(nil)); err != nil {
			return err
		}
	}
	for _, lang := range w.s.Languages {
		if err := w.wb.Delete(statsKey(w.name, lang)); err != nil {
			return err
		}
	}
	return nil
}

type kv struct{ key, val []byte }

// nodeKeys returns every key a node stands under: its record, the kind and
// name indexes, and its search postings, and the length of its text in each
// language. Writing and deleting a node both go through it, so a delete
// always removes exactly what the write made.
func (s *Store) nodeKeys(n *Node) ([]kv, map[string]int) {
	rec, _ := json.Marshal(n)
	out := []kv{{nodeKey(n.ID), rec}, {kindKey(n.Kind, n.ID), nil}, {ownNodeKey(n.Dataset, n.ID), nil}}
	for _, name := range n.names() {
		out = append(out, kv{aliasKey(s.Analyzer.Fold(name), n.ID), nil})
	}
	lengths := map[string]int{}
	for _, p := range s.postings(n) {
		out = append(out, kv{postingKey(p.lang, p.term, n.ID), p.value()})
		lengths[p.lang] = p.length
	}
	return dedupKeys(out), lengths
}

func dedupKeys(kvs []kv) []kv {
	seen := make(map[string]bool, len(kvs))
	out := kvs[:0]
	for _, k := range kvs {
		if !seen[string(k.key)] {
			seen[string(k.key)] = true
			out = append(out, k)
		}
	}
	return out
}

// names returns the id, the name and the aliases: everything a user may call
// the node by.
func (n *Node) names() []string {
	return append([]string{n.ID, n.Name}, n.Aliases...)
}

// PutNode writes a node of the data set. The node must have passed CheckNode.
func (w *Seeder) PutNode(n *Node) error {
	n.Dataset = w.name
	keys, lengths := w.s.nodeKeys(n)
	for _, k := range keys {
		if err := w.wb.Set(k.key, k.val); err != nil {
			return fmt.Errorf("write node %s: %w", n.ID, err)
		}
		w.keys++
	}
	for lang, l := range lengths {
		st := w.stats[lang]
		if st == nil {
			st = &langStats{}
			w.stats[lang] = st
		}
		st.docs++
		st.length += uint64(l)
	}
	w.nodes++
	return nil
}

// PutEdge writes an edge in canonical direction with the data set's evidence.
// The edge must have passed CheckEdge.
func (w *Seeder) PutEdge(e Edge) error {
	ev := make([]Evidence, len(e.Evidence))
	for i, x := range e.Evidence {
		x.Dataset = ""
		ev[i] = x
	}
	val, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("write edge %s %s %s: %w", e.From, e.Type, e.To, err)
	}
	for _, k := range []kv{{outKey(e, w.name), val}, {inKey(e, w.name), val}, {ownEdgeKey(w.name, e), nil}} {
		if err := w.wb.Set(k.key, k.val); err != nil {
			return fmt.Errorf("write edge %s %s %s: %w", e.From, e.Type, e.To, err)
		}
		w.keys++
	}
	w.edges++
	return nil
}

// Keys returns how many keys the seed has written so far.
func (w *Seeder) Keys() int { return w.keys }

// Commit writes the data set record and flushes the batch. info's counts and
// time are filled in.
func (w *Seeder) Commit(info DatasetInfo) error {
	info.Name, info.Nodes, info.Edges = w.name, w.nodes, w.edges
	if info.SeededAt.IsZero() {
		info.SeededAt = time.Now().UTC()
	}
	for lang, st := range w.stats {
		v := binary.BigEndian.AppendUint64(nil, st.docs)
		if err := w.wb.Set(statsKey(w.name, lang), binary.BigEndian.AppendUint64(v, st.length)); err != nil {
			return err
		}
	}
	rec, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if err := w.wb.Set(datasetKey(w.name), rec); err != nil {
		return err
	}
	if err := w.wb.Flush(); err != nil {
		return fmt.Errorf("seed %s: %w", w.name, err)
	}
	if w.s.SyncWrites {
		return w.s.db.Sync()
	}
	return nil
}

// Abort drops the writes not yet flushed. Earlier flushes stay: re-run the seed.
func (w *Seeder) Abort() { w.wb.Cancel() }

// RemoveDataset deletes a data set and everything it holds. It returns
// ErrNotFound for an unknown set and ErrConflict when another set refers to it.
func (s *Store) RemoveDataset(ctx context.Context, name string) error {
	if _, err := s.Dataset(ctx, name); err != nil {
		return err
	}
	refs, err := s.Referrers(ctx, name)
	if err != nil {
		return err
	}
	if len(refs) > 0 {
		return fmt.Errorf("remove %s: %w: %s", name, ErrConflict, DescribeRefs(refs))
	}
	w, err := s.BeginSeed(ctx, name)
	if err != nil {
		return err
	}
	if err := w.wb.Delete(datasetKey(name)); err != nil {
		w.Abort()
		return err
	}
	return w.wb.Flush()
}

// DescribeRefs says which data sets refer to which ids, for error messages.
func DescribeRefs(refs map[string][]string) string {
	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)
	msg := ""
	for i, n := range names {
		if i > 0 {
			msg += "; "
		}
		msg += fmt.Sprintf("data set %s refers to %v", n, refs[n])
	}
	return msg
}
