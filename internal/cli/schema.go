package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/schema"
)

type schemaOptions struct {
	IO        *IO
	Mutations bool
}

func newSchemaCmd(g *globals, runF func(context.Context, *schemaOptions) error) *cobra.Command {
	opts := &schemaOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the GraphQL schema (SDL)",
		Long: `Print the GraphQL schema in SDL. A server started without a write token
has no Mutation type; --mutations prints the schema of one started with it.`,
		Args: argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return schemaRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Mutations, "mutations", false, "include the Mutation type")
	return cmd
}

func schemaRun(_ context.Context, opts *schemaOptions) error {
	// The schema's shape does not depend on the data: an unopened store will do.
	var o []schema.Option
	if opts.Mutations {
		o = append(o, schema.WithMutations())
	}
	s, err := schema.New(graph.NewStore(""), nil, o...)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(opts.IO.Out, s.SDL())
	return err
}
