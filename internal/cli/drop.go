package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
)

type dropOptions struct {
	IO    *IO
	Name  string
	Store func(context.Context) (*graph.Store, error)
}

func newDropCmd(g *globals, runF func(context.Context, *dropOptions) error) *cobra.Command {
	opts := &dropOptions{IO: g.IO}
	return &cobra.Command{
		Use:   "drop NAME",
		Short: "Remove a data set from the database",
		Long: `Remove the data set NAME and everything it holds: its entities, the
relations it asserts and their evidence. It is refused, naming them, while
other data sets refer to its ids (talkgraph stats lists the data sets).
The files it was seeded from are not touched.`,
		Example: "  talkgraph drop synthetic",
		Args:    argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name, opts.Store = args[0], g.openStore
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return dropRun(cmd.Context(), opts)
		},
	}
}

func dropRun(ctx context.Context, opts *dropOptions) error {
	store, err := opts.Store(ctx)
	if rec := served(err); rec != nil {
		out, err := newRemote(rec).drop(ctx, opts.Name)
		fmt.Fprint(opts.IO.Out, escapeText(out)) // the server's words
		return err
	}
	if err != nil {
		return err
	}
	defer store.Close()
	d, err := store.Dataset(ctx, opts.Name)
	if errors.Is(err, graph.ErrNotFound) {
		return unknownDataset(ctx, store, opts.Name)
	}
	if err != nil {
		return fmt.Errorf("drop %s: %w", opts.Name, err)
	}
	err = store.RemoveDataset(ctx, opts.Name)
	if errors.Is(err, graph.ErrConflict) {
		refs, rerr := store.Referrers(ctx, opts.Name)
		if rerr != nil {
			return fmt.Errorf("drop %s: %w", opts.Name, err)
		}
		return fmt.Errorf("drop %s: %w: %s; drop those data sets first, or re-seed them without those ids", opts.Name, graph.ErrConflict, graph.DescribeRefs(refs))
	}
	if err != nil {
		return fmt.Errorf("drop %s: %w", opts.Name, err)
	}
	fmt.Fprintf(opts.IO.Out, "dropped data set %s (%d nodes, %d edges)\n", opts.Name, d.Nodes, d.Edges)
	return nil
}

// unknownDataset says which data sets the database holds instead.
func unknownDataset(ctx context.Context, store *graph.Store, name string) error {
	sets, err := store.Datasets(ctx)
	if err != nil {
		return fmt.Errorf("drop %s: %w", name, err)
	}
	if len(sets) == 0 {
		return fmt.Errorf("drop %s: data set %w: the database holds no data set", name, graph.ErrNotFound)
	}
	names := make([]string, len(sets))
	for i, s := range sets {
		names[i] = s.Name
	}
	return fmt.Errorf("drop %s: data set %w: the database holds %s", name, graph.ErrNotFound, strings.Join(names, ", "))
}
