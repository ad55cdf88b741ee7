package cli

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/testdb"
)

// TestKillDuringRestore kills `restore --force` at random points; the
// database must then open with exactly the old or the new graph, and
// nothing the restore made may be left beside it.
func TestKillDuringRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test: not in -short")
	}
	dirs, hashes := twoVersions(t, 200)
	backups := t.TempDir()
	var files [2]string
	for i := range files {
		files[i] = filepath.Join(backups, fmt.Sprintf("%d.bak", i))
		// twoVersions seeded root/ref-i from root/i/synthetic.
		db := filepath.Join(filepath.Dir(filepath.Dir(dirs[i])), fmt.Sprintf("ref-%d", i))
		if out, err := child("--db", db, "backup", files[i]).CombinedOutput(); err != nil {
			t.Fatalf("backup: %v: %s", err, out)
		}
	}
	parent := t.TempDir()
	db := filepath.Join(parent, "db")
	if out, err := child("--db", db, "restore", files[0]).CombinedOutput(); err != nil {
		t.Fatalf("first restore: %v: %s", err, out)
	}
	start := time.Now()
	for _, f := range []string{files[1], files[0]} {
		if out, err := child("--db", db, "restore", "--force", f).CombinedOutput(); err != nil {
			t.Fatalf("restore: %v: %s", err, out)
		}
	}
	took := time.Since(start) / 2
	tmp := t.TempDir() // the children's $TMPDIR
	outcomes := killRounds(t, db, took, hashes, func(next int) *exec.Cmd {
		cmd := child("--db", db, "restore", "--force", files[next])
		cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
		return cmd
	}, func(round int) {
		if names := testdb.DirNames(t, parent); !slices.Equal(names, []string{"db"}) {
			t.Fatalf("round %d: beside the database after open: got %v, want only db", round, names)
		}
		if names := testdb.DirNames(t, tmp); len(names) > 0 {
			t.Fatalf("round %d: left in $TMPDIR: %v, want nothing", round, names)
		}
	})
	t.Logf("%d rounds, restore takes %v: %v", *faultRounds, took, outcomes)
}
