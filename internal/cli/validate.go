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
	All        bool   // print every problem, not the first maxProblems
	DB         string // the database directory, where a running server records itself
	Store      func() (*graph.Store, error)
}

// maxProblems is how many problems validate prints without --all: one
// mistake (a renamed id) can bring hundreds, and the first ones tell.
const maxProblems = 20

func newValidateCmd(g *globals, runF func(context.Context, *validateOptions) error) *cobra.Command {
	opts := &validateOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check data sets without writing anything",
		Long: `Check the data sets at PATH and report every problem as
file:line:column: what is wrong and what to do. References to data sets
already in the database are checked against it when it can be opened
(while 'talkgraph serve' holds it, the server checks them against its
data); --standalone checks the given data sets on their own. Nothing is
written.

The count of problems comes first (on stderr, as seed prints it), then the
first 20 problems, files that do not parse first (--all prints them all).`,
		Example: "  talkgraph validate seeds/",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths, opts.DB = args, g.DB
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
	cmd.Flags().BoolVar(&opts.All, "all", false, fmt.Sprintf("print every problem, not only the first %d", maxProblems))
	return cmd
}

func validateRun(ctx context.Context, opts *validateOptions) error {
	sets, err := setsAt(opts.Paths, true)
	if err != nil {
		return err
	}
	l := seed.NewLoader(nil)
	if !opts.Standalone {
		store, err := opts.Store()
		rec := served(lockedByServer(ctx, opts.DB, err, opts.IO.Err))
		switch {
		case rec != nil:
			problems, err := newRemote(rec).validate(ctx, sets)
			if err != nil {
				return err
			}
			fmt.Fprintf(opts.IO.Err, "checked against the data sets of the server at %s\n", rec.URL)
			return reportValidation(opts, sets, problems)
		case errors.Is(err, graph.ErrLocked):
			fmt.Fprintf(opts.IO.Err, "note: %v\nnote: checking the data sets on their own\n", err)
		case err != nil:
			return err
		case store != nil:
			defer store.Close()
			l.Store = store
		}
	}
	var problems []string
	if err := l.Validate(ctx, sets); err != nil {
		var ps seed.Problems
		if !errors.As(err, &ps) {
			return err
		}
		for _, p := range ps {
			problems = append(problems, p.String())
		}
	}
	return reportValidation(opts, sets, problems)
}

// reportValidation prints the problems found, or that each set is ok.
func reportValidation(opts *validateOptions, sets []*seed.Set, problems []string) error {
	if len(problems) > 0 {
		printProblems(opts.IO, problems, opts.All)
		return exitError{1}
	}
	for _, s := range sets {
		fmt.Fprintf(opts.IO.Err, "%s: ok (%d files)\n", s.Display, len(s.Files))
	}
	return nil
}

// printProblems writes the count of problems to Err, then the problems to
// Out, the first maxProblems of them unless all is set.
func printProblems(ios *IO, ps []string, all bool) {
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	fmt.Fprintf(ios.Err, "talkgraph: %d %s found; nothing was written\n", len(ps), noun)
	shown := ps
	if !all && len(ps) > maxProblems {
		shown = ps[:maxProblems]
	}
	for _, p := range shown {
		fmt.Fprintln(ios.Out, p)
	}
	if k := len(ps) - len(shown); k > 0 {
		fmt.Fprintf(ios.Out, "… and %d more (--all prints every problem)\n", k)
	}
}
