package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/importer"
	"github.com/talkgraph/talkgraph/internal/seed"
)

// matchStore returns a store in memory holding the data sets an import
// joins (see matchSets), and where they come from; nil when there are
// none. They only help: a set that does not load beside the others (a
// draft, a conflict of its own) is left out with a line on stderr.
func matchStore(ctx context.Context, opts *importOptions, set string) (*graph.Store, string, error) {
	sets, err := matchSets(opts, set)
	if err != nil || len(sets) == 0 {
		return nil, "no other data set", err
	}
	store := graph.NewStore("")
	store.InMemory, store.Analyzer = true, analyzer
	if err := store.Open(); err != nil {
		return nil, "", err
	}
	var names []string
	for _, s := range sets {
		if _, err := seed.NewLoader(store).Seed(ctx, []*seed.Set{s}); err != nil {
			if ctx.Err() != nil {
				store.Close()
				return nil, "", fmt.Errorf("%w (%w)", importer.ErrInterrupted, ctx.Err())
			}
			first, _, _ := strings.Cut(err.Error(), "\n")
			fmt.Fprintf(opts.IO.Err, "match: %s left out, it does not load beside the others: %s\n", s.Display, escapeText(first))
			continue
		}
		names = append(names, s.Display)
	}
	return store, strings.Join(names, ", "), nil
}

// knownToImport returns the persons and entities of the data sets a
// programme import joins: its persons are theirs by the programme's ids
// or full names, its tracks their entities by name.
func knownToImport(ctx context.Context, opts *importOptions, set string) (*importer.Known, error) {
	store, _, err := matchStore(ctx, opts, set)
	if err != nil || store == nil {
		return nil, err
	}
	defer store.Close()
	k := &importer.Known{Entities: map[string]importer.KnownEntity{}}
	tx := store.Begin(ctx)
	defer tx.Discard()
	err = tx.EachNode(func(n *graph.Node) error {
		switch n.Kind {
		case graph.KindPerson:
			k.Persons = append(k.Persons, importer.KnownPerson{ID: n.ID, Names: append([]string{n.Name}, n.Aliases...),
				ProgrammeIDs: strings.Fields(n.Props["programme_ids"])})
		case graph.KindConcept, graph.KindTool, graph.KindCompany, graph.KindOrganization:
			for _, name := range append([]string{n.Name}, n.Aliases...) {
				f := analyzer.Fold(name)
				if _, taken := k.Entities[f]; !taken {
					k.Entities[f] = importer.KnownEntity{ID: n.ID, Kind: n.Kind, Name: n.Name}
				}
			}
		}
		return nil
	})
	return k, err
}

// printImportReport says who the programme's persons are and what its
// tracks became.
func printImportReport(w io.Writer, set string, r *importer.Report) {
	fmt.Fprintf(w, "%s: %d persons; %d are persons of other data sets by the id their programme gives, %d by full name\n",
		set, r.Persons, r.ByProgrammeID, r.ByName)
	if len(r.Placeholders) > 0 {
		fmt.Fprintf(w, "%s: left out, as no one in particular: %s\n", set, quoteAll(r.Placeholders))
	}
	if n := r.BioFallback + sumValues(r.BioLangs); n > 0 {
		var parts []string
		for _, l := range slices.Sorted(maps.Keys(r.BioLangs)) {
			parts = append(parts, fmt.Sprintf("%d in %s", r.BioLangs[l], l))
		}
		if r.BioFallback > 0 {
			parts = append(parts, fmt.Sprintf("%d in their talk's language (none detected)", r.BioFallback))
		}
		fmt.Fprintf(w, "%s: %d biographies: %s\n", set, n, strings.Join(parts, ", "))
	}
	if len(r.Topics) > 0 {
		fmt.Fprintf(w, "%s: tracks as topics: %s\n", set, quoteAll(r.Topics))
	}
	if len(r.Channels) > 0 {
		fmt.Fprintf(w, "%s: tracks taken for channels, not topics (list them under topics: in a tracks file if they are): %s\n", set, quoteAll(r.Channels))
	}
}

func quoteAll(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", escapeText(s))
	}
	return strings.Join(out, ", ")
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
