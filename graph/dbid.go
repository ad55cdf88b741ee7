package graph

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"github.com/dgraph-io/badger/v4"
)

// idName is the meta key of the database's identity (see keys.go).
const idName = "id"

func idKey() []byte { return key(tagMeta, idName) }

// ID returns the database's identity: 16 random bytes in hex, written when
// the database is created (or by the first open for writing of one made
// before identities), so that a process can tell this database from a
// copy of its directory or another database; "" for such an older
// database opened read-only. A restored backup keeps the identity of the
// database it was taken of.
func (s *Store) ID() string {
	if id := s.id.Load(); id != nil {
		return *id
	}
	return ""
}

// initID reads the database's identity, and records a new one where there
// is none and the store may write.
func (s *Store) initID() error {
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	item, err := txn.Get(idKey())
	switch {
	case errors.Is(err, badger.ErrKeyNotFound) && s.readOnly:
		s.setID("")
		return nil
	case errors.Is(err, badger.ErrKeyNotFound):
		b := make([]byte, 16)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w := s.db.NewTransactionAt(s.published.Load(), true)
		defer w.Discard()
		if err := w.Set(idKey(), []byte(id)); err != nil {
			return fmt.Errorf("open %s: record the database's identity: %w", s.Path, err)
		}
		if err := w.CommitAt(s.published.Load(), nil); err != nil {
			return fmt.Errorf("open %s: record the database's identity: %w", s.Path, err)
		}
		s.setID(id)
		return nil
	case err != nil:
		return fmt.Errorf("open %s: read the database's identity: %w", s.Path, err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return fmt.Errorf("open %s: read the database's identity: %w", s.Path, err)
	}
	s.setID(string(v))
	return nil
}

func (s *Store) setID(id string) { s.id.Store(&id) }
