package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/cli"
)

// runTyped runs Main as at a terminal (interactive is set) or not, with
// typed as what the person types.
func runTyped(t *testing.T, interactive bool, typed string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	ios := &cli.IO{In: strings.NewReader(typed), Out: &out, Err: &errb, Terminal: interactive, InTerminal: interactive}
	code := cli.Main(args, ios)
	return result{out.String(), errb.String(), code}
}

// TestDropAsks: a drop says what goes and what stays and asks for the name
// at a terminal; it is refused without one unless --yes; it says how to
// get the data back; a refused drop removes nothing.
func TestDropAsks(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	other := filepath.Join(t.TempDir(), "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "other.yaml"), []byte("nodes:\n  - {id: lone-idea, kind: concept, name: A lone idea}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"seed"}, {"seed", other}} {
		if r := runMain(t, append([]string{"--db", db}, args...)...); r.code != 0 {
			t.Fatalf("%v: got status %d, stderr %q", args, r.code, r.err)
		}
	}
	held := func() string { return runMain(t, "--db", db, "stats").out }
	for _, tc := range []struct {
		name        string
		interactive bool
		typed       string
		args        []string
		code        int
		wantErr     []string // in stderr
		wantOut     string
		dropped     bool
	}{
		{"no terminal, no --yes", false, "dotscale-2017\n", nil, 1,
			[]string{"drop dotscale-2017: it would remove 109 nodes and 172 edges for good, and there is no terminal to confirm at: add --yes"}, "", false},
		{"a terminal, another name typed", true, "dotscale\n", nil, 1,
			[]string{"This removes data set dotscale-2017 for good: 109 nodes and 172 edges", "Data sets that stay: other (1 nodes, 0 edges).",
				"'talkgraph seed' (it is built into talkgraph)", "Type the data set's name to drop it: ", `not confirmed (typed "dotscale"): nothing was removed`}, "", false},
		{"a terminal, nothing typed", true, "", nil, 1, []string{`not confirmed (typed ""): nothing was removed`}, "", false},
		{"a terminal, the name typed", true, "dotscale-2017\n", nil, 0,
			[]string{"Type the data set's name to drop it: ", "to get it back: 'talkgraph seed' loads it again"}, "dropped data set dotscale-2017 (109 nodes, 172 edges)\n", true},
		{"--yes in a script", false, "", []string{"--yes"}, 0,
			[]string{"to get it back: seed its files again ('talkgraph seed DIR'), or restore a backup"}, "dropped data set other (1 nodes, 0 edges)\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := "dotscale-2017"
			if tc.args != nil {
				set = "other"
			}
			before := held()
			r := runTyped(t, tc.interactive, tc.typed, append(append([]string{"--db", db, "drop"}, tc.args...), set)...)
			if r.code != tc.code || r.out != tc.wantOut {
				t.Errorf("got status %d, stdout %q, want %d and %q (stderr %q)", r.code, r.out, tc.code, tc.wantOut, r.err)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(r.err, w) {
					t.Errorf("stderr: got %q, want it to hold %q", r.err, w)
				}
			}
			if after := held(); (after != before) != tc.dropped {
				t.Errorf("database changed: %v, want %v", after != before, tc.dropped)
			}
		})
	}
}
