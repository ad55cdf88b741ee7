package graph

import "sync"

// readCache keeps decoded nodes and adjacency lists across transactions,
// for the published version only: a write publishes a new version and the
// cache starts again, so a cached value is always what a read at that
// version would return. Readers at an older version (a snapshot taken
// before a write) go to the store.
//
// Values are shared between requests and must not be modified.
type readCache struct {
	mu      sync.RWMutex
	ver     uint64
	max     int
	nodes   map[string]*Node
	rels    map[relKey][]Relation
	degrees map[string]int
}

type relKey struct {
	id       string
	dir      Direction
	typ      string
	evidence bool
}

// maxCachedList: longer adjacency lists (hubs) are not cached, so one
// entry cannot hold much of the cache's memory.
const maxCachedList = 256

func newReadCache(max int) *readCache {
	if max <= 0 {
		return nil
	}
	return &readCache{max: max, nodes: map[string]*Node{}, rels: map[relKey][]Relation{}, degrees: map[string]int{}}
}

// cached and store are the one way in and out of the cache's maps: a value
// is read only at the cache's version, and stored only when room allows.
func cached[K comparable, V any](c *readCache, ver uint64, m func(*readCache) map[K]V, k K) (V, bool) {
	var zero V
	if c == nil {
		return zero, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ver != ver {
		return zero, false
	}
	v, ok := m(c)[k]
	return v, ok
}

func store[K comparable, V any](c *readCache, ver uint64, m func(*readCache) map[K]V, k K, v V) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room(ver) {
		m(c)[k] = v
	}
}

func nodesOf(c *readCache) map[string]*Node     { return c.nodes }
func relsOf(c *readCache) map[relKey][]Relation { return c.rels }
func degreesOf(c *readCache) map[string]int     { return c.degrees }

func (c *readCache) node(ver uint64, id string) (*Node, bool) { return cached(c, ver, nodesOf, id) }
func (c *readCache) relations(ver uint64, k relKey) ([]Relation, bool) {
	return cached(c, ver, relsOf, k)
}
func (c *readCache) degree(ver uint64, id string) (int, bool) { return cached(c, ver, degreesOf, id) }

func (c *readCache) putNode(ver uint64, n *Node) { store(c, ver, nodesOf, n.ID, n) }

func (c *readCache) putRelations(ver uint64, k relKey, rels []Relation) {
	if len(rels) <= maxCachedList {
		store(c, ver, relsOf, k, rels)
	}
}

func (c *readCache) putDegree(ver uint64, id string, d int) { store(c, ver, degreesOf, id, d) }

// room makes the cache current for version ver and reports whether a value
// read at ver may be added. A full cache is emptied: simpler than LRU, and
// the hot entries come back at once. The caller holds mu.
func (c *readCache) room(ver uint64) bool {
	switch {
	case ver < c.ver:
		return false
	case ver > c.ver || len(c.nodes)+len(c.rels)+len(c.degrees) >= c.max:
		c.ver = ver
		clear(c.nodes)
		clear(c.rels)
		clear(c.degrees)
	}
	return true
}
