package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/gen"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// signalled starts cmd, waits until ready says the work is under way,
// sends sig, and returns the exit status, what the command wrote, and how
// long it took to end after the signal.
func signalled(t *testing.T, cmd *exec.Cmd, sig syscall.Signal, ready func() bool) (int, string, time.Duration) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for !ready() {
		select {
		case err := <-exited:
			t.Fatalf("the command ended before the signal (%v): %s", err, out.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	cmd.Process.Signal(sig)
	sent := time.Now()
	err := <-exited
	took := time.Since(sent)
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("after %v: got %v, want an exit status: %s", sig, err, out.String())
	}
	return ee.ExitCode(), out.String(), took
}

// exists reports whether a name starting with prefix is in dir.
func exists(dir, prefix string) func() bool {
	return func() bool {
		entries, _ := os.ReadDir(dir)
		return slices.ContainsFunc(entries, func(e os.DirEntry) bool { return strings.HasPrefix(e.Name(), prefix) })
	}
}

// TestSignalStopsSeed: SIGINT or SIGTERM while a seed reads its files, or
// while it writes a new database, stops it: the status is 128 + the
// signal, the message says the database holds what it held, and it does,
// with nothing left in or beside it. (How long the stop takes is measured
// in docs/benchmarks.md, not asserted here.)
func TestSignalStopsSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("signal test: not in -short")
	}
	dirs, hashes := twoVersions(t, 200)
	big := filepath.Join(t.TempDir(), "synthetic")
	if err := gen.Write(big, gen.Config{Talks: 3000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		sig     syscall.Signal
		rebuild bool
		ready   func(db string) func() bool
	}{
		{"SIGINT while reading", syscall.SIGINT, false, func(db string) func() bool { return exists(db, "seed-spool-") }},
		{"SIGTERM while reading", syscall.SIGTERM, false, func(db string) func() bool { return exists(db, "seed-spool-") }},
		{"SIGTERM while writing a new database", syscall.SIGTERM, true, func(db string) func() bool {
			return exists(filepath.Dir(db), ".db.restore-new-")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "db")
			if out, err := child("--db", db, "seed", dirs[0]).CombinedOutput(); err != nil {
				t.Fatalf("first seed: %v: %s", err, out)
			}
			cmd := child("--db", db, "seed", big)
			if tc.rebuild {
				cmd.Env = append(cmd.Env, rebuildMinEnv+"=-1")
			}
			code, out, took := signalled(t, cmd, tc.sig, tc.ready(db))
			t.Logf("stopped %v after the signal", took)
			if want := 128 + int(tc.sig); code != want {
				t.Errorf("exit status: got %d, want %d", code, want)
			}
			if !strings.Contains(out, "interrupted by") || !strings.Contains(out, "the database holds what it held before") {
				t.Errorf("message: got %q, want it to say the seed was interrupted and the database holds what it held", out)
			}
			if got := contentHash(t, db); got != hashes[0] {
				t.Errorf("after the signal: got content %s, want the old %s", got, hashes[0])
			}
			if names := testdb.DirNames(t, filepath.Dir(db)); !slices.Equal(names, []string{"db"}) {
				t.Errorf("beside the database: got %v, want only db", names)
			}
			if exists(db, "seed-spool-")() {
				t.Errorf("a seed's spool was left in the database directory")
			}
		})
	}
}

// TestSignalStopsRestore: SIGTERM while a restore loads the backup stops
// it: status 143, a message saying the database is as it was, the old
// content, and nothing left beside it.
func TestSignalStopsRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("signal test: not in -short")
	}
	root := t.TempDir()
	data := filepath.Join(root, "synthetic")
	if err := gen.Write(data, gen.Config{Talks: 3000, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	src, bak := filepath.Join(root, "src"), filepath.Join(root, "big.bak")
	if out, err := child("--db", src, "seed", data).CombinedOutput(); err != nil {
		t.Fatalf("seed: %v: %s", err, out)
	}
	if out, err := child("--db", src, "backup", bak).CombinedOutput(); err != nil {
		t.Fatalf("backup: %v: %s", err, out)
	}
	parent := t.TempDir()
	db := filepath.Join(parent, "db")
	if out, err := child("--db", db, "seed").CombinedOutput(); err != nil {
		t.Fatalf("seed: %v: %s", err, out)
	}
	before := contentHash(t, db)
	code, out, took := signalled(t, child("--db", db, "restore", "--force", bak), syscall.SIGTERM, exists(parent, ".db.restore-new-"))
	t.Logf("stopped %v after the signal", took)
	if code != 143 {
		t.Errorf("exit status: got %d, want 143", code)
	}
	if !strings.Contains(out, "interrupted by SIGTERM") || !strings.Contains(out, "the database is as it was") {
		t.Errorf("message: got %q, want it to say the restore was interrupted and the database is as it was", out)
	}
	if got := contentHash(t, db); got != before {
		t.Errorf("after the signal: got content %s, want the old %s", got, before)
	}
	if names := testdb.DirNames(t, parent); !slices.Equal(names, []string{"db"}) {
		t.Errorf("beside the database: got %v, want only db", names)
	}
}

// TestSignalStopsImportSeed: SIGTERM while `import --seed` seeds what it
// imported stops the seed as `seed` stops: status 143, the message says
// the database holds what it held, it does, and no spool is left.
func TestSignalStopsImportSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("signal test: not in -short")
	}
	root := t.TempDir()
	programme := filepath.Join(root, "big.xml")
	bigProgramme(t, programme, 3000, 0)
	db := filepath.Join(root, "db")
	if out, err := child("--db", db, "seed", "--no-vocabulary").CombinedOutput(); err != nil {
		t.Fatalf("first seed: %v: %s", err, out)
	}
	before := contentHash(t, db)
	cmd := child("--db", db, "import", programme, "--out", filepath.Join(root, "big"), "--seed")
	code, out, took := signalled(t, cmd, syscall.SIGTERM, exists(db, "seed-spool-"))
	t.Logf("stopped %v after the signal", took)
	if code != 143 {
		t.Errorf("exit status: got %d, want 143", code)
	}
	if !strings.Contains(out, "interrupted by SIGTERM") || !strings.Contains(out, "the database holds what it held before") {
		t.Errorf("message: got %q, want it to say the seed was interrupted and the database holds what it held", out)
	}
	if got := contentHash(t, db); got != before {
		t.Errorf("after the signal: got content %s, want the old %s", got, before)
	}
	if exists(db, "seed-spool-")() {
		t.Errorf("a seed's spool was left in the database directory")
	}
}
