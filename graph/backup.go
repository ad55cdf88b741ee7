package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// Backup writes the published version of the database to w in Badger's
// backup format (a stream of protobuf key-value lists). Readers and writers
// go on meanwhile; the backup is the snapshot it started from.
func (s *Store) Backup(ctx context.Context, w io.Writer) error {
	ts := s.acquire()
	defer s.release(ts)
	stream := s.db.NewStreamAt(ts)
	stream.LogPrefix = "talkgraph backup"
	if _, err := stream.Backup(w, 0); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return ctx.Err()
}

// Restore replaces the database with a backup read from r. The backup is
// first loaded into a scratch database and checked (a talkgraph backup of
// this format version), so a bad file is refused (ErrInvalid, ErrVersion)
// before anything is dropped. A database that holds data sets is refused
// unless force is set (ErrConflict). No reader or writer may use the store
// meanwhile.
func (s *Store) Restore(ctx context.Context, r io.Reader, force bool) error {
	scratch, err := os.MkdirTemp("", "talkgraph-restore-")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(scratch)
	file := filepath.Join(scratch, "backup")
	if err := copyToFile(file, r); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := checkBackup(file, filepath.Join(scratch, "db")); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if !force {
		if err := s.refuseData(ctx); err != nil {
			return err
		}
	}
	if err := s.db.DropAll(); err != nil {
		return fmt.Errorf("restore: empty the database: %w", err)
	}
	if err := load(s.db, file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return s.initVersions()
}

func (s *Store) refuseData(ctx context.Context) error {
	tx := s.Begin(ctx)
	defer tx.Discard()
	sets, err := tx.datasets()
	if err != nil {
		return err
	}
	if len(sets) > 0 {
		return fmt.Errorf("restore: %w: the database holds %d data set(s); use --force to replace them", ErrConflict, len(sets))
	}
	return nil
}

func copyToFile(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// load loads a backup file into db. Badger's loader panics on some corrupt
// input; the panic becomes an error.
func load(db *badger.DB, path string) (err error) {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: the backup is corrupt (%v)", ErrInvalid, r)
		}
	}()
	if err := db.Load(f, 256); err != nil {
		return fmt.Errorf("%w: the file is not a talkgraph backup (%v)", ErrInvalid, err)
	}
	return nil
}

// checkBackup loads the backup into a scratch database in dir and checks
// its format version.
func checkBackup(path, dir string) error {
	db, err := badger.OpenManaged(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := load(db, path); err != nil {
		return err
	}
	v, ok, err := readVersion(db)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("%w: the file is not a talkgraph backup (no format version)", ErrInvalid)
	case v != FormatVersion:
		return fmt.Errorf("%w %d in the backup (this talkgraph reads version %d)", ErrVersion, v, FormatVersion)
	}
	return nil
}

// ContentHash digests what the graph holds at the published version: every
// node, edge, index entry and data set, leaving out versions and seed times,
// which differ between two seeds of the same files. Two stores with the same
// hash answer every query alike.
func (s *Store) ContentHash(ctx context.Context) (string, error) {
	tx := s.Begin(ctx)
	defer tx.Discard()
	h := sha256.New()
	it := tx.txn.NewIterator(badger.IteratorOptions{})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if k[0] == tagDataset || k[0] == tagMeta {
			h.Write(k) // the record's counts and hash are in the other keys
			continue
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%d:%s%d:%s", len(k), k, len(v), v)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
