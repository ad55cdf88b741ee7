// Package schema is talkgraph's GraphQL API over a graph.Store, built with
// graphql-go. It knows nothing of HTTP: it executes requests that a server or
// the CLI hands it.
package schema

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// List limits: every list has a default length and a ceiling.
const (
	DefaultFirst = 100
	MaxFirst     = 1000
)

// Schema is the GraphQL schema bound to a store.
type Schema struct {
	GraphQL graphql.Schema
	store   *graph.Store
	log     *slog.Logger
	t       *types
	work    int
	dict    func(*graph.Tx) graph.Dictionary
}

// Option changes what New builds.
type Option func(*config)

type config struct {
	mutations bool
	work      int
	dict      func(*graph.Tx) graph.Dictionary
}

// WithDictionary gives the search and the suggestions a dictionary of the
// store's words and names: dict returns the one for a request's
// transaction (nil: none). Without it, search takes words as typed and
// suggest finds whole names only.
func WithDictionary(dict func(*graph.Tx) graph.Dictionary) Option {
	return func(c *config) { c.dict = dict }
}

// WithMutations adds the Mutation type. Without it the schema has none, so a
// server without a write token cannot be asked to write.
func WithMutations() Option { return func(c *config) { c.mutations = true } }

// DefaultMaxWork is how many entities and relations one request may read
// when WithMaxWork is not given.
const DefaultMaxWork = 100000

// WithMaxWork bounds the entities and relations one request may read (see
// Begin); n <= 0 keeps DefaultMaxWork.
func WithMaxWork(n int) Option { return func(c *config) { c.work = n } }

// New builds the schema over store. log receives internal errors (nil
// discards them). It returns an error only when the schema definition is
// inconsistent, a programming error.
func New(store *graph.Store, log *slog.Logger, opts ...Option) (*Schema, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.work <= 0 {
		cfg.work = DefaultMaxWork
	}
	s := &Schema{store: store, log: log, work: cfg.work, dict: cfg.dict}
	s.t = s.buildTypes()
	sc := graphql.SchemaConfig{Query: s.queryType(), Types: s.t.objects()}
	if cfg.mutations {
		sc.Mutation = s.mutationType()
	}
	gs, err := graphql.NewSchema(sc)
	if err != nil {
		return nil, fmt.Errorf("build schema: %w", err)
	}
	s.GraphQL = gs
	return s, nil
}

// request is what one GraphQL request reads through: one read transaction
// (a consistent snapshot, and one transaction rather than one per item:
// the transaction and the store cache what was read), and what is left of
// its budget of work.
type request struct {
	mu   sync.Mutex
	tx   *graph.Tx
	left int // entities and relations it may still read
}

type ctxKey struct{}

// Begin opens the per-request read transaction and returns a context that
// carries it; the caller must call done after execution. The request may
// read at most the schema's work limit of entities and relations (each
// node resolved counts one, each relation of a list resolved one, read
// from the store or from a cache alike): past it,
// resolvers fail with LIMIT_EXCEEDED, so a huge answer stops early instead
// of running until the deadline.
func (s *Schema) Begin(ctx context.Context) (_ context.Context, done func()) {
	r := &request{tx: s.store.Begin(ctx), left: s.work}
	return context.WithValue(ctx, ctxKey{}, r), r.tx.Discard
}

// req returns the request state of ctx. Resolvers run one at a time in
// graphql-go, but the lock keeps the Tx safe should that change.
func (s *Schema) req(ctx context.Context) *request {
	r, _ := ctx.Value(ctxKey{}).(*request)
	if r == nil {
		panic("schema: resolver called outside Begin")
	}
	return r
}

// spend charges n units of work to the request; the caller holds r.mu.
func (s *Schema) spend(r *request, n int) error {
	if r.left < n {
		r.left = -1
		return &Error{Code: CodeLimitExceeded,
			Message: fmt.Sprintf("the query reads more than %d entities and relations: ask for less (smaller first, less nesting)", s.work),
			Extra:   map[string]any{"limit": "work", "max": s.work}}
	}
	r.left -= n
	return nil
}

// node reads a node through the request's transaction.
func (s *Schema) node(ctx context.Context, id string) (*graph.Node, error) {
	r := s.req(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := s.spend(r, 1); err != nil {
		return nil, err
	}
	n, err := r.tx.Node(id)
	return n, apiError(err)
}

// relations reads a node's relations, with their evidence.
func (s *Schema) relations(ctx context.Context, id string, dir graph.Direction, typ string) ([]graph.Relation, error) {
	return s.readRelations(ctx, id, dir, typ, true)
}

// links reads a node's relations without evidence: what typed fields such
// as speakers need.
func (s *Schema) links(ctx context.Context, id string, dir graph.Direction, typ string) ([]graph.Relation, error) {
	return s.readRelations(ctx, id, dir, typ, false)
}

func (s *Schema) readRelations(ctx context.Context, id string, dir graph.Direction, typ string, evidence bool) ([]graph.Relation, error) {
	r := s.req(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	read := r.tx.Links
	if evidence {
		read = r.tx.Relations
	}
	rels, err := read(id, dir, typ, -1)
	if err != nil {
		return nil, apiError(err)
	}
	if err := s.spend(r, len(rels)); err != nil {
		return nil, err
	}
	return rels, nil
}

// withTx runs fn with the request's transaction held.
func (s *Schema) withTx(ctx context.Context, fn func(*graph.Tx) error) error {
	r := s.req(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	return apiError(fn(r.tx))
}

// first reads and checks a list's "first" argument.
func first(args map[string]any) (int, error) {
	n, ok := args["first"].(int)
	if !ok {
		return DefaultFirst, nil
	}
	if n < 0 || n > MaxFirst {
		return 0, badInput(fmt.Sprintf("first must be between 0 and %d; got %d", MaxFirst, n))
	}
	return n, nil
}

// page reads and checks a list's "first" and "offset" arguments.
func page(args map[string]any) (limit, off int, err error) {
	if limit, err = first(args); err != nil {
		return 0, 0, err
	}
	off, err = offset(args)
	return limit, off, err
}

func offset(args map[string]any) (int, error) {
	n, _ := args["offset"].(int)
	if n < 0 {
		return 0, badInput(fmt.Sprintf("offset must be 0 or more; got %d", n))
	}
	return n, nil
}
