package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/cli"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/seeds"
)

// badDir holds the seed package's broken data sets.
const badDir = "../seed/testdata/bad"

// seedsDir returns a new seeds directory holding the embedded data sets
// only: the tests never read the repository's seeds/, where a user keeps
// data sets of their own.
func seedsDir(t *testing.T) string {
	t.Helper()
	return testdb.SeedsDir(t)
}

type result struct {
	out, err string
	code     int
}

func newIO() (*cli.IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &cli.IO{In: strings.NewReader(""), Out: &out, Err: &errb}, &out, &errb
}

// execute runs the command tree the way Main does, without the exit status.
func execute(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ios, out, errb := newIO()
	root := cli.NewRootCmd(ios)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// runMain runs Main and returns what it printed and its exit status.
func runMain(t *testing.T, args ...string) result {
	t.Helper()
	ios, out, errb := newIO()
	code := cli.Main(args, ios)
	return result{out.String(), errb.String(), code}
}

// expectedCounts counts the nodes by kind and the edges by canonical type
// of the dotscale-2017 files, read without the loader.
func expectedCounts(t *testing.T) map[string]int {
	t.Helper()
	files, err := fs.Glob(seeds.FS, "dotscale-2017/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("seed files: got %d (%v), want some", len(files), err)
	}
	counts := map[string]int{}
	edges := map[string]bool{}
	for _, f := range files {
		b, err := fs.ReadFile(seeds.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Nodes []struct {
				Kind string `yaml:"kind"`
			} `yaml:"nodes"`
			Edges []struct {
				From string `yaml:"from"`
				Type string `yaml:"type"`
				To   string `yaml:"to"`
			} `yaml:"edges"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, n := range doc.Nodes {
			counts[n.Kind]++
			counts["nodes"]++
		}
		for _, e := range doc.Edges {
			ce, ok := graph.Edge{From: e.From, Type: e.Type, To: e.To}.Canonical()
			if !ok {
				t.Fatalf("%s: edge type: got %q, want a known one", f, e.Type)
			}
			if !edges[ce.Key()] {
				edges[ce.Key()] = true
				counts[ce.Type]++
				counts["edges"]++
			}
		}
	}
	return counts
}

// parseStats reads the "name   count" lines of the stats table.
func parseStats(out string) map[string]int {
	got := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 {
			if n, err := strconv.Atoi(f[1]); err == nil {
				got[f[0]] = n
			}
		}
	}
	return got
}

var seededLine = regexp.MustCompile(`^dotscale-2017: seeded (\d+) nodes, (\d+) edges \(\d+ keys\)\n$`)

func TestSeedThenStats(t *testing.T) {
	t.Setenv("TALKGRAPH_DB", t.TempDir())
	db, dir := filepath.Join(t.TempDir(), "db"), seedsDir(t)
	want := expectedCounts(t)
	if want["talk"] != 10 {
		t.Fatalf("talks in the seed files: got %d, want 10", want["talk"])
	}
	for _, step := range []struct {
		name  string
		args  []string
		check func(t *testing.T, out string)
	}{
		{"seed", []string{"--db", db, "seed", dir}, func(t *testing.T, out string) {
			m := seededLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("output: got %q, want %s", out, seededLine)
			}
			if m[1] != strconv.Itoa(want["nodes"]) || m[2] != strconv.Itoa(want["edges"]) {
				t.Errorf("seeded: got %s nodes, %s edges, want %d, %d", m[1], m[2], want["nodes"], want["edges"])
			}
		}},
		{"stats", []string{"--db", db, "stats"}, func(t *testing.T, out string) {
			got := parseStats(out)
			for name, n := range want {
				if got[name] != n {
					t.Errorf("%s: got %d, want %d", name, got[name], n)
				}
			}
			if got["talk"] != 10 {
				t.Errorf("talk: got %d, want 10", got["talk"])
			}
			if got["dotscale-2017"] != want["nodes"] {
				t.Errorf("data set line: got %d nodes, want %d", got["dotscale-2017"], want["nodes"])
			}
		}},
		{"seed again", []string{"--db", db, "seed", dir}, func(t *testing.T, out string) {
			if !strings.HasPrefix(out, "dotscale-2017: unchanged (") {
				t.Errorf("output: got %q, want the data set unchanged", out)
			}
		}},
		{"stats as JSON", []string{"--db", db, "stats", "--json"}, func(t *testing.T, out string) {
			var st graph.Stats
			if err := json.Unmarshal([]byte(out), &st); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if st.Nodes != want["nodes"] || st.Edges != want["edges"] || st.ByKind[graph.KindTalk] != 10 {
				t.Errorf("stats: got %d nodes, %d edges, %d talks, want %d, %d, 10", st.Nodes, st.Edges, st.ByKind[graph.KindTalk], want["nodes"], want["edges"])
			}
		}},
	} {
		t.Run(step.name, func(t *testing.T) {
			out, errOut, err := execute(t, step.args...)
			if err != nil {
				t.Fatalf("%v: got %v (stderr %q), want nil", step.args, err, errOut)
			}
			step.check(t, out)
		})
	}
}

func readGolden(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(badDir, name+".golden"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

var fileLineCol = regexp.MustCompile(`^[^:]+\.yaml:\d+:\d+: \S`)

func TestValidateBadFixture(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags []string
	}{
		{"dangling-reference", nil},
		{"duplicate-id", nil},
		{"kinds-not-allowed", []string{"--standalone"}},
		{"duplicate-edge", []string{"--standalone"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--db", t.TempDir(), "validate"}, tc.flags...)
			r := runMain(t, append(args, filepath.Join(badDir, tc.name))...)
			if r.code != 1 {
				t.Errorf("exit status: got %d, want 1", r.code)
			}
			got := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
			var want []string
			for _, line := range readGolden(t, tc.name) {
				want = append(want, strings.ReplaceAll(line, "testdata/bad/", badDir+"/"))
			}
			if !slices.Equal(got, want) {
				t.Errorf("stdout:\ngot  %q\nwant %q", got, want)
			}
			for _, line := range got {
				if !fileLineCol.MatchString(line) {
					t.Errorf("line %q: got no file:line:column, want one", line)
				}
			}
			noun := " problems"
			if len(want) == 1 {
				noun = " problem"
			}
			wantErr := "talkgraph: " + strconv.Itoa(len(want)) + noun + " found; nothing was written\n"
			if r.err != wantErr {
				t.Errorf("stderr: got %q, want %q", r.err, wantErr)
			}
		})
	}
}

func TestValidateGood(t *testing.T) {
	db, dir := filepath.Join(t.TempDir(), "no-database-here"), seedsDir(t)
	r := runMain(t, "--db", db, "validate", dir)
	if r.code != 0 || r.out != "" {
		t.Errorf("validate: got status %d, stdout %q, want 0 and nothing", r.code, r.out)
	}
	if want := dir + "/dotscale-2017: ok ("; !strings.Contains(r.err, want) {
		t.Errorf("stderr: got %q, want it to hold %q", r.err, want)
	}
	// "Nothing is written": validating must not create a database.
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("database directory after validate: got %v, want it not to exist", err)
	}
}

// TestValidateCurrentDirectory: "validate ." inside a data set directory
// names the data set after the directory, not ".".
func TestValidateCurrentDirectory(t *testing.T) {
	set := filepath.Join(seedsDir(t), "dotscale-2017")
	db := filepath.Join(t.TempDir(), "db")
	for _, tc := range []struct {
		name, arg string
		dir       func(t *testing.T) string
	}{
		{"dot", ".", func(t *testing.T) string { return set }},
		{"dot slash", "./", func(t *testing.T) string { return set }},
		{"dot dot", "..", func(t *testing.T) string {
			// A copy of the data set with a sub-directory to run from.
			sub := filepath.Join(t.TempDir(), "dotscale-2017", "sub")
			if err := os.CopyFS(filepath.Dir(sub), os.DirFS(set)); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			return sub
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(tc.dir(t))
			r := runMain(t, "--db", db, "validate", "--standalone", tc.arg)
			if r.code != 0 || r.out != "" {
				t.Errorf("validate %s: got status %d, stdout %q, want 0 and nothing", tc.arg, r.code, r.out)
			}
			if !strings.Contains(r.err, "ok (") {
				t.Errorf("stderr: got %q, want the data set ok", r.err)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Setenv("TALKGRAPH_DB", filepath.Join(t.TempDir(), "env-db"))
	for _, tc := range []struct {
		name  string
		args  []string
		usage string
	}{
		{"stats with an argument", []string{"stats", "extra-arg"}, "talkgraph stats"},
		{"unknown flag", []string{"stats", "--bogus"}, "talkgraph stats"},
		{"bad flag value", []string{"seed", "--force=maybe"}, "talkgraph seed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "db")
			r := runMain(t, append([]string{"--db", db}, tc.args...)...)
			if r.code != 2 {
				t.Errorf("exit status: got %d, want 2", r.code)
			}
			if !strings.HasPrefix(r.err, "talkgraph: ") {
				t.Errorf("stderr: got %q, want it to start with the error", r.err)
			}
			if !strings.Contains(r.err, "Usage:\n  "+tc.usage) {
				t.Errorf("stderr: got %q, want the usage of %s", r.err, tc.usage)
			}
			if r.out != "" {
				t.Errorf("stdout: got %q, want nothing", r.out)
			}
			if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("database after a usage error: got %v, want none created", err)
			}
		})
	}
}

func TestDatabaseLocked(t *testing.T) {
	dir := t.TempDir()
	s := graph.NewStore(dir)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"seed", []string{"seed", seedsDir(t)}, 1},
		{"stats", []string{"stats"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, append([]string{"--db", dir}, tc.args...)...)
			if r.code != tc.code {
				t.Errorf("exit status: got %d, want %d", r.code, tc.code)
			}
			if strings.Count(r.err, "\n") != 1 || !strings.HasSuffix(r.err, "\n") {
				t.Errorf("stderr: got %q, want one line", r.err)
			}
			if !strings.HasPrefix(r.err, "talkgraph: ") || !strings.Contains(r.err, "another talkgraph process") {
				t.Errorf("stderr: got %q, want it to say another talkgraph process holds the database", r.err)
			}
			if r.out != "" {
				t.Errorf("stdout: got %q, want nothing", r.out)
			}
		})
	}
	t.Run("validate falls back to the files alone", func(t *testing.T) {
		r := runMain(t, "--db", dir, "validate", seedsDir(t))
		if r.code != 0 {
			t.Errorf("exit status: got %d (stderr %q), want 0", r.code, r.err)
		}
		if !strings.Contains(r.err, "note: checking the data sets on their own") {
			t.Errorf("stderr: got %q, want the note", r.err)
		}
	})
}
