package seed_test

import (
	"context"
	"errors"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

const badDir = "testdata/bad"

// badCases are the data sets under testdata/bad; each <case>.golden holds
// the problems Validate reports, one Problem.String() a line.
var badCases = []struct {
	name        string
	maxFileSize int64
}{
	{name: "unknown-field"},
	{name: "missing-field"},
	{name: "duplicate-id"},
	{name: "dangling-reference"},
	{name: "kinds-not-allowed"},
	{name: "unknown-edge-type"},
	{name: "bad-date"},
	{name: "empty-name"},
	{name: "second-document"},
	{name: "anchors-aliases"},
	{name: "invalid-utf8"},
	{name: "too-big", maxFileSize: 64},
	{name: "syntax-error"},
	{name: "duplicate-edge"},
	{name: "nodes-not-list"},
	{name: "three-problems"},
}

// badSet discovers the data set of one bad case, shown as testdata/bad/<case>.
func badSet(t *testing.T, name string) []*seed.Set {
	t.Helper()
	sets, err := seed.Discover(os.DirFS(badDir), name, path.Join(badDir, name))
	if err != nil {
		t.Fatalf("discover %s: %v", name, err)
	}
	if len(sets) != 1 || sets[0].Name != name {
		t.Fatalf("discover %s: got %d sets, want the one data set %s", name, len(sets), name)
	}
	return sets
}

// problemLines returns the lines of a validation error, failing the test
// when err is not seed.Problems.
func problemLines(t *testing.T, err error) []string {
	t.Helper()
	var ps seed.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error: got %v (%T), want seed.Problems", err, err)
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return lines
}

// golden compares got with the lines of testdata/bad/<name>.golden, or
// rewrites the file under -update.
func golden(t *testing.T, name string, got []string) {
	t.Helper()
	testdb.Golden(t, path.Join(badDir, name+".golden"), []byte(strings.Join(got, "\n")+"\n"))
}

func readGolden(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(path.Join(badDir, name+".golden"))
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestValidateBad(t *testing.T) {
	for _, tc := range badCases {
		t.Run(tc.name, func(t *testing.T) {
			l := seed.NewLoader(nil)
			if tc.maxFileSize > 0 {
				l.MaxFileSize = tc.maxFileSize
			}
			err := l.Validate(context.Background(), badSet(t, tc.name))
			golden(t, tc.name, problemLines(t, err))
		})
	}
}

// TestBadCasesListed keeps the table and testdata/bad in step: every
// fixture directory has a case and a golden file.
func TestBadCasesListed(t *testing.T) {
	entries, err := os.ReadDir(badDir)
	if err != nil {
		t.Fatal(err)
	}
	var dirs, goldens, want []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		} else if name, ok := strings.CutSuffix(e.Name(), ".golden"); ok {
			goldens = append(goldens, name)
		}
	}
	for _, tc := range badCases {
		want = append(want, tc.name)
	}
	slices.Sort(want)
	if !slices.Equal(dirs, want) {
		t.Errorf("fixture directories: got %q, want %q", dirs, want)
	}
	if !slices.Equal(goldens, want) {
		t.Errorf("golden files: got %q, want %q", goldens, want)
	}
}

// TestValidateFixedFixture: the fixture of each bad case, with the one
// mistake fixed, validates, so the golden file shows only that mistake.
func TestValidateFixedFixture(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to string // replacement in the case's file
		file     string
	}{
		{"unknown-field", "nmae:", "name:", "nodes.yaml"},
		{"dangling-reference", "to: fx-kafak", "to: fx-kafka", "nodes.yaml"},
		{"kinds-not-allowed", "from: fx-kafka\n    type: gave\n    to: fx-talk", "from: fx-talk\n    type: about\n    to: fx-kafka", "nodes.yaml"},
		{"syntax-error", "name: Streams: the talk", `name: "Streams: the talk"`, "nodes.yaml"},
		{"unknown-edge-type", "type: gives", "type: gave", "nodes.yaml"},
		{"bad-date", "2017-02-30", "2017-02-28", "nodes.yaml"},
		{"empty-name", `name: ""`, "name: A talk", "nodes.yaml"},
		{"duplicate-edge", "type: given_by", "type: mentions", "nodes.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(path.Join(badDir, tc.name, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.from) {
				t.Fatalf("fixture: got no %q, want one to replace", tc.from)
			}
			dir := t.TempDir()
			if err := os.Mkdir(path.Join(dir, tc.name), 0o755); err != nil {
				t.Fatal(err)
			}
			fixed := strings.Replace(string(b), tc.from, tc.to, 1)
			if err := os.WriteFile(path.Join(dir, tc.name, tc.file), []byte(fixed), 0o644); err != nil {
				t.Fatal(err)
			}
			sets, err := seed.Discover(os.DirFS(dir), tc.name, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if err := seed.NewLoader(nil).Validate(context.Background(), sets); err != nil {
				t.Errorf("Validate of the fixed fixture: got %v, want nil", err)
			}
		})
	}
}

const goodYAML = `nodes:
  - id: fx-report
    kind: source
    name: Fixture report
  - id: fx-talk
    kind: talk
    name: A talk
edges:
  - from: fx-report
    type: about
    to: fx-talk
    evidence:
      - source: fx-report
`

// TestValidateSets covers problems of whole data sets rather than of one
// file's content.
func TestValidateSets(t *testing.T) {
	// writeSet writes files into dir/name and returns the data set.
	writeSet := func(t *testing.T, name string, files map[string]string) []*seed.Set {
		t.Helper()
		dir := t.TempDir()
		if err := os.Mkdir(path.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		for f, body := range files {
			if err := os.WriteFile(path.Join(dir, name, f), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return setAt(t, os.DirFS(dir), name, name)
	}
	for _, tc := range []struct {
		name string
		sets func(t *testing.T) []*seed.Set
		want []string // nil: valid
	}{
		{"same set twice", func(t *testing.T) []*seed.Set {
			return append(dotscaleSets(t), dotscaleSets(t)...)
		}, []string{"seeds/dotscale-2017: data set dotscale-2017 is given twice: give each directory once"}},
		{"name not a slug", func(t *testing.T) []*seed.Set {
			return writeSet(t, "Fixture Set", map[string]string{"nodes.yaml": goodYAML})
		}, []string{`Fixture Set: data set name: id "Fixture Set" is not a slug: use lower-case letters, digits and single '-', '_' or '.' between them (rename the directory)`}},
		{"empty and comment-only files", func(t *testing.T) []*seed.Set {
			return writeSet(t, "fixture", map[string]string{"a.yaml": "", "b.yaml": "# nothing yet\n", "c.yaml": goodYAML})
		}, nil},
		{"edges in another file", func(t *testing.T) []*seed.Set {
			nodes, edges, _ := strings.Cut(goodYAML, "edges:\n")
			return writeSet(t, "fixture", map[string]string{"a.yaml": "edges:\n" + edges, "b.yaml": nodes})
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := seed.NewLoader(nil).Validate(context.Background(), tc.sets(t))
			if tc.want == nil {
				if err != nil {
					t.Errorf("Validate: got %v, want nil", err)
				}
				return
			}
			if got := problemLines(t, err); !slices.Equal(got, tc.want) {
				t.Errorf("problems: got %d:\n%s\nwant %q", len(got), strings.Join(got[:min(len(got), 5)], "\n"), tc.want)
			}
		})
	}
}
