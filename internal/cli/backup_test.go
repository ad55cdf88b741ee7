package cli_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// seededDB returns a database directory seeded with the embedded data set.
func seededDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "db")
	if _, _, err := execute(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestReadCommandsNeedADatabase: a read command on a mistyped --db says
// there is no database there, how to make one, and creates nothing.
func TestReadCommandsNeedADatabase(t *testing.T) {
	commands := [][]string{
		{"stats"},
		{"query", `{ node(id: "kafka") { id } }`},
		{"export", "--format", "json"},
		{"backup", "out.bak"},
	}
	for _, empty := range []bool{false, true} {
		for _, args := range commands {
			name := args[0] + map[bool]string{false: " on a missing directory", true: " on an empty directory"}[empty]
			t.Run(name, func(t *testing.T) {
				parent := t.TempDir()
				db := filepath.Join(parent, "tpyo")
				if empty {
					if err := os.Mkdir(db, 0o755); err != nil {
						t.Fatal(err)
					}
				}
				t.Chdir(parent)
				r := runMain(t, append([]string{"--db", db}, args...)...)
				if r.code == 0 {
					t.Fatalf("exit status: got 0, want non-zero")
				}
				if want := "talkgraph seed --db " + db; !strings.Contains(r.err, "no talkgraph database") || !strings.Contains(r.err, want) {
					t.Errorf("message: got %q, want it to say there is no database and %q", r.err, want)
				}
				entries, _ := os.ReadDir(parent)
				if want := map[bool]int{false: 0, true: 1}[empty]; len(entries) != want {
					t.Errorf("left in %s: got %d entries, want %d", parent, len(entries), want)
				}
				if empty {
					if inner, _ := os.ReadDir(db); len(inner) != 0 {
						t.Errorf("wrote into the empty directory: %d entries", len(inner))
					}
				}
			})
		}
	}
}

// TestBackupWritesThroughLinksAndSpecialFiles: a symlink stays a symlink
// (its target gets the backup) and a FIFO stays a FIFO (a reader gets it).
func TestBackupWritesThroughLinksAndSpecialFiles(t *testing.T) {
	db := seededDB(t)
	cases := []struct {
		name    string
		prepare func(t *testing.T, dir string) (arg string, read func() []byte)
		wantDev os.FileMode // the type the argument must still have
	}{
		{"a symlink to a regular file", func(t *testing.T, dir string) (string, func() []byte) {
			target := filepath.Join(dir, "real.bak")
			if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(dir, "link.bak")
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			return link, func() []byte { b, _ := os.ReadFile(target); return b }
		}, os.ModeSymlink},
		{"a dangling symlink", func(t *testing.T, dir string) (string, func() []byte) {
			target := filepath.Join(dir, "later.bak")
			link := filepath.Join(dir, "link.bak")
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			return link, func() []byte { b, _ := os.ReadFile(target); return b }
		}, os.ModeSymlink},
		{"a FIFO", func(t *testing.T, dir string) (string, func() []byte) {
			fifo := filepath.Join(dir, "pipe.bak")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			got := make(chan []byte, 1)
			go func() {
				f, err := os.Open(fifo)
				if err != nil {
					got <- nil
					return
				}
				defer f.Close()
				b, _ := io.ReadAll(f)
				got <- b
			}()
			return fifo, func() []byte { return <-got }
		}, os.ModeNamedPipe},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			arg, read := c.prepare(t, dir)
			if _, stderr, err := execute(t, "--db", db, "backup", arg); err != nil {
				t.Fatalf("backup: %v: %s", err, stderr)
			}
			backup := read()
			if !bytes.HasPrefix(backup, []byte("talkgraph backup 1\n")) {
				t.Fatalf("written through %s: got %d bytes starting %q, want a backup", arg, len(backup), backup[:min(len(backup), 20)])
			}
			st, err := os.Lstat(arg)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Mode().Type(); got != c.wantDev {
				t.Errorf("%s: got type %v, want %v (replaced instead of written through)", arg, got, c.wantDev)
			}
			restored := filepath.Join(t.TempDir(), "db")
			f := filepath.Join(t.TempDir(), "copy.bak")
			if err := os.WriteFile(f, backup, 0o644); err != nil {
				t.Fatal(err)
			}
			if out, stderr, err := execute(t, "--db", restored, "restore", f); err != nil || !strings.Contains(out, "verified") {
				t.Errorf("restore of what went through: got %q, %q, %v; want it verified", out, stderr, err)
			}
		})
	}
}

// TestRestoreRefusesDamage: a bit-flipped backup is refused with one clear
// line, the database keeps its content and no directory is created.
func TestRestoreRefusesDamage(t *testing.T) {
	db := seededDB(t)
	bak := filepath.Join(t.TempDir(), "good.bak")
	if _, _, err := execute(t, "--db", db, "backup", bak); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(bak)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(good)
	bad[len(bad)/2] ^= 0x01
	damaged := filepath.Join(t.TempDir(), "damaged.bak")
	if err := os.WriteFile(damaged, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	before, _, _ := execute(t, "--db", db, "stats", "--json")
	cases := []struct {
		name, db string
		args     []string
		wantDir  bool
	}{
		{"over a database", db, []string{"restore", "--force", damaged}, true},
		{"into a new directory", filepath.Join(t.TempDir(), "new"), []string{"restore", damaged}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runMain(t, append([]string{"--db", c.db}, c.args...)...)
			if r.code == 0 || !strings.Contains(r.err, "checksum does not match") || strings.Count(strings.TrimSpace(r.err), "\n") != 0 {
				t.Fatalf("got status %d, %q; want a failure in one line about the checksum", r.code, r.err)
			}
			if _, err := os.Stat(c.db); errors.Is(err, os.ErrNotExist) == c.wantDir {
				t.Errorf("database directory exists: got %v, want %v", err == nil, c.wantDir)
			}
		})
	}
	if after, _, _ := execute(t, "--db", db, "stats", "--json"); after != before {
		t.Errorf("stats after refused restores: got %s, want %s", after, before)
	}
}

// TestRestoreLegacyBackupWarns: a backup from before checksums (Badger's
// stream alone) is restored, with a warning that it could not be checked.
func TestRestoreLegacyBackupWarns(t *testing.T) {
	db := seededDB(t)
	s := graph.NewStore(db)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	// A legacy backup is Badger's stream alone: today's without its header
	// line and its checksum trailer line.
	var current bytes.Buffer
	err := s.Backup(context.Background(), &current)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	b := current.Bytes()
	b = b[bytes.IndexByte(b, '\n')+1:]
	b = b[:len(b)-len("sha256 \n")-64]
	legacy := bytes.NewBuffer(b)
	f := filepath.Join(t.TempDir(), "legacy.bak")
	if err := os.WriteFile(f, legacy.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := execute(t, "--db", filepath.Join(t.TempDir(), "db"), "restore", f)
	if err != nil || !strings.Contains(out, "unchecked") || !strings.Contains(stderr, "no checksum") {
		t.Errorf("got %q, %q, %v; want it restored, unchecked, with a warning", out, stderr, err)
	}
}
