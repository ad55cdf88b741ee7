package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoreAndValidateThroughServer: while serve holds the database,
// restore sends the backup to the server (which needs its write token, and
// --force over data) and the server answers with the backup's data at
// once; validate checks data sets against the server's data.
func TestRestoreAndValidateThroughServer(t *testing.T) {
	work := t.TempDir()
	// A backup of the embedded set and one more data set.
	other := filepath.Join(work, "other-db")
	extra := writeSet(t, work, "extra-set", "nodes:\n  - {id: extra-idea, kind: concept, name: An extra idea}\n")
	for _, args := range [][]string{{"seed"}, {"seed", extra}, {"backup", filepath.Join(work, "graph.bak")}} {
		if out, errs, code := runOwnerCLI(t, append([]string{"--db", other}, args...)...); code != 0 {
			t.Fatalf("%v: exit %d, stderr %q, stdout %q", args, code, errs, out)
		}
	}
	backup := filepath.Join(work, "graph.bak")
	db := filepath.Join(work, "db")
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "s3cret")
	srv, err := startServe(t, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token string
		args        []string
		code        int
		want        []string // in stdout when code is 0, else in stderr
	}{
		{"without the token, the server and the token are named", "", []string{"restore", "--force", backup}, 1,
			[]string{"the server at " + srv.url + " holds the database", "TALKGRAPH_WRITE_TOKEN"}},
		{"with a wrong token", "wrong", []string{"restore", "--force", backup}, 1, []string{"401"}},
		{"over data without --force", "s3cret", []string{"restore", backup}, 1, []string{"use --force to replace it with the backup"}},
		{"a damaged backup", "s3cret", []string{"restore", "--force", filepath.Join(work, "graph.bak.short")}, 1, []string{"the backup ends without its checksum"}},
		{"with the token and --force", "s3cret", []string{"restore", "--force", backup}, 0, []string{"restored " + backup + " (content ", "verified)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "a damaged backup" {
				cutShort(t, backup, tc.args[2])
			}
			t.Setenv("TALKGRAPH_WRITE_TOKEN", tc.token)
			out, errs, code := runOwnerCLI(t, append([]string{"--db", db}, tc.args...)...)
			text := out
			if tc.code != 0 {
				text = errs
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q, stderr %q", code, tc.code, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("got %q, want it to hold %q", text, w)
				}
			}
			out, _, _ = runOwnerCLI(t, "--db", db, "query", `{ node(id: "extra-idea") { id } }`)
			if got, want := strings.Contains(out, `"extra-idea"`), tc.code == 0; got != want {
				t.Errorf("the backup's data through the server: %v, want %v (%q)", got, want, out)
			}
		})
	}
	t.Run("validate checks against the server's data", func(t *testing.T) {
		refs := writeSet(t, work, "refs-set", "nodes:\n  - {id: a-note, kind: source, name: A note}\n"+
			"edges:\n  - {from: a-note, type: mentions, to: extra-idea, evidence: [{source: a-note, quote: the extra idea}]}\n"+
			"  - {from: a-note, type: mentions, to: extra-ideas, evidence: [{source: a-note, quote: the extra ideas}]}\n")
		out, errs, code := runOwnerCLI(t, "--db", db, "validate", refs)
		if code != 1 || strings.Contains(errs, "note:") || !strings.Contains(errs, "checked against the data sets of the server at "+srv.url) {
			t.Fatalf("validate: exit %d, stderr %q; want 1, checked against the server, no note", code, errs)
		}
		// extra-idea is the server's (restored) data; extra-ideas is nowhere.
		if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 1 || !strings.Contains(lines[0], `unknown id "extra-ideas"`) {
			t.Errorf("problems: got %q, want the one unknown id", out)
		}
	})
}

// cutShort writes the first half of file from to file to.
func cutShort(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
}
