package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/seeds"
)

type dropOptions struct {
	IO    *IO
	Name  string
	Yes   bool // drop without asking
	Store func(context.Context) (*graph.Store, error)
}

func newDropCmd(g *globals, runF func(context.Context, *dropOptions) error) *cobra.Command {
	opts := &dropOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "drop NAME",
		Short: "Remove a data set from the database",
		Long: `Remove the data set NAME and everything it holds: its entities, the
relations it asserts and their evidence. It is refused, naming them, while
other data sets refer to its ids (talkgraph stats lists the data sets).
The files it was seeded from are not touched.

A drop cannot be undone. At a terminal it says what it will remove and
what stays, and asks for the name to be typed again; elsewhere (a script,
a pipe) it is refused unless --yes is given. To get the data back: the
embedded data set with 'talkgraph seed', another by seeding its files again
or restoring a backup taken before ('talkgraph backup FILE').`,
		Example: "  talkgraph drop synthetic\n  talkgraph drop synthetic --yes   # in a script",
		Args:    argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name, opts.Store = args[0], g.openStore
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return dropRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "drop without asking (for scripts: a drop cannot be undone)")
	return cmd
}

// dropTarget is what a drop works on: the local store, or the server that
// holds it.
type dropTarget struct {
	datasets func(context.Context) ([]graph.DatasetInfo, error)
	drop     func(context.Context, string) (string, error)
}

func dropRun(ctx context.Context, opts *dropOptions) error {
	store, err := opts.Store(ctx)
	var t dropTarget
	if rec := served(err); rec != nil {
		r := newRemote(rec)
		t.datasets = func(ctx context.Context) ([]graph.DatasetInfo, error) {
			st, err := r.stats(ctx)
			if err != nil {
				return nil, err
			}
			return st.Datasets, nil
		}
		t.drop = r.drop
	} else if err != nil {
		return err
	} else {
		defer store.Close()
		t.datasets = store.Datasets
		t.drop = func(ctx context.Context, name string) (string, error) { return "", localDrop(ctx, store, name) }
	}
	sets, err := t.datasets(ctx)
	if err != nil {
		return fmt.Errorf("drop %s: %w", opts.Name, err)
	}
	i := slices.IndexFunc(sets, func(d graph.DatasetInfo) bool { return d.Name == opts.Name })
	if i < 0 {
		return unknownDataset(opts.Name, sets)
	}
	d := sets[i]
	if refs := referrers(sets, opts.Name); len(refs) > 0 {
		return fmt.Errorf("drop %s: %w: %s; drop those data sets first, or re-seed them without those ids", opts.Name, graph.ErrConflict, graph.DescribeRefs(refs))
	}
	if err := confirmDrop(opts, d, sets); err != nil {
		return err
	}
	out, err := t.drop(ctx, opts.Name)
	fmt.Fprint(opts.IO.Out, escapeText(out)) // the server's words
	if err != nil {
		return err
	}
	if out == "" {
		fmt.Fprintf(opts.IO.Out, "dropped data set %s (%d nodes, %d edges)\n", opts.Name, d.Nodes, d.Edges)
	}
	fmt.Fprintf(opts.IO.Err, "to get it back: %s\n", wayBack(opts.Name))
	return nil
}

// localDrop removes a data set from the store.
func localDrop(ctx context.Context, store *graph.Store, name string) error {
	err := store.RemoveDataset(ctx, name)
	if errors.Is(err, graph.ErrConflict) {
		refs, rerr := store.Referrers(ctx, name)
		if rerr != nil {
			return fmt.Errorf("drop %s: %w", name, err)
		}
		return fmt.Errorf("drop %s: %w: %s; drop those data sets first, or re-seed them without those ids", name, graph.ErrConflict, graph.DescribeRefs(refs))
	}
	if err != nil {
		return fmt.Errorf("drop %s: %w", name, err)
	}
	return nil
}

// referrers returns, by data set, the ids of name each other set refers to.
func referrers(sets []graph.DatasetInfo, name string) map[string][]string {
	out := map[string][]string{}
	for _, s := range sets {
		if ids := s.Refs[name]; len(ids) > 0 && s.Name != name {
			out[s.Name] = ids
		}
	}
	return out
}

// embeddedName reports whether a data set is one talkgraph embeds:
// dotScale or the vocabulary.
func embeddedName(name string) bool {
	return name == seeds.Default || slices.Contains(seeds.Vocabulary, name)
}

// wayBack says how to get a dropped data set back.
func wayBack(name string) string {
	if embeddedName(name) {
		return "'talkgraph seed' loads it again (it is built into talkgraph)"
	}
	return "seed its files again ('talkgraph seed DIR'), or restore a backup taken before ('talkgraph restore --force FILE')"
}

// confirmDrop asks, at a terminal, for the data set's name to be typed
// again, after saying what goes and what stays; elsewhere it refuses
// unless --yes.
func confirmDrop(opts *dropOptions, d graph.DatasetInfo, sets []graph.DatasetInfo) error {
	if opts.Yes {
		return nil
	}
	if !opts.IO.InTerminal {
		return fmt.Errorf("drop %s: it would remove %d nodes and %d edges for good, and there is no terminal to confirm at: add --yes to drop without asking (as a script must)", d.Name, d.Nodes, d.Edges)
	}
	w := opts.IO.Err
	fmt.Fprintf(w, "This removes data set %s for good: %d nodes and %d edges, with their evidence.\n", d.Name, d.Nodes, d.Edges)
	var stay []string
	for _, s := range sets {
		if s.Name != d.Name {
			stay = append(stay, fmt.Sprintf("%s (%d nodes, %d edges)", s.Name, s.Nodes, s.Edges))
		}
	}
	if len(stay) > 0 {
		fmt.Fprintf(w, "Data sets that stay: %s.\n", strings.Join(stay, ", "))
	} else {
		fmt.Fprintln(w, "No data set stays: the database will be empty.")
	}
	if embeddedName(d.Name) {
		fmt.Fprintln(w, "To get it back later: 'talkgraph seed' (it is built into talkgraph).")
	} else {
		fmt.Fprintf(w, "To get it back later: seed its files again, or take a backup first ('talkgraph backup %s.bak').\n", d.Name)
	}
	fmt.Fprintf(w, "Type the data set's name to drop it: ")
	line, err := bufio.NewReader(opts.IO.In).ReadString('\n')
	if typed := strings.TrimSpace(line); typed != d.Name {
		if err != nil && typed == "" {
			fmt.Fprintln(w)
		}
		return fmt.Errorf("drop %s: not confirmed (typed %q): nothing was removed", d.Name, typed)
	}
	return nil
}

// unknownDataset says which data sets the database holds instead.
func unknownDataset(name string, sets []graph.DatasetInfo) error {
	if len(sets) == 0 {
		return fmt.Errorf("drop %s: data set %w: the database holds no data set", name, graph.ErrNotFound)
	}
	names := make([]string, len(sets))
	for i, s := range sets {
		names[i] = s.Name
	}
	return fmt.Errorf("drop %s: data set %w: the database holds %s", name, graph.ErrNotFound, strings.Join(names, ", "))
}
