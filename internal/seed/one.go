package seed

import (
	"context"

	"github.com/talkgraph/talkgraph/graph"
)

// seedOne seeds a single data set in two passes over its files rather than
// three. The first checks the nodes, since every edge needs every id; the
// second checks each file's edges and writes the file. Writing while
// checking loses nothing: a seed's writes stay invisible until Commit
// publishes them, and a problem found in the second pass aborts the seed
// (its writes are rolled back), so the store is left as it was. Parsing the
// YAML was most of a large seed's own work in a profile (three passes over
// 280 MB at 100 000 talks).
func (l *Loader) seedOne(ctx context.Context, s *Set) ([]Report, error) {
	pl := newPlan([]*Set{s})
	c := &problems{}
	s.checkName(c)
	if len(c.list) > 0 {
		return nil, c.list
	}
	if err := l.passNodes(ctx, pl, c); err != nil {
		return nil, err
	}
	if len(c.list) == 0 && !l.Force {
		if old, err := l.Store.Dataset(ctx, s.Name); err == nil && old.Hash == pl.hashes[s.Name] {
			return l.seedAll(ctx, []*Set{s}) // unchanged: check it whole, write nothing
		}
	}
	w, err := l.Store.BeginDataset(ctx, s.Name)
	if err != nil {
		return nil, err
	}
	l.watch(w, s.Name)
	if err := l.checkAndWrite(ctx, pl, s, w, c); err != nil {
		w.Abort()
		return nil, err
	}
	if len(c.list) > 0 {
		w.Abort()
		return nil, c.done()
	}
	info := graph.DatasetInfo{Hash: pl.hashes[s.Name], Files: s.Files, Refs: pl.refs[s.Name]}
	if err := w.Commit(info); err != nil {
		return nil, err // it names the data set
	}
	st, err := l.Store.Dataset(ctx, s.Name)
	if err != nil {
		return nil, err
	}
	return []Report{{Set: s.Name, Nodes: st.Nodes, Edges: st.Edges, Keys: w.Keys()}}, nil
}

// checkAndWrite is the second pass of seedOne: each file's edges are
// checked, and the file is written while no problem has been found; then
// the checks that need every edge (references from and to other data sets).
func (l *Loader) checkAndWrite(ctx context.Context, pl *plan, s *Set, w *graph.DatasetWriter, c *problems) error {
	ec := l.newEdgeChecker(ctx, pl, s, c)
	err := l.eachFile(ctx, pl, s, "load", c, nil, func(f *file) error {
		ec.file(f)
		if len(c.list) > 0 {
			return nil // keep checking, for the whole list of problems
		}
		return putFile(w, ec.r, f)
	})
	if err != nil {
		return err
	}
	ec.finish(pl)
	return l.checkReferences(ctx, pl, c)
}
