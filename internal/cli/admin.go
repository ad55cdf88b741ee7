package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/server"
)

// storeAdmin answers, in a running server, what `stats`, `backup`, `export`,
// `seed` and `drop` would do on the database themselves if the server did
// not hold it (see server.Admin).
type storeAdmin struct {
	store *graph.Store
	stats *storeStats // counts the seeds applied, for /metrics
	// db is the database directory, for the free-space check; empty in memory.
	db string
	// active counts the work holding the store (see serveRun): each call
	// adds itself, so the store is closed after the last one ends.
	active *sync.WaitGroup
	// writes serialises seeds and drops from the command line: a drop
	// checks who refers to a data set before it takes the store's writer
	// lock, and a seed landing in between could refer to what it drops.
	writes sync.Mutex
	// stop ends when the server is told to stop (SIGINT, SIGTERM): a seed
	// under way stops then, rather than hold the shutdown until its
	// deadline; nil for none.
	stop context.Context
}

// stopping returns ctx, also cancelled when the server is told to stop.
func (a *storeAdmin) stopping(ctx context.Context) (context.Context, func()) {
	if a.stop == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	unhook := context.AfterFunc(a.stop, func() { cancel(errServerStopping) })
	return ctx, func() { unhook(); cancel(nil) }
}

// errServerStopping is why a seed under way stops as the server stops.
var errServerStopping = errors.New("the server is stopping")

// hold counts one call as work holding the store; the caller defers the
// function it returns.
func (a *storeAdmin) hold() func() {
	if a.active == nil {
		return func() {}
	}
	a.active.Add(1)
	return a.active.Done
}

var _ server.Admin = (*storeAdmin)(nil)

func (a *storeAdmin) Stats(ctx context.Context, w io.Writer) error {
	defer a.hold()()
	st, err := a.store.Stats(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(w).Encode(st)
}

func (a *storeAdmin) Backup(ctx context.Context, w io.Writer) error {
	defer a.hold()()
	return a.store.Backup(ctx, w)
}

// Seed validates and seeds the data sets of a seed archive, as `talkgraph
// seed` does: each data set lands whole or not at all.
func (a *storeAdmin) Seed(ctx context.Context, r io.ReaderAt, size int64, force bool, w io.Writer) error {
	defer a.hold()()
	a.writes.Lock()
	defer a.writes.Unlock()
	sets, err := readSeedZip(r, size)
	if errors.Is(err, errZipTooLarge) {
		return server.TooLarge(err)
	}
	if err != nil {
		return server.Refused(err)
	}
	if a.db != "" {
		if err := checkSpace(a.db, sets); err != nil {
			return server.Refused(err)
		}
	}
	ctx, done := a.stopping(ctx)
	defer done()
	l := seed.NewLoader(a.store)
	l.Force = force
	reports, err := l.Seed(ctx, sets)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("seed stopped (%w): %w", context.Cause(ctx), err)
		}
		return refusal(err)
	}
	a.stats.seeded()
	printSeedReports(w, reports)
	return nil
}

func (a *storeAdmin) Drop(ctx context.Context, name string, w io.Writer) error {
	defer a.hold()()
	a.writes.Lock()
	defer a.writes.Unlock()
	if err := a.store.RemoveDataset(ctx, name); err != nil {
		return refusal(err)
	}
	a.stats.seeded()
	fmt.Fprintf(w, "%s: dropped\n", name)
	return nil
}

// refusal marks the errors that are the client's to fix as server.ErrRefused.
func refusal(err error) error {
	var ps seed.Problems
	if errors.As(err, &ps) || errors.Is(err, graph.ErrInvalid) || errors.Is(err, graph.ErrConflict) || errors.Is(err, graph.ErrNotFound) {
		return server.Refused(err)
	}
	return err
}
