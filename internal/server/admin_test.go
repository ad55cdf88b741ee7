package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/server"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// bytesAdmin answers admin requests with fixed bytes: these tests are about
// the HTTP side (who may call what, deadlines), which the command line's
// tests (internal/cli, owner_test.go) cover end to end with a real store.
type bytesAdmin struct {
	backup []byte
	seeded string
	slow   time.Duration // each backup write waits this long
}

func (a *bytesAdmin) Stats(ctx context.Context, w io.Writer) error {
	_, err := io.WriteString(w, `{"nodes":1}`)
	return err
}

func (a *bytesAdmin) Backup(ctx context.Context, w io.Writer) error {
	for i := 0; i < len(a.backup); i += 1024 {
		time.Sleep(a.slow)
		if _, err := w.Write(a.backup[i:min(i+1024, len(a.backup))]); err != nil {
			return err
		}
	}
	return nil
}

func (a *bytesAdmin) Seed(ctx context.Context, r io.ReaderAt, size int64, force bool, w io.Writer) error {
	b := make([]byte, size)
	if _, err := r.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if string(b) == "bad" {
		return server.Refused(errors.New("x.yaml:1:1: bad data"))
	}
	a.seeded = string(b)
	_, err := io.WriteString(w, "seeded\n")
	return err
}

func (a *bytesAdmin) Drop(ctx context.Context, name string, w io.Writer) error {
	_, err := io.WriteString(w, name+": dropped\n")
	return err
}

func newAdminServer(t *testing.T, token string, admin server.Admin, tune func(*server.Server)) *server.Server {
	t.Helper()
	sch, err := schema.New(testdb.Seeded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New()
	srv.Schema, srv.Prepare, srv.WriteToken, srv.Admin = &sch.GraphQL, sch.Begin, token, admin
	if tune != nil {
		tune(srv)
	}
	return srv
}

func TestAdminAccess(t *testing.T) {
	admin := &bytesAdmin{backup: []byte("backup bytes")}
	for _, tc := range []struct {
		name, token, method, path, remote, auth, body string
		want                                          int
	}{
		{"stats from this machine", "", "GET", "/admin/stats", "127.0.0.1:4000", "", "", 200},
		{"backup from this machine", "", "GET", "/admin/backup", "[::1]:4000", "", "", 200},
		{"backup from elsewhere", "t", "GET", "/admin/backup", "192.0.2.7:4000", "", "", 403},
		{"backup from elsewhere with the token", "t", "GET", "/admin/backup", "192.0.2.7:4000", "Bearer t", "", 200},
		{"stats from elsewhere, no token set", "", "GET", "/admin/stats", "192.0.2.7:4000", "", "", 403},
		{"seed on a server without a token", "", "POST", "/admin/seed", "127.0.0.1:4000", "Bearer t", "x", 403},
		{"seed without the token", "t", "POST", "/admin/seed", "127.0.0.1:4000", "", "x", 401},
		{"seed with a wrong token", "t", "POST", "/admin/seed", "127.0.0.1:4000", "Bearer u", "x", 401},
		{"seed with the token", "t", "POST", "/admin/seed", "127.0.0.1:4000", "Bearer t", "x", 200},
		{"seed of bad data", "t", "POST", "/admin/seed", "127.0.0.1:4000", "Bearer t", "bad", 422},
		{"drop with the token", "t", "DELETE", "/admin/datasets/api", "127.0.0.1:4000", "Bearer t", "", 200},
		{"drop over GET", "t", "GET", "/admin/datasets/api", "127.0.0.1:4000", "Bearer t", "", 405},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newAdminServer(t, tc.token, admin, nil).Handler()
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			req.RemoteAddr = tc.remote
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Errorf("got %d (%q), want %d", rec.Code, rec.Body.String(), tc.want)
			}
		})
	}
}

// TestAdminBackupOutlastsWriteTimeout: a backup that streams for longer
// than the server's write timeout is not cut, as long as it keeps writing.
func TestAdminBackupOutlastsWriteTimeout(t *testing.T) {
	admin := &bytesAdmin{backup: []byte(strings.Repeat("b", 20*1024)), slow: 30 * time.Millisecond}
	srv := newAdminServer(t, "", admin, func(s *server.Server) { s.WriteTimeout = 200 * time.Millisecond })
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Config.WriteTimeout = srv.WriteTimeout
	ts.Start()
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/admin/backup")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || len(got) != len(admin.backup) {
		t.Fatalf("got %d of %d bytes (err %v), want all of them", len(got), len(admin.backup), err)
	}
}

// TestHealthzNamesTheInstance: the instance id goes back to a client that
// found the server's address in its record.
func TestHealthzNamesTheInstance(t *testing.T) {
	srv := newAdminServer(t, "", &bytesAdmin{}, func(s *server.Server) { s.Instance = "abc123" })
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if got := rec.Header().Get(server.InstanceHeader); got != "abc123" {
		t.Errorf("got %q, want %q", got, "abc123")
	}
}
