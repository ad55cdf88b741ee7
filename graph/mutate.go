package graph

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Mutation is one small write to the graph: an upsert, a relation added or
// removed, an entity deleted. It reads the published version plus its own
// writes, and everything it writes becomes visible at once when Mutate
// publishes it. It is validated by the same checks as the seed loader.
type Mutation struct {
	ctx     context.Context
	s       *Store
	txn     *badger.Txn
	records map[string]*DatasetInfo    // touched data set records
	stats   map[[2]string][2]int64     // (data set, lang) -> change of (docs, length)
	counts  map[string]int64           // document frequency, degree or citation key -> change
	touched map[string]map[string]bool // data set -> ids it may no longer refer to
	ops     *postingOps                // changes of postings, for the posting blocks
	nodes   map[string]struct{}        // nodes whose record or relations it wrote (see noteKey)
}

// Mutate runs fn in one transaction and publishes what it wrote; nothing is
// written when fn returns an error. A mutation larger than one Badger
// transaction fails with ErrInvalid. With SyncWrites the commit waits for
// fsync; without it an acknowledged mutation survives a process crash but
// not a power loss.
func (s *Store) Mutate(ctx context.Context, fn func(*Mutation) error) error {
	if err := s.CheckSpace(0); err != nil {
		return fmt.Errorf("mutation: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	ts, base := s.nextVersion(), s.published.Load()
	txn := s.db.NewTransactionAt(base, true)
	defer txn.Discard()
	m := &Mutation{ctx: ctx, s: s, txn: txn, records: map[string]*DatasetInfo{}, stats: map[[2]string][2]int64{}, counts: map[string]int64{},
		ops: newPostingOps(txn), nodes: map[string]struct{}{}}
	if err := fn(m); err != nil {
		return err
	}
	if err := m.flush(); err != nil {
		return err
	}
	if err := txn.CommitAt(ts, nil); err != nil {
		if errors.Is(err, badger.ErrTxnTooBig) {
			return fmt.Errorf("mutation: %w: it is too large for one transaction; seed a data set instead", ErrInvalid)
		}
		return fmt.Errorf("commit mutation: %w", err)
	}
	// Before readers can see ts: the talk index of ts is then patched from
	// base's for the nodes written, not built again.
	s.agg.published(s, base, ts, m.nodes)
	return s.publish(ts)
}

func (m *Mutation) set(k, v []byte) error {
	noteKey(m.nodes, k)
	if err := m.ops.record(k, false); err != nil {
		return err
	}
	return m.txn.Set(k, v)
}

func (m *Mutation) del(k []byte) error {
	noteKey(m.nodes, k)
	if err := m.ops.record(k, true); err != nil {
		return err
	}
	return m.txn.Delete(k)
}

// Node returns the node id as the mutation sees it, or an error wrapping
// ErrNotFound.
func (m *Mutation) Node(id string) (*Node, error) { return getNode(m.txn, id) }

// KindOf implements Resolver over the mutation's view.
func (m *Mutation) KindOf(id string) (Kind, bool) {
	n, err := getNode(m.txn, id)
	if err != nil {
		return "", false
	}
	return n.Kind, true
}

// Suggest implements Resolver: mutations name ids exactly, so it suggests
// nothing rather than scanning the name index.
func (m *Mutation) Suggest(string) string { return "" }

// record returns the record of data set name, new when it has none.
func (m *Mutation) record(name string) (*DatasetInfo, error) {
	if d, ok := m.records[name]; ok {
		return d, nil
	}
	d := &DatasetInfo{Name: name}
	item, err := m.txn.Get(datasetKey(name))
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
	case err != nil:
		return nil, err
	default:
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, d) }); err != nil {
			return nil, err
		}
	}
	m.records[name] = d
	return d, nil
}

// flush writes the touched data set records and search statistics. A
// record's hash is cleared: the data set no longer matches its files, so the
// next seed of those files rewrites it rather than skipping it.
func (m *Mutation) flush() error {
	if err := m.refreshRefs(); err != nil {
		return err
	}
	for key, delta := range m.stats {
		docs, length := int64(0), int64(0)
		item, err := m.txn.Get(statsKey(key[0], key[1]))
		if err == nil {
			if err := item.Value(func(v []byte) error {
				if len(v) == 16 {
					docs, length = int64(binary.BigEndian.Uint64(v)), int64(binary.BigEndian.Uint64(v[8:]))
				}
				return nil
			}); err != nil {
				return err
			}
		}
		v := binary.BigEndian.AppendUint64(nil, uint64(max(0, docs+delta[0])))
		if err := m.set(statsKey(key[0], key[1]), binary.BigEndian.AppendUint64(v, uint64(max(0, length+delta[1])))); err != nil {
			return err
		}
	}
	if err := m.flushCounts(); err != nil {
		return err
	}
	// Read through the mutation's transaction, which has written no block.
	if err := m.ops.apply(m.txn, m.txn.Set, m.txn.Delete); err != nil {
		return fmt.Errorf("write posting blocks: %w", err)
	}
	for name, d := range m.records {
		d.Hash = ""
		rec, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := m.set(datasetKey(name), rec); err != nil {
			return err
		}
	}
	return nil
}

// flushCounts applies the changes of document frequencies and degrees; a
// count that reaches zero is deleted, as a seed would not write it.
func (m *Mutation) flushCounts() error {
	for k, delta := range m.counts {
		if delta == 0 {
			continue
		}
		n := int64(0)
		item, err := m.txn.Get([]byte(k))
		switch {
		case errors.Is(err, badger.ErrKeyNotFound):
		case err != nil:
			return err
		default:
			if err := item.Value(func(v []byte) error {
				if len(v) == 4 {
					n = int64(binary.BigEndian.Uint32(v))
				}
				return nil
			}); err != nil {
				return err
			}
		}
		if n += delta; n <= 0 {
			err = m.del([]byte(k))
		} else {
			err = m.set([]byte(k), binary.BigEndian.AppendUint32(nil, uint32(n)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}
