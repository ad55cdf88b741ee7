package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/talkgraph/talkgraph/internal/server"
)

// lockedBuffer is a log destination written by the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRequestID: every answer carries X-Request-Id, the client's when it
// is of reasonable form, and the request's log lines (the access line, and
// the error line of a failure) carry the same id.
func TestRequestID(t *testing.T) {
	logs := &lockedBuffer{}
	var fail atomic.Bool // the next operation's Prepare panics
	ts := newTestServer(t, func(s *server.Server, _ *storeStats) {
		s.Logger = slog.New(slog.NewTextHandler(logs, nil))
		prepare := s.Prepare
		s.Prepare = func(ctx context.Context) (context.Context, func()) {
			if fail.Swap(false) {
				panic("store on fire")
			}
			return prepare(ctx)
		}
	})
	for _, c := range []struct {
		name, sent, query string
		kept              bool
		status            int
	}{
		{"made when none is sent", "", `{ __typename }`, false, http.StatusOK},
		{"kept when reasonable", "client-id_1.2", `{ __typename }`, true, http.StatusOK},
		{"replaced when too long", strings.Repeat("x", 65), `{ __typename }`, false, http.StatusOK},
		{"replaced when it holds a space", "a b", `{ __typename }`, false, http.StatusOK},
		{"on a refusal too", "refused-1", `{ nope }`, true, http.StatusBadRequest},
		{"in the error log line", "fail-next", `{ __typename }`, true, http.StatusInternalServerError},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{"query":"`+c.query+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if c.sent != "" {
				req.Header.Set("X-Request-Id", c.sent)
			}
			fail.Store(c.status == http.StatusInternalServerError)
			res := do(t, ts.Client(), req)
			id := res.header.Get("X-Request-Id")
			if got, want := id == c.sent, c.kept; got != want || id == "" {
				t.Errorf("X-Request-Id: got %q for %q sent, want it kept: %v", id, c.sent, c.kept)
			}
			if got, want := res.status, c.status; got != want {
				t.Errorf("status: got %d, want %d; body %s", got, want, res.body)
			}
			lines := linesWith(logs.String(), "request_id="+id)
			if len(lines) == 0 || !strings.Contains(lines[len(lines)-1], "msg=request") {
				t.Errorf("log: got %q, want an access line with request_id=%s", lines, id)
			}
			if c.status == http.StatusInternalServerError {
				if !strings.Contains(res.body, id) {
					t.Errorf("body: got %s, want it to name the request id", res.body)
				}
				if len(lines) < 2 || !strings.Contains(lines[0], "level=ERROR") || !strings.Contains(lines[0], "store on fire") {
					t.Errorf("log: got %q, want an error line with the cause and request_id=%s", lines, id)
				}
			}
		})
	}
}

func linesWith(s, sub string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return out
}
