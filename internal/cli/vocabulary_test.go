package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmbeddedVocabulary: the embedded data is dotScale and the
// vocabulary, unless --no-vocabulary leaves it out.
func TestEmbeddedVocabulary(t *testing.T) {
	t.Setenv("TALKGRAPH_NO_VOCABULARY", "")
	for _, tc := range []struct {
		name string
		args []string
		sets []string
	}{
		{"default", nil, []string{"dotscale-2017: seeded", "vocabulary: seeded", "vocabulary-curated: seeded"}},
		{"opted out", []string{"--no-vocabulary"}, []string{"dotscale-2017: seeded"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "db")
			r := runMain(t, append([]string{"--db", db, "seed"}, tc.args...)...)
			if r.code != 0 {
				t.Fatalf("seed: got status %d, stderr %q", r.code, r.err)
			}
			if got := strings.Count(r.out, "\n"); got != len(tc.sets) {
				t.Errorf("seed: got %q, want a line per data set %q", r.out, tc.sets)
			}
			for _, want := range tc.sets {
				if !strings.Contains(r.out, want) {
					t.Errorf("seed: got %q, want %q", r.out, want)
				}
			}
		})
	}
	r := runMain(t, "--in-memory", "query", "--json", `{ entity(name: "Datenschutz") { id } tool(id: "python") { kind: __typename } }`)
	if want := `"id":"data-protection"`; r.code != 0 || !strings.Contains(strings.ReplaceAll(r.out, " ", ""), want) {
		t.Errorf("query in memory: got %d %q %q, want %s", r.code, r.out, r.err, want)
	}
}

// TestImportRegistries converts registry files into a data set that joins
// the embedded dotScale's entities, writes a NOTICE, and seeds.
func TestImportRegistries(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "vocab")
	in := "../vocab/testdata/"
	r := runMain(t, "import", in+"landscape.yml", in+"languages.yml", in+"simple-icons.json", "--out", out)
	if r.code != 0 {
		t.Fatalf("import: got status %d, stderr %q", r.code, r.err)
	}
	for _, want := range []string{"vocab: wrote ", " made_by, ", "are entities of seeds/dotscale-2017"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("import: got %q, want %q", r.out, want)
		}
	}
	notice, err := os.ReadFile(filepath.Join(out, "NOTICE"))
	if err != nil || !strings.Contains(string(notice), "Apache License") {
		t.Errorf("NOTICE: got %v, want the landscape's licence in it", err)
	}
	// Imported again into the same directory: replaced, not refused.
	if r := runMain(t, "import", in+"landscape.yml", "--out", out); r.code != 0 {
		t.Fatalf("import again: got status %d, stderr %q", r.code, r.err)
	}
	db := filepath.Join(dir, "db")
	if r := runMain(t, "--db", db, "seed", filepath.Join("..", "..", "seeds", "dotscale-2017"), out); r.code != 0 {
		t.Fatalf("seed: got status %d, stderr %q", r.code, r.err)
	}
	r = runMain(t, "--db", db, "query", "--json", `{ entity(name: "Kafka") { id name relations(type: "made_by") { from { id } } } }`)
	for _, want := range []string{`"id":"kafka"`, `"name":"Apache Kafka"`, `"id":"apache-software-foundation"`} {
		if !strings.Contains(r.out, want) {
			t.Errorf("query: got %q %q, want %s", r.out, r.err, want)
		}
	}
}

func TestImportRegistryRefusals(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("[\n{\"title\": \"A\", \"hex\": \"0\"},\n{\"title\": \"A\", \"hex\": \"1\"}\n]"), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := "../importer/testdata/input/cloudsummit-2025.json"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"duplicate brand", []string{"import", bad, "--out", filepath.Join(dir, "v")}, `bad.json:3: the brand "A" is listed again (first at line 2)`},
		{"mixed inputs", []string{"import", "../vocab/testdata/languages.yml", prog, "--out", filepath.Join(dir, "v")}, "import programmes and registries apart"},
		{"url count", []string{"import", "../vocab/testdata/languages.yml", "--source-url", "https://a", "--source-url", "https://b", "--out", filepath.Join(dir, "v")}, "2 --source-url for 1 registry files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, tc.args...)
			if r.code == 0 || !strings.Contains(r.err, tc.want) {
				t.Errorf("got status %d, stderr %q, want %q", r.code, r.err, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "v")); !os.IsNotExist(err) {
				t.Errorf("--out: got %v, want nothing written", err)
			}
		})
	}
}
