package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/dgraph-io/badger/v4"
)

// RestoreLive replaces the content of an open store that others go on
// reading and writing (a running server's) with a backup read from r, as a
// seed replaces a data set. The backup is loaded and checked first in a
// store of its own (a directory beside the database, or memory): its
// checksum, its format (a format 5 backup is upgraded there) and its text
// analysis, which must be this store's. Then every key of it is written
// into this store as one new version, every other key deleted, and the
// version published: readers see the old content or the new, never a mix,
// and are not paused; a kill before the publish leaves the old content
// (the next Open rolls the rest back). Writers wait meanwhile.
//
// It returns ErrInvalid for a damaged backup, ErrVersion for one of a
// format or text analysis this store cannot take, ErrConflict when the
// store holds data sets and force is not set, ErrNoSpace when the disk
// cannot take the copy, or the store's errors; nothing is changed then.
func (s *Store) RestoreLive(ctx context.Context, r io.Reader, force bool) (RestoreInfo, error) {
	if !force {
		if err := s.refuseData(ctx); err != nil {
			return RestoreInfo{}, err
		}
	}
	src, info, done, err := s.loadBackupStore(ctx, r)
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	defer done()
	if got, want := src.Analyzer.Name(), s.Analyzer.Name(); got != want {
		return RestoreInfo{}, fmt.Errorf("restore: the backup's text analysis is %s, this database's %s (%w): restore it into a database of its own (with the server stopped, or --db elsewhere)", got, want, ErrVersion)
	}
	if err := s.CheckSpace(0); err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if !force { // again, now that no writer runs
		if err := s.refuseData(ctx); err != nil {
			return RestoreInfo{}, err
		}
	}
	ts := s.nextVersion()
	if err := s.copyFrom(ctx, src, ts); err != nil {
		if rerr := s.rollback(); rerr != nil {
			s.Logger.Error("roll back a failed restore", "err", rerr)
		}
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	if err := s.publish(ts); err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	return info, nil
}

// loadBackupStore loads a backup into a store of its own, opened (so
// checked and, for format 5, upgraded) with this store's configuration;
// done closes and deletes it.
func (s *Store) loadBackupStore(ctx context.Context, r io.Reader) (src *Store, info RestoreInfo, done func(), err error) {
	src = &Store{InMemory: s.InMemory, Analyzer: s.Analyzer, Languages: s.Languages, Logger: s.Logger}
	if s.InMemory {
		src.db, err = badger.OpenManaged(s.options(""))
		if err != nil {
			return nil, info, nil, err
		}
		if info, err = loadChecked(src.db, r); err == nil {
			src.readers, src.cache = map[uint64]int{}, newReadCache(0)
			if err = src.initVersions(); err == nil {
				err = src.checkAnalyzer()
			}
		}
		if err != nil {
			src.db.Close()
			return nil, info, nil, err
		}
		return src, info, func() { src.Close() }, nil
	}
	unlock, err := lockRestore(s.Path)
	if err != nil {
		return nil, info, nil, err
	}
	dir, info, err := s.buildRestore(ctx, r)
	if err != nil {
		unlock()
		return nil, info, nil, err
	}
	src.Path = dir
	if err := src.open(); err != nil {
		os.RemoveAll(dir)
		unlock()
		return nil, info, nil, err
	}
	return src, info, func() {
		src.Close()
		os.RemoveAll(dir)
		unlock()
	}, nil
}

// copyFrom writes every key src publishes into s at version ts, and
// deletes at ts every key s publishes that src has not; the publish
// counter is the one key left to publish. The caller holds writeMu.
func (s *Store) copyFrom(ctx context.Context, src *Store, ts uint64) error {
	wb := s.db.NewWriteBatchAt(ts)
	defer wb.Cancel()
	from := src.db.NewTransactionAt(src.published.Load(), false)
	defer from.Discard()
	old := s.db.NewTransactionAt(s.published.Load(), false)
	defer old.Discard()
	skip := publishedKey()
	n := 0
	step := func() error {
		if n++; n%spaceCheckKeys == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			return s.CheckSpace(0)
		}
		return nil
	}
	it := from.NewIterator(badger.IteratorOptions{})
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if bytes.Equal(item.Key(), skip) {
			continue
		}
		v, err := item.ValueCopy(nil)
		if err == nil {
			err = wb.Set(item.KeyCopy(nil), v)
		}
		if err == nil {
			err = step()
		}
		if err != nil {
			it.Close()
			return err
		}
	}
	it.Close()
	it = old.NewIterator(badger.IteratorOptions{PrefetchValues: false})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().Key()
		if bytes.Equal(k, skip) {
			continue
		}
		if _, err := from.Get(k); !errors.Is(err, badger.ErrKeyNotFound) {
			if err != nil {
				return err
			}
			continue
		}
		if err := wb.Delete(it.Item().KeyCopy(nil)); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	return wb.Flush()
}
