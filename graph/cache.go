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

func (c *readCache) node(ver uint64, id string) (*Node, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ver != ver {
		return nil, false
	}
	n, ok := c.nodes[id]
	return n, ok
}

func (c *readCache) relations(ver uint64, k relKey) ([]Relation, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ver != ver {
		return nil, false
	}
	r, ok := c.rels[k]
	return r, ok
}

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

func (c *readCache) putNode(ver uint64, n *Node) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room(ver) {
		c.nodes[n.ID] = n
	}
}

func (c *readCache) putRelations(ver uint64, k relKey, rels []Relation) {
	if c == nil || len(rels) > maxCachedList {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room(ver) {
		c.rels[k] = rels
	}
}

func (c *readCache) degree(ver uint64, id string) (int, bool) {
	if c == nil {
		return 0, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ver != ver {
		return 0, false
	}
	d, ok := c.degrees[id]
	return d, ok
}

func (c *readCache) putDegree(ver uint64, id string, d int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room(ver) {
		c.degrees[id] = d
	}
}
