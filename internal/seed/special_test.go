package seed_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/seed"
)

// TestSpecialFiles: a .yaml name that is not a regular file is a problem
// of its own, and is never opened (a named pipe would block the read).
func TestSpecialFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(path string) error
		want string
	}{
		{"named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "set/odd.yaml: it is a named pipe (FIFO), not a regular file"},
		{"link to a directory", func(p string) error { return os.Symlink(os.TempDir(), p) }, "set/odd.yaml: it is a directory, not a regular file"},
		{"link to a regular file", func(p string) error {
			target := filepath.Join(filepath.Dir(filepath.Dir(p)), "elsewhere.yaml")
			if err := os.WriteFile(target, []byte("nodes: [{id: linked, kind: tool, name: Linked}]\n"), 0o644); err != nil {
				return err
			}
			return os.Symlink(target, p)
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "set")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "nodes.yaml"), []byte("nodes: [{id: a-tool, kind: tool, name: A tool}]\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := tc.make(filepath.Join(dir, "odd.yaml")); err != nil {
				t.Skipf("cannot make the file: %v", err)
			}
			sets := setAt(t, os.DirFS(root), "set", "set")
			done := make(chan error, 1)
			go func() { done <- seed.NewLoader(nil).Validate(context.Background(), sets) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("validate still running after 10s")
			}
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want a problem holding %q", err, tc.want)
			}
		})
	}
}
