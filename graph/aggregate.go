package graph

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TalkIDs returns the ids of the talks f selects, in id order, skipping
// offset and keeping at most limit (< 0: all). It reads the talk index
// (built once per published version, see talkIndex) and returns the store's
// read errors.
func (tx *Tx) TalkIDs(f TalkFilter, offset, limit int) ([]string, error) {
	idx, err := tx.talkIndex()
	if err != nil {
		return nil, err
	}
	var out []string
	skipped := 0
	idx.each(f, func(id string) bool {
		if skipped < offset {
			skipped++
			return true
		}
		if limit >= 0 && len(out) >= limit {
			return false
		}
		out = append(out, id)
		return true
	})
	return out, nil
}

// CountTalks returns how many talks f selects: the length TalkIDs would
// return with no limit, without building the list. It returns the store's
// read errors.
func (tx *Tx) CountTalks(f TalkFilter) (int, error) {
	idx, err := tx.talkIndex()
	if err != nil {
		return 0, err
	}
	lists := idx.lists(f)
	if len(lists) == 1 && f.Language == "" && f.Track == "" {
		return len(lists[0]), nil
	}
	n := 0
	idx.each(f, func(string) bool { n++; return true })
	return n, nil
}

// CountRelations returns how many relations Relations(id, dir, name, -1)
// would return, reading keys only, and keeps the answer for the published
// version. It returns ErrInvalid for an unknown relation type.
func (tx *Tx) CountRelations(id string, dir Direction, name string) (int, error) {
	typ := ""
	if name != "" {
		t, inv, ok := LookupEdgeType(name)
		if !ok {
			return 0, fmt.Errorf("relation type %q: %w: use one of %v", name, ErrInvalid, EdgeTypeNames())
		}
		typ = t.Name
		if inv {
			dir = dir.flip()
		}
	}
	k := countKey{id, dir, typ}
	c := &tx.s.agg
	c.mu.Lock()
	n, ok := c.counts[k]
	ok = ok && c.ver == tx.ts
	c.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := tx.countRelations(k)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if tx.ts > c.ver || c.counts == nil || len(c.counts) >= maxCachedCounts {
		c.ver, c.counts = max(c.ver, tx.ts), map[countKey]int{}
	}
	if c.ver == tx.ts {
		c.counts[k] = n
	}
	return n, nil
}

// countRelations counts distinct (type, far end) pairs under the adjacency
// prefixes of k: an edge two data sets assert is one relation.
func (tx *Tx) countRelations(k countKey) (int, error) {
	n := 0
	for _, d := range []Direction{Out, In} {
		if k.dir&d == 0 {
			continue
		}
		tag := byte(tagOut)
		if d == In {
			tag = tagIn
		}
		base := len(prefix(tag, k.id))
		p := prefix(tag, k.id)
		if k.typ != "" {
			p = prefix(tag, k.id, k.typ)
		}
		var last []byte
		err := tx.scanKeys(p, func(key, _ []byte) error {
			// Everything but the data set names the relation.
			rel := key[base:bytes.LastIndexByte(key, sep)]
			if !bytes.Equal(rel, last) {
				n++
				last = append(last[:0], rel...)
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return n, nil
}

// TopicCount is an entity and how many talks mention it or are about it
// (have any relation to it, as TalkFilter.Mentioning counts).
type TopicCount struct {
	ID    string
	Talks int
}

// DefaultTopicKinds are the kinds Topics ranks when none are given.
var DefaultTopicKinds = []Kind{KindConcept, KindTool, KindCompany}

// Topics returns the entities of the given kinds (DefaultTopicKinds when
// empty) that the talks f selects have relations to, ranked by how many of
// those talks do, ties broken by name (case folded) then id, at most limit.
// It returns the store's read errors.
func (tx *Tx) Topics(f TalkFilter, kinds []Kind, limit int) ([]TopicCount, error) {
	idx, err := tx.talkIndex()
	if err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		kinds = DefaultTopicKinds
	}
	var counts []TopicCount
	if f == (TalkFilter{}) {
		// Every talk: the lists' lengths are the counts.
		for id, talks := range idx.linked {
			if slices.Contains(kinds, idx.kinds[id]) {
				counts = append(counts, TopicCount{id, len(talks)})
			}
		}
	} else {
		m := map[string]int{}
		idx.each(f, func(talk string) bool {
			for _, id := range idx.rows[talk].out {
				if slices.Contains(kinds, idx.kinds[id]) {
					m[id]++
				}
			}
			return true
		})
		for id, n := range m {
			counts = append(counts, TopicCount{id, n})
		}
	}
	return tx.rankTopics(counts, limit)
}

// rankTopics sorts by count, most first, and cuts at limit; names are read
// only for the entities that tie with those kept.
func (tx *Tx) rankTopics(counts []TopicCount, limit int) ([]TopicCount, error) {
	slices.SortFunc(counts, func(a, b TopicCount) int { return cmp.Compare(b.Talks, a.Talks) })
	if limit < 0 || limit > len(counts) {
		limit = len(counts)
	}
	if limit == 0 {
		return []TopicCount{}, nil
	}
	lowest := counts[limit-1].Talks
	end := limit
	for end < len(counts) && counts[end].Talks == lowest {
		end++
	}
	counts = counts[:end]
	names := make(map[string]string, len(counts))
	for _, c := range counts {
		n, err := tx.Node(c.ID)
		if err != nil {
			return nil, err
		}
		names[c.ID] = strings.ToLower(n.Name)
	}
	slices.SortFunc(counts, func(a, b TopicCount) int {
		return cmp.Or(cmp.Compare(b.Talks, a.Talks), cmp.Compare(names[a.ID], names[b.ID]), cmp.Compare(a.ID, b.ID))
	})
	return counts[:limit], nil
}

// TrendBy says what a trend counts talks by.
type TrendBy int

// What a trend counts talks by.
const (
	ByYear TrendBy = iota + 1
	ByConference
)

// Unknown is the label of the talks a trend cannot place: no year, or no
// conference.
const Unknown = "unknown"

// TrendPoint is how many talks fall under one label of a trend.
type TrendPoint struct {
	Label string
	Talks int
}

// Trend counts the talks that have a relation to entity id (as
// TalkFilter.Mentioning) per year (each talk's date, else its conference's)
// or per conference (a talk of two conferences counts in both), in time
// order; talks it cannot place come last, under Unknown. It returns the
// store's read errors.
func (tx *Tx) Trend(id string, by TrendBy) ([]TrendPoint, error) {
	idx, err := tx.talkIndex()
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	years := map[int]int{}
	for _, talk := range idx.linked[id] {
		row := idx.rows[talk]
		switch {
		case by == ByYear && row.year != 0:
			years[row.year]++
		case by == ByConference && len(row.confs) > 0:
			for _, c := range row.confs {
				counts[c]++
			}
		default:
			counts[Unknown]++
		}
	}
	for y, n := range years {
		counts[strconv.Itoa(y)] = n
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		if k != Unknown {
			keys = append(keys, k)
		}
	}
	if by == ByYear {
		slices.Sort(keys) // four-digit years sort as text
	} else {
		slices.SortFunc(keys, idx.confOrder)
	}
	out := make([]TrendPoint, 0, len(counts))
	for _, k := range keys {
		label := k
		if by == ByConference {
			label = idx.confs[k].name
		}
		out = append(out, TrendPoint{label, counts[k]})
	}
	if n := counts[Unknown]; n > 0 {
		out = append(out, TrendPoint{Unknown, n})
	}
	return out, nil
}

// confOrder orders conferences in time: by year, then date, name and id.
func (idx *talkIndex) confOrder(a, b string) int {
	ca, cb := idx.confs[a], idx.confs[b]
	return cmp.Or(cmp.Compare(ca.year, cb.year), cmp.Compare(ca.date, cb.date), cmp.Compare(ca.name, cb.name), cmp.Compare(a, b))
}
