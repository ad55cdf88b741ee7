package graph

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// seedSink is where a seed's merged stream goes, in key order but for the
// posting blocks, which come in order among themselves.
type seedSink interface {
	set(k, v []byte) error
	del(k []byte) error
	setBlock(k, v []byte) error
	delBlock(k []byte) error
	// copyBlock passes on an unchanged block; a sink that writes in place
	// has nothing to do.
	copyBlock(k, v []byte) error
	finish() error
	cancel()
}

// writeSorted merges the spool and writes the result to sink: for each key,
// its last set, else its additions summed, else its deletion; the posting
// blocks of each term are made from the term's postings as they pass.
func (w *DatasetWriter) writeSorted(sink seedSink) error {
	m, err := w.sp.merge()
	if err != nil {
		return err
	}
	defer m.close()
	_, all := sink.(*rebuildSink)
	bb := newBlockBuilder(w.read, sink, all)
	defer bb.close()
	total, keys := w.sp.records, 0
	for {
		ok, err := m.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if m.done&4095 < int64(len(m.recs)) {
			if err := w.ctx.Err(); err != nil {
				return err
			}
			if w.Progress != nil {
				w.Progress(WriteProgress{Done: m.done, Total: total})
			}
		}
		set, err := w.resolve(m.key, m.recs, bb, sink)
		if err != nil {
			return err
		}
		if set {
			keys++
		}
	}
	if err := bb.flushTerm(); err != nil {
		return err
	}
	if err := bb.rest(); err != nil {
		return err
	}
	w.keys = keys + bb.written
	return nil
}

// resolve writes one key from its records: it reports whether the key was
// set.
func (w *DatasetWriter) resolve(k []byte, recs []spoolRec, bb *blockBuilder, sink seedSink) (bool, error) {
	if k[0] == tagPosting {
		return w.resolvePosting(k, recs, bb, sink)
	}
	var set []byte
	isSet, isAdd, sum := false, false, uint32(0)
	for _, r := range recs {
		switch r.op {
		case opSet:
			set, isSet = r.val, true
		case opAdd:
			if len(r.val) == 4 {
				sum += binary.BigEndian.Uint32(r.val)
				isAdd = true
			}
		}
	}
	switch {
	case isSet:
		return true, sink.set(k, set)
	case isAdd:
		return true, sink.set(k, binary.BigEndian.AppendUint32(nil, sum))
	}
	return false, sink.del(k)
}

// resolvePosting writes a posting key and passes its change to the blocks:
// set when any record sets it, else deleted.
func (w *DatasetWriter) resolvePosting(k []byte, recs []spoolRec, bb *blockBuilder, sink seedSink) (bool, error) {
	var num []byte
	set := false
	for _, r := range recs {
		switch r.op {
		case opPosting:
			set, num = true, r.val
		case opUnpost:
			if num == nil {
				num = r.val
			}
		}
	}
	lt, tf, length, _, ok := splitPostingBytes(k)
	if !ok {
		return false, fmt.Errorf("posting key %q: malformed", k)
	}
	if len(num) == 4 {
		n := binary.BigEndian.Uint32(num)
		if err := bb.add(lt, n>>blockBits, blockOp{blockEntry{uint16(n & (1<<blockBits - 1)), tf, length}, !set}); err != nil {
			return false, err
		}
	}
	if set {
		return true, sink.set(k, nil)
	}
	return false, sink.del(k)
}

// blockBuilder makes the posting blocks of each term from the changes of
// its postings, which come term after term in key order: the term's old
// blocks are read from the old version and the changes applied. With all
// set, every old block is passed on, changed or not (for a sink that
// builds a new database).
type blockBuilder struct {
	read    *badger.Txn
	it      *badger.Iterator // over the old blocks, for all
	sink    seedSink
	all     bool
	lt      []byte       // the term whose changes are gathered
	blks    []uint32     // per change, its block
	ops     []blockOp    // the changes, in the order they came
	order   []int        // scratch: changes by block
	written int          // blocks written
	buf     []byte       // scratch key
	es      []blockEntry // scratch entries
}

func newBlockBuilder(read *badger.Txn, sink seedSink, all bool) *blockBuilder {
	b := &blockBuilder{read: read, sink: sink, all: all}
	if all {
		b.it = read.NewIterator(badger.IteratorOptions{Prefix: []byte{tagBlock}})
		b.it.Rewind()
	}
	return b
}

func (b *blockBuilder) close() {
	if b.it != nil {
		b.it.Close()
		b.it = nil
	}
}

// add gathers a change of block blk of term lt.
func (b *blockBuilder) add(lt []byte, blk uint32, op blockOp) error {
	if !bytes.Equal(lt, b.lt) {
		if err := b.flushTerm(); err != nil {
			return err
		}
		b.lt = append(b.lt[:0], lt...)
	}
	b.blks = append(b.blks, blk)
	b.ops = append(b.ops, op)
	return nil
}

// flushTerm writes the blocks of the term gathered.
func (b *blockBuilder) flushTerm() error {
	if len(b.ops) == 0 {
		return nil
	}
	b.order = b.order[:0]
	for i := range b.ops {
		b.order = append(b.order, i)
	}
	slices.SortStableFunc(b.order, func(x, y int) int { return cmp.Compare(b.blks[x], b.blks[y]) })
	p := append(append([]byte{tagBlock}, b.lt...), sep)
	if b.all {
		if err := b.copyBelow(p); err != nil {
			return err
		}
	}
	ops := make([]blockOp, 0, 64)
	for i := 0; i < len(b.order); {
		blk := b.blks[b.order[i]]
		ops = ops[:0]
		for ; i < len(b.order) && b.blks[b.order[i]] == blk; i++ {
			ops = append(ops, b.ops[b.order[i]])
		}
		k := binary.BigEndian.AppendUint32(append(b.buf[:0], p...), blk)
		b.buf = k
		if b.all {
			if err := b.copyBelow(k); err != nil {
				return err
			}
		}
		old, existed, err := b.oldBlock(k)
		if err != nil {
			return err
		}
		b.es = applyOps(decodeBlock(old, b.es[:0]), ops)
		switch {
		case len(b.es) > 0:
			b.written++
			err = b.sink.setBlock(k, encodeBlock(b.es))
		case existed:
			err = b.sink.delBlock(k)
		}
		if err != nil {
			return err
		}
	}
	b.blks, b.ops = b.blks[:0], b.ops[:0]
	return nil
}

// oldBlock returns the value of block key k at the old version.
func (b *blockBuilder) oldBlock(k []byte) ([]byte, bool, error) {
	if !b.all {
		return getValue(b.read, k)
	}
	if b.it.Valid() && bytes.Equal(b.it.Item().Key(), k) {
		v, err := b.it.Item().ValueCopy(nil)
		b.it.Next()
		return v, err == nil, err
	}
	return nil, false, nil
}

// copyBelow passes on the old blocks whose keys are below k (with all).
func (b *blockBuilder) copyBelow(k []byte) error {
	for ; b.it.Valid() && bytes.Compare(b.it.Item().Key(), k) < 0; b.it.Next() {
		item := b.it.Item()
		err := item.Value(func(v []byte) error { return b.sink.copyBlock(item.Key(), v) })
		if err != nil {
			return err
		}
		b.written++
	}
	return nil
}

// rest passes on the old blocks after the last term changed (with all).
func (b *blockBuilder) rest() error {
	if !b.all {
		return nil
	}
	return b.copyBelow([]byte{tagBlock + 1})
}
