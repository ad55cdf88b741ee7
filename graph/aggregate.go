package graph

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
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
	idx.each(idx.query(f), func(t int32) bool {
		if skipped < offset {
			skipped++
			return true
		}
		if limit >= 0 && len(out) >= limit {
			return false
		}
		out = append(out, idx.names[t])
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
	q := idx.query(f)
	lists := idx.lists(q)
	if !q.none && len(lists) == 1 && f.Language == "" && f.Track == "" {
		return len(lists[0]), nil
	}
	n := 0
	idx.each(q, func(int32) bool { n++; return true })
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
// Every talk, or the talks of one year, are answered from the index's
// counts; other filters walk the talks they select. It returns the store's
// read errors.
func (tx *Tx) Topics(f TalkFilter, kinds []Kind, limit int) ([]TopicCount, error) {
	idx, err := tx.talkIndex()
	if err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		kinds = DefaultTopicKinds
	}
	var counts []topicNum
	add := func(n int32, c int) {
		if c > 0 && slices.Contains(kinds, idx.kinds.at(n)) {
			counts = append(counts, topicNum{n, c})
		}
	}
	switch {
	case f == TalkFilter{Year: f.Year}: // every talk, or a year's
		for _, c := range idx.rankedCounts(f.Year) {
			if limit >= 0 && len(counts) >= limit && (limit == 0 || c.talks < counts[limit-1].talks) {
				break // the rest count less than the last kept
			}
			add(c.n, c.talks)
		}
	default:
		m := map[int32]int{}
		idx.each(idx.query(f), func(t int32) bool {
			for _, n := range idx.row(t).out {
				m[n]++
			}
			return true
		})
		for n, c := range m {
			add(n, c)
		}
	}
	return tx.rankTopics(idx, counts, limit)
}

// rankedCounts returns the entities with talks (of the year, every year
// for 0), most talks first, computed once per index.
func (idx *talkIndex) rankedCounts(year int) []topicNum {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if r, ok := idx.ranked[year]; ok {
		return r
	}
	var r []topicNum
	if year == 0 {
		for n := range int32(idx.linked.Len()) {
			if l := idx.linked.at(n); len(l) > 0 {
				r = append(r, topicNum{n, len(l)})
			}
		}
	} else {
		for n, c := range idx.yearCounts[year] {
			r = append(r, topicNum{n, int(c)})
		}
	}
	slices.SortFunc(r, func(a, b topicNum) int { return cmp.Or(cmp.Compare(b.talks, a.talks), cmp.Compare(a.n, b.n)) })
	if idx.ranked == nil {
		idx.ranked = map[int][]topicNum{}
	}
	idx.ranked[year] = r
	return r
}

// topicNum is an entity's number and its count of talks.
type topicNum struct {
	n     int32
	talks int
}

// rankTopics sorts by count, most first, and cuts at limit. Only the
// counts at or above the limit-th are sorted, and names are read only for
// the entities that tie with the last kept.
func (tx *Tx) rankTopics(idx *talkIndex, nums []topicNum, limit int) ([]TopicCount, error) {
	if limit < 0 || limit > len(nums) {
		limit = len(nums)
	}
	if limit == 0 {
		return []TopicCount{}, nil
	}
	floor := kthLargest(nums, limit)
	counts := make([]TopicCount, 0, limit)
	for _, c := range nums {
		if c.talks >= floor {
			counts = append(counts, TopicCount{idx.names[c.n], c.talks})
		}
	}
	slices.SortFunc(counts, func(a, b TopicCount) int { return cmp.Compare(b.Talks, a.Talks) })
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

// kthLargest returns the k-th largest count (1 <= k <= len(nums)), keeping
// the k largest seen in a small min-heap.
func kthLargest(nums []topicNum, k int) int {
	h := make([]int, 0, k)
	for _, c := range nums {
		switch {
		case len(h) < k:
			h = append(h, c.talks)
			for i := len(h) - 1; i > 0 && h[(i-1)/2] > h[i]; i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
		case c.talks > h[0]:
			h[0] = c.talks
			siftDown(h)
		}
	}
	return h[0]
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
	n, ok := idx.id(id)
	if !ok {
		return []TrendPoint{}, nil
	}
	if by == ByYear {
		return idx.trendByYear(n), nil
	}
	counts := map[int32]int{}
	unknown := 0
	for _, t := range idx.linked.at(n) {
		row := idx.row(t)
		if len(row.confs) == 0 {
			unknown++
		}
		for _, c := range row.confs {
			counts[c]++
		}
	}
	keys := slices.Collect(maps.Keys(counts))
	slices.SortFunc(keys, idx.confOrder)
	out := make([]TrendPoint, 0, len(keys)+1)
	for _, c := range keys {
		out = append(out, TrendPoint{idx.confs[c].name, counts[c]})
	}
	if unknown > 0 {
		out = append(out, TrendPoint{Unknown, unknown})
	}
	return out, nil
}

// trendByYear reads entity n's talks per year from the index's counts.
func (idx *talkIndex) trendByYear(n int32) []TrendPoint {
	var years []int
	for y, m := range idx.yearCounts {
		if y != 0 && m[n] > 0 {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	out := make([]TrendPoint, 0, len(years)+1)
	for _, y := range years {
		out = append(out, TrendPoint{strconv.Itoa(y), int(idx.yearCounts[y][n])})
	}
	if c := idx.yearCounts[0][n]; c > 0 {
		out = append(out, TrendPoint{Unknown, int(c)})
	}
	return out
}

// confOrder orders conferences in time: by year, then date, name and id.
func (idx *talkIndex) confOrder(a, b int32) int {
	ca, cb := idx.confs[a], idx.confs[b]
	return cmp.Or(cmp.Compare(ca.year, cb.year), cmp.Compare(ca.date, cb.date), cmp.Compare(ca.name, cb.name), idx.cmpNum(a, b))
}
