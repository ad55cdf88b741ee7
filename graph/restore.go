package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Restoring on disk: how a kill at any moment leaves the old database or
// the new one.
//
// The new database is built and checked in a directory beside the old one,
// on the same file system: ".<base>.restore-new-<random>" for a database
// at <base>. Until it is complete nothing else changes, and a kill leaves
// only that directory, which the next Open or restore deletes. The switch
// is committed by one file, ".<base>.restore-switch", written whole (a
// temporary file renamed) and holding the new directory's name. Then the
// old database is renamed ".<base>.restore-old", the new one renamed to
// <base>, the switch file removed and the old database deleted, with the
// parent directory fsynced after each step. A kill during the switch leaves
// the switch file, and the next Open finishes the renames it names. Every
// rename is atomic, so whatever Open finds is one of: no switch file (the
// database at <base> is whole, leftovers are deleted), or a switch file and
// a new directory that is complete.
//
// Restores and this recovery take a lock on the parent directory, so a
// second restore never deletes the new directory of one still running.

func restorePrefix(path string) string { return "." + filepath.Base(path) + ".restore-" }

func switchFile(path string) string {
	return filepath.Join(filepath.Dir(path), restorePrefix(path)+"switch")
}

func oldDir(path string) string {
	return filepath.Join(filepath.Dir(path), restorePrefix(path)+"old")
}

// restoreOnDisk: see Restore and the comment above.
func (s *Store) restoreOnDisk(ctx context.Context, r io.Reader, force bool) (RestoreInfo, error) {
	unlock, err := lockRestore(s.Path)
	if err != nil {
		return RestoreInfo{}, err
	}
	defer unlock()
	if s.db == nil {
		if err := s.openExisting(); err != nil {
			return RestoreInfo{}, err
		}
	}
	if s.db != nil {
		// The open database keeps its lock while the new one is built: no
		// other process can write to what is about to be replaced.
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		if !force {
			if err := s.refuseData(ctx); err != nil {
				return RestoreInfo{}, err
			}
		}
	}
	fresh, info, err := s.buildRestore(ctx, r)
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	if s.db != nil {
		s.agg.shutdown() // builds read the database; its versions go with it
		err := s.db.Close()
		s.db = nil
		if err != nil {
			os.RemoveAll(fresh)
			return RestoreInfo{}, fmt.Errorf("restore: close the database: %w", err)
		}
	}
	if err := switchIn(s.Path, fresh); err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: switch to the restored database: %w", err)
	}
	return info, s.open()
}

// lockRestore takes the restore lock of the database at path and deals
// with what an earlier restore left.
func lockRestore(path string) (unlock func(), err error) {
	parent := filepath.Dir(path)
	unlock, ok, err := lockDir(parent)
	switch {
	case err != nil:
		return nil, fmt.Errorf("restore: %w", err)
	case !ok:
		return nil, fmt.Errorf("restore %s: %w: another restore into %s is running", path, ErrLocked, parent)
	}
	if err := finishSwitch(path); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// openExisting opens the database at s.Path if there is one; a missing or
// empty directory is left as it is, and one that holds other files is
// refused (ErrNotDatabase).
func (s *Store) openExisting() error {
	entries, err := os.ReadDir(s.Path)
	switch {
	case errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0:
		return nil
	case err != nil:
		return fmt.Errorf("restore: %w", err)
	}
	return s.open()
}

// buildRestore loads and checks the backup in a new directory beside the
// database, and returns it synced to disk; on failure (ctx done among
// others) it deletes it.
func (s *Store) buildRestore(ctx context.Context, r io.Reader) (string, RestoreInfo, error) {
	dir, err := os.MkdirTemp(filepath.Dir(s.Path), restorePrefix(s.Path)+"new-")
	if err != nil {
		return "", RestoreInfo{}, err
	}
	mode := os.FileMode(0o755) // MkdirTemp's is 0700; keep the database's
	if st, err := os.Stat(s.Path); err == nil {
		mode = st.Mode().Perm()
	}
	var info RestoreInfo
	err = os.Chmod(dir, mode)
	if err == nil {
		info, err = loadInto(dir, s.options(dir), &spaceReader{ctx: ctx, r: r, dir: s.Path, since: spaceCheckBytes})
	}
	if err == nil {
		err = syncTree(dir)
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", RestoreInfo{}, err
	}
	return dir, info, nil
}

func loadInto(dir string, opts badger.Options, r io.Reader) (RestoreInfo, error) {
	db, err := badger.OpenManaged(opts)
	if err != nil {
		return RestoreInfo{}, err
	}
	info, err := loadChecked(db, r)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return info, err
}

// switchIn commits the switch (the switch file, written whole), then
// carries it out.
func switchIn(path, fresh string) error {
	sw := switchFile(path)
	if err := writeFileSync(sw+".tmp", []byte(filepath.Base(fresh))); err != nil {
		return err
	}
	if err := os.Rename(sw+".tmp", sw); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return err
	}
	return finishSwitch(path)
}

// finishSwitch completes a committed switch, then deletes what restores
// left: a new directory never switched in, an old database, a half-written
// switch file. The caller holds the parent directory's lock.
func finishSwitch(path string) error {
	parent := filepath.Dir(path)
	name, err := os.ReadFile(switchFile(path))
	switch {
	case err == nil:
		if err := completeSwitch(path, filepath.Join(parent, string(name))); err != nil {
			return fmt.Errorf("finish the interrupted restore of %s: %w", path, err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("finish the interrupted restore of %s: %w", path, err)
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil // nothing to clean up where nothing can be listed
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), restorePrefix(path)) {
			if err := os.RemoveAll(filepath.Join(parent, e.Name())); err != nil {
				return fmt.Errorf("remove what a restore left in %s: %w", parent, err)
			}
		}
	}
	return nil
}

// completeSwitch does what remains of the renames: old database aside, new
// one in place, switch file removed.
func completeSwitch(path, fresh string) error {
	parent := filepath.Dir(path)
	if _, err := os.Stat(fresh); err == nil {
		if _, err := os.Stat(path); err == nil {
			if err := os.RemoveAll(oldDir(path)); err != nil {
				return err
			}
			if err := os.Rename(path, oldDir(path)); err != nil {
				return err
			}
		}
		if err := os.Rename(fresh, path); err != nil {
			return err
		}
		if err := syncDir(parent); err != nil {
			return err
		}
	}
	if err := os.Remove(switchFile(path)); err != nil {
		return err
	}
	return syncDir(parent)
}

// recoverRestore finishes or cleans up what a killed restore left beside
// the database at path, unless another restore is running there.
func recoverRestore(path string) error {
	parent := filepath.Dir(path)
	entries, err := os.ReadDir(parent)
	if err != nil || !writable(parent) {
		return nil
	}
	found := false
	for _, e := range entries {
		found = found || strings.HasPrefix(e.Name(), restorePrefix(path))
	}
	if !found {
		return nil
	}
	unlock, ok, err := lockDir(parent)
	if err != nil || !ok {
		return nil // a restore is running: its files are its own
	}
	defer unlock()
	return finishSwitch(path)
}

func writeFileSync(name string, b []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncTree fsyncs every file of dir, then dir: Badger syncs its tables, and
// this makes no assumption about the rest.
func syncTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		f, err := os.OpenFile(filepath.Join(dir, e.Name()), os.O_RDONLY, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return err
		}
	}
	return syncDir(dir)
}

// spaceCheckBytes is how much of a backup a restore reads between two
// free-space checks.
const spaceCheckBytes = 4 << 20

// spaceReader fails a restore's read when the disk runs low (Badger's
// loader writes what it reads through mmap, where a full disk is a
// SIGBUS), or when ctx is done: the restore stops.
type spaceReader struct {
	ctx   context.Context
	r     io.Reader
	dir   string
	since int
}

func (sr *spaceReader) Read(p []byte) (int, error) {
	if err := sr.ctx.Err(); err != nil {
		return 0, err
	}
	if sr.since >= spaceCheckBytes && sr.dir != "" {
		sr.since = 0
		if err := CheckFreeSpace(sr.dir, 0); err != nil {
			return 0, err
		}
	}
	n, err := sr.r.Read(p)
	sr.since += n
	return n, err
}
