package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"github.com/talkgraph/talkgraph/seeds"
)

// globals are the flags every command shares.
type globals struct {
	IO       *IO
	DB       string
	InMemory bool
	// NoVocabulary leaves the vocabulary out of the embedded data.
	NoVocabulary bool
}

func (g *globals) bind(root *cobra.Command) {
	root.PersistentFlags().StringVar(&g.DB, "db", DefaultDBPath(), "database directory (env TALKGRAPH_DB)")
	root.PersistentFlags().BoolVar(&g.InMemory, "in-memory", false, "use a database in memory, seeded from the embedded data set (writes nothing to disk)")
	root.PersistentFlags().BoolVar(&g.NoVocabulary, "no-vocabulary", os.Getenv("TALKGRAPH_NO_VOCABULARY") != "", "with the embedded data, seed dotScale 2017 alone, without the vocabulary (env TALKGRAPH_NO_VOCABULARY=1)")
}

// DefaultDBPath is $TALKGRAPH_DB, else talkgraph/db under the user's data
// directory: $XDG_DATA_HOME, else ~/.local/share.
func DefaultDBPath() string {
	if p := os.Getenv("TALKGRAPH_DB"); p != "" {
		return p
	}
	if p := os.Getenv("XDG_DATA_HOME"); p != "" {
		return filepath.Join(p, "talkgraph", "db")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "talkgraph", "db")
	}
	return filepath.Join(".talkgraph", "db")
}

// analyzer is shared by every store a process opens.
var analyzer = textindex.MustNew()

// newStore returns a store configured as the flags say, not yet open. Its
// log (Badger's warnings and errors) goes to standard error.
func (g *globals) newStore() *graph.Store {
	s := graph.NewStore(g.DB)
	s.InMemory = g.InMemory
	s.Analyzer = analyzer
	s.Logger = commandLogger(g.IO.Err)
	return s
}

// commandLogger is the log of a command other than serve: warnings and
// errors only, without the time, which a person at a terminal has.
func commandLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

// openStore opens the store; an in-memory one is seeded from the embedded
// data set first, since it starts empty.
func (g *globals) openStore(ctx context.Context) (*graph.Store, error) {
	return g.open(ctx, g.newStore())
}

// seedStore opens the store for a seed: this process alone uses it, and
// reads little (a small block cache), so a large seed may be written into
// a new database that takes its place (see graph/seedrebuild.go).
func (g *globals) seedStore(ctx context.Context) (*graph.Store, error) {
	s := g.newStore()
	s.BlockCacheSize = seedBlockCache
	s.BulkLoad = true
	if v, err := strconv.ParseInt(os.Getenv(rebuildMinEnv), 10, 64); err == nil {
		s.RebuildMin = v
	}
	return g.open(ctx, s)
}

// seedBlockCache is the block cache of a seed's store: it reads the
// records of nodes it replaces, one each, and the posting blocks it
// changes, once each.
const seedBlockCache = 16 << 20

// rebuildMinEnv, when set, is the smallest seed in bytes written into a new
// database (-1: every one): the kill tests take that path with small data
// sets.
const rebuildMinEnv = "TALKGRAPH_REBUILD_MIN"

func (g *globals) open(ctx context.Context, s *graph.Store) (*graph.Store, error) {
	if err := s.Open(); err != nil {
		if g.InMemory {
			return nil, err
		}
		return nil, lockedByServer(ctx, g.DB, err, g.IO.Err)
	}
	if g.InMemory {
		if _, err := seed.NewLoader(s).Seed(ctx, embeddedSets(!g.NoVocabulary)); err != nil {
			s.Close()
			return nil, fmt.Errorf("seed the in-memory database: %w", err)
		}
	}
	return s, nil
}

// openSnapshot opens the store, or, when a running server holds it, a copy
// in memory of the server's data as of now: for commands that read the
// whole graph once.
func (g *globals) openSnapshot(ctx context.Context) (*graph.Store, error) {
	s, err := g.openReadStore(ctx)
	if rec := served(err); rec != nil {
		return newRemote(rec).snapshot(ctx)
	}
	return s, err
}

// linkDatabase returns a copy in memory of the database talkgraph link
// links against (of a running server's, when one holds it), for link to
// seed the data sets into; nil when there is none (no directory, or
// --in-memory).
func (g *globals) linkDatabase(ctx context.Context) (*graph.Store, error) {
	if g.InMemory {
		return nil, nil
	}
	if _, err := os.Stat(g.DB); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	s, err := g.openReadStore(ctx)
	if rec := served(err); rec != nil {
		return newRemote(rec).snapshot(ctx)
	}
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return copyToMemory(ctx, s)
}

// copyToMemory returns a store in memory holding what s holds, through a
// backup streamed into a restore.
func copyToMemory(ctx context.Context, s *graph.Store) (*graph.Store, error) {
	mem := graph.NewStore("")
	mem.InMemory, mem.Analyzer = true, analyzer
	if err := mem.Open(); err != nil {
		return nil, err
	}
	r, w := io.Pipe()
	go func() { w.CloseWithError(s.Backup(ctx, w)) }()
	_, err := mem.Restore(ctx, r, true)
	r.CloseWithError(err)
	if err != nil {
		mem.Close()
		return nil, fmt.Errorf("copy the database into memory: %w", err)
	}
	return mem, nil
}

// openReadStore opens the store for a command that only reads: a missing
// database is an error (nothing is created), and a database on a read-only
// mount or a full disk is opened read-only.
func (g *globals) openReadStore(ctx context.Context) (*graph.Store, error) {
	if g.InMemory {
		return g.openStore(ctx)
	}
	s := g.newStore()
	s.MustExist, s.ReadOnlyIfNeeded = true, true
	if err := s.Open(); err != nil {
		return nil, lockedByServer(ctx, g.DB, err, g.IO.Err)
	}
	return s, nil
}

// embeddedSets returns the data sets built into the binary: dotScale, and
// the vocabulary unless left out.
func embeddedSets(vocabulary bool) []*seed.Set {
	sets, err := seed.Discover(seeds.FS, ".", "seeds")
	if err != nil {
		panic(fmt.Sprintf("embedded seeds: %v", err)) // a build without data
	}
	if !vocabulary {
		sets = slices.DeleteFunc(sets, func(s *seed.Set) bool { return slices.Contains(seeds.Vocabulary, s.Name) })
	}
	return sets
}

// setsAt discovers the data sets at the given paths, or the embedded ones
// (with the vocabulary when asked) when there are none.
func setsAt(paths []string, vocabulary bool) ([]*seed.Set, error) {
	if len(paths) == 0 {
		return embeddedSets(vocabulary), nil
	}
	var all []*seed.Set
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("seed path %s: %w", p, unwrapPathError(err))
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("seed path %s is a file: give the data set's directory (%s)", p, filepath.Dir(p))
		}
		display := filepath.Clean(p)
		if base := filepath.Base(display); base == "." || base == ".." {
			// The data set is named after its directory: "." has no name.
			if abs, err := filepath.Abs(display); err == nil {
				display = abs
			}
		}
		sets, err := seed.Discover(os.DirFS(p), ".", filepath.ToSlash(display))
		if err != nil {
			return nil, err
		}
		all = append(all, sets...)
	}
	return all, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
