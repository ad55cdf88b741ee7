package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/internal/seedschema"
)

type seedSchemaOptions struct {
	IO  *IO
	Out string
}

func newSeedSchemaCmd(g *globals, runF func(context.Context, *seedSchemaOptions) error) *cobra.Command {
	opts := &seedSchemaOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "seed-schema",
		Short: "Print the JSON Schema of seed files",
		Long: `Print the JSON Schema (draft 2020-12) of the YAML seed files, generated
from the data model, so it always agrees with the loader on fields, kinds,
relation types, property types and caps. Editors with the YAML language
server (VS Code's YAML extension) use it for completion and errors as you
type; seeds/seed.schema.json is a copy. References between nodes, the kinds
a relation may join and duplicate ids are checked by talkgraph validate only.`,
		Example: "  talkgraph seed-schema\n  talkgraph seed-schema --out seeds/seed.schema.json",
		Args:    argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return seedSchemaRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", "", "write the schema to `FILE` instead of standard output")
	return cmd
}

func seedSchemaRun(_ context.Context, opts *seedSchemaOptions) error {
	b, err := seedschema.JSON()
	if err != nil {
		return err
	}
	if opts.Out == "" {
		_, err = opts.IO.Out.Write(b)
		return err
	}
	if err := os.WriteFile(opts.Out, b, 0o644); err != nil {
		return fmt.Errorf("write the seed schema: %w", err)
	}
	return nil
}
