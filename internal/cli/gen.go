package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/internal/gen"
)

type genOptions struct {
	IO    *IO
	Talks int
	Out   string
	Seed  uint64
}

func newGenCmd(g *globals, runF func(context.Context, *genOptions) error) *cobra.Command {
	opts := &genOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "gen --talks N --out DIR",
		Short: "Write a synthetic data set for benchmarks",
		Long: `Write a deterministic synthetic data set in the seed format: N talks over
conference editions of 50, about N/2 speakers, companies, tools and concepts,
with a long-tailed spread of mentions. The same --seed gives the same files.
--out must be a new or empty directory, or one gen wrote before: it is then
replaced whole (the files are written beside it and renamed into place).`,
		Example: "  talkgraph gen --talks 10000 --out /tmp/synthetic\n  talkgraph validate /tmp/synthetic",
		Args:    argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Talks < 1 || opts.Out == "" {
				return flagError{fmt.Errorf("give --talks (1 or more) and --out")}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return genRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.Talks, "talks", 0, "number of talks")
	cmd.Flags().StringVar(&opts.Out, "out", "", "directory to write (its name is the data set's)")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 1, "random seed")
	return cmd
}

func genRun(_ context.Context, opts *genOptions) error {
	if err := gen.Replace(opts.Out, gen.Config{Talks: opts.Talks, Seed: opts.Seed}); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %d talks to %s\n", opts.Talks, opts.Out)
	return nil
}
