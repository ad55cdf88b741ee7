package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Backup writes the published version of the database to w: a header,
// Badger's backup stream (protobuf key-value lists) and a SHA-256 trailer
// that Restore verifies (see backupfile.go). Readers and writers go on
// meanwhile; the backup is the snapshot it started from. A backup cut short
// (an error, ctx done) has no trailer, so it is never restored.
func (s *Store) Backup(ctx context.Context, w io.Writer) error {
	ts := s.acquire()
	defer s.release(ts)
	cw, err := newChecksumWriter(w)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	stream := s.db.NewStreamAt(ts)
	stream.LogPrefix = "talkgraph backup"
	if _, err := stream.Backup(cw, 0); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// RestoreInfo says what Restore restored.
type RestoreInfo struct {
	// Checksum is the backup's SHA-256, verified before the switch; empty
	// for a backup written before backups carried one, restored unchecked.
	Checksum string
}

// Restore replaces the database with a backup read from r. The backup is
// loaded into a new database beside the old one and checked there (its
// checksum, then its format version), so a bad file is refused (ErrInvalid,
// ErrVersion) with nothing changed; then the new database takes the old
// one's place in one step that a crash either completes or undoes at the
// next Open (see restore.go). A database that holds data sets is refused
// unless force is set (ErrConflict); a directory that holds other files is
// ErrNotDatabase; a database in use by another process, ErrLocked. The
// store may be open or not; on success it is open on the restored data. No
// reader or writer may use the store meanwhile.
func (s *Store) Restore(ctx context.Context, r io.Reader, force bool) (RestoreInfo, error) {
	if s.InMemory {
		return s.restoreInMemory(ctx, r, force)
	}
	return s.restoreOnDisk(ctx, r, force)
}

// restoreInMemory loads the backup into a new in-memory database and, once
// it is checked, puts it in the old one's place.
func (s *Store) restoreInMemory(ctx context.Context, r io.Reader, force bool) (RestoreInfo, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if !force {
		if err := s.refuseData(ctx); err != nil {
			return RestoreInfo{}, err
		}
	}
	db, err := badger.OpenManaged(s.options(""))
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	info, err := loadChecked(db, &spaceReader{ctx: ctx, r: r})
	if err != nil {
		db.Close()
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	old := s.db
	s.db, s.readers, s.cache = db, map[uint64]int{}, newReadCache(s.CacheSize)
	old.Close()
	if err := s.initVersions(); err != nil {
		return info, err
	}
	if err := s.checkAnalyzer(); err != nil {
		return info, err
	}
	return info, s.initID()
}

func (s *Store) refuseData(ctx context.Context) error {
	tx := s.Begin(ctx)
	defer tx.Discard()
	sets, err := tx.datasets()
	if err != nil {
		return err
	}
	if len(sets) > 0 {
		names := make([]string, len(sets))
		for i, d := range sets {
			names[i] = d.Name
		}
		return fmt.Errorf("restore: %w: the database holds data (%s); use --force to replace it with the backup", ErrConflict, strings.Join(names, ", "))
	}
	return nil
}

// loadChecked loads a backup into db, verifies its checksum and its format
// version. A checksum that does not match is reported before what the
// loader made of the damaged bytes.
func loadChecked(db *badger.DB, r io.Reader) (RestoreInfo, error) {
	stream, checked, err := openBackup(r)
	if err != nil {
		return RestoreInfo{}, err
	}
	lerr := load(db, stream)
	var info RestoreInfo
	if checked != nil {
		if info.Checksum, err = checked.verify(); err != nil {
			return RestoreInfo{}, err
		}
	}
	if lerr != nil {
		return RestoreInfo{}, lerr
	}
	return info, checkFormat(db)
}

// load loads a backup stream into db. Badger's loader panics on some corrupt
// input; the panic becomes an error.
func load(db *badger.DB, r io.Reader) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: the file is not a talkgraph backup, or is damaged (%v)", ErrInvalid, r)
		}
	}()
	if err := db.Load(r, 256); err != nil {
		if errors.Is(err, ErrNoSpace) {
			return err
		}
		return fmt.Errorf("%w: the file is not a talkgraph backup (%v)", ErrInvalid, err)
	}
	return nil
}

// checkFormat checks that db holds a talkgraph database of this format
// version, or of the one Open upgrades in place (the store's next open of
// the restored database upgrades it), with a published version.
func checkFormat(db *badger.DB) error {
	v, ok, err := readVersion(db)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("%w: the file is not a talkgraph backup (no format version)", ErrInvalid)
	case v != FormatVersion && v != upgradable:
		return fmt.Errorf("%w %d in the backup (this talkgraph reads version %d)", ErrVersion, v, FormatVersion)
	}
	if _, ok, err := readU64(db, publishedKey(), math.MaxUint64); err != nil || !ok {
		return fmt.Errorf("%w: the backup has no published version (%v)", ErrInvalid, err)
	}
	return nil
}

// ContentHash digests what the graph holds at the published version: every
// node, edge, index entry and data set, leaving out versions and seed times
// and the posting blocks (derived from the postings, with node numbers
// given in the order nodes were first indexed),
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
		if derivedKey(k) {
			continue // node numbers depend on history; the postings are hashed
		}
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
