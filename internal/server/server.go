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
	"github.com/talkgraph/talkgraph/internal/guard"
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
	// Config is what the operator set; New starts from DefaultConfig.
	Config
	// Schema is the GraphQL schema to serve; required.
	Schema *graphql.Schema
	// Prepare, if set, opens what one operation reads through (see
	// executor.Executor.Begin).
	Prepare func(context.Context) (context.Context, func())
	// Sizes, if set, tells the guard how long lists really are (see
	// guard.Guard).
	Sizes  guard.Sizes
	Stats  Stats
	Logger *slog.Logger
	// Admin, when set, answers the command line's /admin/ requests (see
	// admin.go).
	Admin Admin
	// Instance, when set, is sent in /healthz answers (InstanceHeader), so
	// that a client that found this server's address in a file can tell it
	// from another process that took the port since.
	Instance string
	// Identify, when set, adds to the headers of each /healthz answer what
	// the server tells of itself (the command line proves with it that the
	// server holds its database).
	Identify func(h http.Header, r *http.Request)

	ln      net.Listener
	srv     *http.Server
	metrics *metrics
}

// New returns a server with DefaultConfig and a logger that discards.
func New() *Server {
	return &Server{Config: DefaultConfig(), Logger: slog.New(slog.DiscardHandler)}
}

// InstanceHeader carries Server.Instance in /healthz answers.
const InstanceHeader = "Talkgraph-Instance"

// ErrAddrInUse: another process listens on the address.
var ErrAddrInUse = errors.New("address already in use")

// Open validates the configuration and starts listening. It returns an
// error wrapping ErrAddrInUse when the port is taken.
func (s *Server) Open() error {
	if s.Schema == nil {
		return fmt.Errorf("server: no schema")
	}
	if s.Admin != nil {
		RemoveSpoolLeftovers()
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
	g := guard.Guard{Limits: s.Limits, Sizes: s.Sizes}
	exec := &executor.Executor{Schema: s.Schema, Guard: g, Begin: s.Prepare, Logger: s.Logger, HideSuggestions: s.HideSuggestions,
		NoCompile: s.Executor == ExecutorGraphQLGo}
	gql := &httpapi.Handler{Executor: exec, MaxBody: s.MaxBody, Logger: s.Logger}
	if s.WriteToken != "" {
		gql.Authorize = bearer(s.WriteToken)
	}
	if s.MaxBusy > 0 {
		gql.Admit = newAdmission(s.MaxBusy, s.QueueWait, s.metrics.refused).admit
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", s.cors(s.limit(gql)))
	mux.Handle("/graphiql", graphiqlHandler())
	mux.Handle("/graphiql/", graphiqlHandler())
	s.adminRoutes(mux)
	registerExplore(mux) // /explore, /explore/ and /explore/assets/ (explore.go)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if s.Instance != "" {
			w.Header().Set(InstanceHeader, s.Instance)
		}
		if s.Identify != nil {
			s.Identify(w.Header(), r)
		}
		fmt.Fprintln(w, "ok")
	})
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
		// The scheme is matched without regard to case, and one or more
		// spaces follow it (RFC 7235, section 2.1).
		scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		ok := strings.EqualFold(scheme, "Bearer")
		sum := sha256.Sum256([]byte(strings.TrimLeft(got, " ")))
		return subtle.ConstantTimeCompare(sum[:], want[:]) == 1 && ok
	}
}
