package graph

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// Free space. Badger writes its memtable logs and tables through
// memory-mapped files that it sizes first and fills later; when the disk is
// full, the page fault of such a write kills the process (SIGBUS) before any
// error can be returned. So writers check the free space before they write,
// against a floor that covers what Badger may fill or allocate next.

// memTableSize is the size of Badger's memtables (see Store.options).
const memTableSize = 16 << 20

// seedSpaceFactor: a seed needs about four times its YAML at its peak, the
// spool (every change, a copy of each file among them) and, for a seed
// that rebuilds the database, the new database beside it: 11.8 GB for the
// 2.8 GB of a million generated talks, 4.2 times. Five leaves a margin.
const seedSpaceFactor = 5

// spaceCheckKeys is how many keys a seed writes between two checks.
const spaceCheckKeys = 4096

// SpaceNeeded returns the free space a write of n bytes of input needs: five
// times n, plus what Badger may write before it could report an error:
// the rest of the current memtable log and the next one (each sized twice
// the memtable), a memtable flushed to a level-0 table, and a compaction
// that rewrites every level-0 table before deleting them. With the store's
// options that floor is 160 MiB.
func SpaceNeeded(n int64) uint64 {
	l0 := badger.DefaultOptions("").NumLevelZeroTables
	floor := uint64(2*2*memTableSize + memTableSize + l0*memTableSize)
	return floor + uint64(max(n, 0))*seedSpaceFactor
}

// CheckFreeSpace returns ErrNoSpace when the file system holding dir (or,
// when dir does not exist yet, its closest existing parent) has less free
// space than a write of n bytes of input needs (SpaceNeeded). It returns
// nil when the system does not tell free space.
func CheckFreeSpace(dir string, n int64) error {
	free, ok := FreeSpace(existingParent(dir))
	if !ok {
		return nil
	}
	if need := SpaceNeeded(n); free < need {
		return fmt.Errorf("%w for %s: %d MiB free, %d MiB needed to write safely; free some space (or use --db on another disk) and retry",
			ErrNoSpace, dir, free>>20, (need+1<<20-1)>>20)
	}
	return nil
}

// CheckSpace returns ErrNoSpace when a write of n bytes of input would not
// be safe (see CheckFreeSpace), and ErrReadOnly for a store opened
// read-only. Every write checks it first: Mutate, BeginDataset, and a seed
// every few thousand keys.
func (s *Store) CheckSpace(n int64) error {
	if s.readOnly {
		return fmt.Errorf("write to %s: %w: its directory is not writable", s.Path, ErrReadOnly)
	}
	if s.InMemory {
		return nil
	}
	return CheckFreeSpace(s.Path, n)
}

// checkSpace checks free space every spaceCheckKeys keys of a seed.
func (w *DatasetWriter) checkSpace() error {
	if w.keys < w.checkedAt+spaceCheckKeys {
		return nil
	}
	w.checkedAt = w.keys
	return w.s.CheckSpace(0)
}

// existingParent returns dir, or its closest parent that exists.
func existingParent(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

// openMargin is what opening a database for writes and closing it need
// beyond flushing its memtable logs: a new log's first pages, a manifest
// change.
const openMargin = 2 << 20

// roomToOpen reports whether the disk holding the database has room to
// open it for writes and close it again: Close flushes what the memtable
// logs hold into tables, written through mmap like the logs.
func (s *Store) roomToOpen() bool {
	free, ok := FreeSpace(existingParent(s.Path))
	return !ok || free >= memLogSpace(s.Path)+openMargin
}

// memLogSpace returns the disk space the memtable logs in dir take: they
// are sized in advance but written as they fill, so their allocated blocks
// tell how much a flush will write.
func memLogSpace(dir string) uint64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var n uint64
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".mem" {
			n += allocated(filepath.Join(dir, e.Name()))
		}
	}
	return n
}

// roomToRead reports whether a read-only open can read the memtable logs a
// crash left: reading their unwritten pages through mmap allocates them on
// a tmpfs, a SIGBUS when it is full.
func (s *Store) roomToRead() bool {
	free, ok := FreeSpace(s.Path)
	return !ok || free >= openMargin || memLogSpace(s.Path) == 0
}
