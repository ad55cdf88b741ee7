package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkWrite copies the dotScale data set, runs link --write twice and
// checks the file is a valid part of the data set and the second run
// changes nothing.
func TestLinkWrite(t *testing.T) {
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
	printed := run("link", dir)
	if !strings.Contains(printed, "to: google") || !strings.Contains(printed, "derived-talkgraph-link") {
		t.Errorf("printed proposals: got\n%s\nwant the DevOps talk's mention of Google", printed)
	}
	run("link", "--write", dir)
	first, err := os.ReadFile(filepath.Join(dir, linksFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, []byte(printed)) {
		t.Errorf("links.yaml differs from what link prints")
	}
	run("link", "--write", dir)
	second, _ := os.ReadFile(filepath.Join(dir, linksFile))
	if !bytes.Equal(first, second) {
		t.Errorf("a second link --write changed links.yaml")
	}
	run("validate", "--standalone", dir)
	if got := run("--db", filepath.Join(t.TempDir(), "db"), "seed", dir); !strings.Contains(got, "seeded") {
		t.Errorf("seed with links.yaml: got %q", got)
	}
}
