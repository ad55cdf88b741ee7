package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// mountTmpfs mounts a tmpfs of the given size (e.g. "256m") and returns its
// directory; it is unmounted when the test ends. Mounting needs root: the
// test is skipped elsewhere, and fails in CI, which runs as root.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount a tmpfs (CI runs as root): %v", err)
		}
		t.Skipf("needs a real small file system: mount a tmpfs: %v (run as root)", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fill writes a file in dir until the file system is full, then gives back
// keep bytes, and returns a function that deletes the file.
func fill(t *testing.T, dir string, keep int64) (free func()) {
	t.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte{1}, 1<<20)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill: got %v, want ENOSPC", err)
			}
			break
		}
	}
	if st, err := f.Stat(); err == nil && keep > 0 {
		if err := f.Truncate(max(st.Size()-keep, 0)); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	return func() {
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
}

// post sends a GraphQL request and returns the status and the body.
func post(t *testing.T, url, token, query string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("the server does not answer: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func upsert(i int) string {
	return fmt.Sprintf(`mutation { upsertEntity(input: {id: "d-%d", kind: CONCEPT, name: "Disk %d"}) { id } }`, i, i)
}

// TestDiskFull fills a real small file system under a running server:
// mutations are refused with 507 and nothing written, reads go on, writes
// work again once space is freed, and every acknowledged write is there
// after a kill and a restart. Read and write commands on the full disk
// answer or refuse without crashing.
func TestDiskFull(t *testing.T) {
	mnt := mountTmpfs(t, "256m")
	db := filepath.Join(mnt, "db")
	const token = "disk-token"
	url, kill := startServeChild(t, db, token)
	defer kill()
	var acked, refused []int
	mutate := func(i int, wantStatus int) {
		t.Helper()
		status, body := post(t, url, token, upsert(i))
		switch {
		case status != wantStatus:
			t.Fatalf("mutation %d: got status %d (%s), want %d", i, status, body, wantStatus)
		case status == http.StatusOK:
			acked = append(acked, i)
		case !strings.Contains(body, `"INSUFFICIENT_STORAGE"`) || !strings.Contains(body, "free some space"):
			t.Errorf("mutation %d refused: got %s, want code INSUFFICIENT_STORAGE and what to do", i, body)
		default:
			refused = append(refused, i)
		}
	}
	read := func() {
		t.Helper()
		if status, body := post(t, url, token, `{ node(id: "d-0") { id name } }`); status != http.StatusOK || strings.Contains(body, "errors") {
			t.Fatalf("read: got %d %s, want 200 with data", status, body)
		}
	}
	mutate(0, http.StatusOK)
	free := fill(t, mnt, 0)
	for i := 1; i <= 3; i++ {
		mutate(i, http.StatusInsufficientStorage)
		read()
	}
	free()
	mutate(4, http.StatusOK)
	read()
	kill()

	// Commands on the full disk, after the kill: none crashes, reads say
	// what to do, writes are refused.
	free = fill(t, mnt, 0)
	for _, args := range [][]string{{"stats"}, {"seed", "--force"}} {
		out, err := child(append([]string{"--db", db}, args...)...).CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "free some space") {
			t.Errorf("%s on a full disk: got %v: %.300s, want exit status 1 saying to free some space", args[0], err, out)
		}
	}
	free()
	// Nearly full: reads answer (reading the memtable log the kill left
	// needs a few pages, which a tmpfs allocates even to read).
	free = fill(t, mnt, 8<<20)
	out, err := child("--db", db, "stats").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "nodes") {
		t.Errorf("stats on a nearly full disk: got %v: %.300s, want the counts", err, out)
	}
	free()

	s := graph.NewStore(db)
	s.Analyzer = analyzer
	if err := s.Open(); err != nil {
		t.Fatalf("open after the kill: %v", err)
	}
	defer s.Close()
	tx := s.Begin(context.Background())
	defer tx.Discard()
	for _, i := range acked {
		if _, err := tx.Node(fmt.Sprintf("d-%d", i)); err != nil {
			t.Errorf("acknowledged mutation d-%d: %v", i, err)
		}
	}
	for _, i := range refused {
		if _, err := tx.Node(fmt.Sprintf("d-%d", i)); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("refused mutation d-%d: got %v, want %v", i, err, graph.ErrNotFound)
		}
	}
}

// TestReadOnlyMount: a database on a read-only mount answers read commands,
// and a write command says why it cannot write.
func TestReadOnlyMount(t *testing.T) {
	mnt := mountTmpfs(t, "256m")
	db := filepath.Join(mnt, "db")
	if out, err := child("--db", db, "seed").CombinedOutput(); err != nil {
		t.Fatalf("seed: %v: %s", err, out)
	}
	if err := syscall.Mount("", mnt, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount read-only: %v", err)
	}
	bak := filepath.Join(t.TempDir(), "ro.bak")
	cases := []struct {
		args    []string
		wantOK  bool
		wantOut string
	}{
		{[]string{"stats"}, true, "talk"},
		{[]string{"query", `{ entity(name: "kafka") { name } }`}, true, "Kafka"},
		{[]string{"export", "--format", "ndjson"}, true, `"kafka"`},
		{[]string{"backup", bak}, true, "wrote"},
		{[]string{"seed", "--force"}, false, "not writable"},
	}
	for _, c := range cases {
		t.Run(c.args[0], func(t *testing.T) {
			out, err := child(append([]string{"--db", db}, c.args...)...).CombinedOutput()
			if (err == nil) != c.wantOK || !strings.Contains(string(out), c.wantOut) {
				t.Errorf("got %v: %.300s; want success %v and %q", err, out, c.wantOK, c.wantOut)
			}
		})
	}
}

// TestRestoreOnNearlyFullDisk: a restore that would fill the disk is
// refused with a clear error; the database keeps its content and nothing
// is left beside it.
func TestRestoreOnNearlyFullDisk(t *testing.T) {
	mnt := mountTmpfs(t, "256m")
	db := filepath.Join(mnt, "db")
	bak := filepath.Join(t.TempDir(), "b.bak")
	for _, args := range [][]string{{"seed"}, {"backup", bak}} {
		if out, err := child(append([]string{"--db", db}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", args[0], err, out)
		}
	}
	before := contentHash(t, db)
	free := fill(t, mnt, 100<<20)
	out, err := child("--db", db, "restore", "--force", bak).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "not enough free disk space") {
		t.Errorf("restore on a nearly full disk: got %v: %.300s, want exit status 1 saying there is not enough free disk space", err, out)
	}
	t.Logf("restore on a nearly full disk: %s", out)
	if names := testdb.DirNames(t, mnt); len(names) != 2 {
		t.Errorf("on the disk: got %v, want only db and the filler", names)
	}
	free()
	if got := contentHash(t, db); got != before {
		t.Errorf("content after a refused restore: got %s, want %s", got, before)
	}
}
