package graph

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// talkIndex is what questions about many talks at once read: every talk
// with its year, language, track, conferences, speakers and the entities it
// points at, and the reverse lists (the talks of an entity, a speaker, a
// conference). It is built from the store in one pass — the talk records and
// one key-only scan of the forward adjacency — for one published version,
// and kept until a write publishes another (see aggCache): counting the
// talks of a hub, or intersecting two filters, then never reads a list of
// ten thousand keys again.
type talkIndex struct {
	ver   uint64
	ids   []string // every talk, in id order
	rows  map[string]*talkRow
	kinds map[string]Kind // kind of every node a talk points at, and of speakers
	// The talks, in id order, with a relation (any type) to an entity, given
	// by a person, part_of a conference, and mentioning or about an entity.
	linked, bySpeaker, byConf, byTopic map[string][]string
	byYear                             map[int][]string // in id order
	confs                              map[string]*confInfo
}

// talkRow is one talk as the aggregate questions see it. Lists are sorted
// and without repeats.
type talkRow struct {
	year        int // 0 when neither the talk nor its conference says
	lang, track string
	confs       []string // conferences it is part_of
	speakers    []string // people who gave it
	out         []string // every node it has a relation to (mentioning)
	topics      []string // what it mentions or is about (similarity)
}

type confInfo struct {
	name, date string
	year       int
}

// aggCache keeps the talk index and relation counts of the published
// version. The index of a version is built once, by one goroutine, whatever
// the number of readers asking for it meanwhile.
type aggCache struct {
	mu       sync.Mutex
	idx      *talkIndex
	building *indexBuild
	builds   sync.WaitGroup // Close waits for a build under way
	counts   map[countKey]int
	ver      uint64 // the version counts are of
}

// indexBuild is a build of the index of one version under way.
type indexBuild struct {
	ver  uint64
	done chan struct{}
	idx  *talkIndex
	err  error
}

type countKey struct {
	id  string
	dir Direction
	typ string
}

// maxCachedCounts bounds the relation counts kept; a full map starts again.
const maxCachedCounts = 100_000

// indexBuildTimeout bounds a build of the talk index (about a second at
// 100 000 talks on an idle machine).
const indexBuildTimeout = 5 * time.Minute

// talkIndex returns the index at the transaction's version. The build runs
// in a transaction of its own, not bound to the request that started it: a
// request whose deadline comes first fails with its context's error, and
// the build goes on for the next one. A reader of an older version than the
// one being built builds its own, in its own time, and keeps it to itself.
func (tx *Tx) talkIndex() (*talkIndex, error) {
	c := &tx.s.agg
	c.mu.Lock()
	if c.idx != nil && c.idx.ver == tx.ts {
		c.mu.Unlock()
		return c.idx, nil
	}
	if (c.idx != nil && c.idx.ver > tx.ts) || (c.building != nil && c.building.ver > tx.ts) {
		c.mu.Unlock()
		return tx.buildTalkIndex()
	}
	b := c.building
	if b == nil {
		b = &indexBuild{ver: tx.ts, done: make(chan struct{})}
		c.building = b
		c.builds.Add(1)
		// Taken now, while the request still holds the version.
		bctx, cancel := context.WithTimeout(context.Background(), indexBuildTimeout)
		btx := tx.s.beginAt(bctx, tx.ts)
		go func() {
			defer c.builds.Done()
			defer cancel()
			defer btx.Discard()
			b.idx, b.err = btx.buildTalkIndex()
			c.mu.Lock()
			if b.err == nil && (c.idx == nil || b.ver >= c.idx.ver) {
				c.idx = b.idx
			}
			c.building = nil
			c.mu.Unlock()
			close(b.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-b.done:
		return b.idx, b.err
	case <-tx.ctx.Done():
		return nil, tx.ctx.Err()
	}
}

// beginAt opens a read-only transaction at version ts, which a reader
// holds: a second reader of the same snapshot.
func (s *Store) beginAt(ctx context.Context, ts uint64) *Tx {
	s.rmu.Lock()
	s.readers[ts]++
	s.rmu.Unlock()
	return &Tx{ctx: ctx, s: s, ts: ts, txn: s.db.NewTransactionAt(ts, false), nodes: map[string]*Node{}}
}

func (tx *Tx) buildTalkIndex() (*talkIndex, error) {
	idx := &talkIndex{ver: tx.ts, rows: map[string]*talkRow{}, kinds: map[string]Kind{},
		linked: map[string][]string{}, bySpeaker: map[string][]string{}, byConf: map[string][]string{},
		byTopic: map[string][]string{}, byYear: map[int][]string{}, confs: map[string]*confInfo{}}
	dates := map[string]string{} // talk -> its own date or year
	// One scan of the node records, decoding talks only: reading 100 000
	// talks one by one, or through the node cache, would cost more and
	// empty that cache.
	err := tx.scan([]byte{tagNode}, func(k, v []byte) error {
		if kindOf(v) != KindTalk {
			return nil
		}
		n, err := decodeTalkProps(v)
		if err != nil {
			return fmt.Errorf("decode node %q: %w", k[1:], err)
		}
		idx.ids = append(idx.ids, n.ID)
		idx.rows[n.ID] = &talkRow{lang: n.Props["lang"], track: n.Props["track"]}
		dates[n.ID] = yearText(n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index talks: %w", err)
	}
	if err := tx.indexEdges(idx); err != nil {
		return nil, fmt.Errorf("index talks' relations: %w", err)
	}
	if err := tx.indexYears(idx, dates); err != nil {
		return nil, err
	}
	for _, id := range idx.ids {
		if y := idx.rows[id].year; y != 0 {
			idx.byYear[y] = append(idx.byYear[y], id)
		}
	}
	for _, m := range []map[string][]string{idx.linked, idx.bySpeaker, idx.byConf, idx.byTopic} {
		for k, ids := range m {
			slices.Sort(ids)
			m[k] = slices.Compact(ids)
		}
	}
	return idx, nil
}

// indexEdges reads the forward adjacency keys once: the talks' own
// relations, and the gave relations that point at talks.
func (tx *Tx) indexEdges(idx *talkIndex) error {
	err := tx.scanKeys([]byte{tagOut}, func(k, _ []byte) error {
		i := bytes.IndexByte(k, sep)
		if i < 0 {
			return nil
		}
		typ, kind, far, _, ok := splitAdjacent(k[i+1:])
		if !ok {
			return nil
		}
		from := k[1:i]
		if typ == "gave" && kind == KindTalk {
			if row := idx.rows[string(far)]; row != nil {
				id := string(from)
				row.speakers = append(row.speakers, id)
				idx.bySpeaker[id] = append(idx.bySpeaker[id], string(far))
				idx.kinds[id] = KindPerson
			}
			return nil
		}
		row := idx.rows[string(from)]
		if row == nil {
			return nil
		}
		talk, to := string(from), string(far)
		idx.kinds[to] = kind
		row.out = append(row.out, to)
		idx.linked[to] = append(idx.linked[to], talk)
		switch {
		case typ == "part_of" && kind == KindConference:
			row.confs = append(row.confs, to)
			idx.byConf[to] = append(idx.byConf[to], talk)
		case typ == "mentions" || typ == "about":
			row.topics = append(row.topics, to)
			idx.byTopic[to] = append(idx.byTopic[to], talk)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, row := range idx.rows {
		for _, l := range []*[]string{&row.confs, &row.speakers, &row.out, &row.topics} {
			slices.Sort(*l)
			*l = slices.Compact(*l)
		}
	}
	return nil
}

// indexYears gives each talk its year: its own date's (or year's), else
// that of the first of its conferences, by id, that has one.
func (tx *Tx) indexYears(idx *talkIndex, dates map[string]string) error {
	for id, row := range idx.rows {
		for _, c := range row.confs {
			if _, ok := idx.confs[c]; ok {
				continue
			}
			n, err := tx.Node(c)
			if err != nil {
				return fmt.Errorf("index conference %s: %w", c, err)
			}
			y, _ := strconv.Atoi(yearText(n))
			idx.confs[c] = &confInfo{name: n.Name, date: n.Props["date"], year: y}
		}
		if y, err := strconv.Atoi(dates[id]); err == nil {
			row.year = y
			continue
		}
		for _, c := range row.confs {
			if y := idx.confs[c].year; y != 0 {
				row.year = y
				break
			}
		}
	}
	return nil
}

// decodeTalkProps decodes the id and properties of a node record, skipping
// the texts: the index of 100 000 talks reads every talk record.
func decodeTalkProps(b []byte) (*Node, error) {
	d := &dec{b: b}
	n := &Node{Kind: Kind(d.str())}
	n.ID = d.str()
	d.skip(3)                // name, data set, file
	d.num()                  // line
	d.skip(int(d.num()))     // aliases
	d.skip(2 * int(d.num())) // description: language, text
	n.Props = d.smap()
	return n, d.err
}

// skip passes over n strings.
func (d *dec) skip(n int) {
	for ; n > 0 && d.err == nil; n-- {
		l := d.num()
		if l > uint64(len(d.b)) {
			d.err, d.b = errCorrupt, nil
			return
		}
		d.b = d.b[l:]
	}
}

// yearText returns the year a node's date or year property gives, or "".
func yearText(n *Node) string {
	if d := n.Props["date"]; len(d) >= 4 {
		return d[:4]
	}
	return n.Props["year"]
}

// has reports whether the sorted list holds id.
func has(sorted []string, id string) bool {
	_, ok := slices.BinarySearch(sorted, id)
	return ok
}

// TalkFilter selects talks; its conditions intersect. Conference, Speaker
// and Mentioning are node ids; Language and Track match without regard to
// case; Year 0 means any year.
type TalkFilter struct {
	Conference, Speaker, Mentioning string
	Language, Track                 string
	Year                            int
}

// lists returns the id lists the filter's conditions select from: those of
// its entities, and of its year.
func (idx *talkIndex) lists(f TalkFilter) [][]string {
	var out [][]string
	if f.Conference != "" {
		out = append(out, idx.byConf[f.Conference])
	}
	if f.Speaker != "" {
		out = append(out, idx.bySpeaker[f.Speaker])
	}
	if f.Mentioning != "" {
		out = append(out, idx.linked[f.Mentioning])
	}
	if f.Year != 0 {
		out = append(out, idx.byYear[f.Year])
	}
	return out
}

// match reports whether talk id meets every condition of f.
func (idx *talkIndex) match(id string, f TalkFilter) bool {
	row := idx.rows[id]
	switch {
	case row == nil:
		return false
	case f.Conference != "" && !has(row.confs, f.Conference),
		f.Speaker != "" && !has(row.speakers, f.Speaker),
		f.Mentioning != "" && !has(row.out, f.Mentioning),
		f.Language != "" && !strings.EqualFold(row.lang, f.Language),
		f.Track != "" && !strings.EqualFold(row.track, f.Track),
		f.Year != 0 && row.year != f.Year:
		return false
	}
	return true
}

// each calls fn with every talk f selects, in id order: it walks the
// shortest of the lists its conditions give (all talks when none) and
// checks the other conditions on each talk's row.
func (idx *talkIndex) each(f TalkFilter, fn func(id string) bool) {
	drive := idx.ids
	for i, l := range idx.lists(f) {
		if i == 0 || len(l) < len(drive) {
			drive = l
		}
	}
	for _, id := range drive {
		if idx.match(id, f) && !fn(id) {
			return
		}
	}
}
