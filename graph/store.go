package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
)

// Store is a property graph kept in Badger.
type Store struct {
	// Path is the database directory; ignored when InMemory.
	Path string
	// InMemory keeps everything in memory (Badger's in-memory mode).
	InMemory bool
	// SyncWrites makes every commit wait for fsync (see README: durability).
	SyncWrites bool
	// Analyzer folds names and splits text into index terms. NewStore sets a
	// plain one (lower case, no accent folding, no stemming).
	Analyzer Analyzer
	// Languages are the description languages indexed for search.
	Languages []string
	// Logger receives Badger's warnings and errors.
	Logger *slog.Logger
	// CacheSize bounds the nodes and adjacency lists kept decoded between
	// transactions (NewStore sets 100 000; 0 turns the cache off).
	CacheSize int
	// BlockCacheSize is the bytes of Badger's cache of table blocks, read
	// and decompressed (NewStore sets DefaultBlockCacheSize, for a server's
	// reads; a seed, which reads little, needs much less).
	BlockCacheSize int64
	// MustExist makes Open fail with ErrNoDatabase rather than create a
	// database: for commands that only read.
	MustExist bool
	// ReadOnlyIfNeeded opens the database read-only when its directory is
	// not writable (a read-only mount) or its disk too full to write safely,
	// rather than failing: for commands that only read. Writes then fail
	// with ErrReadOnly.
	ReadOnlyIfNeeded bool
	// BulkLoad says that no other reader or writer uses the store while a
	// seed runs (a command, not a server): a seed large beside the database
	// may then be written into a new database that takes the old one's
	// place (see seedrebuild.go), much faster than in place.
	BulkLoad bool
	// RebuildMin is the smallest seed, in bytes of its spool, that BulkLoad
	// writes into a new database, when the database's files take at most a
	// third of it too; 0 means DefaultRebuildMin, a negative value every
	// seed (for tests of that path).
	RebuildMin int64

	db        *badger.DB
	id        atomic.Pointer[string] // see ID
	reads     atomic.Int64
	published atomic.Uint64 // the version readers read (see version.go)
	writeMu   sync.Mutex    // one writer at a time
	rmu       sync.Mutex
	readers   map[uint64]int // versions being read, and by how many
	cache     *readCache
	readOnly  bool           // opened read-only (see ReadOnlyIfNeeded)
	agg       aggCache       // the talk index and relation counts (talkindex.go)
	maxDegree maxDegreeCache // see bounds.go
	rebuilds  int            // seeds written into a new database (tests read it)
}

// NewStore returns a Store for the database at path with defaults set.
func NewStore(path string) *Store {
	return &Store{
		Path:      path,
		Analyzer:  PlainAnalyzer{},
		Languages: []string{"en", "fr"},
		Logger:    slog.New(slog.DiscardHandler),
		CacheSize: 100_000,

		BlockCacheSize: DefaultBlockCacheSize,
	}
}

// DefaultBlockCacheSize is a store's block cache unless set otherwise.
const DefaultBlockCacheSize = 64 << 20

// Open validates the configuration and opens the database, creating it when
// the directory is empty or missing (unless MustExist). Before that it
// finishes or undoes what a killed restore left (see restore.go). It returns
// ErrLocked when another process holds the database, ErrNoDatabase when
// MustExist is set and there is none, ErrNotDatabase when the directory holds
// other files, and ErrVersion for a database of another format version.
func (s *Store) Open() error {
	if !s.InMemory {
		if s.Path == "" {
			return fmt.Errorf("open store: no database path given")
		}
		if err := recoverRestore(s.Path); err != nil {
			return err
		}
	}
	return s.open()
}

// open opens the database at s.Path, once restore leftovers are dealt with.
func (s *Store) open() error {
	readOnly := false
	if !s.InMemory {
		if err := s.checkDir(); err != nil {
			return err
		}
		var err error
		if readOnly, err = s.openMode(); err != nil {
			return err
		}
		if !readOnly {
			if err := removeEmptyValueLogs(s.Path); err != nil {
				return err
			}
		}
	}
	db, err := badger.OpenManaged(s.options(s.Path).WithReadOnly(readOnly))
	if err != nil {
		return s.openError(err, readOnly)
	}
	s.db, s.readers, s.cache, s.readOnly = db, map[uint64]int{}, newReadCache(s.CacheSize), readOnly
	if err := s.initVersions(); err != nil {
		db.Close()
		s.db = nil
		return err
	}
	if err := s.checkAnalyzer(); err != nil {
		db.Close()
		s.db = nil
		return err
	}
	if !s.InMemory && !readOnly {
		if err := removeSpools(s.Path); err != nil {
			db.Close()
			s.db = nil
			return err
		}
	}
	if err := s.initID(); err != nil {
		db.Close()
		s.db = nil
		return err
	}
	return nil
}

// openMode decides whether to open read-only. Opening for writes creates a
// memtable log and closing flushes the logs, both through mmap: on a full
// disk, a SIGBUS rather than an error. So a reader opens read-only when the
// directory is not writable or the disk too full, and a writer is refused.
func (s *Store) openMode() (readOnly bool, err error) {
	w := writable(s.Path)
	room := s.roomToOpen()
	switch {
	case s.ReadOnlyIfNeeded && w && !room && !s.roomToRead():
		return false, fmt.Errorf("open %s: %w: the database was not closed cleanly (a crash or kill) and its disk is full; free some space and retry", s.Path, ErrNoSpace)
	case s.ReadOnlyIfNeeded:
		return !w || !room, nil
	case !w:
		return false, fmt.Errorf("open %s: %w: the directory is not writable (a read-only mount?); read commands work, write to a database elsewhere", s.Path, ErrReadOnly)
	case !room:
		return false, fmt.Errorf("open %s for writing: %w: free some space and retry", s.Path, ErrNoSpace)
	}
	return false, nil
}

// openError explains Badger's refusals to open.
func (s *Store) openError(err error, readOnly bool) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Cannot acquire directory lock"):
		return fmt.Errorf("open %s: %w: another talkgraph process (a running server or seed?) is using it; stop it or use --db with another directory", s.Path, ErrLocked)
	case readOnly && strings.Contains(msg, "truncate required"):
		sentinel := ErrNoSpace
		if !writable(s.Path) {
			sentinel = ErrReadOnly
		}
		return fmt.Errorf("open %s: %w: the database was not closed cleanly (a crash or kill), and recovering it needs to write; free some space (or make it writable) and retry", s.Path, sentinel)
	}
	return fmt.Errorf("open %s: %w", s.Path, err)
}

// options returns the Badger options of a database in dir.
func (s *Store) options(dir string) badger.Options {
	// Smaller memtables and caches than Badger's defaults (64 MiB x 5 and a
	// 256 MiB block cache; see BlockCacheSize), and two compactors rather than four: talkgraph
	// targets small machines, and seeding's peak memory was mostly Badger's
	// (table builders of concurrent compactions, in a heap profile).
	opts := badger.DefaultOptions(dir).
		WithMemTableSize(memTableSize).
		WithNumMemtables(3).
		WithBlockCacheSize(max(s.BlockCacheSize, 1<<20)).
		WithNumCompactors(2).
		// Writers are serialised by writeMu, so Badger's conflict detection
		// has nothing to find; and in managed mode it keeps a fingerprint of
		// every key written until the discard version moves, which during a
		// large seed grew the heap by about 100 bytes a key (1.4 GB at
		// 100 000 talks).
		WithDetectConflicts(false).
		// Values stay in the LSM tree (all are far under the 1 MiB value
		// threshold), so value logs hold almost nothing: 16 MiB files (32
		// MiB mapped) rather than 1 GiB ones that ls showed as 2 GiB.
		WithValueLogFileSize(16 << 20).
		WithInMemory(s.InMemory).
		WithSyncWrites(s.SyncWrites).
		// Not WithLoggingLevel: it replaces the logger with Badger's own,
		// which printed its warnings on the user's terminal.
		WithLogger(badgerLogger{s.Logger})
	// Small tables of one size at every level. A compaction runs eight or
	// more table builders at once, each holding a table's blocks plain and
	// compressed in buffers that a pool keeps for reuse; by default tables
	// are 2 MiB and double per level. At 100 000 talks, doubling held 600 MB
	// of heap; 2 MiB tables at every level, a 494 MiB peak of anonymous
	// memory; 512 KiB tables, 403 MiB and a faster seed (4:27 against 5:29).
	opts.TableSizeMultiplier = 1
	opts.BaseTableSize = 512 << 10
	if s.InMemory {
		opts = opts.WithDir("").WithValueDir("")
	}
	return opts
}

// Close releases the database. It is safe to call on a store that failed to
// open. On a disk too full to flush the memtables it leaves them to the next
// Open (as a kill would) and returns ErrNoSpace.
func (s *Store) Close() error {
	if s.db == nil {
		return nil
	}
	s.agg.shutdown() // a talk index build reads the database
	db := s.db
	s.db = nil
	if !s.InMemory && !s.readOnly && !s.roomToOpen() {
		// Closing would flush the memtables into tables through mmap: on
		// a full disk, a SIGBUS. Their logs hold every write, and the next
		// Open replays them, as after a kill.
		if s.Logger != nil {
			s.Logger.Warn("disk nearly full: the database is left for the next open to recover rather than flushed", "db", s.Path)
		}
		return fmt.Errorf("close %s: %w: the database was left for the next open to recover", s.Path, ErrNoSpace)
	}
	return db.Close()
}

// Reads returns how many store reads (gets and scans) have run since Open:
// the measure the N+1 benchmarks count.
func (s *Store) Reads() int64 { return s.reads.Load() }

// Size returns the on-disk size of the database in bytes.
func (s *Store) Size() int64 {
	lsm, vlog := s.db.Size()
	return lsm + vlog
}

// checkDir refuses a directory that holds files but no Badger manifest, so a
// mistyped --db never turns someone's folder into a database; with
// MustExist it refuses a directory without a database, and creates nothing.
func (s *Store) checkDir() error {
	dir := s.Path
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist) && s.MustExist:
		return fmt.Errorf("open %s: %w there: check --db, or create one with talkgraph seed --db %s", dir, ErrNoDatabase, dir)
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("open %s: %w", dir, err)
	case len(entries) == 0 && s.MustExist:
		return fmt.Errorf("open %s: %w there (the directory is empty): check --db, or create one with talkgraph seed --db %s", dir, ErrNoDatabase, dir)
	case len(entries) == 0:
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil {
		return fmt.Errorf("open %s: %w: the directory holds other files; choose an empty directory or an existing database", dir, ErrNotDatabase)
	}
	return nil
}

// View runs fn in one read-only transaction: every read fn makes sees the
// same snapshot.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	tx := s.Begin(ctx)
	defer tx.Discard()
	return fn(tx)
}

// Begin opens a read-only transaction; the caller must call Discard. The
// context bounds long scans and traversals: they stop with ctx.Err().
func (s *Store) Begin(ctx context.Context) *Tx {
	ts := s.acquire()
	return &Tx{ctx: ctx, s: s, ts: ts, txn: s.db.NewTransactionAt(ts, false), nodes: map[string]*Node{}}
}

// badgerLogger passes Badger's messages to the store's Logger: errors as
// errors; warnings as warnings, but its advice on cache sizes, a tuning
// matter for talkgraph rather than its users, as debug; information as
// debug.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) log(level slog.Level, f string, a []any) {
	if b.l == nil || !b.l.Enabled(context.Background(), level) {
		return
	}
	b.l.Log(context.Background(), level, "badger: "+strings.TrimSpace(fmt.Sprintf(f, a...)))
}

func (b badgerLogger) Errorf(f string, a ...any) { b.log(slog.LevelError, f, a) }

func (b badgerLogger) Warningf(f string, a ...any) {
	level := slog.LevelWarn
	if strings.Contains(f, "might be too small") || strings.HasPrefix(f, "Cache life expectancy") {
		level = slog.LevelDebug
	}
	b.log(level, f, a)
}

func (b badgerLogger) Infof(f string, a ...any)  { b.log(slog.LevelDebug, f, a) }
func (b badgerLogger) Debugf(f string, a ...any) { b.log(slog.LevelDebug-4, f, a) }

// removeEmptyValueLogs deletes value logs and memtable logs of length zero.
// A process killed between creating such a log and sizing it leaves one
// behind, and Badger (v4.9.6) then refuses to open the database ("Create a
// new file"); both were seen in the kill -9 tests. An empty file holds no
// data, so deleting it loses nothing.
func removeEmptyValueLogs(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // checkDir has created or vetted dir; Badger reports the rest
	}
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); e.IsDir() || ext != ".vlog" && ext != ".mem" {
			continue
		}
		if info, err := e.Info(); err == nil && info.Size() == 0 {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("open %s: remove an empty log left by a crash: %w", dir, err)
			}
		}
	}
	return nil
}
