package seed_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

const (
	fuzzSetName  = "fuzz"
	fuzzFileName = "seed.yaml"
	// fuzzHangAfter bounds one input's Validate and Seed: a hang check.
	fuzzHangAfter = 10 * time.Second
)

// seedCorpus is every file of the bad fixtures and of the real data set.
func seedCorpus(tb testing.TB) [][]byte {
	tb.Helper()
	var files []string
	for _, pattern := range []string{"testdata/bad/*/*", "../../seeds/dotscale-2017/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		tb.Fatalf("seed corpus: got %d files, want the bad fixtures and the dotScale 2017 seeds", len(files))
	}
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// lineBreaks counts the line breaks YAML knows (\n, \r, NEL, LS, PS),
// \r\n counting twice: an upper bound of the lines a parser may report.
func lineBreaks(data []byte) int {
	n := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r"))
	for _, br := range []string{"\u0085", "\u2028", "\u2029"} {
		n += bytes.Count(data, []byte(br))
	}
	return n
}

// checkProblems asserts that err is seed.Problems whose every problem is in
// the file (or names the data set) with a line and column inside the file.
func checkProblems(t *testing.T, err error, data []byte) {
	t.Helper()
	var ps seed.Problems
	if !errors.As(err, &ps) {
		if !strings.Contains(err.Error(), fuzzSetName) {
			t.Fatalf("error: got %v (%T), want seed.Problems or an error naming the file", err, err)
		}
		return
	}
	if len(ps) == 0 {
		t.Fatalf("problems: got none in a failed validation, want at least one")
	}
	file := fuzzSetName + "/" + fuzzFileName
	maxLine := lineBreaks(data) + 2 // lines + 1
	for _, p := range ps {
		if p.Msg == "" {
			t.Errorf("problem %v: got an empty message, want one", p)
		}
		if p.Pos.File == fuzzSetName && p.Pos.Line == 0 {
			continue // about the data set as a whole
		}
		if got, want := p.Pos.File, file; got != want {
			t.Errorf("problem %q: file: got %v, want %v", p, got, want)
		}
		if got := p.Pos.Line; got < 1 || got > maxLine {
			t.Errorf("problem %q: line: got %v, want 1 to %v", p, got, maxLine)
		}
		if got := p.Pos.Col; got < 1 || got > len(data)+1 {
			t.Errorf("problem %q: column: got %v, want 1 to %v", p, got, len(data)+1)
		}
	}
}

// nodeCount is how many nodes a valid seed file lists.
func nodeCount(t *testing.T, data []byte) int {
	t.Helper()
	var doc struct {
		Nodes []yaml.Node `yaml:"nodes"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("a file that validated does not decode: %v", err)
	}
	return len(doc.Nodes)
}

// FuzzSeedFile loads arbitrary bytes as the one file of a data set: Validate
// never panics or hangs and reports problems at places inside the file; a
// file that validates seeds, and the store then holds its nodes.
func FuzzSeedFile(f *testing.F) {
	for _, b := range seedCorpus(f) {
		f.Add(b)
	}
	f.Add([]byte(goodYAML))
	for _, s := range []string{
		"", "---", "--- \n...\n", "#", "~", "[]", "{}", "nodes:", "nodes: ~\nedges: ~\n", "nodes: {}", "nodes: [1, [2], {a: b}]",
		"nodes:\n  - id: a\n    kind: talk\n    name: A\n    props: {date: '2017-04-24', order: x}\n",
		"nodes:\n  - !!binary aGVsbG8=\n", "? [a, b]\n: c\n", "nodes:\n  - id: [a]\n    kind: {b: c}\n    name: !custom x\n",
		"nodes:\r  - id: a\r    kind: source\r    name: A\r", "\ufeffnodes: []\n", "a: &x 1\nb: *x\n", "%YAML 1.1\n---\nnodes: []\n",
		"nodes:\n\t- id: a\n", "nodes: [\n", "'\n", "nodes:\n  - id: a\n    kind: talk\n    name: A\n  - id: A\n    kind: talk\n    name: B\n",
	} {
		f.Add([]byte(s))
	}
	store := testdb.Open(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, fuzzSetName), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fuzzSetName, fuzzFileName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		sets, err := seed.Discover(os.DirFS(dir), fuzzSetName, fuzzSetName)
		if err != nil {
			t.Fatalf("discover: %v", err)
		}
		type result struct {
			validateErr, seedErr error
			reports              []seed.Report
			stats                *graph.Stats
			statsErr             error
		}
		done := make(chan result, 1)
		go func() {
			var r result
			ctx := context.Background()
			l := seed.NewLoader(store)
			if r.validateErr = l.Validate(ctx, sets); r.validateErr == nil {
				if r.reports, r.seedErr = l.Seed(ctx, sets); r.seedErr == nil {
					r.stats, r.statsErr = store.Stats(ctx)
				}
			}
			done <- r
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(fuzzHangAfter):
			t.Fatalf("Validate and Seed of a %d-byte file: no answer after %v", len(data), fuzzHangAfter)
		}
		if r.validateErr != nil {
			checkProblems(t, r.validateErr, data)
			return
		}
		if r.seedErr != nil {
			t.Fatalf("Seed of a file that validated: got %v, want no error", r.seedErr)
		}
		if r.statsErr != nil {
			t.Fatalf("Stats: %v", r.statsErr)
		}
		want := nodeCount(t, data)
		if got := r.stats.Nodes; got != want {
			t.Errorf("nodes in the store: got %v, want %v (the file's)", got, want)
		}
		if len(r.reports) != 1 || r.reports[0].Nodes != want {
			t.Errorf("reports: got %+v, want one for %s with %v nodes", r.reports, fuzzSetName, want)
		}
	})
}
