package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/dgraph-io/badger/v4"
)

// Stats counts what the store holds.
type Stats struct {
	Nodes    int            `json:"nodes"`
	Edges    int            `json:"edges"`
	Evidence int            `json:"evidence"`
	ByKind   map[Kind]int   `json:"by_kind"`
	ByType   map[string]int `json:"by_type"`
	Datasets []DatasetInfo  `json:"datasets"`
}

// Stats counts nodes by kind and edges by type (an edge asserted by two data
// sets counts once) and lists the data sets.
func (s *Store) Stats(ctx context.Context) (*Stats, error) {
	tx := s.Begin(ctx)
	defer tx.Discard()
	st := &Stats{ByKind: map[Kind]int{}, ByType: map[string]int{}}
	err := tx.scan([]byte{tagKind}, func(k, _ []byte) error {
		st.ByKind[Kind(parts(k)[0])]++
		st.Nodes++
		return nil
	})
	if err != nil {
		return nil, err
	}
	last := ""
	err = tx.scan([]byte{tagOut}, func(k, v []byte) error {
		ps := parts(k)
		st.Evidence += evidenceCount(v)
		if len(ps) != 5 {
			return nil
		}
		if id := ps[0] + "\x00" + ps[1] + "\x00" + ps[3]; id != last {
			last = id
			st.ByType[ps[1]]++
			st.Edges++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st.Datasets, err = tx.datasets()
	return st, err
}

func (tx *Tx) datasets() ([]DatasetInfo, error) {
	var out []DatasetInfo
	err := tx.scan([]byte{tagDataset}, func(k, v []byte) error {
		var d DatasetInfo
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("decode data set %q: %w", k[1:], err)
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// Datasets lists the seeded data sets by name.
func (s *Store) Datasets(ctx context.Context) ([]DatasetInfo, error) {
	tx := s.Begin(ctx)
	defer tx.Discard()
	return tx.datasets()
}

// Dataset returns one data set's record, or an error wrapping ErrNotFound.
func (s *Store) Dataset(ctx context.Context, name string) (*DatasetInfo, error) {
	tx := s.Begin(ctx)
	defer tx.Discard()
	tx.s.reads.Add(1)
	item, err := tx.txn.Get(datasetKey(name))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("data set %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	d := new(DatasetInfo)
	err = item.Value(func(v []byte) error { return json.Unmarshal(v, d) })
	return d, err
}

// Referrers returns, for each other data set that refers to ids of data set
// name, the ids it refers to.
func (s *Store) Referrers(ctx context.Context, name string) (map[string][]string, error) {
	all, err := s.Datasets(ctx)
	if err != nil {
		return nil, err
	}
	refs := map[string][]string{}
	for _, d := range all {
		if ids := d.Refs[name]; d.Name != name && len(ids) > 0 {
			refs[d.Name] = ids
		}
	}
	return refs, nil
}

// NodeKind returns the kind and data set of the node id, for reference checks
// against what is already stored; ok is false when there is no such node.
func (s *Store) NodeKind(ctx context.Context, id string) (k Kind, dataset string, ok bool, err error) {
	tx := s.Begin(ctx)
	defer tx.Discard()
	n, err := tx.Node(id)
	if errors.Is(err, ErrNotFound) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, err
	}
	return n.Kind, n.Dataset, true, nil
}

func sortStrings(s []string) { sort.Strings(s) }
