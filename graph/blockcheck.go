package graph

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/dgraph-io/badger/v4"
)

// derivedKey reports whether k belongs to the posting blocks (see
// blocks.go): keys derived from the "t" postings, whose node numbers depend
// on the order nodes were first indexed in, not on what the graph holds.
func derivedKey(k []byte) bool {
	if len(k) == 0 {
		return false
	}
	switch k[0] {
	case tagBlock, tagNum, tagNumID:
		return true
	}
	return string(k) == string(numsKey())
}

// CheckPostingBlocks verifies that the posting blocks hold exactly the "t"
// postings, as last written: tests call it after every kind of write. It
// returns an error naming the first difference, or Badger's read error.
func (s *Store) CheckPostingBlocks(ctx context.Context) error {
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	want := map[string]blockEntry{} // block key + 0 + id -> entry
	err := eachKeyCtx(ctx, txn, []byte{tagPosting}, func(k, _ []byte) error {
		lt, tf, length, id, ok := splitPostingBytes(k)
		if !ok {
			return fmt.Errorf("posting key %q: malformed", k)
		}
		v, ok, err := getValue(txn, numKey(string(id)))
		if err != nil || !ok || len(v) != 4 {
			return fmt.Errorf("posting of %s: the node has no number (%v)", id, err)
		}
		num := binary.BigEndian.Uint32(v)
		want[string(appendBlockKey(nil, lt, num>>blockBits))+"\x00"+string(id)] = blockEntry{uint16(num & (1<<blockBits - 1)), tf, length}
		return nil
	})
	if err != nil {
		return err
	}
	got := 0
	err = eachKeyCtx(ctx, txn, []byte{tagBlock}, func(k, v []byte) error {
		blk := binary.BigEndian.Uint32(k[len(k)-4:])
		for _, e := range decodeBlock(v, nil) {
			num := blk<<blockBits | uint32(e.lo)
			id, ok, err := getValue(txn, numIDKey(num))
			if err != nil || !ok {
				return fmt.Errorf("block %q: number %d names no node (%v)", k, num, err)
			}
			if w, ok := want[string(k)+"\x00"+string(id)]; !ok || w != e {
				return fmt.Errorf("block %q: node %s has %+v, its postings %+v (present %v)", k, id, e, w, ok)
			}
			got++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if got != len(want) {
		return fmt.Errorf("blocks hold %d postings, the posting keys %d", got, len(want))
	}
	return nil
}

// eachKeyCtx calls fn with every key with prefix p and its value.
func eachKeyCtx(ctx context.Context, txn *badger.Txn, p []byte, fn func(k, v []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		if err := fn(it.Item().Key(), v); err != nil {
			return err
		}
	}
	return nil
}
