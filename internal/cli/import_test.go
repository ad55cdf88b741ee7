package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// skip: the case has no --out to look at.
const skip = -2

var importInput = filepath.Join("..", "importer", "testdata", "input")

// TestImportCommand runs `talkgraph import` as a user would: good input,
// re-import, and the usual mistakes, each with what it must print and
// leave on disk.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	xml := filepath.Join(importInput, "techconf-2025.xml")
	sessionize := filepath.Join(importInput, "cloudsummit-2025.json")
	foreign := filepath.Join(dir, "foreign")
	if err := os.MkdirAll(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.xml")
	if err := os.WriteFile(broken, []byte("<schedule>\n<conference>\n</schedule>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		code     int
		want     string
		outFiles int // files in --out afterwards
	}{
		{"frab xml", []string{xml, "--out", filepath.Join(dir, "tc")}, 0, "tc: wrote [conference.yaml edges.yaml person.yaml source.yaml talk.yaml]", 5},
		{"again replaces", []string{xml, "--out", filepath.Join(dir, "tc")}, 0, "tc: wrote", 5},
		{"sessionize without conference", []string{sessionize, "--out", filepath.Join(dir, "cs")}, 2, "names no conference: give its name with --conference NAME", -1},
		{"sessionize", []string{sessionize, "--conference", "CloudSummit 2025", "--out", filepath.Join(dir, "cs")}, 0, "cs: wrote", 5},
		{"missing out", []string{xml}, 2, "--out DIR is required", skip},
		{"foreign out", []string{xml, "--out", foreign}, 1, "holds files an import did not write (notes.txt)", 1},
		{"broken file", []string{broken, "--out", filepath.Join(dir, "broken")}, 1, "broken.xml:3: bad input: XML syntax error", -1},
		{"unknown format", []string{xml, "--format", "csv", "--out", filepath.Join(dir, "x")}, 2, `unknown format "csv"`, -1},
		{"missing file", []string{filepath.Join(dir, "nope.xml"), "--out", filepath.Join(dir, "y")}, 1, "no such file", -1},
	}
	defer func() {
		if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
			t.Errorf("temporary directories left beside --out: %v", left)
		}
	}()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runMain(t, append([]string{"import"}, c.args...)...)
			if r.code != c.code {
				t.Fatalf("exit: got %d, want %d (out %q, err %q)", r.code, c.code, r.out, r.err)
			}
			if got := r.out + r.err; !strings.Contains(got, c.want) {
				t.Errorf("output: got %q, want it to contain %q", got, c.want)
			}
			if c.outFiles == skip {
				return
			}
			out := c.args[len(c.args)-1]
			entries, err := os.ReadDir(out)
			switch {
			case c.outFiles < 0 && !os.IsNotExist(err):
				t.Errorf("--out %s: got %d entries (%v), want no directory", out, len(entries), err)
			case c.outFiles >= 0 && len(entries) != c.outFiles:
				t.Errorf("--out %s: got %d entries, want %d", out, len(entries), c.outFiles)
			}
		})
	}
}
