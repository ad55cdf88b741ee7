package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/server"
)

// TestPprof: the profiling endpoints answer on their own address, and the
// API's address does not serve them.
func TestPprof(t *testing.T) {
	p, err := server.StartPprof("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop(context.Background())
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct{ path, want string }{
		{"", "goroutine"},
		{"heap?debug=1", "heap profile"},
		{"cmdline", "server.test"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			status, body := get(p.URL() + tc.path)
			if status != http.StatusOK || !strings.Contains(body, tc.want) {
				t.Errorf("got %d %.80q, want 200 and %q", status, body, tc.want)
			}
		})
	}
	api := newTestServer(t, nil)
	if status, _ := get(api.URL + "/debug/pprof/"); status != http.StatusNotFound {
		t.Errorf("API /debug/pprof/: got %d, want 404", status)
	}
	if _, err := server.StartPprof("127.0.0.1:-1"); err == nil {
		t.Error("bad address: got nil, want an error")
	}
}
