package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
)

type seedOptions struct {
	IO       *IO
	Paths    []string
	Force    bool
	Link     bool
	DB       string
	InMemory bool
	// Vocabulary seeds the vocabulary with the embedded data (no PATH).
	Vocabulary bool
	// LinkDatabase opens the database --link links against (see linkOptions).
	LinkDatabase func(context.Context) (*graph.Store, error)
	Store        func(context.Context) (*graph.Store, error)
}

func newSeedCmd(g *globals, runF func(context.Context, *seedOptions) error) *cobra.Command {
	opts := &seedOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "seed [PATH...]",
		Short: "Validate data sets and load them into the database",
		Long: `Validate the data sets at PATH (a data set directory, or a directory of
them) and load them into the database, replacing what each data set held
before. With no PATH, the data sets built into the binary are used: dotScale
2017 and the vocabulary (unless --no-vocabulary). Nothing is written unless
every file is valid.

Each data set lands whole or not at all. On a terminal, a seed that takes
more than two seconds shows its progress (phase, how far, rate, time left).
Ctrl-C or SIGTERM stops it: the database keeps what it held, and the exit
status is 130 or 143.`,
		Example: "  talkgraph seed\n  talkgraph seed seeds/\n  talkgraph seed --db /tmp/tg seeds/dotscale-2017",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths, opts.DB, opts.InMemory, opts.Vocabulary = args, g.DB, g.InMemory, !g.NoVocabulary
			if opts.Link && len(args) == 0 {
				return flagError{fmt.Errorf("--link needs the PATH of the data sets to write links.yaml into")}
			}
			opts.Store, opts.LinkDatabase = g.seedStore, g.linkDatabase
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return seedRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "rewrite data sets even when their files have not changed")
	cmd.Flags().BoolVar(&opts.Link, "link", false, "first write proposed mentions into links.yaml of each data set (see talkgraph link)")
	return cmd
}

// seedMemoryLimit is the soft memory limit of a seed when GOMEMLIMIT is not
// set. A seed's heap is a fixed working set (the spool's buffer, files
// parsed ahead, Badger's buffers: about 250 MB) and what must be global,
// kept compact: the ids of the data set and its edges, about 180 MB at a
// million talks. 384 MiB, the limit when the seed kept more in memory,
// then left the collector running all the time; 768 MiB leaves it room,
// and keeps the seed under 1 GB.
const seedMemoryLimit = 768 << 20

func seedRun(ctx context.Context, opts *seedOptions) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(seedMemoryLimit))
	}
	if opts.Link {
		if err := linkRun(ctx, &linkOptions{IO: opts.IO, Paths: opts.Paths, Write: true, Database: opts.LinkDatabase}); err != nil {
			return err
		}
	}
	sets, err := setsAt(opts.Paths, opts.Vocabulary)
	if err != nil {
		return err
	}
	if !opts.InMemory {
		if err := checkSpace(opts.DB, sets); err != nil {
			return err
		}
	}
	store, err := opts.Store(ctx)
	if rec := served(err); rec != nil {
		out, err := newRemote(rec).seed(ctx, sets, opts.Force)
		fmt.Fprint(opts.IO.Out, escapeText(out)) // the server's words
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("%w: the server stops the seed under way, whose data set keeps what it held", context.Cause(ctx))
		}
		return err
	}
	if err != nil {
		return err
	}
	defer store.Close()
	l := seed.NewLoader(store)
	l.Force = opts.Force
	var line *progressLine
	if opts.IO.Terminal {
		line = newProgressLine(opts.IO.Err, time.Now)
		l.Progress = line.update
	}
	reports, err := l.Seed(ctx, sets)
	if line != nil {
		line.clear()
	}
	if err != nil {
		if ctx.Err() != nil {
			printSeedReports(opts.IO.Out, reports)
			return seedInterrupted(ctx, sets, reports)
		}
		return err
	}
	printSeedReports(opts.IO.Out, reports)
	return nil
}

// seedInterrupted says what a seed a signal stopped left: the data sets
// seeded before it, and the one under way, whose writes were never
// published (and are gone).
func seedInterrupted(ctx context.Context, sets []*seed.Set, done []seed.Report) error {
	stopped := "the seed"
	if len(done) < len(sets) {
		stopped = sets[len(done)].Name
	}
	return fmt.Errorf("%w: %s stopped before anything of it was published: the database holds what it held before", context.Cause(ctx), stopped)
}

// printSeedReports writes what a seed did, a line per data set.
func printSeedReports(w io.Writer, reports []seed.Report) {
	for _, r := range reports {
		if r.Unchanged {
			fmt.Fprintf(w, "%s: unchanged (%d nodes, %d edges)\n", r.Set, r.Nodes, r.Edges)
			continue
		}
		fmt.Fprintf(w, "%s: seeded %d nodes, %d edges (%d keys)\n", r.Set, r.Nodes, r.Edges, r.Keys)
	}
}
