package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
)

type validateOptions struct {
	IO         *IO
	Paths      []string
	Standalone bool
	Store      func() (*graph.Store, error)
}

func newValidateCmd(g *globals, runF func(context.Context, *validateOptions) error) *cobra.Command {
	opts := &validateOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check data sets without writing anything",
		Long: `Check the data sets at PATH and report every problem as
file:line:column: what is wrong and what to do. References to data sets
already in the database are checked against it when it can be opened;
--standalone checks the given data sets on their own. Nothing is written.`,
		Example: "  talkgraph validate seeds/",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			opts.Store = func() (*graph.Store, error) {
				// Validation writes nothing: a database that does not exist
				// yet is not created to be checked against.
				if _, err := os.Stat(g.DB); g.InMemory || err != nil {
					return nil, nil
				}
				s := g.newStore()
				return s, s.Open()
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return validateRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Standalone, "standalone", false, "check the data sets without the database")
	return cmd
}

func validateRun(ctx context.Context, opts *validateOptions) error {
	sets, err := setsAt(opts.Paths)
	if err != nil {
		return err
	}
	l := seed.NewLoader(nil)
	if !opts.Standalone {
		store, err := opts.Store()
		switch {
		case errors.Is(err, graph.ErrLocked):
			fmt.Fprintf(opts.IO.Err, "note: %v\nnote: checking the data sets on their own\n", err)
		case err != nil:
			return err
		case store != nil:
			defer store.Close()
			l.Store = store
		}
	}
	if err := l.Validate(ctx, sets); err != nil {
		var ps seed.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				fmt.Fprintln(opts.IO.Out, p)
			}
			return fmt.Errorf("%d problem(s) found; nothing was written", len(ps))
		}
		return err
	}
	for _, s := range sets {
		fmt.Fprintf(opts.IO.Err, "%s: ok (%d files)\n", s.Display, len(s.Files))
	}
	return nil
}
