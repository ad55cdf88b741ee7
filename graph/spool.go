package graph

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The spool: a seed's external sort. A seed spools every change it makes
// (a key to set, a key to delete, a count to add, a posting with its node
// number) in the order its input comes, and at commit reads them back in
// key order, all the changes of one key together, to write the database in
// order without reading back anything it wrote (see seedwrite.go). Records
// gather in memory up to a budget; then they are sorted and written to a
// run file, and the runs are merged at the end. So a seed's memory does not
// grow with its size, and its cost is a sort: N log N in comparisons, N in
// reads and writes, where writing keys in random order into Badger cost
// compactions that grew faster than N.

// spoolOp is what a spooled record asks of its key.
type spoolOp byte

const (
	opSet     spoolOp = iota // set the key to the value; the last set wins
	opDel                    // delete the key, unless it is also set
	opAdd                    // add the value (a uint32) to the key's count
	opPosting                // a "t" posting set: the value is the node's number
	opUnpost                 // a "t" posting deleted: the value is the node's number
)

// spoolEntry indexes a record of the memory buffer: its key's first 16
// bytes for fast comparisons, and its offset in the arena (which also keeps
// records of one key in the order they came).
type spoolEntry struct {
	k0, k1 uint64
	off    uint32
}

// spool is the external sort of a seed's changes.
type spool struct {
	dir     string // where runs go; "" keeps every record in memory
	budget  int    // bytes of arena and index held before a run is written
	arena   []byte
	idx     []spoolEntry
	runs    []string
	records int64 // records added
	spilled int64 // bytes written to runs
	// stop, when set, is asked between pieces of work: a sort is done a
	// segment at a time, so a cancelled seed stops within a fraction of a
	// second even on a busy machine.
	stop func() error
}

// sortSegment is how many records are sorted between two checks of stop;
// the memory buffer is sorted as segments, merged as they are read (a
// variable so that tests can make segments of a few records).
var sortSegment = 1 << 16

// spoolEntrySize is what an index entry costs, counted against the budget.
const spoolEntrySize = 24

// defaultSpoolBudget bounds a spool's memory: a run is about this size.
const defaultSpoolBudget = 64 << 20

func newSpool(dir string, budget int) *spool {
	return &spool{dir: dir, budget: budget}
}

// add spools one record. It returns the error of writing a run.
func (sp *spool) add(op spoolOp, key, val []byte) error {
	off := len(sp.arena)
	if off > 1<<31 {
		return fmt.Errorf("spool: a memory buffer over 2 GiB")
	}
	sp.arena = binary.AppendUvarint(sp.arena, uint64(len(key)))
	sp.arena = append(sp.arena, key...)
	sp.arena = append(sp.arena, byte(op))
	sp.arena = binary.AppendUvarint(sp.arena, uint64(len(val)))
	sp.arena = append(sp.arena, val...)
	k0, k1 := keyWords(key)
	sp.idx = append(sp.idx, spoolEntry{k0, k1, uint32(off)})
	sp.records++
	if sp.dir != "" && len(sp.arena)+len(sp.idx)*spoolEntrySize >= sp.budget {
		return sp.spill()
	}
	return nil
}

// size returns the bytes of the records spooled (prefix compressed in
// runs).
func (sp *spool) size() int64 { return sp.spilled + int64(len(sp.arena)) }

// keyWords returns a key's first 16 bytes as two big-endian words, zero
// padded: comparing them orders keys as bytes.Compare does, up to ties.
func keyWords(k []byte) (uint64, uint64) {
	var b [16]byte
	copy(b[:], k)
	return binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
}

// record decodes the record at off in the arena.
func (sp *spool) record(off uint32) (key []byte, op spoolOp, val []byte) {
	b := sp.arena[off:]
	n, w := binary.Uvarint(b)
	b = b[w:]
	key, b = b[:n], b[n:]
	op, b = spoolOp(b[0]), b[1:]
	n, w = binary.Uvarint(b)
	return key, op, b[w : w+int(n)]
}

// sort orders each segment of the memory buffer by key, then by arrival.
func (sp *spool) sort() error {
	for lo := 0; lo < len(sp.idx); lo += sortSegment {
		if sp.stop != nil {
			if err := sp.stop(); err != nil {
				return err
			}
		}
		slices.SortFunc(sp.idx[lo:min(lo+sortSegment, len(sp.idx))], sp.cmp)
	}
	return nil
}

func (sp *spool) cmp(a, b spoolEntry) int {
	switch {
	case a.k0 != b.k0:
		return cmp.Compare(a.k0, b.k0)
	case a.k1 != b.k1:
		return cmp.Compare(a.k1, b.k1)
	}
	ka, _, _ := sp.record(a.off)
	kb, _, _ := sp.record(b.off)
	if c := bytes.Compare(ka, kb); c != 0 {
		return c
	}
	return cmp.Compare(uint64(a.off), uint64(b.off))
}

// segments returns a cursor over each sorted segment of the memory buffer.
func (sp *spool) segments() []cursor {
	var cs []cursor
	for lo := 0; lo < len(sp.idx); lo += sortSegment {
		cs = append(cs, &memCursor{sp: sp, i: lo, hi: min(lo+sortSegment, len(sp.idx))})
	}
	return cs
}

// spill sorts the memory buffer and writes it as a run: keys prefix
// compressed (a run's neighbours share most of their bytes).
func (sp *spool) spill() error {
	if len(sp.idx) == 0 {
		return nil
	}
	if err := sp.sort(); err != nil {
		return err
	}
	m, err := newMerger(sp.segments(), nil)
	if err != nil {
		return err
	}
	name := filepath.Join(sp.dir, fmt.Sprintf("run-%05d", len(sp.runs)))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var prev, buf []byte
	for n := 0; ; n++ {
		if n%sortSegment == 0 && sp.stop != nil {
			if err := sp.stop(); err != nil {
				f.Close()
				return err
			}
		}
		ok, err := m.nextRecord()
		if err != nil || !ok {
			break
		}
		key, r := m.h[0].c.key(), m.h[0].c.rec()
		shared := commonPrefix(prev, key)
		buf = binary.AppendUvarint(buf[:0], uint64(shared))
		buf = binary.AppendUvarint(buf, uint64(len(key)-shared))
		buf = append(buf, key[shared:]...)
		buf = append(buf, byte(r.op))
		buf = binary.AppendUvarint(buf, uint64(len(r.val)))
		buf = append(buf, r.val...)
		if _, err := w.Write(buf); err != nil {
			f.Close()
			return fmt.Errorf("spool: %w", err)
		}
		sp.spilled += int64(len(buf))
		prev = append(prev[:0], key...)
		if err := m.advance(); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("spool: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	sp.runs = append(sp.runs, name)
	sp.arena, sp.idx = sp.arena[:0], sp.idx[:0]
	return nil
}

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// release frees the memory buffer and deletes the runs.
func (sp *spool) release() {
	sp.arena, sp.idx = nil, nil
	for _, r := range sp.runs {
		os.Remove(r)
	}
	sp.runs = nil
}

// spoolRec is one record read back.
type spoolRec struct {
	op  spoolOp
	val []byte
}

// cursor reads one sorted source of records.
type cursor interface {
	// next moves to the next record; false at the end.
	next() (bool, error)
	key() []byte
	rec() spoolRec
}

// memCursor reads a sorted segment of the memory buffer, idx[i:hi].
type memCursor struct {
	sp    *spool
	i, hi int
	k     []byte
	r     spoolRec
	beg   bool
}

func (c *memCursor) next() (bool, error) {
	if c.beg {
		c.i++
	}
	c.beg = true
	if c.i >= c.hi {
		return false, nil
	}
	c.k, c.r.op, c.r.val = c.sp.record(c.sp.idx[c.i].off)
	return true, nil
}
func (c *memCursor) key() []byte   { return c.k }
func (c *memCursor) rec() spoolRec { return c.r }

// runCursor reads a run file.
type runCursor struct {
	f   *os.File
	r   *bufio.Reader
	k   []byte
	val []byte
	op  spoolOp
}

func openRun(name string) (*runCursor, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &runCursor{f: f, r: bufio.NewReaderSize(f, 256<<10)}, nil
}

func (c *runCursor) next() (bool, error) {
	shared, err := binary.ReadUvarint(c.r)
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("spool: read a run: %w", err)
	}
	n, err := binary.ReadUvarint(c.r)
	if err != nil || shared > uint64(len(c.k)) {
		return false, fmt.Errorf("spool: a damaged run (%v)", err)
	}
	c.k = slices.Grow(c.k[:shared], int(n))[:int(shared)+int(n)]
	if _, err := io.ReadFull(c.r, c.k[shared:]); err != nil {
		return false, fmt.Errorf("spool: read a run: %w", err)
	}
	op, err := c.r.ReadByte()
	if err != nil {
		return false, fmt.Errorf("spool: read a run: %w", err)
	}
	c.op = spoolOp(op)
	n, err = binary.ReadUvarint(c.r)
	if err != nil {
		return false, fmt.Errorf("spool: read a run: %w", err)
	}
	c.val = slices.Grow(c.val[:0], int(n))[:n]
	if _, err := io.ReadFull(c.r, c.val); err != nil {
		return false, fmt.Errorf("spool: read a run: %w", err)
	}
	return true, nil
}
func (c *runCursor) key() []byte   { return c.k }
func (c *runCursor) rec() spoolRec { return spoolRec{c.op, c.val} }

// merger reads every source in key order, the records of one key together
// in the order they were spooled (runs in order, the memory buffer last).
type merger struct {
	h     cursorHeap
	all   []cursor
	key   []byte
	recs  []spoolRec
	vals  []byte // backing of recs' values
	spans []recSpan
	done  int64 // records read
}

// recSpan is where a record's value lies in merger.vals.
type recSpan struct {
	op       spoolOp
	from, to int
}

type heapItem struct {
	c   cursor
	ord int
}

type cursorHeap []heapItem

func (h cursorHeap) Len() int { return len(h) }
func (h cursorHeap) Less(i, j int) bool {
	if c := bytes.Compare(h[i].c.key(), h[j].c.key()); c != 0 {
		return c < 0
	}
	return h[i].ord < h[j].ord
}
func (h cursorHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)   { *h = append(*h, x.(heapItem)) }
func (h *cursorHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// merge returns a merger over the spool: the runs, and the memory buffer
// sorted. The spool takes no more records.
func (sp *spool) merge() (*merger, error) {
	if err := sp.sort(); err != nil {
		return nil, err
	}
	var srcs, files []cursor
	for _, r := range sp.runs {
		c, err := openRun(r)
		if err != nil {
			for _, f := range files {
				f.(*runCursor).f.Close()
			}
			return nil, err
		}
		srcs = append(srcs, c)
		files = append(files, c)
	}
	return newMerger(append(srcs, sp.segments()...), files)
}

// newMerger merges sources given in the order their records came; files
// are closed by close.
func newMerger(srcs, files []cursor) (*merger, error) {
	m := &merger{all: files}
	for i, c := range srcs {
		ok, err := c.next()
		if err != nil {
			m.close()
			return nil, err
		}
		if ok {
			m.h = append(m.h, heapItem{c, i})
		}
	}
	heap.Init(&m.h)
	return m, nil
}

// nextRecord reports whether a record is left; it is m.h[0]'s, until
// advance.
func (m *merger) nextRecord() (bool, error) { return len(m.h) > 0, nil }

// advance moves past the record nextRecord found.
func (m *merger) advance() error {
	top := m.h[0]
	m.done++
	ok, err := top.c.next()
	if err != nil {
		return err
	}
	if ok {
		heap.Fix(&m.h, 0)
	} else {
		heap.Pop(&m.h)
	}
	return nil
}

// next moves to the next key: m.key and m.recs hold it and its records
// until the next call. It returns false at the end.
func (m *merger) next() (bool, error) {
	if len(m.h) == 0 {
		return false, nil
	}
	m.key = append(m.key[:0], m.h[0].c.key()...)
	m.recs, m.vals, m.spans = m.recs[:0], m.vals[:0], m.spans[:0]
	for len(m.h) > 0 && bytes.Equal(m.h[0].c.key(), m.key) {
		r := m.h[0].c.rec()
		m.spans = append(m.spans, recSpan{r.op, len(m.vals), len(m.vals) + len(r.val)})
		m.vals = append(m.vals, r.val...)
		if err := m.advance(); err != nil {
			return false, err
		}
	}
	for _, s := range m.spans {
		m.recs = append(m.recs, spoolRec{s.op, m.vals[s.from:s.to:s.to]})
	}
	return true, nil
}

// close closes the run files.
func (m *merger) close() {
	for _, c := range m.all {
		if rc, ok := c.(*runCursor); ok {
			rc.f.Close()
		}
	}
	m.all = nil
}

// spoolPrefix names the directories of seeds' spools, inside the
// database directory (on its disk, removed with it): a seed's own is
// removed as it ends, and one a killed seed left by the next Open.
const spoolPrefix = "seed-spool-"

// spoolDir returns a new directory for a seed's spool, or "" for a store
// in memory, whose spool stays in memory.
func (s *Store) spoolDir() (string, error) {
	if s.InMemory {
		return "", nil
	}
	dir, err := os.MkdirTemp(s.Path, spoolPrefix)
	if err != nil {
		return "", fmt.Errorf("spool: %w", err)
	}
	return dir, nil
}

// removeSpools deletes the spools killed seeds left in the database
// directory. The caller holds the database, so no seed of it is running.
func removeSpools(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), spoolPrefix) {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("remove what a killed seed left: %w", err)
			}
		}
	}
	return nil
}
