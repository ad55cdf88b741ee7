package graph

import (
	"fmt"
)

// EachNode calls fn with every node, in id order, until fn returns an error.
func (tx *Tx) EachNode(fn func(*Node) error) error {
	return tx.scan([]byte{tagNode}, func(k, v []byte) error {
		n := new(Node)
		if err := decodeNode(v, n); err != nil {
			return fmt.Errorf("decode node %q: %w", k[1:], err)
		}
		return fn(n)
	})
}

// EachEdge calls fn with every edge in canonical direction, in (from, type,
// kind of to, to) order, the evidence of every data set that asserts it merged (each
// piece naming its data set), until fn returns an error.
func (tx *Tx) EachEdge(fn func(Edge) error) error {
	var cur *Edge
	err := tx.scan([]byte{tagOut}, func(k, v []byte) error {
		ps := parts(k)
		if len(ps) != 5 {
			return nil
		}
		ev, err := decodeEvidence(v, ps[4])
		if err != nil {
			return fmt.Errorf("decode edge %q: %w", k, err)
		}
		if cur != nil && cur.From == ps[0] && cur.Type == ps[1] && cur.To == ps[3] {
			cur.Evidence = append(cur.Evidence, ev...)
			return nil
		}
		if cur != nil {
			if err := fn(*cur); err != nil {
				return err
			}
		}
		cur = &Edge{From: ps[0], Type: ps[1], To: ps[3], Evidence: ev}
		return nil
	})
	if err != nil || cur == nil {
		return err
	}
	return fn(*cur)
}

// Datasets lists the seeded data sets by name, as seen by the transaction.
func (tx *Tx) Datasets() ([]DatasetInfo, error) { return tx.datasets() }
