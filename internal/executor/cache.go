package executor

import (
	"container/list"
	"sync"
	"sync/atomic"

	"github.com/graphql-go/graphql/language/ast"
)

// docCache keeps documents that parsed and validated, keyed by their text,
// so a query sent again skips both (validation was about half of the
// server's CPU in a profile). It holds at most max entries, dropping the
// least recently used. Documents are read-only once parsed: executions
// share them.
type docCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used
	byKey map[string]*list.Element
}

type cached struct {
	query string
	doc   *document
}

// document is a request's document, parsed and valid: as asked (what the
// guard checks and the compiler compiles) and as run by graphql-go (a copy
// with the executor's additions, see annotate), with the compiled plans of
// its operations.
type document struct {
	asked, run *ast.Document
	// guarded: the guard's verdict holds for every request of it (see
	// Executor.check).
	guarded atomic.Bool
	// cost is the guard's estimate when guarded, reported again to the
	// requests that skip the check (the admission reads it).
	cost atomic.Int64

	mu       sync.Mutex
	compiled map[*ast.OperationDefinition]compiledOp
}

// maxCachedQuery: longer documents are not kept (they are rare, and each
// would hold much memory).
const maxCachedQuery = 16 << 10

func newDocCache(max int) *docCache {
	return &docCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *docCache) get(query string) *document {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[query]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cached).doc
	}
	return nil
}

func (c *docCache) put(query string, doc *document) {
	if c == nil || len(query) > maxCachedQuery {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[query]; ok {
		return
	}
	c.byKey[query] = c.order.PushFront(&cached{query, doc})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cached).query)
	}
}
