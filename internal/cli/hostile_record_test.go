package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/server"
)

// heldDB seeds a database and holds it open in this process, as a server
// would: commands on it then look for a server record.
func heldDB(t *testing.T) (string, *graph.Store) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "db")
	if _, errs, code := runOwnerCLI(t, "--db", db, "seed"); code != 0 {
		t.Fatalf("seed: exit %d, stderr %q", code, errs)
	}
	s := graph.NewStore(db)
	s.Analyzer = analyzer
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return db, s
}

// listener is an HTTP server that records what it was sent.
type listener struct {
	*httptest.Server
	tokens atomic.Int64 // requests that carried an Authorization header
	admin  atomic.Int64 // requests to /admin/
}

func newListener(t *testing.T, h http.HandlerFunc) *listener {
	l := &listener{}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			l.tokens.Add(1)
		}
		if strings.HasPrefix(r.URL.Path, "/admin/") {
			l.admin.Add(1)
		}
		h(w, r)
	}))
	t.Cleanup(l.Close)
	return l
}

// echo answers /healthz with the identity the record claims (all but the
// proof, which needs the key) and everything else with counts and escape
// sequences: the stranger of the hostile review.
func echo(rec *serverRecord) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set(server.InstanceHeader, rec.Instance)
		h.Set(databaseHeader, rec.Database)
		h.Set(dirHeader, strconv.FormatUint(rec.Dev, 10)+":"+strconv.FormatUint(rec.Inode, 10))
		h.Set(pidHeader, strconv.Itoa(rec.PID))
		h.Set(proofHeader, r.Header.Get(challengeHeader))
		w.Write([]byte("{\"nodes\":999,\"datasets\":[{\"name\":\"\x1b[2Jowned\"}]}"))
	}
}

// TestHostileServerRecords: a record that does not prove its server holds
// this database is ignored with one line, no request with the token (nor
// any admin request) leaves, and the command says the database is locked.
func TestHostileServerRecords(t *testing.T) {
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "s3cret")
	set := writeSet(t, t.TempDir(), "owner-set", ownerSet)
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		// forge writes the record into db (held by this process) and
		// returns the listener it names.
		forge func(t *testing.T, db string, s *graph.Store) *listener
		want  string
	}{
		{"a listener that echoes the record", func(t *testing.T, db string, s *graph.Store) *listener {
			rec := newServerIdentity(s, db).record("", true)
			l := newListener(t, echo(&rec))
			rec.URL = l.URL
			writeRecord(t, db, rec, 0o600)
			return l
		}, "did not prove it is the one that wrote the record"},
		{"a record copied from another database's directory", func(t *testing.T, db string, s *graph.Store) *listener {
			other := t.TempDir()
			rec := newServerIdentity(s, other).record("", true)
			l := newListener(t, echo(&rec))
			rec.URL = l.URL
			writeRecord(t, db, rec, 0o600)
			return l
		}, "written for another directory"},
		{"a process that has ended", func(t *testing.T, db string, s *graph.Store) *listener {
			rec := newServerIdentity(s, db).record("", true)
			l := newListener(t, echo(&rec))
			rec.URL, rec.PID = l.URL, ended.ProcessState.Pid()
			writeRecord(t, db, rec, 0o600)
			return l
		}, "has ended"},
		{"a process that does not hold the database", func(t *testing.T, db string, s *graph.Store) *listener {
			rec := newServerIdentity(s, db).record("", true)
			l := newListener(t, echo(&rec))
			rec.URL, rec.PID = l.URL, os.Getppid()
			writeRecord(t, db, rec, 0o600)
			return l
		}, "does not hold the database"},
		{"a record others may write", func(t *testing.T, db string, s *graph.Store) *listener {
			rec := newServerIdentity(s, db).record("", true)
			l := newListener(t, echo(&rec))
			rec.URL = l.URL
			writeRecord(t, db, rec, 0o666)
			return l
		}, "others may read or write it"},
		{"the server of another database", func(t *testing.T, db string, s *graph.Store) *listener {
			id := newServerIdentity(s, db)
			rec := id.record("", true)
			id.database = "another"
			l := newListener(t, func(w http.ResponseWriter, r *http.Request) { id.answer(w.Header(), r) })
			rec.URL = l.URL
			writeRecord(t, db, rec, 0o600)
			return l
		}, "holds another database"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, s := heldDB(t)
			l := c.forge(t, db, s)
			for _, args := range [][]string{{"stats"}, {"seed", set}, {"drop", "dotscale-2017"}, {"backup", filepath.Join(t.TempDir(), "b")}} {
				out, errs, code := runOwnerCLI(t, append([]string{"--db", db}, args...)...)
				if code != 1 || strings.Contains(out, "999") || !strings.Contains(errs, "another talkgraph process") {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1 and the database said locked", args[0], code, out, errs)
				}
				if n := strings.Count(errs, "the record names a server that does not hold this database; ignored"); n != 1 || !strings.Contains(errs, c.want) {
					t.Errorf("%s: stderr %q; want one note saying %q", args[0], errs, c.want)
				}
			}
			if n := l.tokens.Load(); n != 0 {
				t.Errorf("the listener got %d requests with the write token", n)
			}
			if n := l.admin.Load(); n != 0 {
				t.Errorf("the listener got %d admin requests", n)
			}
		})
	}
}

func writeRecord(t *testing.T, db string, rec serverRecord, mode os.FileMode) {
	t.Helper()
	b, _ := json.Marshal(rec)
	p := filepath.Join(db, serverRecordName)
	if err := os.WriteFile(p, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

// provenServer is a server that proves it holds db (the test process holds
// it) and answers everything else with h.
func provenServer(t *testing.T, db string, s *graph.Store, h http.HandlerFunc) *listener {
	t.Helper()
	id := newServerIdentity(s, db)
	l := newListener(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			id.answer(w.Header(), r)
			return
		}
		h(w, r)
	})
	if _, err := writeServerRecord(db, id.record(l.URL, true)); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestServerTimeouts: a server that proves itself but then stalls is given
// up after the idle time-out with a clear message; one that sends "102
// Processing" while it works is waited for; what it says reaches the
// terminal escaped.
func TestServerTimeouts(t *testing.T) {
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "s3cret")
	defer func(d time.Duration) { idleTimeout = d }(idleTimeout)
	idleTimeout = 500 * time.Millisecond
	set := writeSet(t, t.TempDir(), "owner-set", ownerSet)
	var stall chan struct{} // each case's, closed when it ends
	cases := []struct {
		name string
		h    http.HandlerFunc
		args []string
		code int
		want string
	}{
		{"stats from a stalled server", func(w http.ResponseWriter, r *http.Request) { <-stall }, []string{"stats"}, 1,
			"sent nothing for 500ms and was given up: it is stalled or overloaded"},
		{"seed to a stalled server", func(w http.ResponseWriter, r *http.Request) { <-stall }, []string{"seed", set}, 1, "sent nothing for 500ms"},
		{"a backup that stalls midway", func(w http.ResponseWriter, r *http.Request) {
			w.Write(make([]byte, 4096))
			w.(http.Flusher).Flush()
			<-stall
		}, []string{"backup", filepath.Join(t.TempDir(), "b.bak")}, 1, "sent nothing for 500ms"},
		{"a long seed with heartbeats", func(w http.ResponseWriter, r *http.Request) {
			for range 8 {
				time.Sleep(200 * time.Millisecond)
				w.WriteHeader(http.StatusProcessing)
			}
			w.Write([]byte("owner-set: seeded 1 nodes, \x1b[31mred\x1b[0m\n"))
		}, []string{"seed", set}, 0, `owner-set: seeded 1 nodes, \x1b[31mred\x1b[0m`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, s := heldDB(t)
			stall = make(chan struct{})
			provenServer(t, db, s, c.h)
			t.Cleanup(func() { close(stall) }) // before the server's Close, which waits for its handlers
			out, errs, code := runOwnerCLI(t, append([]string{"--db", db}, c.args...)...)
			if code != c.code || !strings.Contains(out+errs, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, errs, c.code, c.want)
			}
			if strings.Contains(out+errs, "\x1b") {
				t.Errorf("an escape sequence reached the terminal: %q", out+errs)
			}
		})
	}
}

// TestTokenOnlyToLoopbackOrHTTPS: a write through a server at an address
// off the loopback, in clear, is refused before anything is sent.
func TestTokenOnlyToLoopbackOrHTTPS(t *testing.T) {
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "s3cret")
	for _, c := range []struct {
		url  string
		safe bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://[::1]:8080", true},
		{"https://talks.example.org", true},
		{"http://192.0.2.10:8080", false},
		{"http://localhost:8080", false},
		{"http://talks.example.org", false},
	} {
		u, _ := url.Parse(c.url)
		if got := tokenSafe(u); got != c.safe {
			t.Errorf("tokenSafe(%s): got %v, want %v", c.url, got, c.safe)
		}
		if c.safe {
			continue
		}
		_, err := newRemote(&serverRecord{URL: c.url, Writes: true}).drop(t.Context(), "x")
		if err == nil || !strings.Contains(err.Error(), "the write token is not sent over the network in clear") {
			t.Errorf("drop through %s: got %v, want the refusal", c.url, err)
		}
	}
}

// TestRecordOfAKilledServer: after kill -9 of serve, its record stays in
// the directory; the commands open the database themselves, as if no
// server ran, and a new server replaces the record.
func TestRecordOfAKilledServer(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test: not in -short")
	}
	db := filepath.Join(t.TempDir(), "db")
	_, stop := startServeChild(t, db, "s3cret")
	stop() // SIGKILL
	if _, err := os.Stat(filepath.Join(db, serverRecordName)); err != nil {
		t.Fatalf("the killed server's record: %v", err)
	}
	out, errs, code := runOwnerCLI(t, "--db", db, "stats")
	if code != 0 || !strings.Contains(out, "talk") || strings.Contains(errs, "record") {
		t.Fatalf("stats: exit %d, stdout %q, stderr %q; want the counts, read from the database", code, out, errs)
	}
	url, stop2 := startServeChild(t, db, "s3cret")
	defer stop2()
	out, errs, code = runOwnerCLI(t, "--db", db, "stats", "--json")
	if code != 0 || !strings.Contains(out, `"nodes"`) || strings.Contains(errs, "ignored") {
		t.Fatalf("stats through the new server at %s: exit %d, stdout %q, stderr %q", url, code, out, errs)
	}
}
