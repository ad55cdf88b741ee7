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

	db        *badger.DB
	reads     atomic.Int64
	published atomic.Uint64 // the version readers read (see version.go)
	writeMu   sync.Mutex    // one writer at a time
	rmu       sync.Mutex
	readers   map[uint64]int // versions being read, and by how many
	cache     *readCache
	maxDegree maxDegreeCache // see bounds.go
}

// NewStore returns a Store for the database at path with defaults set.
func NewStore(path string) *Store {
	return &Store{
		Path:      path,
		Analyzer:  PlainAnalyzer{},
		Languages: []string{"en", "fr"},
		Logger:    slog.New(slog.DiscardHandler),
		CacheSize: 100_000,
	}
}

// Open validates the configuration and opens the database, creating it when
// the directory is empty or missing. It returns ErrLocked when another
// process holds the database, ErrNotDatabase when the directory holds other
// files, and ErrVersion for a database of another format version.
func (s *Store) Open() error {
	if !s.InMemory {
		if s.Path == "" {
			return fmt.Errorf("open store: no database path given")
		}
		if err := checkDir(s.Path); err != nil {
			return err
		}
		if err := removeEmptyValueLogs(s.Path); err != nil {
			return err
		}
	}
	// Smaller memtables and caches than Badger's defaults (64 MiB x 5 and a
	// 256 MiB block cache), and two compactors rather than four: talkgraph
	// targets small machines, and seeding's peak memory was mostly Badger's
	// (table builders of concurrent compactions, in a heap profile).
	opts := badger.DefaultOptions(s.Path).
		WithMemTableSize(16 << 20).
		WithNumMemtables(3).
		WithBlockCacheSize(64 << 20).
		WithNumCompactors(2).
		// Writers are serialised by writeMu, so Badger's conflict detection
		// has nothing to find; and in managed mode it keeps a fingerprint of
		// every key written until the discard version moves, which during a
		// large seed grew the heap by about 100 bytes a key (1.4 GB at
		// 100 000 talks).
		WithDetectConflicts(false).
		WithInMemory(s.InMemory).
		WithSyncWrites(s.SyncWrites).
		WithLogger(badgerLogger{s.Logger}).
		WithLoggingLevel(badger.WARNING)
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
	db, err := badger.OpenManaged(opts)
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return fmt.Errorf("open %s: %w: another talkgraph process (a running server or seed?) is using it; stop it or use --db with another directory", s.Path, ErrLocked)
		}
		return fmt.Errorf("open %s: %w", s.Path, err)
	}
	s.db, s.readers, s.cache = db, map[uint64]int{}, newReadCache(s.CacheSize)
	if err := s.initVersions(); err != nil {
		db.Close()
		s.db = nil
		return err
	}
	return nil
}

// Close releases the database. It is safe to call on a store that failed to open.
func (s *Store) Close() error {
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// DB returns the underlying Badger database, for backup and benchmarks.
func (s *Store) DB() *badger.DB { return s.db }

// Reads returns how many store reads (gets and scans) have run since Open:
// the measure the N+1 benchmarks count.
func (s *Store) Reads() int64 { return s.reads.Load() }

// Size returns the on-disk size of the database in bytes.
func (s *Store) Size() int64 {
	lsm, vlog := s.db.Size()
	return lsm + vlog
}

// checkDir refuses a directory that holds files but no Badger manifest, so a
// mistyped --db never turns someone's folder into a database.
func checkDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	if len(entries) == 0 {
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

type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) {
	b.l.Error("badger: " + strings.TrimSpace(fmt.Sprintf(f, a...)))
}
func (b badgerLogger) Warningf(f string, a ...any) {
	b.l.Warn("badger: " + strings.TrimSpace(fmt.Sprintf(f, a...)))
}
func (b badgerLogger) Infof(string, ...any)  {}
func (b badgerLogger) Debugf(string, ...any) {}

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
