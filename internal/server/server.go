// Package server is talkgraph's HTTP server: the GraphQL endpoint, GraphiQL,
// health checks and metrics. It receives the schema and the numbers it
// reports; it never touches the database itself.
package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/httpapi"
)

// Stats is what the server reports about the data it serves.
type Stats interface {
	Reads() int64
	Size() int64
	// Seeded returns how many seeds this process has applied and the time of
	// the newest seed of any data set.
	Seeded() (generation int, last time.Time)
	// Ready returns nil when the database is open and holds data.
	Ready() error
}

// Server serves the API over HTTP.
type Server struct {
	Addr    string
	Schema  *graphql.Schema
	Prepare func(context.Context) (context.Context, func())
	Stats   Stats
	Logger  *slog.Logger
	// CORSOrigins are the origins allowed to call the API from a browser;
	// none by default.
	CORSOrigins []string
	MaxBody     int64
	// Guard bounds what one request may ask for (see internal/guard).
	Guard executor.Guard
	// WriteToken, when set, is the bearer token mutations must carry; without
	// it no mutation runs. It is never logged.
	WriteToken string
	// HideSuggestions removes "Did you mean …?" from validation errors.
	HideSuggestions bool
	// RequestTimeout bounds the work of one GraphQL request: store reads
	// stop when it passes.
	RequestTimeout time.Duration
	// MaxInFlight bounds concurrent GraphQL requests; more are answered 503
	// at once rather than queued without bound.
	MaxInFlight int

	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int

	ln      net.Listener
	srv     *http.Server
	metrics *metrics
}

// New returns a server with defaults set: loopback port 8080, timeouts that
// bound slow clients, a 1 MiB body and 64 KiB header cap.
func New() *Server {
	return &Server{
		Addr:              "127.0.0.1:8080",
		Logger:            slog.New(slog.DiscardHandler),
		MaxBody:           1 << 20,
		RequestTimeout:    5 * time.Second,
		MaxInFlight:       128,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// ErrAddrInUse: another process listens on the address.
var ErrAddrInUse = errors.New("address already in use")

// Open validates the configuration and starts listening. It returns an
// error wrapping ErrAddrInUse when the port is taken.
func (s *Server) Open() error {
	if s.Schema == nil {
		return fmt.Errorf("server: no schema")
	}
	ln, err := net.Listen("tcp", s.Addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("listen on %s: %w: stop the other process or choose another --addr", s.Addr, ErrAddrInUse)
	}
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.ReadHeaderTimeout,
		ReadTimeout:       s.ReadTimeout,
		WriteTimeout:      s.WriteTimeout,
		IdleTimeout:       s.IdleTimeout,
		MaxHeaderBytes:    s.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	return nil
}

// URL returns the base URL the server listens on, once open.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Serve answers requests until Shutdown; it returns nil after a shutdown.
func (s *Server) Serve() error {
	if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx ends, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	return err
}

// Handler returns the routes, wrapped in logging, metrics and CORS.
func (s *Server) Handler() http.Handler {
	if s.metrics == nil {
		s.metrics = newMetrics(s.Stats)
	}
	exec := &executor.Executor{Schema: s.Schema, Guard: s.Guard, Begin: s.Prepare, Logger: s.Logger, HideSuggestions: s.HideSuggestions}
	gql := &httpapi.Handler{Executor: exec, MaxBody: s.MaxBody, Logger: s.Logger}
	if s.WriteToken != "" {
		gql.Authorize = bearer(s.WriteToken)
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", s.cors(s.limit(gql)))
	mux.Handle("/graphiql", graphiqlHandler())
	mux.Handle("/graphiql/", graphiqlHandler())
	registerExplore(mux) // /explore, /explore/ and /explore/assets/ (explore.go)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", s.ready)
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/graphiql", http.StatusFound)
	})
	return s.observe(mux)
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if s.Stats == nil {
		fmt.Fprintln(w, "ok")
		return
	}
	if err := s.Stats.Ready(); err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// bearer returns a check of "Authorization: Bearer <token>" that takes the
// same time whatever the token sent: digests of equal length are compared
// in constant time, so neither the content nor the length of the token leaks.
func bearer(token string) func(*http.Request) bool {
	want := sha256.Sum256([]byte(token))
	return func(r *http.Request) bool {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(got))
		return subtle.ConstantTimeCompare(sum[:], want[:]) == 1 && ok
	}
}
