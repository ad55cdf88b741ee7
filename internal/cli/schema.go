package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/schema"
)

type schemaOptions struct {
	IO *IO
}

func newSchemaCmd(g *globals, runF func(context.Context, *schemaOptions) error) *cobra.Command {
	opts := &schemaOptions{IO: g.IO}
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the GraphQL schema (SDL)",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return schemaRun(cmd.Context(), opts)
		},
	}
}

func schemaRun(_ context.Context, opts *schemaOptions) error {
	// The schema's shape does not depend on the data: an unopened store will do.
	s, err := schema.New(graph.NewStore(""), nil)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(opts.IO.Out, s.SDL())
	return err
}
