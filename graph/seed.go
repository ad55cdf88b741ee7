package graph

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// DatasetWriter is the store's atomic data-set writer: it replaces the
// content of one data set, and everything it writes carries one new
// version, which readers see only once Commit publishes it (see
// version.go). It streams: nodes and edges go to a Badger WriteBatch as
// they come, so memory does not grow with the data set. One runs at a time;
// a DatasetWriter holds the store's writer lock until Commit or Abort.
type DatasetWriter struct {
	s      *Store
	ctx    context.Context
	name   string
	old    uint64 // the published version when the seed began
	ts     uint64 // the version the seed writes
	wb     *badger.WriteBatch
	stats  map[string]*langStats
	df     map[string]uint32 // lang 0 term -> nodes of the data set holding it
	degree map[string]uint32 // id -> edges of the data set at the node
	cites  map[string]uint32 // source -> edges of the data set citing it
	// ops are the changes of postings, applied to the posting blocks at
	// commit (see blocks.go), within a budget.
	ops    *postingOps
	nodes  int
	edges  int
	keys   int
	remove bool // Commit removes the data set instead of writing its record
	done   bool
	// read reads the published version the seed began from (see shared.go).
	read *badger.Txn
	// replaced are the records of nodes other data sets defined alone
	// before this seed defined them too; rewrite, the records of nodes this
	// seed's data set stopped defining, merged from the others' definitions.
	replaced []*Node
	rewrite  []kv

	checkedAt int // w.keys at the last free-space check (see space.go)
}

type langStats struct{ docs, length uint64 }

// BeginDataset starts replacing data set name. The caller validates the
// content first (CheckNode, CheckEdge) and ends with Commit or Abort.
func (s *Store) BeginDataset(ctx context.Context, name string) (*DatasetWriter, error) {
	if err := CheckID(name); err != nil {
		return nil, fmt.Errorf("data set name: %w: %w", ErrInvalid, err)
	}
	if err := s.CheckSpace(0); err != nil {
		return nil, fmt.Errorf("seed %s: %w", name, err)
	}
	s.writeMu.Lock()
	ts := s.nextVersion()
	wb := s.db.NewWriteBatchAt(ts)
	// Each pending transaction holds up to a few MB of entries: Badger's
	// default of 16 pending held most of a large seed's heap.
	wb.SetMaxPendingTxns(4)
	old := s.published.Load()
	read := s.db.NewTransactionAt(old, false)
	return &DatasetWriter{s: s, ctx: ctx, name: name, old: old, ts: ts, read: read, ops: newPostingOps(read, pendingPostingOps),
		wb: wb, stats: map[string]*langStats{}, df: map[string]uint32{}, degree: map[string]uint32{}, cites: map[string]uint32{}}, nil
}

type kv struct{ key, val []byte }

// nodeKeys returns every key a node stands under but its own-node keys: its
// record, the kind and name indexes, and its search postings, which it also
// returns. Writing and deleting a node both go through it, so a delete
// always removes exactly what the write made.
func (s *Store) nodeKeys(n *Node) ([]kv, []posting) {
	out := []kv{{nodeKey(n.ID), encodeNode(n)}, {kindKey(n.Kind, n.ID), nil}}
	for _, name := range n.names() {
		out = append(out, kv{aliasKey(s.Analyzer.Fold(name), n.ID), nil})
	}
	ps := s.postings(n)
	for _, p := range ps {
		out = append(out, kv{postingKey(p.lang, p.term, p.tf, p.length, n.ID), nil})
	}
	return dedupKeys(out), ps
}

// textLengths returns the length of a node's text in each language its
// postings cover.
func textLengths(ps []posting) map[string]int {
	lengths := map[string]int{}
	for _, p := range ps {
		lengths[p.lang] = p.length
	}
	return lengths
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
// When other data sets define the node too, the record written is the merge
// of every definition (see shared.go).
func (w *DatasetWriter) PutNode(n *Node) error {
	if err := w.checkSpace(); err != nil {
		return err
	}
	n.Dataset, n.Datasets = w.name, nil
	rec, own, fill, err := w.record(n)
	if err != nil {
		return fmt.Errorf("write node %s: %w", n.ID, err)
	}
	keys, ps := w.s.nodeKeys(rec)
	if rec != n {
		ps = w.s.postings(n) // the data set's statistics count its own definition
	}
	keys = append(append(keys, kv{ownNodeKey(w.name, n.ID), own}), fill...)
	for _, k := range keys {
		if err := w.wb.Set(k.key, k.val); err != nil {
			return fmt.Errorf("write node %s: %w", n.ID, err)
		}
		if err := w.ops.record(k.key, false); err != nil {
			return fmt.Errorf("write node %s: %w", n.ID, err)
		}
		w.keys++
	}
	for lang, l := range textLengths(ps) {
		st := w.stats[lang]
		if st == nil {
			st = &langStats{}
			w.stats[lang] = st
		}
		st.docs++
		st.length += uint64(l)
	}
	for _, p := range ps {
		w.df[p.lang+"\x00"+p.term]++
	}
	w.nodes++
	return nil
}

// record returns the record to write for node n of the data set: n itself
// unless other data sets define the node too, then the merge of the
// definitions, n encoded for the data set's own-node key, and the own-node
// keys of other sets to fill.
func (w *DatasetWriter) record(n *Node) (*Node, []byte, []kv, error) {
	old, err := getNode(w.read, n.ID)
	if errors.Is(err, ErrNotFound) {
		return n, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if old.soleOwner(w.name) {
		return n, nil, nil, nil
	}
	merged, fill, err := w.mergeWith(old, n)
	if err != nil {
		return nil, nil, nil, err
	}
	if !slices.Contains(old.owners(), w.name) {
		w.replaced = append(w.replaced, old)
	}
	return merged, encodeNode(n), fill, nil
}

// PutEdge writes an edge in canonical direction with the data set's
// evidence; from and to are the kinds of its ends. The edge must have passed
// CheckEdge.
func (w *DatasetWriter) PutEdge(e Edge, from, to Kind) error {
	if err := w.checkSpace(); err != nil {
		return err
	}
	ev := make([]Evidence, len(e.Evidence))
	for i, x := range e.Evidence {
		x.Dataset = ""
		ev[i] = x
	}
	val := encodeEvidence(ev)
	for _, k := range []kv{{outKey(e, to, w.name), val}, {inKey(e, from, w.name), val}, {ownEdgeKey(w.name, e), ownEdgeValue(from, to)}} {
		if err := w.wb.Set(k.key, k.val); err != nil {
			return fmt.Errorf("write edge %s %s %s: %w", e.From, e.Type, e.To, err)
		}
		w.keys++
	}
	w.degree[e.From]++
	w.degree[e.To]++
	for _, src := range evidenceSources(ev) {
		w.cites[src]++
	}
	w.edges++
	return nil
}

// Keys returns how many keys the seed has written so far.
func (w *DatasetWriter) Keys() int { return w.keys }

// Commit writes the data set record, deletes what the data set held before
// and no longer holds, and publishes the new version: readers see the whole
// new content from then on, never part of it. A finished Commit is on disk
// (one fsync), so it survives a power loss. info's counts and time are
// filled in. On failure the seed's writes are rolled back.
func (w *DatasetWriter) Commit(info DatasetInfo) error {
	if w.done {
		return fmt.Errorf("seed %s: already ended", w.name)
	}
	err := w.commit(info)
	if err != nil {
		w.fail()
		return fmt.Errorf("seed %s: %w", w.name, err)
	}
	w.end()
	return nil
}

func (w *DatasetWriter) commit(info DatasetInfo) error {
	if !w.remove {
		if err := w.writeRecord(info); err != nil {
			return err
		}
	}
	if err := w.wb.Flush(); err != nil {
		return err
	}
	if err := w.deleteStale(); err != nil {
		return err
	}
	if err := w.writeBlocks(); err != nil {
		return fmt.Errorf("write posting blocks: %w", err)
	}
	return w.s.publish(w.ts)
}

// writeBlocks applies the seed's changes of postings to the posting blocks,
// each block written once, after every other key of the seed.
func (w *DatasetWriter) writeBlocks() error {
	cur := w.s.db.NewTransactionAt(w.ts, false)
	defer cur.Discard()
	wb := w.s.db.NewWriteBatchAt(w.ts)
	defer wb.Cancel()
	if err := w.ops.apply(cur, wb.Set, wb.Delete); err != nil {
		return err
	}
	w.ops = nil
	return wb.Flush()
}

func (w *DatasetWriter) writeRecord(info DatasetInfo) error {
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
	if err := w.writeCounts(); err != nil {
		return err
	}
	rec, err := json.Marshal(info)
	if err != nil {
		return err
	}
	return w.wb.Set(datasetKey(w.name), rec)
}

// writeCounts writes the document frequencies and degrees counted while
// streaming; the maps go once written.
func (w *DatasetWriter) writeCounts() error {
	for lt, n := range w.df {
		lang, term, _ := strings.Cut(lt, "\x00")
		if err := w.wb.Set(dfKey(w.name, lang, term), binary.BigEndian.AppendUint32(nil, n)); err != nil {
			return err
		}
		w.keys++
	}
	for id, n := range w.degree {
		if err := w.wb.Set(degreeKey(id, w.name), binary.BigEndian.AppendUint32(nil, n)); err != nil {
			return err
		}
		w.keys++
	}
	for src, n := range w.cites {
		if err := w.wb.Set(citeKey(w.name, src), binary.BigEndian.AppendUint32(nil, n)); err != nil {
			return err
		}
		w.keys++
	}
	w.df, w.degree, w.cites = nil, nil, nil
	return nil
}

// Abort drops the seed: nothing it wrote is ever seen.
func (w *DatasetWriter) Abort() {
	if !w.done {
		w.fail()
	}
}

// fail cancels the batch and rolls back whatever reached the database.
func (w *DatasetWriter) fail() {
	w.wb.Cancel()
	if err := w.s.rollback(); err != nil {
		w.s.Logger.Error("roll back a failed seed", "dataset", w.name, "err", err)
	}
	w.end()
}

func (w *DatasetWriter) end() {
	w.done = true
	w.read.Discard()
	w.s.writeMu.Unlock()
}

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
	w, err := s.BeginDataset(ctx, name)
	if err != nil {
		return err
	}
	w.remove = true
	return w.Commit(DatasetInfo{})
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
