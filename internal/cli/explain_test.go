package cli_test

import (
	"fmt"
	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// copySet copies the dotscale-2017 files to a new directory and returns it.
func copySet(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dotscale-2017")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(seedsDir(t), "dotscale-2017"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// TestValidateSyntaxErrorFirst: a file that does not parse is reported
// first and alone, and the references to the ids it defines are counted in
// its problem, not listed; a reference to an id no file holds is still
// reported.
func TestValidateSyntaxErrorFirst(t *testing.T) {
	dir := copySet(t)
	appendTo(t, filepath.Join(dir, "tools.yaml"), "  - id: broken\n   kind: [tool\n")
	appendTo(t, filepath.Join(dir, "edges-data.yaml"), "  - {from: kafka, type: related_to, to: no-such-thing-anywhere, evidence: [{source: article-dotscale-2017-fr, quote: q}]}\n")
	r := runMain(t, "validate", "--standalone", dir)
	lines := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
	if r.code != 1 || len(lines) != 2 {
		t.Fatalf("got status %d and %d lines %q, want 1 and 2 lines", r.code, len(lines), lines)
	}
	for i, want := range []string{
		"tools.yaml:2:1: did not find expected '-' indicator: fix the YAML syntax (",
		`edges-data.yaml:`,
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d: got %q, want it to hold %q", i+1, lines[i], want)
		}
	}
	// The count depends on the data set; that it is there and not zero is
	// what matters (every tool of the set is referred to elsewhere).
	if m := regexp.MustCompile(`\((\d+) references to ids not found elsewhere are not reported`).FindStringSubmatch(lines[0]); m == nil || m[1] == "0" {
		t.Errorf("line 1: got %q, want a count of the references held back", lines[0])
	}
	if want := `unknown id "no-such-thing-anywhere"`; !strings.Contains(lines[1], want) {
		t.Errorf("line 2: got %q, want it to hold %q", lines[1], want)
	}
	if want := "talkgraph: 2 problems found; nothing was written\n"; r.err != want {
		t.Errorf("stderr: got %q, want %q", r.err, want)
	}
}

// TestValidateCapsOutput: the count comes first on stderr, then the first
// 20 problems and how many more; --all prints them all.
func TestValidateCapsOutput(t *testing.T) {
	dir := copySet(t)
	var b strings.Builder
	for i := range 25 {
		fmt.Fprintf(&b, "  - {from: kafka, type: related_to, to: missing-%02d, evidence: [{source: article-dotscale-2017-fr, quote: q}]}\n", i)
	}
	appendTo(t, filepath.Join(dir, "edges-data.yaml"), b.String())
	for _, tc := range []struct {
		name     string
		flags    []string
		lines    int
		wantLast string
	}{
		{"capped", nil, 21, "… and 5 more (--all prints every problem)"},
		{"all", []string{"--all"}, 25, `unknown id "missing-24"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, append(append([]string{"validate", "--standalone"}, tc.flags...), dir)...)
			lines := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
			if r.code != 1 || len(lines) != tc.lines {
				t.Fatalf("got status %d and %d lines, want 1 and %d", r.code, len(lines), tc.lines)
			}
			if last := lines[len(lines)-1]; !strings.Contains(last, tc.wantLast) {
				t.Errorf("last line: got %q, want it to hold %q", last, tc.wantLast)
			}
			if want := "talkgraph: 25 problems found; nothing was written\n"; r.err != want {
				t.Errorf("stderr: got %q, want %q", r.err, want)
			}
		})
	}
}

// TestStatsEmptyDatabase: stats on a database with no data set says so and
// how to seed it; on a seeded one it says nothing of the kind.
func TestStatsEmptyDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	for _, tc := range []struct {
		name     string
		before   []string
		wantNote bool
	}{
		{"empty", nil, true}, // a database created, nothing seeded
		{"seeded", []string{"--db", db, "seed"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.before == nil {
				s := graph.NewStore(db)
				s.Analyzer = textindex.MustNew()
				if err := s.Open(); err != nil {
					t.Fatal(err)
				}
				s.Close()
			} else if r := runMain(t, tc.before...); r.code != 0 {
				t.Fatalf("%v: got status %d, stderr %q", tc.before, r.code, r.err)
			}
			r := runMain(t, "--db", db, "stats")
			if r.code != 0 {
				t.Fatalf("stats: got status %d, stderr %q", r.code, r.err)
			}
			note := "holds no data set: seed it first with `talkgraph seed`"
			if got := strings.Contains(r.err, note); got != tc.wantNote {
				t.Errorf("stderr %q: holds the note %v, want %v", r.err, got, tc.wantNote)
			}
		})
	}
}

// refsSet is a data set that refers to kafka, of dotscale-2017.
const refsSet = `nodes:
  - {id: fx-report, kind: source, name: A report on Kafka}
edges:
  - {from: fx-report, type: mentions, to: kafka, evidence: [{source: fx-report, quote: Kafka}]}
`

func TestDrop(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	refs := filepath.Join(t.TempDir(), "refs")
	if err := os.Mkdir(refs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(refs, "refs.yaml"), []byte(refsSet), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"seed"}, {"seed", refs}} {
		if r := runMain(t, append([]string{"--db", db}, args...)...); r.code != 0 {
			t.Fatalf("%v: got status %d, stderr %q", args, r.code, r.err)
		}
	}
	for _, tc := range []struct {
		name, set string
		code      int
		want      string // in stdout when code is 0, else in stderr
	}{
		{"a set another refers to", "dotscale-2017", 1, "drop dotscale-2017: conflict: data set refs refers to [kafka]; drop those data sets first"},
		{"an unknown set", "dotscale", 1, "drop dotscale: data set not found: the database holds dotscale-2017, refs"},
		{"the referring set", "refs", 0, "dropped data set refs (1 nodes, 1 edges)"},
		{"then the other", "dotscale-2017", 0, "dropped data set dotscale-2017"},
		{"from an empty database", "refs", 1, "the database holds no data set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, "--db", db, "drop", "--yes", tc.set)
			text := r.out
			if tc.code != 0 {
				text = r.err
			}
			if r.code != tc.code || !strings.Contains(text, tc.want) {
				t.Errorf("got status %d, stdout %q, stderr %q, want %d and %q", r.code, r.out, r.err, tc.code, tc.want)
			}
		})
	}
	r := runMain(t, "--db", db, "stats", "--json")
	if r.code != 0 || !strings.Contains(r.out, `"nodes": 0`) {
		t.Errorf("stats after dropping both: got status %d, %q, want no nodes", r.code, r.out)
	}
}

// TestGenOutputDirectory: gen writes into a new or empty directory, or
// replaces a data set it wrote before, and refuses any other directory.
func TestGenOutputDirectory(t *testing.T) {
	base := t.TempDir() // the subtests' own end with them
	out := filepath.Join(base, "synthetic")
	editions := func() int {
		m, _ := filepath.Glob(filepath.Join(out, "edition-*.yaml"))
		return len(m)
	}
	for _, tc := range []struct {
		name     string
		prepare  func(t *testing.T)
		talks    string
		code     int
		editions int
	}{
		{"a new directory", func(*testing.T) {}, "120", 0, 3},
		{"replaces what it wrote", func(*testing.T) {}, "60", 0, 2},
		{"refuses a file it did not write", func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(out, "notes.yaml"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "200", 1, 2},
		{"refuses a directory of other files", func(t *testing.T) {
			out = copySet(t)
		}, "60", 1, 0},
		{"an empty directory", func(t *testing.T) {
			out = filepath.Join(base, "empty")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "60", 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.prepare(t)
			r := runMain(t, "gen", "--talks", tc.talks, "--out", out)
			if r.code != tc.code {
				t.Fatalf("got status %d, stderr %q, want %d", r.code, r.err, tc.code)
			}
			if tc.code != 0 && !strings.Contains(r.err, "directory holds files gen did not write") {
				t.Errorf("stderr: got %q, want the refusal", r.err)
			}
			if got := editions(); got != tc.editions {
				t.Errorf("edition files: got %d, want %d", got, tc.editions)
			}
		})
	}
	if r := runMain(t, "validate", "--standalone", out); r.code != 0 {
		t.Errorf("validate the generated set: got status %d, %s%s", r.code, r.out, r.err)
	}
}

// TestQueryEmptyDatabase: a query that fails on a database with no data set
// says why, and how to seed it.
func TestQueryEmptyDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	s := graph.NewStore(db)
	s.Analyzer = textindex.MustNew()
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	r := runMain(t, "--db", db, "query", `{ entity(name: "automation") { id } }`)
	if r.code != 1 || !strings.Contains(r.err, "holds no data set: seed it first") {
		t.Errorf("got status %d, stderr %q; want 1 and the note on how to seed", r.code, r.err)
	}
}
