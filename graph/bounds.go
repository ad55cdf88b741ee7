package graph

import (
	"bytes"
	"encoding/binary"
	"sync"
)

// maxDegreeCache keeps MaxDegree's answer for one version: it changes only
// when a write publishes a new one.
type maxDegreeCache struct {
	mu  sync.Mutex
	ver uint64
	n   int
	ok  bool
}

// MaxDegree returns the largest number of relations (out and in, summed
// over data sets) one node has: no list of a node's neighbours or
// relations is longer, which lets a query's cost be bounded by the data
// rather than by page sizes. It scans the degree keys (one small key per
// node and data set) once per published version. It returns the read's
// error (the context's when it is done).
func (tx *Tx) MaxDegree() (int, error) {
	c := &tx.s.maxDegree
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && c.ver == tx.ts {
		return c.n, nil
	}
	best, cur := 0, 0
	var last []byte
	err := tx.scan([]byte{tagDegree}, func(k, v []byte) error {
		id := k[1:bytes.LastIndexByte(k, sep)]
		if !bytes.Equal(id, last) {
			last, cur = append(last[:0], id...), 0
		}
		if len(v) == 4 {
			cur += int(binary.BigEndian.Uint32(v))
		}
		best = max(best, cur)
		return nil
	})
	if err != nil {
		return 0, err
	}
	if tx.ts >= c.ver {
		c.ver, c.n, c.ok = tx.ts, best, true
	}
	return best, nil
}
