package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
)

type statsOptions struct {
	IO    *IO
	JSON  bool
	Store func(context.Context) (*graph.Store, error)
}

func newStatsCmd(g *globals, runF func(context.Context, *statsOptions) error) *cobra.Command {
	opts := &statsOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count nodes by kind and edges by type",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Store = g.openReadStore
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return statsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func statsRun(ctx context.Context, opts *statsOptions) error {
	st, err := readStats(ctx, opts)
	if err != nil {
		return err
	}
	if len(st.Datasets) == 0 {
		fmt.Fprintf(opts.IO.Err, "note: %s\n", emptyHint("the database"))
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	printStats(opts.IO.Out, st)
	return nil
}

// readStats reads the counts from the database, or from the server that
// holds it.
func readStats(ctx context.Context, opts *statsOptions) (*graph.Stats, error) {
	store, err := opts.Store(ctx)
	if rec := served(err); rec != nil {
		return newRemote(rec).stats(ctx)
	}
	if err != nil {
		return nil, err
	}
	defer store.Close()
	return store.Stats(ctx)
}

func printStats(w io.Writer, st *graph.Stats) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "nodes\t%d\n", st.Nodes)
	for _, k := range graph.Kinds {
		if n := st.ByKind[k]; n > 0 {
			fmt.Fprintf(tw, "  %s\t%d\n", k, n)
		}
	}
	fmt.Fprintf(tw, "edges\t%d\t(%d pieces of evidence)\n", st.Edges, st.Evidence)
	types := make([]string, 0, len(st.ByType))
	for t := range st.ByType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		fmt.Fprintf(tw, "  %s\t%d\n", escapeText(t), st.ByType[t])
	}
	fmt.Fprintf(tw, "data sets\t%d\n", len(st.Datasets))
	for _, d := range st.Datasets {
		fmt.Fprintf(tw, "  %s\t%d nodes, %d edges\tseeded %s\n", escapeText(d.Name), d.Nodes, d.Edges, d.SeededAt.Format(time.RFC3339))
	}
	tw.Flush()
}
