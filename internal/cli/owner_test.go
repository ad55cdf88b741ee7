package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// runCLI runs the command tree as Main does, and returns what it printed
// and its exit status.
func runOwnerCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &IO{In: strings.NewReader(""), Out: &out, Err: &errb})
	return out.String(), errb.String(), code
}

// writeSet writes a one-file data set named name under dir and returns its path.
func writeSet(t *testing.T, dir, name, yaml string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, "nodes.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const ownerSet = `nodes:
  - id: owner-tool
    kind: tool
    name: Owner Tool
edges: []
`

// TestCommandsGoThroughRunningServer runs `serve` on a database and then the
// other commands on the same --db: each goes through the server, which
// answers for the new data without a restart.
func TestCommandsGoThroughRunningServer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "s3cret")
	srv, err := startServe(t, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(db, serverRecordName)); err != nil {
		t.Fatalf("server record: %v", err)
	}
	work := t.TempDir()
	set := writeSet(t, work, "owner-set", ownerSet)

	t.Run("stats", func(t *testing.T) {
		out, errs, code := runOwnerCLI(t, "--db", db, "stats", "--json")
		var st graph.Stats
		if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
			t.Fatalf("stats: exit %d, stderr %q, stdout %q", code, errs, out)
		}
		if got, want := st.ByKind[graph.KindTalk], 10; got != want {
			t.Errorf("talks: got %d, want %d", got, want)
		}
	})
	t.Run("query", func(t *testing.T) {
		out, errs, code := runOwnerCLI(t, "--db", db, "query", `{ talks(mentioning: "automation") { title } }`)
		if code != 0 || !strings.Contains(out, "Keep calm and automate all the things") {
			t.Fatalf("query: exit %d, stderr %q, stdout %q", code, errs, out)
		}
	})
	t.Run("seed without the token names the token", func(t *testing.T) {
		t.Setenv("TALKGRAPH_WRITE_TOKEN", "")
		_, errs, code := runOwnerCLI(t, "--db", db, "seed", set)
		if code != 1 || !strings.Contains(errs, "TALKGRAPH_WRITE_TOKEN") || !strings.Contains(errs, srv.url) {
			t.Fatalf("seed without token: exit %d, stderr %q; want 1 and a message naming the token and the server", code, errs)
		}
	})
	t.Run("seed with a wrong token is refused", func(t *testing.T) {
		t.Setenv("TALKGRAPH_WRITE_TOKEN", "wrong")
		_, errs, code := runOwnerCLI(t, "--db", db, "seed", set)
		if code != 1 || !strings.Contains(errs, "401") {
			t.Fatalf("seed with a wrong token: exit %d, stderr %q; want 1 and a 401", code, errs)
		}
	})
	t.Run("an invalid data set is refused with its positions", func(t *testing.T) {
		bad := writeSet(t, work, "bad-set", "nodes:\n  - id: x\n    kind: tol\n    name: X\n")
		_, errs, code := runOwnerCLI(t, "--db", db, "seed", bad)
		want := filepath.Join(bad, "nodes.yaml") + ":3:11: unknown kind"
		if code != 1 || !strings.Contains(errs, want) {
			t.Fatalf("seed of a bad set: exit %d, stderr %q; want %q", code, errs, want)
		}
	})
	t.Run("seed, then the server answers for it", func(t *testing.T) {
		out, errs, code := runOwnerCLI(t, "--db", db, "seed", set)
		if code != 0 || !strings.Contains(out, "owner-set: seeded 1 nodes") {
			t.Fatalf("seed: exit %d, stderr %q, stdout %q", code, errs, out)
		}
		out, errs, code = runOwnerCLI(t, "--db", db, "query", `{ entity(name: "owner tool") { id } }`)
		if code != 0 || !strings.Contains(out, `"owner-tool"`) {
			t.Fatalf("query after seed: exit %d, stderr %q, stdout %q", code, errs, out)
		}
	})
	t.Run("drop", func(t *testing.T) {
		out, errs, code := runOwnerCLI(t, "--db", db, "drop", "--yes", "owner-set")
		if code != 0 || !strings.Contains(out, "owner-set") {
			t.Fatalf("drop: exit %d, stderr %q, stdout %q", code, errs, out)
		}
		out, _, _ = runOwnerCLI(t, "--db", db, "query", `{ node(id: "owner-tool") { id } }`)
		if !strings.Contains(out, `"node":null`) {
			t.Errorf("after drop: got %q, want the node gone", out)
		}
		if _, errs, code := runOwnerCLI(t, "--db", db, "seed", set); code != 0 {
			t.Fatalf("seed again: exit %d, stderr %q", code, errs)
		}
	})
	backup := filepath.Join(work, "graph.bak")
	t.Run("backup", func(t *testing.T) {
		if _, errs, code := runOwnerCLI(t, "--db", db, "backup", backup); code != 0 {
			t.Fatalf("backup: exit %d, stderr %q", code, errs)
		}
	})
	t.Run("export", func(t *testing.T) {
		out, errs, code := runOwnerCLI(t, "--db", db, "export", "--format", "ndjson")
		if code != 0 || !strings.Contains(out, `"owner-tool"`) || !strings.Contains(out, `"kafka"`) {
			t.Fatalf("export: exit %d, stderr %q, %d bytes out", code, errs, len(out))
		}
	})
	if err := srv.shutdown(t); err != nil {
		t.Fatalf("serve: %v", err)
	}
	t.Run("the record goes with the server", func(t *testing.T) {
		if _, err := os.Stat(filepath.Join(db, serverRecordName)); !os.IsNotExist(err) {
			t.Errorf("server record after shutdown: got %v, want it removed", err)
		}
	})
	t.Run("the backup from the server restores", func(t *testing.T) {
		copyDB := filepath.Join(t.TempDir(), "copy")
		if _, errs, code := runOwnerCLI(t, "--db", copyDB, "restore", backup); code != 0 {
			t.Fatalf("restore: exit %d, stderr %q", code, errs)
		}
		out, errs, code := runOwnerCLI(t, "--db", copyDB, "query", `{ entity(name: "owner-tool") { name } }`)
		if code != 0 || !strings.Contains(out, "Owner Tool") {
			t.Fatalf("query the restored copy: exit %d, stderr %q, stdout %q", code, errs, out)
		}
	})
}

// TestServerWithoutTokenTakesNoWrites: a server started without a write
// token refuses seeds, and says how to proceed.
func TestServerWithoutTokenTakesNoWrites(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "")
	if _, err := startServe(t, db); err != nil {
		t.Fatal(err)
	}
	set := writeSet(t, t.TempDir(), "owner-set", ownerSet)
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "anything")
	_, errs, code := runOwnerCLI(t, "--db", db, "seed", set)
	if code != 1 || !strings.Contains(errs, "without a write token") {
		t.Fatalf("seed: exit %d, stderr %q; want 1 and a message that the server takes no writes", code, errs)
	}
}

// TestStaleServerRecord: a record left by a server that was killed names a
// server that does not answer; commands open the database themselves.
func TestStaleServerRecord(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	if _, errs, code := runOwnerCLI(t, "--db", db, "seed"); code != 0 {
		t.Fatalf("seed: exit %d, stderr %q", code, errs)
	}
	if _, err := writeServerRecord(db, serverRecord{URL: "http://127.0.0.1:1"}); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runOwnerCLI(t, "--db", db, "stats")
	if code != 0 || !strings.Contains(out, "talk") {
		t.Fatalf("stats: exit %d, stderr %q, stdout %q", code, errs, out)
	}
}

func TestDialableURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://0.0.0.0:8080", "http://127.0.0.1:8080"},
		{"http://[::]:9000", "http://127.0.0.1:9000"},
		{"http://[::1]:9000", "http://[::1]:9000"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := dialableURL(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestServerRecordOfAnotherProcess: a record whose address now answers for
// another process (no matching instance) is not trusted: the command says
// the database is held, rather than asking a stranger.
func TestServerRecordOfAnotherProcess(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	if _, errs, code := runOwnerCLI(t, "--db", db, "seed"); code != 0 {
		t.Fatalf("seed: exit %d, stderr %q", code, errs)
	}
	stranger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"nodes":999}`)) // answers everything, /healthz and /admin/stats too
	}))
	defer stranger.Close()
	holder := graph.NewStore(db)
	holder.Analyzer = analyzer
	if err := holder.Open(); err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := writeServerRecord(db, serverRecord{URL: stranger.URL, Instance: "mine"}); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runOwnerCLI(t, "--db", db, "stats", "--json")
	if code != 1 || strings.Contains(out, "999") || !strings.Contains(errs, "another talkgraph process") {
		t.Fatalf("stats: exit %d, stdout %q, stderr %q; want 1 and the database reported held", code, out, errs)
	}
}

// TestImportSeedThroughRunningServer: import --seed into a database that a
// running server holds loads the data set through the server.
func TestImportSeedThroughRunningServer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "s3cret")
	if _, err := startServe(t, db); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "techconf-2025")
	stdout, errs, code := runOwnerCLI(t, "--db", db, "import", filepath.Join("..", "importer", "testdata", "input", "techconf-2025.xml"), "--out", out, "--seed")
	if code != 0 || !strings.Contains(stdout, "techconf-2025: seeded") {
		t.Fatalf("import --seed: exit %d, stdout %q, stderr %q", code, stdout, errs)
	}
	stdout, errs, code = runOwnerCLI(t, "--db", db, "query", `{ talks(conference: "techconf-2025") { id } }`)
	if code != 0 || !strings.Contains(stdout, `"tc25-101"`) {
		t.Fatalf("query: exit %d, stdout %q, stderr %q", code, stdout, errs)
	}
}
