package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedRefusesHostileInput: each bad input gets one clear error and the
// database is left as it was.
func TestSeedRefusesHostileInput(t *testing.T) {
	root := t.TempDir()
	big := filepath.Join(root, "big")
	os.MkdirAll(big, 0o755)
	f, err := os.Create(filepath.Join(big, "huge.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Truncate(f.Name(), 100<<20); err != nil { // sparse: 100 MB that cost nothing
		t.Fatal(err)
	}
	bomb := filepath.Join(root, "bomb")
	os.MkdirAll(bomb, 0o755)
	os.WriteFile(filepath.Join(bomb, "bomb.yaml"), []byte("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nnodes: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"), 0o644)
	empty := filepath.Join(root, "no-yaml")
	os.MkdirAll(empty, 0o755)
	os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("hello"), 0o644)
	cases := []struct {
		name string
		path string
		want string
	}{
		{"a 100 MB seed file", big, "split it into smaller files"},
		{"a YAML alias bomb", bomb, "anchors and aliases are not allowed"},
		{"a directory with no seed files", empty, "holds no .yaml seed files"},
		{"a file, not a directory", filepath.Join(bomb, "bomb.yaml"), "is a file"},
		{"a path that does not exist", filepath.Join(root, "nope"), "no such file"},
	}
	db := filepath.Join(t.TempDir(), "db")
	var out, errb bytes.Buffer
	if code := Main([]string{"--db", db, "seed"}, &IO{In: strings.NewReader(""), Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("seed the embedded set: exit %d: %s", code, errb.String())
	}
	before := contentHash(t, db)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main([]string{"--db", db, "seed", c.path}, &IO{In: strings.NewReader(""), Out: &out, Err: &errb})
			if code == 0 {
				t.Fatalf("got exit 0, want a refusal")
			}
			if msg := errb.String() + out.String(); !strings.Contains(msg, c.want) {
				t.Errorf("message: got %q, want it to contain %q", msg, c.want)
			}
			if after := contentHash(t, db); after != before {
				t.Errorf("the database changed")
			}
		})
	}
}
