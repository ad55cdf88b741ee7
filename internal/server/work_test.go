package server_test

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/talkgraph/talkgraph/internal/server"
)

// deepFirst1000 asks first: 1000 at every level of relations, nine levels
// deep: a few hundred bytes that ask for 10^15 values.
const deepFirst1000 = `{ talks(first: 1000) { relations(first: 1000) { to { relations(first: 1000) { to {
  relations(first: 1000) { to { relations(first: 1000) { to { id } } } } } } } } } }`

// TestDeepQueryStopsWithServerHealthy: over real HTTP, a deeply nested
// question with first: 1000 at every level is refused (by the estimate, or,
// with the estimate lifted, by the work it really does) with
// LIMIT_EXCEEDED, not by the deadline; /healthz answers all along, and the
// server answers a normal query afterwards. The ten dotScale talks hold
// about ten thousand values at that depth, within the default work limit:
// the second case lowers it so that the data can pass it.
func TestDeepQueryStopsWithServerHealthy(t *testing.T) {
	for _, c := range []struct {
		name      string
		configure func(*server.Server)
		status    int
		limit     string
	}{
		{"default limits", nil, http.StatusBadRequest, "cost"},
		{"estimate lifted", func(s *server.Server) { s.Limits.MaxCost, s.Limits.MaxWork = 1<<40, 2000 }, http.StatusOK, "work"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newHostileEnv(t, c.configure)
			var stop atomic.Bool
			var checks, unhealthy atomic.Int64
			var wg sync.WaitGroup
			wg.Go(func() {
				for !stop.Load() {
					a, err := env.trySend(t, hostileRequest{method: http.MethodGet, target: "/healthz"}, nil)
					checks.Add(1)
					if err != nil || a.status != http.StatusOK {
						unhealthy.Add(1)
					}
				}
			})
			a := env.send(t, hostileRequest{body: jsonQuery(deepFirst1000)})
			stop.Store(true)
			wg.Wait()
			if got, want := a.status, c.status; got != want {
				t.Errorf("status: got %d, want %d; body %.300s", got, want, a.body)
			}
			if got, want := a.code(), "LIMIT_EXCEEDED"; got != want {
				t.Errorf("code: got %q, want %q; body %.300s", got, want, a.body)
			}
			if len(a.errors) == 0 {
				t.Fatalf("got no error, want a refusal; body %.300s", a.body)
			}
			if got, want := a.errors[0].Extensions["limit"], c.limit; got != want {
				t.Errorf("limit: got %v, want %v; message %q", got, want, a.message())
			}
			if got := len(a.errors); got != 1 {
				t.Errorf("errors: got %d, want 1: the limit said once", got)
			}
			if !strings.Contains(a.message(), "ask for less") {
				t.Errorf("message: got %q, want it to say what to do", a.message())
			}
			if n := unhealthy.Load(); n > 0 || checks.Load() == 0 {
				t.Errorf("/healthz: %d of %d checks failed, want every one answered ok", n, checks.Load())
			}
			env.checkNormalQuery(t)
		})
	}
}
