package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/link"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/seeds"
)

// linksFile is where --write puts the proposals, in each data set.
const linksFile = "links.yaml"

// derivedSource is the source node the proposals' evidence points to.
const derivedSource = "derived-talkgraph-link"

type linkOptions struct {
	IO    *IO
	Paths []string
	Write bool
	// Database returns a copy in memory of the database whose entities are
	// linked to, or nil when there is none (then the embedded vocabulary
	// is).
	Database func(context.Context) (*graph.Store, error)
}

func newLinkCmd(g *globals, runF func(context.Context, *linkOptions) error) *cobra.Command {
	opts := &linkOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "link [PATH...]",
		Short: "Propose mentions that the seed files do not state yet",
		Long: `Look for the names and aliases of known entities — every entity of the
data sets at PATH and of the database (the vocabulary and other data sets
included; without a database, the embedded vocabulary) — in the titles and
descriptions of the talks at PATH, and propose a "mentions" relation for
each one the files do not state yet and talkgraph is sure of. A name that
is an ordinary word or short ("Rust", "Go", "Signal") needs its case and a
context: an entity of its family named in the same talk, or by several
talks of its conference. A person is found only by a full name.

The proposals are printed as YAML to paste into a data set, each with the
matched text and its offset as evidence, from a source of its own. --write
puts them in links.yaml in each data set's directory instead (rewritten at
each run), so a curator reviews them in git.`,
		Example: "  talkgraph link seeds/dotscale-2017\n  talkgraph link --write seeds/",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			opts.Database = g.linkDatabase
			if opts.Write && len(args) == 0 {
				return flagError{fmt.Errorf("--write needs the PATH of the data sets to write into")}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return linkRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Write, "write", false, "write the proposals into links.yaml of each data set")
	return cmd
}

func linkRun(ctx context.Context, opts *linkOptions) error {
	sets, err := setsAt(opts.Paths, true)
	if err != nil {
		return err
	}
	var base *graph.Store
	if opts.Database != nil {
		if base, err = opts.Database(ctx); err != nil {
			return err
		}
	}
	proposals, dataset, err := proposeLinks(ctx, sets, base)
	if err != nil {
		return err
	}
	if !opts.Write {
		b, err := linksYAML(proposals)
		if err != nil {
			return err
		}
		_, err = opts.IO.Out.Write(b)
		return err
	}
	return writeLinks(opts, sets, proposals, dataset)
}

// proposeLinks seeds the sets into base, a copy in memory of the database
// (a new store holding the embedded vocabulary when base is nil), and
// links their talks against every entity it holds; the other talks of
// their conferences lend context. It closes base, and returns the
// proposals and the data set of each talk.
func proposeLinks(ctx context.Context, sets []*seed.Set, base *graph.Store) ([]link.Proposal, map[string]string, error) {
	toLink := map[string]bool{}
	for _, s := range sets {
		toLink[s.Name] = true
	}
	all := sets
	if base == nil {
		base = graph.NewStore("")
		base.InMemory, base.Analyzer = true, analyzer
		if err := base.Open(); err != nil {
			return nil, nil, err
		}
		for _, s := range embeddedSets(true) {
			if !toLink[s.Name] && slices.Contains(seeds.Vocabulary, s.Name) {
				all = append(all, s)
			}
		}
	}
	store := base
	defer store.Close()
	if _, err := seed.NewLoader(store).Seed(ctx, all); err != nil {
		return nil, nil, err
	}
	tx := store.Begin(ctx)
	defer tx.Discard()
	ix := link.NewIndex(store.Analyzer)
	if err := ix.AddEntities(tx); err != nil {
		return nil, nil, err
	}
	opts := link.Options{
		Derived: func(ev graph.Evidence) bool { return ev.Source == derivedSource },
		Talks:   func(n *graph.Node) bool { return toLink[n.Dataset] },
	}
	ps, err := ix.Link(tx, opts)
	if err != nil {
		return nil, nil, err
	}
	dataset := map[string]string{}
	for _, p := range ps {
		if n, err := tx.Node(p.Talk); err == nil {
			dataset[p.Talk] = n.Dataset
		}
	}
	return ps, dataset, nil
}

// writeLinks writes each data set's proposals into its links.yaml, and
// removes a links.yaml left with none.
func writeLinks(opts *linkOptions, sets []*seed.Set, ps []link.Proposal, dataset map[string]string) error {
	bySet := map[string][]link.Proposal{}
	for _, p := range ps {
		bySet[dataset[p.Talk]] = append(bySet[dataset[p.Talk]], p)
	}
	for _, s := range sets {
		path := filepath.Join(filepath.FromSlash(s.Display), linksFile)
		if len(bySet[s.Name]) == 0 {
			if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
				return err
			}
			continue
		}
		b, err := linksYAML(bySet[s.Name])
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Fprintf(opts.IO.Out, "%s: %d proposed mentions\n", path, len(bySet[s.Name]))
	}
	return nil
}

// linksYAML renders proposals as a seed file, written by the YAML export's
// writer: the derived source, then one mentions edge per proposal.
func linksYAML(ps []link.Proposal) ([]byte, error) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Talk != ps[j].Talk {
			return ps[i].Talk < ps[j].Talk
		}
		return ps[i].Entity < ps[j].Entity
	})
	src := &graph.Node{ID: derivedSource, Kind: graph.KindSource, Name: "Mentions found by talkgraph link",
		Description: map[string]string{
			"en": "Relations proposed by talkgraph link: an entity's name found in a talk's title or description.",
			"fr": "Relations proposées par talkgraph link : le nom d'une entité trouvé dans le titre ou le résumé d'un talk.",
		},
		Props: map[string]string{"method": "talkgraph link"}}
	edges := make([]graph.Edge, 0, len(ps))
	for _, p := range ps {
		edges = append(edges, graph.Edge{From: p.Talk, Type: p.Type, To: p.Entity,
			Evidence: []graph.Evidence{{Source: derivedSource, Quote: p.Quote()}}})
	}
	return export.SeedFile("# Proposed by talkgraph link: review each relation before you keep it.\n",
		[]*graph.Node{src}, edges)
}
