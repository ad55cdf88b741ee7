package importer

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
)

// Input is one programme file.
type Input struct {
	Name string // as messages show it
	Data []byte
}

// Import reads the inputs (of format f, or each detected when f is ""),
// maps them onto one data set named set and returns its seed files, already
// checked by the seed loader's validation. Several files make one data set
// (a programme split by day, say); an entity they define differently is a
// problem. It returns an error wrapping ErrInput for a file that cannot be
// read or holds wrong data (a file past the caps of limits.go included),
// seed.Problems when the result fails validation, and an error wrapping
// ErrInterrupted when ctx ends, at whatever stage. o.Warn is told what was
// cut to fit the store.
func Import(ctx context.Context, inputs []Input, f Format, set string, o Options) (map[string][]byte, *Report, error) {
	var graphs []*Graph
	var probs ProgrammeErrors
	o.fileInID = len(inputs) > 1
	for _, in := range inputs {
		p, err := Parse(ctx, in.Name, in.Data, f)
		if err != nil {
			return nil, nil, err
		}
		g, err := Build(ctx, p, o)
		if ps, ok := err.(ProgrammeErrors); ok {
			probs = append(probs, ps...)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		graphs = append(graphs, g)
	}
	if len(probs) > 0 {
		return nil, nil, probs
	}
	g, err := merge(ctx, graphs)
	if err != nil {
		return nil, nil, err
	}
	from := inputs[0].Name
	if len(inputs) > 1 {
		from = fmt.Sprintf("%s and %d more", from, len(inputs)-1)
	}
	files, err := Files(ctx, g, set, baseName(from))
	if err != nil {
		return nil, nil, err
	}
	if err := Validate(ctx, set, files); err != nil {
		if ierr := interrupted(ctx); ierr != nil {
			return nil, nil, ierr
		}
		return nil, nil, fmt.Errorf("the import would not validate (a bug of the importer, or a limit of the seed format): %w", err)
	}
	return files, mergeReports(graphs), nil
}

// mergeReports adds up the reports of several files' graphs.
func mergeReports(gs []*Graph) *Report {
	out := newReport()
	for _, g := range gs {
		r := g.Report
		out.Persons += r.Persons
		out.ByProgrammeID += r.ByProgrammeID
		out.ByName += r.ByName
		out.BioFallback += r.BioFallback
		for l, n := range r.BioLangs {
			out.BioLangs[l] += n
		}
		out.Placeholders = appendNew(out.Placeholders, r.Placeholders...)
		out.Topics = appendNew(out.Topics, r.Topics...)
		out.Channels = appendNew(out.Channels, r.Channels...)
	}
	return out
}

func appendNew(list []string, items ...string) []string {
	for _, s := range items {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

// merge joins the graphs of several files: an id defined twice must be
// defined the same way (a person or the conference, typically).
func merge(ctx context.Context, gs []*Graph) (*Graph, error) {
	if len(gs) == 1 {
		return gs[0], nil
	}
	out := &Graph{}
	seen := map[string]int{}
	edges := map[string]bool{}
	var probs ProgrammeErrors
	for _, g := range gs {
		if err := interrupted(ctx); err != nil {
			return nil, err
		}
		for _, n := range g.Nodes {
			if i, dup := seen[n.ID]; dup {
				if !reflect.DeepEqual(out.Nodes[i], n) {
					probs = append(probs, fmt.Sprintf("%s %s is given differently by two of the files: import them apart, into two data sets", n.Kind, n.ID))
				}
				continue
			}
			seen[n.ID] = len(out.Nodes)
			out.Nodes = append(out.Nodes, n)
		}
		for _, e := range g.Edges {
			if !edges[e.Key()] {
				edges[e.Key()] = true
				out.Edges = append(out.Edges, e)
			}
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	sort.Slice(out.Nodes, func(i, j int) bool { return out.Nodes[i].ID < out.Nodes[j].ID })
	sort.Slice(out.Edges, func(i, j int) bool { return out.Edges[i].Key() < out.Edges[j].Key() })
	return out, nil
}

func baseName(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' || s[i] == '\\' {
			return s[i+1:]
		}
	}
	return s
}
