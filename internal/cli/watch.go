package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
)

// watchDelay is how long the watcher waits after the last change before it
// seeds: one save often makes several events, a git checkout many.
const watchDelay = 300 * time.Millisecond

// watchPoll is how often the watcher looks for a watched directory that was
// deleted or moved away.
const watchPoll = time.Second

// seedWatcher keeps data sets in the store in step with their files: it
// seeds the data sets at its paths once, then again whenever their .yaml
// files change, through the same loader as the seed command (a seed is
// atomic, invalid files leave the data as it was, and unchanged sets are
// skipped by their hash).
type seedWatcher struct {
	// Store receives the seeds.
	Store *graph.Store
	// Log gets one line per seed and one warning per problem found.
	Log *slog.Logger
	// Paths are data set directories, or directories of them, as for the
	// seed command.
	Paths []string
	// DB is checked for free space before each seed; "" skips the check.
	DB string
	// Delay is the debounce delay (default watchDelay).
	Delay time.Duration
	// OnSeed, when set, is called once per data set each seed writes (not
	// for sets skipped as unchanged): serve counts them in its metrics.
	OnSeed func()
	// Poll is how often a root that was deleted is looked for (default
	// watchPoll): once gone, it has no watch that could tell of its return.
	Poll time.Duration

	fsw    *fsnotify.Watcher
	roots  []string        // Paths, cleaned
	dirty  map[string]bool // directories changed since the last seed
	failed map[string]bool // data set directories whose last seed failed
	gone   map[string]bool // roots deleted or moved away, looked for every Poll
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// watchedSet is a data set with the directory its events come from.
type watchedSet struct {
	set *seed.Set
	dir string
}

// startServeWatch starts watching the --watch paths of serve, if any, and
// returns the function that stops it; onSeed is called once per data set
// seeded.
func startServeWatch(ctx context.Context, opts *serveOptions, store *graph.Store, log *slog.Logger, onSeed func()) (func(), error) {
	if len(opts.Watch) == 0 {
		return func() {}, nil
	}
	w := &seedWatcher{Store: store, Log: log, Paths: opts.Watch, DB: opts.DBPath, OnSeed: onSeed}
	if opts.InMemory {
		w.DB = ""
	}
	if err := w.Start(ctx); err != nil {
		return nil, err
	}
	return w.Stop, nil
}

// Start watches the directories of Paths, seeds their data sets once, and
// keeps seeding them as they change until Stop or until ctx is done. It
// fails when a path is not a directory or cannot be watched; problems in
// the files are logged, not returned.
func (w *seedWatcher) Start(ctx context.Context) error {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	w.fsw, w.dirty, w.failed, w.gone, w.done = fsw, map[string]bool{}, map[string]bool{}, map[string]bool{}, make(chan struct{})
	for _, p := range w.Paths {
		if err := w.addRoot(filepath.Clean(p)); err != nil {
			fsw.Close()
			return err
		}
	}
	if w.Delay <= 0 {
		w.Delay = watchDelay
	}
	if w.Poll <= 0 {
		w.Poll = watchPoll
	}
	ctx, w.cancel = context.WithCancel(ctx)
	w.Log.Info("watching data sets for changes", "paths", w.roots)
	w.reseed(ctx) // every root and sub-directory starts dirty
	go w.loop(ctx)
	return nil
}

// Stop stops watching and waits for a seed in progress to end (it is cut
// short: being atomic, it then leaves the data as it was).
func (w *seedWatcher) Stop() {
	w.once.Do(func() {
		w.cancel()
		<-w.done
		w.fsw.Close()
	})
}

// addRoot watches root and its sub-directories: a data set is root itself
// or one of them (seed.Discover). Directories are watched rather than
// files, since editors often save by writing a new file and renaming it.
func (w *seedWatcher) addRoot(root string) error {
	if err := w.watchTree(root); err != nil {
		return err
	}
	w.roots = append(w.roots, root)
	return nil
}

// watchTree watches root and its sub-directories and marks them changed.
func (w *seedWatcher) watchTree(root string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("watch %s: %w: give a data set directory or a directory of them", root, unwrapPathError(err))
	}
	if err := w.addDir(root); err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := w.addDir(filepath.Join(root, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *seedWatcher) addDir(dir string) error {
	if err := w.fsw.Add(dir); err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	w.dirty[dir] = true
	return nil
}

// loop waits for changes and seeds Delay after the last one.
func (w *seedWatcher) loop(ctx context.Context) {
	defer close(w.done)
	timer := time.NewTimer(w.Delay)
	timer.Stop()
	poll := time.NewTicker(w.Poll)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
			if w.findGone() {
				timer.Reset(w.Delay)
			}
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if w.note(ev) {
				timer.Reset(w.Delay)
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.Log.Warn("watch: events may have been lost; checking every data set again", "err", err)
			w.markAll()
			timer.Reset(w.Delay)
		case <-timer.C:
			w.reseed(ctx)
		}
	}
}

// note records a change that may matter and reports whether it does: a
// .yaml or .yml file created, written, removed or renamed, or a directory
// created in a root (a new data set, whose files may already be there).
func (w *seedWatcher) note(ev fsnotify.Event) bool {
	if w.isRoot(ev.Name) && ev.Has(fsnotify.Remove|fsnotify.Rename) {
		w.lose(ev.Name)
		return false
	}
	dir := filepath.Dir(ev.Name)
	if ev.Has(fsnotify.Create) && w.isRoot(dir) {
		if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
			if err := w.addDir(ev.Name); err != nil {
				w.Log.Warn("watch: cannot watch a new directory", "err", err)
			}
			return true
		}
	}
	name := filepath.Base(ev.Name)
	seedFile := strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
	if !seedFile || !ev.Has(fsnotify.Create|fsnotify.Write|fsnotify.Remove|fsnotify.Rename) {
		return false
	}
	w.dirty[dir] = true
	return true
}

// lose stops watching a root that was deleted or moved away (and its
// sub-directories) until it comes back. Its data sets keep their data: a
// directory put back in place, as a git checkout or a sync tool does, is
// more likely than one deleted for good.
func (w *seedWatcher) lose(root string) {
	if w.gone[root] {
		return
	}
	w.gone[root] = true
	for _, d := range w.fsw.WatchList() {
		if d == root || filepath.Dir(d) == root {
			_ = w.fsw.Remove(d) // already gone with the directory, most often
			delete(w.dirty, d)
		}
	}
	w.Log.Warn("watch: a watched directory is gone; its data sets keep their data, and it is watched again when it comes back", "path", root)
}

// findGone watches again the roots that have come back, and reports
// whether any did.
func (w *seedWatcher) findGone() bool {
	back := false
	for root := range w.gone {
		if st, err := os.Stat(root); err != nil || !st.IsDir() {
			continue
		}
		if err := w.watchTree(root); err != nil {
			w.Log.Warn("watch: a watched directory is back but cannot be watched", "path", root, "err", err)
			continue
		}
		delete(w.gone, root)
		w.Log.Info("watch: a watched directory is back; watching it again", "path", root)
		back = true
	}
	return back
}

func (w *seedWatcher) isRoot(dir string) bool {
	for _, r := range w.roots {
		if r == dir {
			return true
		}
	}
	return false
}

// markAll marks every watched directory changed.
func (w *seedWatcher) markAll() {
	for _, d := range w.fsw.WatchList() {
		w.dirty[d] = true
	}
}

// reseed seeds the data sets that changed, and those that failed last time
// (they may have failed for want of ids a changed set brings).
func (w *seedWatcher) reseed(ctx context.Context) {
	sets := w.pending()
	clear(w.dirty)
	if len(sets) > 0 {
		w.apply(ctx, sets)
	}
}

// pending discovers the data sets at the roots, as the seed command does,
// and returns those to seed.
func (w *seedWatcher) pending() []watchedSet {
	var out []watchedSet
	for _, root := range w.roots {
		if w.gone[root] {
			continue
		}
		sets, err := setsAt([]string{root}, false)
		if err != nil {
			if w.touched(root) {
				w.Log.Warn("watch: no data set to seed", "path", root, "err", err)
			}
			continue
		}
		for _, s := range sets {
			dir := filepath.Join(root, filepath.FromSlash(s.Dir))
			if w.dirty[dir] || w.failed[dir] {
				out = append(out, watchedSet{s, dir})
			}
		}
	}
	return out
}

// touched reports whether root or one of its sub-directories changed.
func (w *seedWatcher) touched(root string) bool {
	for d := range w.dirty {
		if d == root || filepath.Dir(d) == root {
			return true
		}
	}
	return false
}

// apply seeds sets together, as a run of the seed command would. When
// that fails on problems, it seeds them one at a time, so that a broken data
// set does not hold back the others, and again while some succeed (a set may
// need ids another one brings). Problems are logged once, for the sets that
// still fail.
func (w *seedWatcher) apply(ctx context.Context, sets []watchedSet) {
	err := w.seed(ctx, sets)
	var ps seed.Problems
	if err == nil || len(sets) == 1 || !errors.As(err, &ps) {
		w.settle(ctx, sets, err)
		return
	}
	for pending := sets; len(pending) > 0; {
		var next []watchedSet
		errs := map[string]error{}
		for _, s := range pending {
			if err := w.seed(ctx, []watchedSet{s}); err != nil {
				next, errs[s.dir] = append(next, s), err
				continue
			}
			w.settle(ctx, []watchedSet{s}, nil)
		}
		if len(next) == len(pending) {
			for _, s := range next {
				w.settle(ctx, []watchedSet{s}, errs[s.dir])
			}
			return
		}
		pending = next
	}
}

// seed runs the loader on sets and logs what it wrote.
func (w *seedWatcher) seed(ctx context.Context, sets []watchedSet) error {
	ss := make([]*seed.Set, len(sets))
	for i, s := range sets {
		ss[i] = s.set
	}
	if w.DB != "" {
		if err := checkSpace(w.DB, ss); err != nil {
			return err
		}
	}
	reports, err := seed.NewLoader(w.Store).Seed(ctx, ss)
	for _, r := range reports {
		if !r.Unchanged {
			w.Log.Info("seeded data set", "dataset", r.Set, "nodes", r.Nodes, "edges", r.Edges)
			if w.OnSeed != nil {
				w.OnSeed()
			}
		}
	}
	return err
}

// settle records how the seed of sets ended and logs a failure: one warning
// naming the data sets, then one per problem with its file:line:column.
func (w *seedWatcher) settle(ctx context.Context, sets []watchedSet, err error) {
	names := make([]string, len(sets))
	for i, s := range sets {
		w.failed[s.dir] = err != nil
		names[i] = s.set.Name
	}
	var ps seed.Problems
	switch {
	case err == nil || ctx.Err() != nil:
	case errors.As(err, &ps):
		w.Log.Warn("data set not seeded: its files have problems; it keeps the data it had", "datasets", names, "problems", len(ps))
		for _, p := range ps {
			w.Log.Warn("seed problem", "at", p.Pos.String(), "problem", p.Msg)
		}
	default:
		w.Log.Error("data set not seeded; it keeps the data it had", "datasets", names, "err", err)
	}
}
