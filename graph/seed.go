package graph

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// DatasetWriter is the store's atomic data-set writer: it replaces the
// content of one data set, and everything it writes carries one new
// version, which readers see only once Commit publishes it (see
// version.go). PutNode and PutEdge spool what they would write (see
// spool.go); Commit adds the deletions of what the data set held before,
// sorts it all, and writes it in key order, each key once, with the
// posting blocks and counts made from the sorted stream (see
// seedmerge.go): nothing the seed wrote is read back, and memory does not
// grow with the data set. One runs at a time; a DatasetWriter holds the
// store's writer lock until Commit or Abort.
type DatasetWriter struct {
	s    *Store
	ctx  context.Context
	name string
	old  uint64 // the published version when the seed began
	ts   uint64 // the version the seed writes
	// read reads the published version the seed began from: what the data
	// set held, the records of shared nodes, node numbers (see shared.go).
	read *badger.Txn
	sp   *spool
	dir  string // the spool's directory, removed at the end; "" in memory
	// counts are the data set's document frequencies, degrees and
	// citation counts, summed in memory up to a bound, then spooled.
	counts *counter
	stats  map[string]*langStats
	nums   numbering
	nodes  int
	edges  int
	keys   int
	remove bool // Commit removes the data set instead of writing its record
	done   bool
	wrote  bool // something reached the database: an abort rolls it back
	// replaced are the records of nodes other data sets defined alone
	// before this seed defined them too; remerged, the nodes this data set
	// defined with others before and defines again (see shared.go).
	replaced []*Node
	remerged map[string]bool
	// conflict is the first node whose kind changes while another data
	// set's relations point at it: Commit refuses the seed with it.
	conflict error

	// Progress, when set, is called as Commit sorts and writes.
	Progress func(WriteProgress)
	// pipe makes the nodes' records and postings on other cores.
	pipe nodePipe

	calls     int // PutNode and PutEdge calls, for the context and space checks
	checkedAt int // w.keys at the last free-space check (see space.go)
}

// WriteProgress says how far a DatasetWriter's Commit has come: Done of
// Total records of the spool read and written.
type WriteProgress struct {
	Done, Total int64
}

type langStats struct{ docs, length uint64 }

// BeginDataset starts replacing data set name. The caller validates the
// content first (CheckNode, CheckEdge) and ends with Commit or Abort. It
// returns ErrInvalid for a bad name, ErrNoSpace or ErrReadOnly when the
// store cannot take writes.
func (s *Store) BeginDataset(ctx context.Context, name string) (*DatasetWriter, error) {
	if err := CheckID(name); err != nil {
		return nil, fmt.Errorf("data set name: %w: %w", ErrInvalid, err)
	}
	if err := s.CheckSpace(0); err != nil {
		return nil, fmt.Errorf("seed %s: %w", name, err)
	}
	dir, err := s.spoolDir()
	if err != nil {
		return nil, fmt.Errorf("seed %s: %w", name, err)
	}
	s.writeMu.Lock()
	ts := s.nextVersion()
	old := s.published.Load()
	read := s.db.NewTransactionAt(old, false)
	w := &DatasetWriter{s: s, ctx: ctx, name: name, old: old, ts: ts, read: read, dir: dir,
		sp: newSpool(dir, spoolBudget), counts: newCounter(), stats: map[string]*langStats{},
		nums: numbering{read: read}, remerged: map[string]bool{}}
	w.sp.stop = ctx.Err
	return w, nil
}

// spoolBudget is the memory a seed's spool holds before it writes a run
// (a variable so that tests can make runs of a few records).
var spoolBudget = defaultSpoolBudget

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

// PutNode writes a node of the data set, once per node. The node must have
// passed CheckNode. When other data sets define the node too, the record
// written is the merge of every definition (see shared.go). Its record and
// postings are made on other cores (see seedpipe.go), so an error of a
// node may come from a later call, or from Commit. It returns the
// context's error once it is done, ErrNoSpace, Badger's errors.
func (w *DatasetWriter) PutNode(n *Node) error {
	if err := w.tick(); err != nil {
		return err
	}
	n.Dataset, n.Datasets = w.name, nil
	return w.pipe.put(w, n)
}

// apply spools what a worker made of a node, in the order of PutNode.
func (w *DatasetWriter) apply(p *prepared) error {
	if p.err != nil {
		return fmt.Errorf("write node %s: %w", p.n.ID, p.err)
	}
	switch {
	case p.conflict != nil && w.conflict == nil:
		w.conflict = p.conflict
	case p.remerged:
		w.remerged[p.n.ID] = true
	case p.replaced != nil:
		w.replaced = append(w.replaced, p.replaced)
	}
	if err := w.spoolKeys(p.keys, opSet, opPosting); err != nil {
		return fmt.Errorf("write node %s: %w", p.n.ID, err)
	}
	if err := w.set(ownNodeKey(w.name, p.n.ID), p.own); err != nil {
		return err
	}
	for _, k := range p.fill {
		if err := w.set(k.key, k.val); err != nil {
			return err
		}
	}
	for lang, l := range textLengths(p.ps) {
		st := w.stats[lang]
		if st == nil {
			st = &langStats{}
			w.stats[lang] = st
		}
		st.docs++
		st.length += uint64(l)
	}
	for _, ps := range p.ps {
		if err := w.counts.add(w.sp, dfKey(w.name, ps.lang, ps.term)); err != nil {
			return err
		}
	}
	w.nodes++
	return nil
}

// spoolKeys spools a node's keys: a posting with the node's number (its
// posting block is made from it at commit), any other key as op.
func (w *DatasetWriter) spoolKeys(keys []kv, op, postOp spoolOp) error {
	var num [4]byte
	numbered, hasNum := false, false
	for _, k := range keys {
		if k.key[0] != tagPosting {
			if op == opSet {
				if err := w.set(k.key, k.val); err != nil {
					return err
				}
			} else if err := w.sp.add(op, k.key, nil); err != nil {
				return err
			}
			continue
		}
		if !numbered {
			_, _, _, id, ok := splitPostingBytes(k.key)
			if !ok {
				return fmt.Errorf("posting key %q: malformed", k.key)
			}
			n, found, err := w.nums.of(string(id), w, postOp == opPosting)
			if err != nil {
				return fmt.Errorf("number node %s: %w", id, err)
			}
			binary.BigEndian.PutUint32(num[:], n)
			numbered, hasNum = true, found
		}
		if !hasNum { // a posting without a number has no block entry to delete
			if err := w.sp.add(opDel, k.key, nil); err != nil {
				return err
			}
			continue
		}
		if err := w.sp.add(postOp, k.key, num[:]); err != nil {
			return err
		}
		if postOp == opPosting {
			w.keys++
		}
	}
	return nil
}

// set spools a key to write.
func (w *DatasetWriter) set(k, v []byte) error {
	w.keys++
	return w.sp.add(opSet, k, v)
}

// tick checks, every few thousand writes, that the seed may go on: its
// context is not done and the disk has room.
func (w *DatasetWriter) tick() error {
	if w.calls++; w.calls%256 == 0 {
		if err := w.ctx.Err(); err != nil {
			return err
		}
	}
	return w.checkSpace()
}

// prepare makes, on a worker, what node p.n writes: its record (n itself
// unless other data sets define the node too, then the merge of the
// definitions, with n encoded for the data set's own-node key and the
// own-node keys of other sets to fill), its keys and postings. txn reads
// the old version; prepare changes nothing of w's.
func (w *DatasetWriter) prepare(txn *badger.Txn, p *prepared) {
	n := p.n
	rec := n
	old, err := findNode(txn, n.ID)
	switch {
	case err != nil:
		p.err = err
		return
	case old == nil:
	case old.soleOwner(w.name):
		p.conflict = w.checkKindKept(txn, old, n)
	default:
		merged, fill, err := w.mergeWith(txn, old, n)
		if err != nil {
			p.err = err
			return
		}
		rec, p.own, p.fill = merged, encodeNode(n), fill
		if slices.Contains(old.owners(), w.name) {
			p.remerged = true
		} else {
			p.replaced = old
		}
	}
	p.keys, p.ps = w.s.nodeKeys(rec)
	if rec != n {
		p.ps = w.s.postings(n) // the data set's statistics count its own definition
	}
}

// PutEdge writes an edge in canonical direction with the data set's
// evidence; from and to are the kinds of its ends. The edge must have passed
// CheckEdge. It returns the context's error once it is done, ErrNoSpace.
func (w *DatasetWriter) PutEdge(e Edge, from, to Kind) error {
	if err := w.tick(); err != nil {
		return err
	}
	ev := make([]Evidence, len(e.Evidence))
	for i, x := range e.Evidence {
		x.Dataset = ""
		ev[i] = x
	}
	val := encodeEvidence(ev)
	for _, k := range []kv{{outKey(e, to, w.name), val}, {inKey(e, from, w.name), val}, {ownEdgeKey(w.name, e), ownEdgeValue(from, to)}} {
		if err := w.set(k.key, k.val); err != nil {
			return fmt.Errorf("write edge %s %s %s: %w", e.From, e.Type, e.To, err)
		}
	}
	for _, id := range []string{e.From, e.To} {
		if err := w.counts.add(w.sp, degreeKey(id, w.name)); err != nil {
			return err
		}
	}
	for _, src := range evidenceSources(ev) {
		if err := w.counts.add(w.sp, citeKey(w.name, src)); err != nil {
			return err
		}
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
// filled in. It returns ErrConflict when a node changes kind while another
// data set's relations point at it (their keys hold the kind). On failure
// (the context's error once it is done, among others) nothing is
// published, and what the seed wrote is rolled back.
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
	if err := w.pipe.finish(w); err != nil {
		return err
	}
	if w.conflict != nil {
		return w.conflict
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if !w.remove {
		if err := w.writeRecord(info); err != nil {
			return err
		}
	}
	if err := w.counts.flush(w.sp); err != nil {
		return err
	}
	if err := w.spoolStale(); err != nil {
		return err
	}
	if err := w.nums.spoolNext(w.sp); err != nil {
		return err
	}
	if w.rebuild() {
		rb, err := newRebuildSink(w)
		if err != nil { // a parent directory not writable, among others
			w.s.Logger.Warn("a new database could not be started beside the old one: the seed is written in place", "db", w.s.Path, "err", err)
		}
		if rb != nil {
			return w.writeRebuilt(rb)
		}
	}
	sink := newBatchSink(w)
	if err := w.writeSorted(sink); err != nil {
		sink.cancel()
		return err
	}
	if err := sink.finish(); err != nil {
		return err
	}
	return w.s.publish(w.ts)
}

// writeRebuilt writes the seed into a new database (see seedrebuild.go)
// and switches it in.
func (w *DatasetWriter) writeRebuilt(rb *rebuildSink) error {
	err := w.writeSorted(rb)
	if err == nil {
		err = rb.finish()
	}
	if err != nil {
		rb.cancel()
		return err
	}
	defer rb.release()
	w.read.Discard() // before the database it reads is closed
	w.sp.release()   // its runs' disk space, and its memory, before the open
	return w.s.switchTo(rb.dir)
}

func (w *DatasetWriter) writeRecord(info DatasetInfo) error {
	info.Name, info.Nodes, info.Edges = w.name, w.nodes, w.edges
	if info.SeededAt.IsZero() {
		info.SeededAt = time.Now().UTC()
	}
	for lang, st := range w.stats {
		v := binary.BigEndian.AppendUint64(nil, st.docs)
		if err := w.set(statsKey(w.name, lang), binary.BigEndian.AppendUint64(v, st.length)); err != nil {
			return err
		}
	}
	rec, err := json.Marshal(info)
	if err != nil {
		return err
	}
	return w.set(datasetKey(w.name), rec)
}

// Abort drops the seed: nothing it wrote is ever seen.
func (w *DatasetWriter) Abort() {
	if !w.done {
		w.fail()
	}
}

// fail rolls back whatever reached the database and ends the seed.
func (w *DatasetWriter) fail() {
	w.pipe.stop()
	if w.wrote {
		if err := w.s.rollback(); err != nil {
			w.s.Logger.Error("roll back a failed seed", "dataset", w.name, "err", err)
		}
	}
	w.end()
}

func (w *DatasetWriter) end() {
	w.done = true
	w.sp.release()
	if w.dir != "" {
		os.RemoveAll(w.dir)
	}
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
