package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/gctune"
	"github.com/talkgraph/talkgraph/internal/lexicon"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/server"
	"github.com/talkgraph/talkgraph/schema"
)

type serveOptions struct {
	IO *IO
	// Config is the server's, which the flags set.
	Config          server.Config
	LogFormat       string
	LogLevel        string
	ShutdownTimeout time.Duration
	DBPath          string
	InMemory        bool
	// Vocabulary seeds the vocabulary beside dotScale into an empty
	// database.
	Vocabulary bool
	Store      func() *graph.Store
	// Watch are data set paths re-seeded when their files change.
	Watch []string
	// PprofAddr, when set, serves Go's profiling endpoints there.
	PprofAddr string
	// Ready, when set, is called with the server's URL once it listens.
	Ready func(url string)
}

func newServeCmd(g *globals, runF func(context.Context, *serveOptions) error) *cobra.Command {
	opts := &serveOptions{IO: g.IO, Config: server.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the GraphQL API and GraphiQL",
		Long: `Serve the GraphQL API at /graphql and GraphiQL at /graphiql (open
http://127.0.0.1:8080/). An empty database is first seeded with the embedded
data: dotScale 2017 and the vocabulary (--no-vocabulary leaves it out). Also: /healthz, /readyz and /metrics (Prometheus).
SIGINT or SIGTERM stops the server gracefully.`,
		Example: "  talkgraph serve\n  talkgraph serve --in-memory --addr 127.0.0.1:9000",
		Args:    argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.LogFormat != "text" && opts.LogFormat != "json" {
				return flagError{fmt.Errorf("--log-format %q: use text or json", opts.LogFormat)}
			}
			if _, ok := logLevels[opts.LogLevel]; !ok {
				return flagError{fmt.Errorf("--log-level %q: use debug, info, warn or error", opts.LogLevel)}
			}
			if e := opts.Config.Executor; e != server.ExecutorCompiled && e != server.ExecutorGraphQLGo {
				return flagError{fmt.Errorf("--executor %q: use %s or %s", e, server.ExecutorCompiled, server.ExecutorGraphQLGo)}
			}
			opts.DBPath, opts.InMemory, opts.Store, opts.Vocabulary = g.DB, g.InMemory, g.newStore, !g.NoVocabulary
			if opts.Config.WriteToken == "" {
				opts.Config.WriteToken = os.Getenv("TALKGRAPH_WRITE_TOKEN")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	c := &opts.Config
	cmd.Flags().StringVar(&c.Addr, "addr", c.Addr, "address to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().StringVar(&opts.LogFormat, "log-format", "text", "log format: text or json")
	cmd.Flags().StringVar(&opts.LogLevel, "log-level", "info", "least level logged: debug (also which executor answered each query), info (a line per request), warn or error")
	cmd.Flags().StringVar(&c.Executor, "executor", c.Executor, "what runs queries: compiled (plans built once per query text) or graphql-go (graphql-go's executor for every request, the reference)")
	cmd.Flags().StringSliceVar(&c.CORSOrigins, "cors-origin", nil, "allow browser calls from this `origin` (repeatable; none by default)")
	cmd.Flags().DurationVar(&opts.ShutdownTimeout, "shutdown-timeout", 10*time.Second, "how long in-flight requests may take to finish on shutdown")
	cmd.Flags().StringVar(&c.WriteToken, "write-token", "", "enable mutations, for requests with Authorization: Bearer <token> (prefer env TALKGRAPH_WRITE_TOKEN: a flag shows in ps)")
	cmd.Flags().BoolVar(&c.HideSuggestions, "no-suggestions", false, "leave \"did you mean\" suggestions out of validation errors")
	cmd.Flags().StringVar(&opts.PprofAddr, "pprof-addr", "", "serve Go's profiling endpoints (/debug/pprof/) at this `address`, e.g. 127.0.0.1:6060 (off by default)")
	cmd.Flags().StringArrayVar(&opts.Watch, "watch", nil, "seed the data sets at `PATH` (as talkgraph seed PATH) and re-seed them when their files change (repeatable)")
	bindLimits(cmd, c)
	return cmd
}

var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}

// newLogger logs at level and above ("" or unknown: info).
func newLogger(w io.Writer, format, level string) *slog.Logger {
	o := &slog.HandlerOptions{Level: logLevels[level]}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}

func serveRun(ctx context.Context, opts *serveOptions) error {
	defer gctune.Apply()()
	log := newLogger(opts.IO.Err, opts.LogFormat, opts.LogLevel)
	store := opts.Store()
	store.Logger = log
	if err := store.Open(); err != nil {
		if opts.InMemory {
			return err
		}
		return lockedByServer(ctx, opts.DBPath, err, opts.IO.Err) // names the server that holds it
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	st := &storeStats{store: store, vocabulary: opts.Vocabulary}
	if err := st.seedIfEmpty(ctx, log); err != nil {
		return err
	}
	// Built now, the first question about many talks does not wait for it;
	// later writes keep it up to date (see graph/talkindex.go).
	store.WarmTalkIndex()
	stopWatch, err := startServeWatch(ctx, opts, store, log, st.seeded)
	if err != nil {
		return err
	}
	defer stopWatch()
	// The dictionary of words and names for search and suggestions, built
	// now in the background and again after each write.
	lex := lexicon.New(store, log)
	defer lex.Close()
	lex.Warm()
	so := []schema.Option{schema.WithMaxWork(opts.Config.Limits.MaxWork), schema.WithDictionary(lex.For)}
	if opts.Config.WriteToken != "" {
		so = append(so, schema.WithMutations())
	}
	sch, err := schema.New(store, log, so...)
	if err != nil {
		return err
	}
	// active counts requests holding a read transaction, so the database is
	// closed only after the last one, even if shutdown had to cut them off.
	var active sync.WaitGroup
	prepare := func(ctx context.Context) (context.Context, func()) {
		active.Add(1)
		ctx, done := sch.Begin(ctx)
		return ctx, func() { done(); active.Done() }
	}
	defer active.Wait()
	srv := &server.Server{Config: opts.Config, Schema: &sch.GraphQL, Prepare: prepare, Sizes: sch, Stats: st, Logger: log}
	// Admin work (a seed, a backup) holds the store as a request does, so
	// the database is closed only after it.
	admin := &storeAdmin{store: store, stats: st, active: &active, stop: ctx}
	if !opts.InMemory {
		admin.db = opts.DBPath
	}
	dir := opts.DBPath
	if opts.InMemory {
		dir = ""
	}
	ident := newServerIdentity(store, dir)
	srv.Admin, srv.Instance, srv.Identify = admin, ident.instance, ident.answer
	if opts.PprofAddr != "" {
		pp, err := server.StartPprof(opts.PprofAddr)
		if err != nil {
			return err
		}
		defer pp.Stop(context.Background())
		log.Info("profiling endpoints", "url", pp.URL())
	}
	if err := srv.Open(); err != nil {
		return err
	}
	if !opts.InMemory {
		// Other commands on this --db find the server here and go through it.
		remove, err := writeServerRecord(opts.DBPath, ident.record(dialableURL(srv.URL()), opts.Config.WriteToken != ""))
		if err != nil {
			return err
		}
		defer remove()
	}
	logStart(ctx, log, srv.URL(), opts, store)
	if opts.Ready != nil {
		opts.Ready(srv.URL())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), opts.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("requests still running at the shutdown deadline were cut", "err", err)
	}
	<-errc
	log.Info("stopped")
	return nil
}

func logStart(ctx context.Context, log *slog.Logger, url string, opts *serveOptions, store *graph.Store) {
	db := opts.DBPath
	if opts.InMemory {
		db = "(in memory)"
	}
	attrs := []any{"url", url, "graphiql", url + "/graphiql", "db", db, "mutations", opts.Config.WriteToken != "", "executor", opts.Config.Executor}
	// The data set records hold the counts: a full Stats scan would make
	// start-up grow with the database.
	if ds, err := store.Datasets(ctx); err == nil {
		var sets []string
		nodes, edges := 0, 0
		for _, d := range ds {
			sets = append(sets, d.Name)
			nodes, edges = nodes+d.Nodes, edges+d.Edges
		}
		attrs = append(attrs, "datasets", sets, "nodes", nodes, "edges", edges)
	}
	log.Info("talkgraph serving", attrs...)
}

// storeStats is what the server reports, read from the store.
type storeStats struct {
	store      *graph.Store
	vocabulary bool // seed the vocabulary into an empty database
	// generation counts the data sets seeded by this process, by its first
	// seed and by --watch; the metrics handler reads it concurrently.
	generation atomic.Int64
}

// seeded counts one data set seeded.
func (s *storeStats) seeded() { s.generation.Add(1) }

func (s *storeStats) Reads() int64 { return s.store.Reads() }
func (s *storeStats) Size() int64  { return s.store.Size() }

func (s *storeStats) Seeded() (int, time.Time) {
	var last time.Time
	sets, _ := s.store.Datasets(context.Background())
	for _, d := range sets {
		if d.SeededAt.After(last) {
			last = d.SeededAt
		}
	}
	return int(s.generation.Load()), last
}

func (s *storeStats) Ready() error {
	sets, err := s.store.Datasets(context.Background())
	if err != nil {
		return err
	}
	if len(sets) == 0 {
		return fmt.Errorf("no data set is seeded")
	}
	return nil
}

// seedIfEmpty seeds the embedded data set into a database that has none, so
// a first run shows something.
func (s *storeStats) seedIfEmpty(ctx context.Context, log *slog.Logger) error {
	sets, err := s.store.Datasets(ctx)
	if err != nil || len(sets) > 0 {
		return err
	}
	embedded := embeddedSets(s.vocabulary)
	if !s.store.InMemory {
		if err := checkSpace(s.store.Path, embedded); err != nil {
			return fmt.Errorf("seed the embedded data set: %w", err)
		}
	}
	reports, err := seed.NewLoader(s.store).Seed(ctx, embedded)
	if err != nil {
		return fmt.Errorf("seed the embedded data set: %w", err)
	}
	for _, r := range reports {
		log.Info("database was empty: seeded the embedded data set", "dataset", r.Set, "nodes", r.Nodes, "edges", r.Edges)
	}
	for range reports {
		s.seeded()
	}
	return nil
}

// bindLimits binds the query guard's limits and the server's request
// bounds to flags, their defaults those c holds (server.DefaultConfig).
func bindLimits(cmd *cobra.Command, c *server.Config) {
	f := cmd.Flags()
	f.DurationVar(&c.RequestTimeout, "request-timeout", c.RequestTimeout, "deadline of one GraphQL request")
	f.IntVar(&c.MaxInFlight, "max-in-flight", c.MaxInFlight, "concurrent GraphQL requests; more get 503")
	f.IntVar(&c.MaxBusy, "max-busy", c.MaxBusy, "heavy GraphQL operations run at once (by default as many as the cores); light ones, four times as many; 0 runs everything at once")
	f.DurationVar(&c.QueueWait, "queue-wait", c.QueueWait, "how long an operation may wait for room before it is answered 503 with Retry-After")
	f.Int64Var(&c.MaxBody, "max-body", c.MaxBody, "largest request body in bytes (413 beyond)")
	l := &c.Limits
	f.IntVar(&l.MaxNesting, "max-nesting", l.MaxNesting, "nesting of brackets in the query text, checked before parsing")
	f.IntVar(&l.MaxTokens, "max-tokens", l.MaxTokens, "tokens in the query text, checked before parsing")
	f.IntVar(&l.MaxDepth, "max-depth", l.MaxDepth, "depth of field selections (introspection apart)")
	f.IntVar(&l.MaxIntrospectionDepth, "max-introspection-depth", l.MaxIntrospectionDepth, "depth of selections under __schema and __type")
	f.IntVar(&l.MaxAliases, "max-aliases", l.MaxAliases, "aliased fields in a request")
	f.IntVar(&l.MaxDirectives, "max-directives", l.MaxDirectives, "directives in a request")
	f.IntVar(&l.MaxRepeatedKey, "max-repeated-key", l.MaxRepeatedKey, "times one response key may appear in one selection set")
	f.IntVar(&l.MaxFields, "max-fields", l.MaxFields, "fields in a request, fragments expanded")
	f.IntVar(&l.MaxFirst, "max-first", l.MaxFirst, "the first of any list, literal or variable")
	f.IntVar(&l.MaxCost, "max-cost", l.MaxCost, "estimated values resolved; a list counts as many as its first, or as the data can hold")
	f.IntVar(&l.MaxWork, "max-work", l.MaxWork, "entities and relations one request may read while it runs")
}
