package graph

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// Versions: how readers never see half a write.
//
// The database runs in Badger's managed mode, where the store, not Badger,
// chooses the version (timestamp) of every write and the snapshot of every
// read. Readers read at the published version P, kept in key "!published".
// A writer (a seed, a mutation) takes a version T above every version in the
// database, writes everything it changes at T — however many Badger
// transactions that takes — then writes "!published" = T at T, the one step
// that makes the change visible. Until then readers keep reading at P.
//
// A writer that dies before publishing leaves versions above P behind. Open
// finds them (the database's highest version is above P) and rolls them back:
// every key with a version above P is rewritten, at a version above them all,
// to what it was at P. Then that version is published.

func publishedKey() []byte { return key(tagMeta, "published") }

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// readU64 reads a uint64 key at ts, or ok=false when it does not exist.
func readU64(db *badger.DB, k []byte, ts uint64) (v uint64, ok bool, err error) {
	txn := db.NewTransactionAt(ts, false)
	defer txn.Discard()
	item, err := txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	b, err := item.ValueCopy(nil)
	if err != nil {
		return 0, false, err
	}
	if len(b) != 8 {
		return 0, false, fmt.Errorf("%w: key %q holds %d bytes, want 8", ErrNotDatabase, k, len(b))
	}
	return binary.BigEndian.Uint64(b), true, nil
}

// initVersions creates a new database's version keys, or reads an existing
// one's and rolls back what an interrupted writer left.
func (s *Store) initVersions() error {
	v, ok, err := readVersion(s.db)
	if err != nil {
		return fmt.Errorf("open %s: read format version: %w: choose another directory", s.Path, err)
	}
	if !ok {
		if !s.dbEmpty() {
			return fmt.Errorf("open %s: %w: it is a Badger database without a talkgraph format version; choose another directory", s.Path, ErrNotDatabase)
		}
		txn := s.db.NewTransactionAt(0, true)
		defer txn.Discard()
		if err := txn.Set(versionKey(), binary.BigEndian.AppendUint32(nil, FormatVersion)); err != nil {
			return err
		}
		if err := txn.Set(publishedKey(), u64(1)); err != nil {
			return err
		}
		s.published.Store(1)
		return txn.CommitAt(1, nil)
	}
	if v == upgradable && s.readOnly {
		return fmt.Errorf("open %s: %w %d: this talkgraph upgrades it to version %d in place, which needs to write; open it once where it is writable", s.Path, ErrVersion, v, FormatVersion)
	}
	if v != FormatVersion && v != upgradable {
		return fmt.Errorf("open %s: %w %d (this talkgraph reads version %d): use the talkgraph release that wrote it, or re-seed into a new directory", s.Path, ErrVersion, v, FormatVersion)
	}
	p, ok, err := readU64(s.db, publishedKey(), math.MaxUint64)
	if err != nil || !ok {
		return fmt.Errorf("open %s: %w: no published version (%v)", s.Path, ErrNotDatabase, err)
	}
	s.published.Store(p)
	if s.readOnly {
		return nil // readers read at p: what lies above stays unseen
	}
	if s.db.MaxVersion() > p {
		if err := s.rollback(); err != nil {
			return err
		}
		if err := s.reclaim(); err != nil {
			return err
		}
	}
	if v == upgradable {
		if err := s.upgrade(); err != nil {
			return fmt.Errorf("open %s: upgrade format %d to %d: %w", s.Path, v, FormatVersion, err)
		}
	}
	return nil
}

// reclaim frees the space an interrupted writer took: its versions, and
// the rollback's, are garbage that compaction drops only where it runs, and
// without writes it does not (killed seeds grew a database from 60 to 154
// MB). The database is reopened to compact level 0 as it closes (Flatten
// leaves a database whose tables are all in level 0 as it is) and
// flattened, with nothing older than the published version readable. It
// runs only after a crash.
func (s *Store) reclaim() error {
	for _, compact := range []bool{true, false} {
		if err := s.db.Close(); err != nil {
			s.db = nil
			return fmt.Errorf("open %s: flush the rollback: %w", s.Path, err)
		}
		db, err := badger.OpenManaged(s.options(s.Path).WithCompactL0OnClose(compact))
		if err != nil {
			s.db = nil
			return s.openError(err, false)
		}
		s.db = db
		s.updateDiscard()
		if !compact {
			return nil
		}
		if err := db.Flatten(2); err != nil {
			return fmt.Errorf("open %s: compact after a rollback: %w", s.Path, err)
		}
	}
	return nil
}

func (s *Store) dbEmpty() bool {
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{})
	defer it.Close()
	it.Rewind()
	return !it.Valid()
}

// nextVersion returns a version above every version in the database.
func (s *Store) nextVersion() uint64 {
	return max(s.db.MaxVersion(), s.published.Load()) + 1
}

// publish makes version t the one readers read, durably.
func (s *Store) publish(t uint64) error {
	prev := s.published.Load()
	txn := s.db.NewTransactionAt(t, true)
	defer txn.Discard()
	if err := txn.Set(publishedKey(), u64(t)); err != nil {
		return err
	}
	if err := txn.CommitAt(t, nil); err != nil {
		return fmt.Errorf("publish version %d: %w", t, err)
	}
	if !s.SyncWrites && !s.InMemory {
		// One fsync per seed: what a finished seed promises survives power loss.
		if err := s.db.Sync(); err != nil {
			return fmt.Errorf("sync: %w", err)
		}
	}
	s.published.Store(t)
	s.updateDiscard()
	s.agg.published(s, prev, t, nil) // a seed's or drop's: built anew
	return nil
}

// rollback rewrites every key with a version above the published one to
// its value at the published version, then publishes the rewrite. It
// reads only the tables that hold such versions (Badger skips a table
// whose versions are all older), so it costs what the failed writer wrote,
// not the size of the database.
func (s *Store) rollback() error {
	p := s.published.Load()
	t := s.nextVersion()
	wb := s.db.NewWriteBatchAt(t)
	defer wb.Cancel()
	at := s.db.NewTransactionAt(p, false)
	defer at.Discard()
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.IteratorOptions{AllVersions: true, SinceTs: p})
	defer it.Close()
	// For each key with a version above p, the newest version at or below
	// p is restored; a key with none is deleted. One entry per key is
	// written: two at the same version would leave either one standing.
	var cur []byte
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if item.Version() <= p || bytesEqual(item.Key(), cur) {
			continue
		}
		cur = item.KeyCopy(cur[:0])
		v, ok, err := getValue(at, cur)
		if err != nil {
			return err
		}
		k := slices.Clone(cur)
		if !ok {
			err = wb.Delete(k)
		} else {
			err = wb.Set(k, v)
		}
		if err != nil {
			return err
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("roll back an interrupted write: %w", err)
	}
	return s.publish(t)
}

func bytesEqual(a, b []byte) bool { return string(a) == string(b) }

// acquire registers a reader at the published version and returns it.
func (s *Store) acquire() uint64 {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	ts := s.published.Load()
	s.readers[ts]++
	return ts
}

func (s *Store) release(ts uint64) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.readers[ts]--; s.readers[ts] <= 0 {
		delete(s.readers, ts)
	}
}

// updateDiscard lets Badger drop versions no reader can see any more: those
// below the oldest version still being read.
func (s *Store) updateDiscard() {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	low := s.published.Load()
	for ts := range s.readers {
		low = min(low, ts)
	}
	s.db.SetDiscardTs(low)
}

// readVersion reads the format version, a uint32 since the first format.
func readVersion(db *badger.DB) (v uint32, ok bool, err error) {
	txn := db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	item, err := txn.Get(versionKey())
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	b, err := item.ValueCopy(nil)
	if err != nil {
		return 0, false, err
	}
	if len(b) != 4 {
		return 0, false, fmt.Errorf("%w: the version key holds %d bytes, want 4", ErrNotDatabase, len(b))
	}
	return binary.BigEndian.Uint32(b), true, nil
}
