package lexicon

import (
	"cmp"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// maxNameScan bounds the keys one suggestion reads: a one-letter prefix
// starts thousands of names, of which it ranks the first this many in
// byte order.
const maxNameScan = 4096

// Tiers of a suggestion, best first.
const (
	tierExact    = iota
	tierStart    // the start of the name
	tierWord     // the start of a later word of the name
	tierTypo     // the start of the name, within edits
	tierTypoWord // the start of a later word, within edits
)

type candidate struct {
	node  int32
	tier  int
	edits int
	isID  bool
	match string
}

// Names returns up to limit nodes whose name, an alias or id starts with
// text (folded), or one of whose words does, best first: a whole name
// before a start, the start of the name before the start of a later word,
// as typed before within edits (one from 5 letters, two from 9), then the
// node with more relations, the shorter name, the smaller id. Only nodes
// of kinds are kept when kinds is not empty.
func (d *Dict) Names(text string, kinds []graph.Kind, limit int) []graph.NameMatch {
	q := strings.Join(strings.Fields(d.an.Fold(text)), " ")
	if q == "" || limit <= 0 || d.names[0] == nil {
		return nil
	}
	best := map[int32]candidate{}
	keep := func(k []byte, v uint64, tier, edits int) {
		e := d.entries[v]
		if len(kinds) > 0 && !slices.Contains(kinds, d.nodes[e.node].kind) {
			return
		}
		if e.word > 0 {
			tier++ // the later word's tier follows the name's start
		}
		if tier == tierStart && e.word == 0 && len(k) > len(q) && k[len(q)] == 0 {
			tier = tierExact
		}
		c := candidate{e.node, tier, edits, e.isID, d.shown[e.name]}
		if old, ok := best[e.node]; !ok || d.better(c, old) {
			best[e.node] = c
		}
	}
	// The tiers in order, each read only while fewer than limit are
	// found: a tier's matches all rank before the next's.
	p := []byte(q)
	for part := range d.names {
		if len(best) >= limit {
			return d.ranked(best, limit)
		}
		read := 0
		_ = each(d.names[part], nil, p, prefixEnd(p), func(k []byte, v uint64) bool {
			keep(k, v, tierStart, 0)
			read++
			return read < maxNameScan
		})
	}
	edits := maxEdits(q)
	for part := range d.names {
		if len(best) >= limit || edits == 0 {
			break
		}
		type hit struct {
			k []byte
			v uint64
		}
		var near [3][]hit // by edits
		read := 0
		eachWithin(d.names[part], q, edits, true, func(k []byte, v uint64, e int) {
			if read++; read <= maxNameScan && e > 0 {
				near[e] = append(near[e], hit{slices.Clone(k), v})
			}
		})
		e := 1
		if len(near[1]) == 0 {
			e = 2 // two edits only when one finds nothing
		}
		for _, h := range near[e] {
			keep(h.k, h.v, tierTypo, e)
		}
	}
	return d.ranked(best, limit)
}

// better reports whether a ranks before b.
func (d *Dict) better(a, b candidate) bool {
	return d.compare(a, b) < 0
}

func (d *Dict) compare(a, b candidate) int {
	// Early returns: a suggestion of a short prefix compares thousands.
	if a.tier != b.tier {
		return cmp.Compare(a.tier, b.tier)
	}
	if a.edits != b.edits {
		return cmp.Compare(a.edits, b.edits)
	}
	na, nb := &d.nodes[a.node], &d.nodes[b.node]
	if c := cmp.Compare(rank(na.kind), rank(nb.kind)); c != 0 {
		return c
	}
	if c := cmpBool(a.isID, b.isID); c != 0 {
		return c
	}
	if na.degree != nb.degree {
		return cmp.Compare(nb.degree, na.degree)
	}
	if na.nameLen != nb.nameLen {
		return cmp.Compare(na.nameLen, nb.nameLen)
	}
	return strings.Compare(na.id, nb.id)
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// rank puts sources after the entities among suggestions of a tier: a
// source's title is evidence, seldom what one is looking for.
func rank(k graph.Kind) int {
	if k == graph.KindSource {
		return 1
	}
	return 0
}

// ranked returns the best limit candidates as matches.
func (d *Dict) ranked(best map[int32]candidate, limit int) []graph.NameMatch {
	// The best limit, kept sorted as they come: limit is small.
	list := make([]candidate, 0, limit+1)
	for _, c := range best {
		if len(list) == limit && d.compare(c, list[limit-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(list, c, d.compare)
		list = slices.Insert(list, i, c)
		if len(list) > limit {
			list = list[:limit]
		}
	}
	out := make([]graph.NameMatch, 0, min(limit, len(list)))
	for _, c := range list[:min(limit, len(list))] {
		n := d.nodes[c.node]
		how := "prefix"
		switch {
		case c.tier == tierExact:
			how = "exact"
		case c.tier >= tierTypo:
			how = "typo"
		}
		out = append(out, graph.NameMatch{ID: n.id, Kind: n.kind, Match: c.match, How: how, Edits: c.edits})
	}
	return out
}
