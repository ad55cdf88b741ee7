package lexicon

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/talkgraph/talkgraph/graph"
)

// Lexicon keeps the dictionary of a store's latest version. It is safe for
// concurrent use.
type Lexicon struct {
	store  *graph.Store
	log    *slog.Logger
	ctx    context.Context // of background builds, cancelled by Close
	cancel context.CancelFunc

	mu       sync.Mutex
	cur      *Dict
	building bool
	built    chan struct{} // closed when the build under way ends
}

// New returns a Lexicon over store; log receives the errors of background
// builds (nil discards them).
func New(store *graph.Store, log *slog.Logger) *Lexicon {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Lexicon{store: store, log: log, ctx: ctx, cancel: cancel}
}

// Close stops a background build and waits for it to end, so that the
// store can be closed after it. The Lexicon builds nothing after.
func (l *Lexicon) Close() error {
	l.cancel()
	l.mu.Lock()
	wait := l.built
	building := l.building
	l.mu.Unlock()
	if building {
		<-wait
	}
	return nil
}

// For returns the dictionary for a request reading tx: the latest built.
// The first call builds it, through tx, unless Warm has started building
// it (For then returns nil until it is built); later ones, when the store
// has changed since, start a build of the new version in the background
// and return the previous dictionary meanwhile (a word it lacks is then
// not corrected, a word it has that no text holds any more finds
// nothing). It returns nil when there is no dictionary: the search then
// takes words as typed.
func (l *Lexicon) For(tx *graph.Tx) graph.Dictionary {
	l.mu.Lock()
	cur := l.cur
	switch {
	case cur == nil && l.building:
		// The first dictionary is being built (Warm): the search takes
		// words as typed meanwhile rather than wait for it.
		l.mu.Unlock()
		return nil
	case cur == nil:
		l.mu.Unlock()
		d, err := l.build(tx)
		if err != nil {
			l.log.Error("lexicon: build", "err", err)
			return nil
		}
		return d
	case cur.version < tx.Version() && !l.building && l.ctx.Err() == nil:
		l.startBuild()
	}
	l.mu.Unlock()
	return cur
}

// Warm starts building the dictionary of the store's latest version in
// the background, unless a build is under way, so that the first search
// does not wait for it.
func (l *Lexicon) Warm() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.building && l.ctx.Err() == nil {
		l.startBuild()
	}
}

// Refresh builds the dictionary of the store's latest version now, unless
// one is already built for it. It returns the store's read errors and
// ctx's error.
func (l *Lexicon) Refresh(ctx context.Context) error {
	tx := l.store.Begin(ctx)
	defer tx.Discard()
	_, err := l.build(tx)
	return err
}

// build builds the dictionary of tx's version and keeps it if it is newer
// than the one kept; concurrent builds of the same version wait for one.
func (l *Lexicon) build(tx *graph.Tx) (*Dict, error) {
	for {
		l.mu.Lock()
		if l.cur != nil && l.cur.version >= tx.Version() {
			d := l.cur
			l.mu.Unlock()
			return d, nil
		}
		if !l.building {
			break
		}
		wait := l.built
		l.mu.Unlock()
		<-wait
	}
	l.building, l.built = true, make(chan struct{})
	l.mu.Unlock()
	d, err := Build(tx, l.store)
	l.finish(d)
	return d, err
}

// startBuild builds the latest version in the background; the caller
// holds l.mu and has checked that no build is under way.
func (l *Lexicon) startBuild() {
	l.building, l.built = true, make(chan struct{})
	go func() {
		tx := l.store.Begin(l.ctx)
		defer tx.Discard()
		start := time.Now()
		d, err := Build(tx, l.store)
		switch {
		case err != nil && l.ctx.Err() == nil:
			l.log.Error("lexicon: build", "err", err)
		case err == nil:
			// Until now searches took words as typed: on a large database
			// an operator wants to know when that ends.
			l.log.Info("search dictionary ready", "version", d.version, "nodes", len(d.nodes), "took", time.Since(start).Round(time.Millisecond))
		}
		l.finish(d)
	}()
}

// finish keeps d (nil: a failed build) and wakes the waiters.
func (l *Lexicon) finish(d *Dict) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d != nil && (l.cur == nil || d.version > l.cur.version) {
		l.cur = d
	}
	l.building = false
	close(l.built)
}
