package graph

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// evidenceSources returns the distinct sources ev cites, in order of first
// mention: an edge counts once towards a source's citation count however
// many quotes it takes from it.
func evidenceSources(ev []Evidence) []string {
	var out []string
	for _, x := range ev {
		if !slices.Contains(out, x.Source) {
			out = append(out, x.Source)
		}
	}
	return out
}

// countAt returns the uint32 count stored under k (a degree or citation
// key) plus what this mutation has added to it so far.
func (m *Mutation) countAt(k []byte) (int64, error) {
	n := m.counts[string(k)]
	item, err := m.txn.Get(k)
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		return n, nil
	case err != nil:
		return 0, fmt.Errorf("read count: %w", err)
	}
	err = item.Value(func(v []byte) error {
		if len(v) == 4 {
			n += int64(binary.BigEndian.Uint32(v))
		}
		return nil
	})
	return n, err
}

// citedBy returns the data sets whose edges cite source as evidence, as the
// mutation sees them.
func (m *Mutation) citedBy(source string) ([]string, error) {
	sets := map[string]bool{}
	for name := range m.records {
		sets[name] = true
	}
	p := []byte{tagDataset}
	it := m.txn.NewIterator(badgerKeysOnly(p))
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		sets[string(it.Item().Key()[1:])] = true
	}
	it.Close()
	var out []string
	for _, ds := range slices.Sorted(maps.Keys(sets)) {
		n, err := m.countAt(citeKey(ds, source))
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, ds)
		}
	}
	return out, nil
}

// checkNotCited refuses to change the kind of, or delete, a source that
// evidence cites: the evidence would point at nothing, and an export of the
// graph would no longer validate.
func (m *Mutation) checkNotCited(n *Node, refusal string) error {
	if n.Kind != KindSource {
		return nil
	}
	sets, err := m.citedBy(n.ID)
	if err != nil {
		return err
	}
	if len(sets) > 0 {
		return fmt.Errorf("node %q: %w: relations of data set %s cite this source as evidence, so %s; remove that evidence first (removeRelation, then addRelation with other evidence)", n.ID, ErrConflict, strings.Join(sets, ", "), refusal)
	}
	return nil
}

// touch notes that data set dataset may no longer refer to ids; refreshRefs
// checks them when the mutation ends.
func (m *Mutation) touch(dataset string, ids ...string) {
	if m.touched == nil {
		m.touched = map[string]map[string]bool{}
	}
	if m.touched[dataset] == nil {
		m.touched[dataset] = map[string]bool{}
	}
	for _, id := range ids {
		m.touched[dataset][id] = true
	}
}

// refreshRefs takes out of each touched data set's references the ids it no
// longer refers to, so that a data set that defines them can drop them. It
// checks only the ids the mutation touched, with two point reads each.
func (m *Mutation) refreshRefs() error {
	for ds, ids := range m.touched {
		d, err := m.record(ds)
		if err != nil {
			return err
		}
		for id := range ids {
			if len(d.Refs) == 0 {
				break
			}
			still, err := m.refersTo(ds, id)
			if err != nil {
				return err
			}
			if !still {
				dropRef(d, id)
			}
		}
	}
	return nil
}

// refersTo reports whether data set ds still refers to another data set's
// node id: has an edge at it, or cites it as evidence.
func (m *Mutation) refersTo(ds, id string) (bool, error) {
	n, err := m.Node(id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil || n.Dataset == ds || slices.Contains(n.Datasets, ds) {
		return false, err
	}
	for _, k := range [][]byte{degreeKey(id, ds), citeKey(ds, id)} {
		c, err := m.countAt(k)
		if err != nil || c > 0 {
			return c > 0, err
		}
	}
	return false, nil
}

// dropRef removes id from a record's references.
func dropRef(d *DatasetInfo, id string) {
	for other, ids := range d.Refs {
		ids = slices.DeleteFunc(ids, func(x string) bool { return x == id })
		if len(ids) == 0 {
			delete(d.Refs, other)
		} else {
			d.Refs[other] = ids
		}
	}
	if len(d.Refs) == 0 {
		d.Refs = nil
	}
}
