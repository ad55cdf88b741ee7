package graph

import (
	"encoding/binary"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// counter sums a seed's counts (document frequencies, degrees, citations)
// by key in memory, and spools the sums as additions once it holds
// maxCounts keys, or at the end: the merge adds up what was spooled. So a
// count costs a map update, and the memory a bounded map.
type counter struct{ m map[string]uint32 }

// maxCounts bounds the keys a counter holds (about 30 MB).
const maxCounts = 1 << 18

func newCounter() *counter { return &counter{m: map[string]uint32{}} }

// add adds one to key k.
func (c *counter) add(sp *spool, k []byte) error {
	if n, ok := c.m[string(k)]; ok {
		c.m[string(k)] = n + 1
		return nil
	}
	c.m[string(k)] = 1
	if len(c.m) >= maxCounts {
		return c.flush(sp)
	}
	return nil
}

// flush spools the sums held and empties the map.
func (c *counter) flush(sp *spool) error {
	var v [4]byte
	for k, n := range c.m {
		binary.BigEndian.PutUint32(v[:], n)
		if err := sp.add(opAdd, []byte(k), v[:]); err != nil {
			return err
		}
	}
	clear(c.m)
	return nil
}

// numbering gives nodes their numbers in posting blocks (see blocks.go): a
// node keeps the number the old version gives it; a node new to the
// postings takes the next, which the seed writes.
type numbering struct {
	read    *badger.Txn
	lastID  string
	lastNum uint32
	next    uint32 // the next number to give; 0 until read
	given   bool
}

// of returns the number of node id; give says whether a node without one
// gets the next, spooled through w.
func (nb *numbering) of(id string, w *DatasetWriter, give bool) (uint32, bool, error) {
	if id == nb.lastID && nb.lastNum != 0 {
		return nb.lastNum, true, nil
	}
	v, ok, err := getValue(nb.read, numKey(id))
	if err != nil {
		return 0, false, err
	}
	if ok && len(v) == 4 {
		nb.lastID, nb.lastNum = id, binary.BigEndian.Uint32(v)
		return nb.lastNum, true, nil
	}
	if !give {
		return 0, false, nil
	}
	if nb.next == 0 {
		v, ok, err := getValue(nb.read, numsKey())
		if err != nil {
			return 0, false, err
		}
		nb.next = 1
		if ok && len(v) == 4 {
			nb.next = binary.BigEndian.Uint32(v)
		}
	}
	n := nb.next
	if n == 0 {
		return 0, false, fmt.Errorf("node numbers exhausted")
	}
	nb.next++
	nb.given = true
	if err := w.set(numKey(id), binary.BigEndian.AppendUint32(nil, n)); err != nil {
		return 0, false, err
	}
	if err := w.set(numIDKey(n), []byte(id)); err != nil {
		return 0, false, err
	}
	nb.lastID, nb.lastNum = id, n
	return n, true, nil
}

// spoolNext spools the next number to give, when this seed gave any.
func (nb *numbering) spoolNext(sp *spool) error {
	if !nb.given {
		return nil
	}
	return sp.add(opSet, numsKey(), binary.BigEndian.AppendUint32(nil, nb.next))
}
