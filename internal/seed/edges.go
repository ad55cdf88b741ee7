package seed

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// resolver answers CheckEdge's questions from the ids of this run, then from
// the data sets already stored (except those this run replaces).
type resolver struct {
	ctx   context.Context
	l     *Loader
	pl    *plan
	set   string
	found map[string]idInfo // stored ids, cached
}

func (r *resolver) lookup(id string) (idInfo, bool) {
	if info, ok := r.pl.ids.get(id); ok {
		return info, true
	}
	if info, ok := r.found[id]; ok {
		return info, info.kind != ""
	}
	info := idInfo{}
	if r.l.Store != nil {
		k, sets, ok, err := r.l.Store.NodeSets(r.ctx, id)
		if others := r.pl.outside(sets); err == nil && ok && len(others) > 0 {
			info = idInfo{kind: k, set: others[0], more: others[1:]}
		}
	}
	r.found[id] = info
	return info, info.kind != ""
}

func (r *resolver) KindOf(id string) (graph.Kind, bool) {
	info, ok := r.lookup(id)
	return info.kind, ok
}

// mayDefine returns the file that did not parse and may define the unknown
// id an edge problem at field is about, or "". The rule: an id that no file
// defines is not reported when its text appears in a file that did not
// parse (or when a file was too large to read): that file's definition is
// the likelier fix, and one broken file would otherwise bring one "unknown
// id" per reference to what it defines.
func (r *resolver) mayDefine(e graph.Edge, field string) string {
	if len(r.pl.unparsed) == 0 {
		return ""
	}
	id := refAt(e, field)
	if id == "" {
		return ""
	}
	if _, known := r.lookup(id); known {
		return ""
	}
	for _, name := range slices.Sorted(maps.Keys(r.pl.unparsed)) {
		if f := r.pl.unparsed[name]; f.raw == nil || bytes.Contains(f.raw, []byte(id)) {
			return name
		}
	}
	return ""
}

// refAt returns the id an edge's field refers to: from, to or an
// evidence's source.
func refAt(e graph.Edge, field string) string {
	switch field {
	case "from":
		return e.From
	case "to":
		return e.To
	}
	var i int
	if _, err := fmt.Sscanf(field, "evidence.%d.source", &i); err == nil && i >= 0 && i < len(e.Evidence) && field == fmt.Sprintf("evidence.%d.source", i) {
		return e.Evidence[i].Source
	}
	return ""
}

// Suggest returns the id of this run closest to id by edit distance.
func (r *resolver) Suggest(id string) string {
	best, bestD := "", max(3, len(id)/3+1)
	r.pl.ids.each(func(known string) {
		if d := graph.EditDistance(id, known); d < bestD || (d == bestD && known < best) {
			best, bestD = known, d
		}
	})
	return best
}

// passEdges checks every edge against the ids and records which ids of
// other data sets each set refers to.
func (l *Loader) passEdges(ctx context.Context, pl *plan, c *problems) error {
	for _, s := range pl.sets {
		ec := l.newEdgeChecker(ctx, pl, s, c)
		err := l.eachFile(ctx, pl, s, "validate", c, nil, func(f *file) error {
			ec.file(f)
			return nil
		})
		if err != nil {
			return err
		}
		ec.finish(pl)
	}
	return nil
}

// edgeChecker checks one set's edges, a file at a time, and collects the
// ids of other data sets they refer to.
type edgeChecker struct {
	l    *Loader
	r    *resolver
	seen edgeSet
	refs map[string]map[string]bool // other set -> ids
	c    *problems
}

func (l *Loader) newEdgeChecker(ctx context.Context, pl *plan, s *Set, c *problems) *edgeChecker {
	return &edgeChecker{l: l, r: &resolver{ctx: ctx, l: l, pl: pl, set: s.Name, found: map[string]idInfo{}},
		refs: map[string]map[string]bool{}, c: c}
}

func (ec *edgeChecker) file(f *file) {
	for _, it := range f.edges {
		ec.l.checkEdge(ec.r, it, &ec.seen, ec.refs, ec.c)
	}
}

// finish reports the edges stated twice, and puts the references found
// into the plan, for the data set record.
func (ec *edgeChecker) finish(pl *plan) {
	ids := ec.r.pl.ids
	ec.seen.dups(func(first, dup edgeRec) {
		at, typ := unpackPos(ids, dup.pos)
		prev, _ := unpackPos(ids, first.pos)
		from, to := ids.name(uint32(dup.key>>36)), ids.name(uint32(dup.key&(1<<28-1)))
		if _, inv, _ := graph.LookupEdgeType(typ); inv {
			from, to = to, from
		}
		ec.c.add(at, "duplicate edge %s %s %s: it is already stated at %s; merge the evidence into one edge", from, typ, to, prev)
	})
	pl.refs[ec.r.set] = map[string][]string{}
	for set, ids := range ec.refs {
		pl.refs[ec.r.set][set] = sortedKeys(ids)
	}
}

func (l *Loader) checkEdge(r *resolver, it item, seen *edgeSet, refs map[string]map[string]bool, c *problems) {
	e := *it.edge
	ps := graph.CheckEdge(e, r)
	for _, p := range ps {
		if it.followsFrom(p.Field) {
			continue // the parser reported its cause
		}
		if f := r.mayDefine(e, p.Field); f != "" {
			c.hide(f)
			continue
		}
		c.add(it.at(p.Field), "%s", p.Msg)
	}
	if len(ps) > 0 || len(it.reported) > 0 {
		return
	}
	ce, _ := e.Canonical()
	ids := r.pl.ids
	if k, ok := edgeKey(ids.num(ce.From), ids.num(ce.To), ce.Type); ok {
		at := it.pos[""]
		seen.add(k, edgePos(ids.fileIndex(at.File), uint32(at.Line), uint32(at.Col), e.Type))
	}
	refIDs := []string{e.From, e.To}
	for _, ev := range e.Evidence {
		refIDs = append(refIDs, ev.Source)
	}
	for _, id := range refIDs {
		info, _ := r.lookup(id)
		if info.has(r.set) {
			continue
		}
		for _, set := range info.sets() { // each set that defines it: none may drop it alone
			if refs[set] == nil {
				refs[set] = map[string]bool{}
			}
			refs[set][id] = true
		}
	}
}

// checkReferences checks each set of the run against the data sets that
// refer to it (read once per set): it may not drop ids they still refer to,
// nor change the kind of a node they refer to.
func (l *Loader) checkReferences(ctx context.Context, pl *plan, c *problems) error {
	if l.Store == nil {
		return nil
	}
	for _, s := range pl.sets {
		stored, err := l.Store.Referrers(ctx, s.Name)
		if err != nil {
			return err
		}
		if err := l.checkDropped(ctx, pl, s, stored, c); err != nil {
			return err
		}
		if err := l.checkKindChanges(ctx, pl, s, stored, c); err != nil {
			return err
		}
	}
	return nil
}

// checkDropped refuses to drop ids that data sets outside this run still
// refer to, unless another data set still defines them.
func (l *Loader) checkDropped(ctx context.Context, pl *plan, s *Set, stored map[string][]string, c *problems) error {
	for _, other := range slices.Sorted(maps.Keys(stored)) {
		if pl.inRun(other) {
			continue
		}
		var lost []string
		for _, id := range stored[other] {
			kept, err := l.stillDefined(ctx, pl, s, id)
			if err != nil {
				return err
			}
			if !kept {
				lost = append(lost, id)
			}
		}
		if len(lost) > 0 {
			c.add(Pos{File: s.Display}, "data set %s still refers to %v, which this seed of %s would remove: keep those ids or change %s first", other, lost, s.Name, other)
		}
	}
	return nil
}

// stillDefined reports whether id stays defined after this run: by a set
// of the run, or by a stored set outside it other than s.
func (l *Loader) stillDefined(ctx context.Context, pl *plan, s *Set, id string) (bool, error) {
	if _, ok := pl.ids.get(id); ok {
		return true, nil
	}
	_, sets, ok, err := l.Store.NodeSets(ctx, id)
	if err != nil || !ok {
		return false, err
	}
	for _, set := range pl.outside(sets) {
		if set != s.Name {
			return true, nil
		}
	}
	return false, nil
}

// checkKindChanges refuses to change the kind of a node that another data
// set refers to, in the store or in this run: that set's relations hold the
// node's kind in their keys, and data sets are written one at a time.
func (l *Loader) checkKindChanges(ctx context.Context, pl *plan, s *Set, stored map[string][]string, c *problems) error {
	referrers := map[string][]string{} // id -> sets referring to it
	for other, ids := range stored {
		for _, id := range ids {
			referrers[id] = append(referrers[id], other)
		}
	}
	for other, refs := range pl.refs {
		for _, id := range refs[s.Name] {
			if other != s.Name && !slices.Contains(referrers[id], other) {
				referrers[id] = append(referrers[id], other)
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(referrers)) {
		info, ok := pl.ids.get(id)
		if !ok || !info.has(s.Name) {
			continue // removed: checkDropped reports it
		}
		k, _, found, err := l.Store.NodeKind(ctx, id)
		if err != nil {
			return err
		}
		if found && k != info.kind && info.kind.Valid() {
			sets := referrers[id]
			sort.Strings(sets)
			c.add(info.pos, "%s changes kind from %s to %s while data set %s refers to it: keep the kind, or remove those relations first", id, k, info.kind, strings.Join(sets, ", "))
		}
	}
	return nil
}
