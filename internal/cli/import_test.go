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
		{"frab xml", []string{xml, "--out", filepath.Join(dir, "tc")}, 0, "tc: wrote [concept.yaml conference.yaml edges.yaml person.yaml source.yaml talk.yaml]", 6},
		{"again replaces", []string{xml, "--out", filepath.Join(dir, "tc")}, 0, "tc: wrote", 6},
		{"sessionize without conference", []string{sessionize, "--out", filepath.Join(dir, "cs")}, 2, "names no conference: give its name with --conference NAME", -1},
		{"sessionize", []string{sessionize, "--conference", "CloudSummit 2025", "--out", filepath.Join(dir, "cs")}, 0, "cs: wrote", 6},
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

// TestImportSeedQuery imports the three fixture conferences (which share
// speakers) with the fixtures' people file, seeds them into a real
// database and asks questions across them in GraphQL; then a newer
// programme without one talk is imported and seeded over the old one.
func TestImportSeedQuery(t *testing.T) {
	dir := t.TempDir()
	db, seeds := filepath.Join(dir, "db"), filepath.Join(dir, "seeds")
	people := filepath.Join(importInput, "..", "people.yaml")
	imports := [][]string{
		{filepath.Join(importInput, "techconf-2025.xml"), "--out", filepath.Join(seeds, "techconf-2025")},
		{filepath.Join(importInput, "datenfest-2024.json"), "--out", filepath.Join(seeds, "datenfest-2024")},
		{filepath.Join(importInput, "cloudsummit-2025.json"), "--conference", "CloudSummit 2025", "--out", filepath.Join(seeds, "cloudsummit-2025")},
	}
	for _, args := range imports {
		if r := runMain(t, append([]string{"import", "--people", people}, args...)...); r.code != 0 {
			t.Fatalf("import %v: exit %d: %s", args, r.code, r.err)
		}
	}
	if r := runMain(t, "--db", db, "seed", seeds); r.code != 0 {
		t.Fatalf("seed: exit %d: %s", r.code, r.err)
	}
	cases := []struct {
		name, query, want string
	}{
		{"a speaker of three conferences is one person", `{ person(id: "ada-muller") { talks { id conference { name } } } }`,
			`{"data":{"person":{"talks":[{"id":"cloudsummit-2025-90211","conference":{"name":"CloudSummit 2025"}},{"id":"datenfest-2024-311","conference":{"name":"Datenfest 2024"}},{"id":"tc25-101","conference":{"name":"TechConf 2025"}},{"id":"tc25-102","conference":{"name":"TechConf 2025"}}]}}}`},
		{"two spellings merged by the people file", `{ person(id: "joanna-smith") { name aliases talks { id } } }`,
			`{"data":{"person":{"name":"Joanna Smith","aliases":["Jo Smith"],"talks":[{"id":"datenfest-2024-312"},{"id":"tc25-202"}]}}}`},
		{"a namesake split by the people file", `{ person(id: "jo-smith-cloudsummit") { name talks { id } } }`,
			`{"data":{"person":{"name":"Jo Smith","talks":[{"id":"cloudsummit-2025-90212"}]}}}`},
		{"a German talk found by its German words", `{ search(text: "Datenbanken Einsteiger") { node { id } } }`,
			`{"data":{"search":[{"node":{"id":"datenfest-2024-311"}}]}}`},
		{"talks of one conference", `{ talks(conference: "datenfest-2024") { id } }`,
			`{"data":{"talks":[{"id":"datenfest-2024-311"},{"id":"datenfest-2024-312"},{"id":"datenfest-2024-401"}]}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runMain(t, "--db", db, "query", c.query)
			if got := strings.TrimSpace(r.out); r.code != 0 || got != c.want {
				t.Errorf("query: got %s (exit %d, %s), want %s", got, r.code, r.err, c.want)
			}
		})
	}
	t.Run("a newer programme drops a cancelled talk", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(importInput, "datenfest-2024.json"))
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(string(data), `"guid": "not-a-uuid-401"`)
		start := strings.LastIndex(string(data[:i]), "{")
		end := start + strings.Index(string(data[start:]), `"persons": []`) + len(`"persons": []`)
		end += strings.Index(string(data[end:]), "}") + 1
		newer := filepath.Join(dir, "datenfest-2024-v2.json")
		if err := os.WriteFile(newer, append(append([]byte{}, data[:start]...), data[end:]...), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := runMain(t, "import", "--people", people, newer, "--out", filepath.Join(seeds, "datenfest-2024")); r.code != 0 {
			t.Fatalf("import: exit %d: %s", r.code, r.err)
		}
		if r := runMain(t, "--db", db, "seed", filepath.Join(seeds, "datenfest-2024")); r.code != 0 {
			t.Fatalf("seed: exit %d: %s", r.code, r.err)
		}
		r := runMain(t, "--db", db, "query", `{ talks(conference: "datenfest-2024") { id } person(id: "ada-muller") { talks { id } } }`)
		want := `{"data":{"talks":[{"id":"datenfest-2024-311"},{"id":"datenfest-2024-312"}],"person":{"talks":[{"id":"cloudsummit-2025-90211"},{"id":"datenfest-2024-311"},{"id":"tc25-101"},{"id":"tc25-102"}]}}}`
		if got := strings.TrimSpace(r.out); got != want {
			t.Errorf("query: got %s, want %s", got, want)
		}
	})
}
