package graph

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// Posting blocks: the postings of one term packed by node number, so that a
// search reads a term's thousands of postings as a few values, not one key
// each (see the "p", "x" and "X" keys in keys.go). They are derived from the
// "t" posting keys, which stay the record of what a node's text holds: every
// writer sets and deletes "t" keys through postingOps.record, and applies
// the recorded changes to the blocks once, when it commits. So a block holds
// exactly the postings its "t" keys hold (CheckPostingBlocks verifies it),
// whatever path wrote them: a seed, its stale keys, a shared node merged
// again, a mutation.

// blockBits is how many low bits of a node number stand in a block: 1,024
// nodes a block, a few KB for a word most texts hold.
const blockBits = 10

// blockEntry is one posting in a block: the node number's low bits, the
// weighted term frequency and the text length, 2 bytes each.
type blockEntry struct{ lo, tf, length uint16 }

const blockEntrySize = 6

func blockKey(lang, term string, blk uint32) []byte {
	return binary.BigEndian.AppendUint32(prefix(tagBlock, lang, term), blk)
}

// appendBlockKey appends the key of block blk of a term whose lang 0 term
// part of a posting key is lt.
func appendBlockKey(b, lt []byte, blk uint32) []byte {
	return binary.BigEndian.AppendUint32(append(append(append(b, tagBlock), lt...), sep), blk)
}

func numKey(id string) []byte { return key(tagNum, id) }

func numIDKey(num uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{tagNumID}, num)
}

func numsKey() []byte { return key(tagMeta, "nums") }

func encodeBlock(es []blockEntry) []byte {
	b := make([]byte, 0, len(es)*blockEntrySize)
	for _, e := range es {
		b = binary.BigEndian.AppendUint16(b, e.lo)
		b = binary.BigEndian.AppendUint16(b, e.tf)
		b = binary.BigEndian.AppendUint16(b, e.length)
	}
	return b
}

func decodeBlock(v []byte, into []blockEntry) []blockEntry {
	for ; len(v) >= blockEntrySize; v = v[blockEntrySize:] {
		into = append(into, blockEntry{binary.BigEndian.Uint16(v), binary.BigEndian.Uint16(v[2:]), binary.BigEndian.Uint16(v[4:])})
	}
	return into
}

// splitPostingBytes reads a "t" posting key: lt is its lang 0 term part,
// id its id; both point into k.
func splitPostingBytes(k []byte) (lt []byte, tf, length uint16, id []byte, ok bool) {
	if len(k) == 0 || k[0] != tagPosting {
		return nil, 0, 0, nil, false
	}
	rest := k[1:]
	i := bytes.IndexByte(rest, sep)
	if i < 0 {
		return nil, 0, 0, nil, false
	}
	j := bytes.IndexByte(rest[i+1:], sep)
	if j < 0 || len(rest) < i+1+j+1+4 {
		return nil, 0, 0, nil, false
	}
	b := rest[i+1+j+1:]
	tf = uint16(maxUint16 - int(binary.BigEndian.Uint16(b)))
	return rest[:i+1+j], tf, binary.BigEndian.Uint16(b[2:]), b[4:], true
}

// blockOp is one change of a block: add a posting, or delete it when it
// still has the frequency and length it had (a writer may have written the
// node's new posting first, as a seed does before deleting stale keys).
type blockOp struct {
	blockEntry
	del bool
}

// postingOps records the changes of the "t" keys a mutation makes, by
// block, in order, and the node numbers it needs; a seed makes its blocks
// from its sorted postings instead (see seedmerge.go).
type postingOps struct {
	read  *badger.Txn           // where numbers already given are read
	ops   map[string]*[]blockOp // block key -> its changes
	buf   []byte
	nums  map[string]uint32 // numbers read or given by this writer
	next  uint32            // the next number to give; 0 until read
	fresh []string          // ids given a number by this writer, in order
	// the node of the last posting recorded, and its number
	lastID  []byte
	lastNum uint32
}

func newPostingOps(read *badger.Txn) *postingOps {
	return &postingOps{read: read, ops: map[string]*[]blockOp{}, nums: map[string]uint32{}}
}

// record notes that the writer sets (del false) or deletes key k; keys other
// than postings are ignored. It runs for every posting a seed writes, so it
// looks maps up with the key's bytes and allocates only for what is new.
func (o *postingOps) record(k []byte, del bool) error {
	lt, tf, length, id, ok := splitPostingBytes(k)
	if !ok {
		return nil
	}
	// A node's postings come one after another: its number is looked up once.
	num := o.lastNum
	if !bytes.Equal(id, o.lastID) {
		var ok bool
		if num, ok = o.nums[string(id)]; !ok {
			var err error
			if num, err = o.num(string(id)); err != nil {
				return fmt.Errorf("number node %s: %w", id, err)
			}
		}
		o.lastID, o.lastNum = append(o.lastID[:0], id...), num
	}
	o.buf = appendBlockKey(o.buf[:0], lt, num>>blockBits)
	ops := o.ops[string(o.buf)]
	if ops == nil {
		ops = new([]blockOp)
		o.ops[string(o.buf)] = ops
	}
	*ops = append(*ops, blockOp{blockEntry{uint16(num & (1<<blockBits - 1)), tf, length}, del})
	return nil
}

// num returns the number of node id, giving it the next one when it has
// none: numbers are never given twice, so a number names one node for good.
func (o *postingOps) num(id string) (uint32, error) {
	if n, ok := o.nums[id]; ok {
		return n, nil
	}
	v, ok, err := getValue(o.read, numKey(id))
	if err != nil {
		return 0, err
	}
	if ok && len(v) == 4 {
		n := binary.BigEndian.Uint32(v)
		o.nums[id] = n
		return n, nil
	}
	if o.next == 0 {
		v, ok, err := getValue(o.read, numsKey())
		if err != nil {
			return 0, err
		}
		o.next = 1
		if ok && len(v) == 4 {
			o.next = binary.BigEndian.Uint32(v)
		}
	}
	n := o.next
	o.next++
	o.nums[id] = n
	o.fresh = append(o.fresh, id)
	return n, nil
}

// apply writes each changed block once, read through read (which must not
// see any block this writer wrote), and the numbers given.
func (o *postingOps) apply(read *badger.Txn, set func(k, v []byte) error, del func(k []byte) error) error {
	for _, bk := range slices.Sorted(maps.Keys(o.ops)) {
		v, _, err := getValue(read, []byte(bk))
		if err != nil {
			return err
		}
		es := applyOps(decodeBlock(v, nil), *o.ops[bk])
		if len(es) == 0 {
			err = del([]byte(bk))
		} else {
			err = set([]byte(bk), encodeBlock(es))
		}
		if err != nil {
			return err
		}
	}
	return o.writeNums(set)
}

// writeNums writes the numbers given.
func (o *postingOps) writeNums(set func(k, v []byte) error) error {
	for _, id := range o.fresh {
		n := o.nums[id]
		if err := set(numKey(id), binary.BigEndian.AppendUint32(nil, n)); err != nil {
			return err
		}
		if err := set(numIDKey(n), []byte(id)); err != nil {
			return err
		}
	}
	if len(o.fresh) > 0 {
		return set(numsKey(), binary.BigEndian.AppendUint32(nil, o.next))
	}
	return nil
}

// applyOps applies ops in order to a block's entries, sorted by number:
// the ops are sorted by number, keeping their order for one number, and
// merged with the entries.
func applyOps(es []blockEntry, ops []blockOp) []blockEntry {
	slices.SortStableFunc(ops, func(a, b blockOp) int { return int(a.lo) - int(b.lo) })
	out := make([]blockEntry, 0, len(es)+len(ops))
	i := 0
	for j := 0; j < len(ops); {
		lo := ops[j].lo
		for i < len(es) && es[i].lo < lo {
			out = append(out, es[i])
			i++
		}
		cur, has := blockEntry{}, false
		if i < len(es) && es[i].lo == lo {
			cur, has = es[i], true
			i++
		}
		for ; j < len(ops) && ops[j].lo == lo; j++ {
			switch op := ops[j]; {
			case !op.del:
				cur, has = op.blockEntry, true
			case has && cur == op.blockEntry:
				has = false
			}
		}
		if has {
			out = append(out, cur)
		}
	}
	return append(out, es[i:]...)
}

// getValue reads key k, ok false when it does not exist.
func getValue(txn *badger.Txn, k []byte) ([]byte, bool, error) {
	item, err := txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	v, err := item.ValueCopy(nil)
	return v, err == nil, err
}

// rebuildTerm writes the blocks of a term from its postings as read sees
// them, and deletes the blocks it no longer has: each block key is written
// once.
func (o *postingOps) rebuildTerm(read *badger.Txn, lang, term string, set func(k, v []byte) error, del func(k []byte) error) error {
	blocks := map[uint32][]blockEntry{}
	p := prefix(tagPosting, lang, term)
	it := read.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		_, tf, length, id, ok := splitPostingBytes(it.Item().Key())
		if !ok {
			continue
		}
		num, ok := o.nums[string(id)]
		if !ok {
			var err error
			if num, err = o.num(string(id)); err != nil {
				return fmt.Errorf("number node %s: %w", id, err)
			}
		}
		blocks[num>>blockBits] = append(blocks[num>>blockBits], blockEntry{uint16(num & (1<<blockBits - 1)), tf, length})
	}
	var err error
	if err != nil {
		return err
	}
	bp := prefix(tagBlock, lang, term)
	err = eachKey(read, bp, func(k []byte) error {
		if len(k) == len(bp)+4 && blocks[binary.BigEndian.Uint32(k[len(bp):])] == nil {
			return del(k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, blk := range slices.Sorted(maps.Keys(blocks)) {
		es := blocks[blk]
		slices.SortFunc(es, func(a, b blockEntry) int { return int(a.lo) - int(b.lo) })
		if err := set(blockKey(lang, term, blk), encodeBlock(es)); err != nil {
			return err
		}
	}
	return nil
}
