package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// slowAdmin takes its time over seeds and drops.
type slowAdmin struct{ wait time.Duration }

func (a slowAdmin) Stats(ctx context.Context, w io.Writer) error  { return nil }
func (a slowAdmin) Backup(ctx context.Context, w io.Writer) error { return nil }
func (a slowAdmin) Seed(ctx context.Context, r io.ReaderAt, size int64, force bool, w io.Writer) error {
	time.Sleep(a.wait)
	_, err := io.WriteString(w, "seeded\n")
	return err
}
func (a slowAdmin) Drop(ctx context.Context, name string, w io.Writer) error {
	time.Sleep(a.wait)
	_, err := io.WriteString(w, name+": dropped\n")
	return err
}

// TestHeartbeat: while a seed or a drop runs, the client gets "102
// Processing" now and then, then the answer, whose status the log records.
func TestHeartbeat(t *testing.T) {
	defer func(d time.Duration) { heartbeatEvery = d }(heartbeatEvery)
	heartbeatEvery = 50 * time.Millisecond
	store := testdb.Seeded(t)
	sch, err := schema.New(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := New()
	s.Schema, s.WriteToken, s.Admin = &sch.GraphQL, "tok", slowAdmin{wait: 400 * time.Millisecond}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, c := range []struct{ method, path, want string }{
		{http.MethodPost, "/admin/seed", "seeded"},
		{http.MethodDelete, "/admin/datasets/x", "x: dropped"},
	} {
		t.Run(c.path, func(t *testing.T) {
			var beats atomic.Int64
			ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
				Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
					if code == http.StatusProcessing {
						beats.Add(1)
					}
					return nil
				},
			})
			req, _ := http.NewRequestWithContext(ctx, c.method, ts.URL+c.path, strings.NewReader("zip"))
			req.Header.Set("Authorization", "Bearer tok")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), c.want) {
				t.Errorf("got %s %q, want 200 and %q", resp.Status, body, c.want)
			}
			if beats.Load() == 0 {
				t.Errorf("got no 102 Processing while the work ran")
			}
		})
	}
}
