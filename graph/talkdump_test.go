package graph

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// dumpIndex writes out what a talk index holds by node id, not number, so
// two indexes of one version compare equal however their nodes were
// numbered: every talk's row, every non-empty list, the per-year counts,
// the conferences and the kinds of the nodes the lists name.
func dumpIndex(idx *talkIndex) string {
	var b strings.Builder
	ids := func(l []int32) []string {
		out := make([]string, len(l))
		for i, n := range l {
			out[i] = idx.names[n]
		}
		return out
	}
	named := map[string]Kind{}
	fmt.Fprintf(&b, "talks %v\n", ids(idx.talks))
	for _, t := range idx.talks {
		r := idx.row(t)
		fmt.Fprintf(&b, "row %s: %d %d/%v %q %q confs %v speakers %v out %v topics %v\n", idx.names[t], r.year, r.ownYear,
			r.hasOwnYear, r.lang, r.track, ids(r.confs), ids(r.speakers), ids(r.out), ids(r.topics))
	}
	for n := range int32(idx.rows.Len()) {
		if idx.row(n) != nil && !slices.Contains(idx.talks, n) {
			fmt.Fprintf(&b, "row of %s, not among the talks\n", idx.names[n])
		}
	}
	for i, table := range []*cow[[]int32]{&idx.linked, &idx.bySpeaker, &idx.byConf, &idx.byTopic} {
		var lines []string
		for n := range int32(table.Len()) {
			if l := table.at(n); len(l) > 0 {
				named[idx.names[n]] = idx.kinds.at(n)
				lines = append(lines, fmt.Sprintf("table %d %s: %v\n", i, idx.names[n], ids(l)))
			}
		}
		slices.Sort(lines)
		b.WriteString(strings.Join(lines, ""))
	}
	for _, y := range slices.Sorted(maps.Keys(idx.byYear)) {
		fmt.Fprintf(&b, "year %d: %v\n", y, ids(idx.byYear[y]))
	}
	for _, y := range slices.Sorted(maps.Keys(idx.yearCounts)) {
		var lines []string
		for n, c := range idx.yearCounts[y] {
			lines = append(lines, fmt.Sprintf("%s=%d", idx.names[n], c))
		}
		slices.Sort(lines)
		fmt.Fprintf(&b, "counts %d: %v\n", y, lines)
	}
	var confs []string
	for c, ci := range idx.confs {
		confs = append(confs, fmt.Sprintf("conf %s: %+v\n", idx.names[c], *ci))
	}
	slices.Sort(confs)
	b.WriteString(strings.Join(confs, ""))
	for _, id := range slices.Sorted(maps.Keys(named)) {
		fmt.Fprintf(&b, "kind %s: %s\n", id, named[id])
	}
	return b.String()
}
