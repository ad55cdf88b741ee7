package graph

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// talkIndex is what questions about many talks at once read: every talk
// with its year, language, track, conferences, speakers and the entities it
// points at, the reverse lists (the talks of an entity, a speaker, a
// conference) and per-year counts of each entity's talks. It is the index
// of one version and never changes once made: a write makes the next
// version's index, by patching a copy for a small mutation (talkpatch.go)
// or by a new build (talkbuild.go), so a reader of an older snapshot keeps
// an index that matches it.
//
// Node ids are numbered (interned) so that lists are []int32 and tables are
// vectors indexed by number, not maps of strings: at 100 000 talks the maps
// were a third of the build and most of the heap. A number stays with its
// id in every index derived from the one that gave it; every list is in id
// (string) order, whatever the numbers' order. The tables are cows, so a
// patched index shares all but the chunks it changed with its base.
type talkIndex struct {
	ver   uint64
	names []string         // node id of each number
	num   map[string]int32 // number of each node id
	kinds cow[Kind]        // per number: the node's kind, "" once deleted
	rows  cow[*talkRow]    // per number: the talk's row, nil for other nodes
	talks []int32          // every talk, in id order
	// Per number, the talks in id order with a relation (any type) to the
	// node, given by it, part_of it, and mentioning or about it.
	linked, bySpeaker, byConf, byTopic cow[[]int32]
	byYear                             map[int][]int32         // in id order
	yearCounts                         map[int]map[int32]int32 // year (0: unknown) -> entity -> linked talks
	confs                              map[int32]*confInfo     // the conferences talks are part_of
	// What questions derive from the index and keep for its version: the
	// entities by count, of all talks (key 0) or a year's, and document
	// frequencies (similar.go). A patched index starts without them.
	mu     sync.Mutex
	ranked map[int][]topicNum
	dfs    map[string]int
}

// talkRow is one talk as the aggregate questions see it. Lists are in id
// order and without repeats.
type talkRow struct {
	year        int // 0 when neither the talk nor its conference says
	ownYear     int // the year of the talk's own date or year property
	hasOwnYear  bool
	lang, track string
	confs       []int32 // conferences it is part_of
	speakers    []int32 // people who gave it
	out         []int32 // every node it has a relation to (mentioning)
	topics      []int32 // what it mentions or is about (similarity)
}

type confInfo struct {
	name, date string
	year       int
}

// aggCache keeps the talk index of the newest version asked for, the
// builds under way (one per version, whatever the number of readers
// waiting for it), and relation counts.
type aggCache struct {
	mu      sync.Mutex
	idx     *talkIndex
	builds  map[uint64]*indexBuild
	running sync.WaitGroup // Close waits for builds under way
	stop    context.CancelFunc
	stopCtx context.Context
	counts  map[countKey]int
	ver     uint64 // the version counts are of
	patches int    // indexes made by patching (tests read it)
}

// indexBuild is a build (or patch) of the index of one version under way.
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

// indexBuildTimeout bounds a build of the talk index (about two seconds
// at 100 000 talks on a quiet machine).
const indexBuildTimeout = 5 * time.Minute

// talkIndex returns the index at the transaction's version, waiting for a
// build under way or starting one. A build runs in a transaction of its
// own, not bound to the request that started it: a request whose deadline
// comes first fails with its context's error, and the build goes on for
// the next one.
func (tx *Tx) talkIndex() (*talkIndex, error) {
	c := &tx.s.agg
	c.mu.Lock()
	if idx := c.idx; idx != nil && idx.ver == tx.ts {
		c.mu.Unlock()
		return idx, nil
	}
	b := c.builds[tx.ts]
	if b == nil {
		b = c.start(tx.s, tx.ts, nil)
	}
	c.mu.Unlock()
	select {
	case <-b.done:
		return b.idx, b.err
	case <-tx.ctx.Done():
		return nil, tx.ctx.Err()
	}
}

// WarmTalkIndex starts building the talk index of the published version in
// the background, when none is kept or under way, so that the first
// question about many talks (a count, topics, a trend, similar talks) does
// not wait for it: about a second at 100,000 talks. Later writes keep it up
// to date. Close stops a build under way.
func (s *Store) WarmTalkIndex() {
	tx := s.Begin(context.Background()) // holds the version until the build holds it
	defer tx.Discard()
	c := &s.agg
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx != nil && c.idx.ver == tx.ts || c.builds[tx.ts] != nil {
		return
	}
	c.start(s, tx.ts, nil)
}

// start starts making the index of version ts in a goroutine, by derive
// (a patch, see published) or, when derive is nil, by a new build. c.mu is
// held; the version must be held by a reader or be the one being published.
func (c *aggCache) start(s *Store, ts uint64, derive func(*Tx) (*talkIndex, error)) *indexBuild {
	if c.builds == nil {
		c.builds = map[uint64]*indexBuild{}
		c.stopCtx, c.stop = context.WithCancel(context.Background())
	}
	b := &indexBuild{ver: ts, done: make(chan struct{})}
	c.builds[ts] = b
	c.running.Add(1)
	bctx, cancel := context.WithTimeout(c.stopCtx, indexBuildTimeout)
	btx := s.beginAt(bctx, ts)
	if derive == nil {
		derive = (*Tx).buildTalkIndex
	}
	go func() {
		defer c.running.Done()
		defer cancel()
		defer btx.Discard()
		b.idx, b.err = derive(btx)
		c.mu.Lock()
		if b.err == nil && (c.idx == nil || b.ver >= c.idx.ver) {
			c.idx = b.idx
		}
		delete(c.builds, b.ver)
		c.mu.Unlock()
		close(b.done)
	}()
	return b
}

// published is told by a writer that version ts replaces version prev,
// before readers can read ts. When the index of prev is kept or under way,
// the index of ts is started now, so a reader rarely waits: patched from
// prev's when the writer names the nodes it touched, else built anew.
// Nothing starts when no index was asked for (a seed by the command line).
func (c *aggCache) published(s *Store, prev, ts uint64, touched map[string]struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.builds[ts] != nil || c.idx != nil && c.idx.ver == ts {
		return
	}
	var base *indexBuild
	switch {
	case c.idx != nil && c.idx.ver == prev:
		base = &indexBuild{ver: prev, done: closed, idx: c.idx}
	case c.builds[prev] != nil:
		base = c.builds[prev]
	case c.idx == nil && len(c.builds) == 0:
		return
	}
	if base == nil || touched == nil {
		c.start(s, ts, nil)
		return
	}
	c.start(s, ts, func(tx *Tx) (*talkIndex, error) {
		select {
		case <-base.done:
		case <-tx.ctx.Done():
			return nil, tx.ctx.Err()
		}
		if base.err != nil {
			return tx.buildTalkIndex()
		}
		idx, patched, err := tx.patchTalkIndex(base.idx, touched)
		if patched {
			c.mu.Lock()
			c.patches++
			c.mu.Unlock()
		}
		return idx, err
	})
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// shutdown stops the builds under way and waits for them: the database is
// about to close. What is kept is forgotten, since a restore reopens
// another database whose versions may repeat these.
func (c *aggCache) shutdown() {
	c.mu.Lock()
	if c.stop != nil {
		c.stop()
	}
	c.mu.Unlock()
	c.running.Wait()
	c.mu.Lock()
	c.idx, c.builds, c.stop, c.stopCtx, c.counts, c.ver = nil, nil, nil, nil, nil, 0
	c.mu.Unlock()
}

// beginAt opens a read-only transaction at version ts, which a reader
// holds: a second reader of the same snapshot.
func (s *Store) beginAt(ctx context.Context, ts uint64) *Tx {
	s.rmu.Lock()
	s.readers[ts]++
	s.rmu.Unlock()
	return &Tx{ctx: ctx, s: s, ts: ts, txn: s.db.NewTransactionAt(ts, false), nodes: map[string]*Node{}}
}

// id returns the number of node id, and false when the index has none.
func (idx *talkIndex) id(id string) (int32, bool) {
	n, ok := idx.num[id]
	return n, ok
}

// row returns the row of talk number n, nil when n is not a talk.
func (idx *talkIndex) row(n int32) *talkRow { return idx.rows.at(n) }

// list returns the list of number n in a table of lists, nil when none.
func list(table *cow[[]int32], n int32, ok bool) []int32 {
	if !ok {
		return nil
	}
	return table.at(n)
}

// cmpNum orders numbers by their ids.
func (idx *talkIndex) cmpNum(a, b int32) int {
	if a == b {
		return 0
	}
	return strings.Compare(idx.names[a], idx.names[b])
}

// sortNums sorts a list of numbers in id order and drops repeats.
func (idx *talkIndex) sortNums(l []int32) []int32 {
	slices.SortFunc(l, idx.cmpNum)
	return slices.Compact(l)
}
