package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/httpapi"
)

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // a 1xx (the admin's heartbeats) is not the answer
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (the admin
// handlers move its deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe gives each request its id, logs one line per request and counts
// GraphQL requests.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r)
		w.Header().Set("X-Request-Id", id)
		ctx, out := httpapi.WithOutcome(executor.WithRequestID(r.Context(), id))
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		elapsed := time.Since(start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		if r.URL.Path == "/graphql" {
			s.metrics.observe(out.Operation, outcome(sw.status, out.Errors), out.Executor, elapsed.Seconds())
		}
		// The line's values are boxed only when it is written: at
		// --log-level warn they were a sixth of a small query's
		// allocations.
		if !s.Logger.Enabled(r.Context(), slog.LevelInfo) {
			return
		}
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", elapsed, "request_id", id}
		if r.URL.Path == "/graphql" {
			attrs = append(attrs, "operation", out.Operation, "errors", out.Errors, "executor", out.Executor)
			if out.Fallback != "" {
				attrs = append(attrs, "fallback", out.Fallback)
			}
		}
		s.Logger.InfoContext(r.Context(), "request", attrs...)
	})
}

// requestID is the id a client sent in X-Request-Id when it is of a
// reasonable form (executor.ValidRequestID), so a request can be followed
// through a proxy's logs and ours; else a new one.
func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); executor.ValidRequestID(id) {
		return id
	}
	return executor.NewRequestID()
}

func outcome(status, errors int) string {
	switch {
	case status >= 500:
		return "error"
	case status >= 400:
		return "rejected"
	case errors > 0:
		return "error"
	}
	return "ok"
}

// cors lets the configured origins call the API from a browser; other
// origins get no CORS headers, so browsers keep their answers from scripts.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := origin != "" && slices.Contains(s.CORSOrigins, origin)
		if allowed {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if allowed {
				h := w.Header()
				h.Set("Access-Control-Allow-Methods", "GET, POST")
				h.Set("Access-Control-Allow-Headers", strings.Join([]string{"Content-Type", "Accept", "Authorization"}, ", "))
				h.Set("Access-Control-Max-Age", "600")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limit caps concurrent GraphQL requests and gives each a deadline.
func (s *Server) limit(next http.Handler) http.Handler {
	slots := make(chan struct{}, max(1, s.MaxInFlight))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		default:
			w.Header().Set("Retry-After", "1")
			httpapi.WriteError(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE",
				fmt.Sprintf("the server is answering %d requests already: retry in a moment", cap(slots)))
			return
		}
		ctx, _ := guard.WithCostReport(r.Context()) // for the admission (admit.go)
		if s.RequestTimeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, s.RequestTimeout)
			defer cancel()
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
