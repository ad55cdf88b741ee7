package graph

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/dgraph-io/badger/v4"
)

// A data set seeded from files keeps a copy of each file as it was seeded
// ("y" keys): the YAML export writes every node and edge back into the
// file it came from, in its place and with the comments around it, and
// rewrites only what changed since (see internal/export). The copy goes
// with the data set: a new seed replaces it, a drop deletes it.

// filePart is the most bytes one "y" key holds: well under Badger's value
// threshold (1 MiB), so that a part stays in the LSM tree like every other
// value (an in-memory store has no value log at all), and under the
// tables' size (512 KiB).
const filePart = 64 << 10

// SeedFile is one seed file of a data set, as it was seeded.
type SeedFile struct {
	Name string // the file's name in the data set's directory
	Data []byte
}

// PutFile keeps a copy of the data set's seed file name (a name in its
// directory, such as talks.yaml) as it is seeded. It returns the store's
// error.
func (w *DatasetWriter) PutFile(name string, data []byte) error {
	if err := w.tick(); err != nil {
		return err
	}
	for part := 0; part == 0 || part*filePart < len(data); part++ {
		chunk := data[part*filePart : min(len(data), (part+1)*filePart)]
		if err := w.set(fileKey(w.name, name, part), chunk); err != nil {
			return fmt.Errorf("keep seed file %s: %w", name, err)
		}
	}
	return nil
}

// DatasetFiles returns the seed files data set set was seeded from, as
// they were seeded, in name order; none for a data set made through the
// API, or seeded before the store kept them. It returns an error for a
// malformed key, or the store's error.
func (tx *Tx) DatasetFiles(set string) ([]SeedFile, error) {
	var files []SeedFile
	err := tx.scan(prefix(tagFile, set), func(k, v []byte) error {
		ps := parts(k)
		if len(ps) != 3 {
			return fmt.Errorf("seed file key %q: %w", k, errCorrupt)
		}
		part, err := strconv.Atoi(ps[2])
		if err != nil {
			return fmt.Errorf("seed file key %q: %w", k, errCorrupt)
		}
		if part == 0 {
			files = append(files, SeedFile{Name: ps[1], Data: []byte{}})
		}
		if len(files) == 0 || files[len(files)-1].Name != ps[1] {
			return fmt.Errorf("seed file key %q: part without its start: %w", k, errCorrupt)
		}
		f := &files[len(files)-1]
		f.Data = append(f.Data, v...)
		return nil
	})
	return files, err
}

// DatasetNode returns data set set's own definition of node id: the stored
// node when set alone defines it, else what set's files say of it (see
// shared.go). It returns ErrNotFound when set does not define the node, or
// the store's error.
func (tx *Tx) DatasetNode(set, id string) (*Node, error) {
	rec, err := getNode(tx.txn, id)
	if err != nil {
		return nil, err
	}
	owned := false
	for _, o := range rec.owners() {
		owned = owned || o == set
	}
	if !owned {
		return nil, fmt.Errorf("node %s of data set %s: %w", id, set, ErrNotFound)
	}
	if rec.soleOwner(set) {
		return rec, nil
	}
	def, _, err := ownDef(tx.txn, set, rec)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("node %s of data set %s: %w", id, set, ErrNotFound)
	}
	return def, err
}
