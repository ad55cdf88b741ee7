package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
)

func TestCheckSpace(t *testing.T) {
	dir := t.TempDir()
	free, ok := graph.FreeSpace(dir)
	if !ok {
		t.Skip("this system does not tell free space")
	}
	cases := []struct {
		name    string
		size    int64
		wantErr bool
	}{
		{"a small seed fits", 1 << 10, false},
		// A sparse file: its size counts, its blocks are never written.
		{"a seed larger than the disk is refused", int64(free), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			setDir := filepath.Join(t.TempDir(), "big")
			if err := os.MkdirAll(setDir, 0o755); err != nil {
				t.Fatal(err)
			}
			f, err := os.Create(filepath.Join(setDir, "x.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			if err := os.Truncate(f.Name(), c.size); err != nil {
				t.Fatal(err)
			}
			sets, err := seed.Discover(os.DirFS(setDir), ".", setDir)
			if err != nil {
				t.Fatal(err)
			}
			err = checkSpace(filepath.Join(dir, "db", "not-yet"), sets)
			if got := err != nil; got != c.wantErr {
				t.Fatalf("got %v, want error %v", err, c.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "free") {
				t.Errorf("message: got %q, want it to say how much is free", err)
			}
		})
	}
}
