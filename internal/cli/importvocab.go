package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/importer"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/vocab"
)

// registryInput is a registry file read, with its format.
type registryInput struct {
	name   string
	data   []byte
	format vocab.Format
}

// vocabImportRun writes a data set converted from registry files. Their
// entries join the entities that other data sets define (--match, else
// the embedded sets and the sets beside --out) when they share a name.
func vocabImportRun(ctx context.Context, opts *importOptions, set string, inputs []registryInput) error {
	if len(opts.SourceURLs) > len(inputs) {
		return flagError{fmt.Errorf("%d --source-url for %d registry files: give one per FILE, in order", len(opts.SourceURLs), len(inputs))}
	}
	var regs []*vocab.Registry
	for i, in := range inputs {
		url := ""
		if i < len(opts.SourceURLs) {
			url = opts.SourceURLs[i]
		}
		r, err := vocab.Read(in.name, in.data, in.format, url)
		if err != nil {
			return err
		}
		regs = append(regs, r)
	}
	known, from, err := knownEntities(ctx, opts, set)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w (%w)", importer.ErrInterrupted, ctx.Err())
		}
		return err
	}
	files, rep, err := vocab.Import(ctx, regs, set, known)
	if err != nil {
		return err
	}
	if err := importer.WriteDir(ctx, opts.Out, files); err != nil {
		return err
	}
	printVocabReport(opts.IO.Out, set, opts.Out, from, rep, opts.Verbose)
	if opts.Seed != nil {
		return seedRun(ctx, opts.Seed)
	}
	return nil
}

// knownEntities returns the entities of the data sets registry entries may
// join, and where they come from.
func knownEntities(ctx context.Context, opts *importOptions, set string) ([]vocab.Known, string, error) {
	store, from, err := matchStore(ctx, opts, set)
	if err != nil || store == nil {
		return nil, from, err
	}
	defer store.Close()
	var known []vocab.Known
	tx := store.Begin(ctx)
	defer tx.Discard()
	err = tx.EachNode(func(n *graph.Node) error {
		switch n.Kind {
		case graph.KindTalk, graph.KindPerson, graph.KindSource, graph.KindConference:
			return nil
		}
		known = append(known, vocab.Known{ID: n.ID, Kind: n.Kind, Name: n.Name, Names: append([]string{n.Name}, n.Aliases...)})
		return nil
	})
	return known, from, err
}

// matchSets returns the data sets given with --match, else the embedded
// ones and those beside --out (which replace an embedded set of their
// name), never the set being written.
func matchSets(opts *importOptions, set string) ([]*seed.Set, error) {
	if len(opts.Match) > 0 {
		sets, err := setsAt(opts.Match, false)
		return slices.DeleteFunc(sets, func(s *seed.Set) bool { return s.Name == set }), err
	}
	byName := map[string]*seed.Set{}
	for _, s := range embeddedSets(true) {
		byName[s.Name] = s
	}
	parent := filepath.Dir(filepath.Clean(opts.Out))
	if entries, err := os.ReadDir(parent); err == nil {
		for _, e := range entries {
			if !e.IsDir() || e.Name() == set || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			if sets, err := setsAt([]string{filepath.Join(parent, e.Name())}, false); err == nil && len(sets) == 1 && sets[0].Name == e.Name() {
				byName[e.Name()] = sets[0]
			}
		}
	}
	delete(byName, set)
	var out []*seed.Set
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		out = append(out, byName[name])
	}
	return out, nil
}

// printVocabReport says what the import wrote, and its notes (the first
// ten unless verbose).
func printVocabReport(w io.Writer, set, out, from string, rep *vocab.Report, verbose bool) {
	total := 0
	var kinds []string
	for _, k := range graph.Kinds {
		if n := rep.Kinds[k]; n > 0 {
			total += n
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
	}
	fmt.Fprintf(w, "%s: wrote %d entities (%s) and %d relations (%d made_by, %d about) into %s\n",
		set, total, strings.Join(kinds, ", "), rep.MadeBy+rep.About, rep.MadeBy, rep.About, out)
	fmt.Fprintf(w, "%s: %d entries joined an entity of another registry; %d entities are entities of %s; %d Crunchbase organisations are no entity (no made_by)\n",
		set, rep.Merged, rep.Matched, from, rep.Unmatched)
	if len(rep.Notes) == 0 {
		return
	}
	shown := rep.Notes
	if !verbose && len(shown) > 10 {
		shown = shown[:10]
	}
	fmt.Fprintf(w, "%d notes:\n", len(rep.Notes))
	for _, n := range shown {
		fmt.Fprintf(w, "  %s\n", n)
	}
	if len(shown) < len(rep.Notes) {
		fmt.Fprintf(w, "  … and %d more (--verbose lists them)\n", len(rep.Notes)-len(shown))
	}
}
