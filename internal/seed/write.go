package seed

import (
	"context"
	"fmt"

	"github.com/talkgraph/talkgraph/graph"
)

// Report says what a seed did to one data set.
type Report struct {
	Set       string
	Nodes     int
	Edges     int
	Keys      int
	Unchanged bool // the files were the same as last time: nothing written
}

// Seed validates the sets and, when they are valid, replaces each one's
// content in the store. On a validation problem it returns Problems and the
// store is left as it was.
func (l *Loader) Seed(ctx context.Context, sets []*Set) ([]Report, error) {
	if l.Store == nil {
		return nil, fmt.Errorf("seed: no store")
	}
	if len(sets) == 1 {
		return l.seedOne(ctx, sets[0])
	}
	return l.seedAll(ctx, sets)
}

// seedAll validates every set before writing any: each set is written, and
// published, on its own.
func (l *Loader) seedAll(ctx context.Context, sets []*Set) ([]Report, error) {
	pl, err := l.validate(ctx, sets)
	if err != nil {
		return nil, err
	}
	var reports []Report
	for _, s := range sets {
		r, err := l.write(ctx, pl, s)
		if err != nil {
			return reports, fmt.Errorf("seed %s: %w", s.Name, err)
		}
		reports = append(reports, r)
	}
	return reports, nil
}

func (l *Loader) write(ctx context.Context, pl *plan, s *Set) (Report, error) {
	hash := pl.hashes[s.Name]
	if !l.Force {
		if old, err := l.Store.Dataset(ctx, s.Name); err == nil && old.Hash == hash {
			return Report{Set: s.Name, Nodes: old.Nodes, Edges: old.Edges, Unchanged: true}, nil
		}
	}
	w, err := l.Store.BeginDataset(ctx, s.Name)
	if err != nil {
		return Report{}, err
	}
	l.watch(w, s.Name)
	c := &problems{}
	r := &resolver{ctx: ctx, l: l, pl: pl, set: s.Name, found: map[string]idInfo{}}
	err = l.eachFile(ctx, pl, s, "load", c, nil, func(f *file) error {
		return putFile(w, r, f)
	})
	if err == nil && len(c.list) > 0 {
		err = c.list // a file changed between validation and writing
	}
	if err != nil {
		w.Abort()
		return Report{}, err
	}
	info := graph.DatasetInfo{Hash: hash, Files: s.Files, Refs: pl.refs[s.Name]}
	if err := w.Commit(info); err != nil {
		return Report{}, err
	}
	st, err := l.Store.Dataset(ctx, s.Name)
	if err != nil {
		return Report{}, err
	}
	return Report{Set: s.Name, Nodes: st.Nodes, Edges: st.Edges, Keys: w.Keys()}, nil
}

// putFile writes a file's nodes and edges, and keeps the file as it is for
// the YAML export; r gives the kinds of the edges' ends, which the
// adjacency keys hold.
func putFile(w *graph.DatasetWriter, r *resolver, f *file) error {
	if err := w.PutFile(f.base, f.data); err != nil {
		return err
	}
	for _, it := range f.nodes {
		n := *it.node
		n.File, n.Line = f.name, it.pos[""].Line
		if err := w.PutNode(&n); err != nil {
			return err
		}
	}
	for _, it := range f.edges {
		e, _ := it.edge.Canonical()
		from, _ := r.KindOf(e.From)
		to, _ := r.KindOf(e.To)
		if err := w.PutEdge(e, from, to); err != nil {
			return err
		}
	}
	return nil
}
