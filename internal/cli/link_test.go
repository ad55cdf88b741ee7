package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkWrite copies the dotScale data set, runs link --write twice and
// checks the file is a valid part of the data set (beside the vocabulary,
// whose entities it links to) and the second run changes nothing.
func TestLinkWrite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	dir := filepath.Join(t.TempDir(), "dotscale-2017")
	if err := os.CopyFS(dir, os.DirFS("../../seeds/dotscale-2017")); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		ios := &IO{In: strings.NewReader(""), Out: &out, Err: &errb}
		if code := Main(args, ios); code != 0 {
			t.Fatalf("talkgraph %v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	// Without a database, the embedded vocabulary is linked to.
	printed := run("--db", db, "link", dir)
	for _, want := range []string{"to: google", "derived-talkgraph-link", "quote: He urges the audience to read Google's SRE book."} {
		if !strings.Contains(printed, want) {
			t.Errorf("printed proposals: got\n%s\nwant %q (the DevOps talk's mention of Google, quoted)", printed, want)
		}
	}
	run("--db", db, "--no-vocabulary=false", "seed")
	if got := run("--db", db, "link", dir); got != printed {
		t.Errorf("link against a database holding the vocabulary: got\n%s\nwant what it printed without one", got)
	}
	run("--db", db, "link", "--write", dir)
	first, err := os.ReadFile(filepath.Join(dir, linksFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, []byte(printed)) {
		t.Errorf("links.yaml differs from what link prints")
	}
	run("--db", db, "link", "--write", dir)
	second, _ := os.ReadFile(filepath.Join(dir, linksFile))
	if !bytes.Equal(first, second) {
		t.Errorf("a second link --write changed links.yaml")
	}
	run("--db", db, "validate", dir)
	if got := run("--db", db, "seed", dir); !strings.Contains(got, "seeded") {
		t.Errorf("seed with links.yaml: got %q", got)
	}
}
