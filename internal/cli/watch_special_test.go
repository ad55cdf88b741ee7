package cli

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
)

// within runs fn and fails the test when it has not returned after d: the
// bugs these tests guard against are hangs.
func within(t *testing.T, d time.Duration, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s: still running after %s", what, d)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

// TestWatchFIFO: a named pipe called *.yaml is reported as a problem, never
// opened, so it neither blocks the watcher nor its stop.
func TestWatchFIFO(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "watched")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "nodes.yaml"), watchNodes, false)
	write(t, filepath.Join(dir, "talks.yaml"), talksFile("First title", ""), false)
	pipe := filepath.Join(dir, "pipe.yaml")
	mkfifo(t, pipe)
	store := graph.NewStore(filepath.Join(t.TempDir(), "db"))
	store.Analyzer = analyzer
	if err := store.Open(); err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	f := &watchFixture{store: store, dir: dir, logs: &serveLogBuffer{}}
	f.w = &seedWatcher{Store: store, Log: slog.New(slog.NewTextHandler(f.logs, nil)), Paths: []string{dir}, Delay: 50 * time.Millisecond, Poll: 50 * time.Millisecond}
	var err error
	within(t, 10*time.Second, "start with a FIFO in the directory", func() { err = f.w.Start(context.Background()) })
	if err != nil {
		t.Fatal(err)
	}
	problem := "pipe.yaml problem=\"it is a named pipe (FIFO), not a regular file"
	steps := []struct {
		name   string
		change func(t *testing.T)
		log    string // what the log must hold, counted
		count  int
		want   string // the talk's name then
	}{
		{"a FIFO at start is a problem", func(*testing.T) {}, problem, 1, ""},
		{"without the FIFO the set seeds", func(t *testing.T) { os.Remove(pipe) }, "seeded data set", 1, "First title"},
		{"a FIFO made while watching is a problem", func(t *testing.T) { mkfifo(t, pipe) }, problem, 2, "First title"},
		{"an edit beside it keeps the data", func(t *testing.T) {
			write(t, filepath.Join(dir, "talks.yaml"), talksFile("Blocked title", ""), false)
		}, problem, 3, "First title"},
		{"the FIFO gone, the edit lands", func(t *testing.T) { os.Remove(pipe) }, "seeded data set", 2, "Blocked title"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change(t)
			f.waitFor(t, st.log, func() bool { return strings.Count(f.logs.String(), st.log) >= st.count })
			f.waitFor(t, "the talk's name", func() bool { return f.name(t, "w-talk-1") == st.want })
		})
	}
	mkfifo(t, pipe)
	within(t, 10*time.Second, "stop with a FIFO in the directory", f.w.Stop)
}

// TestValidateFIFO: validate reports a FIFO rather than waiting on it.
func TestValidateFIFO(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "set")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "nodes.yaml"), watchNodes, false)
	mkfifo(t, filepath.Join(dir, "pipe.yaml"))
	var code int
	var out string
	within(t, 10*time.Second, "validate", func() { code, out = runCLI("validate", dir) })
	if want := "set/pipe.yaml: it is a named pipe (FIFO), not a regular file"; code != 1 || !strings.Contains(out, want) {
		t.Errorf("got status %d and %q, want 1 and %q", code, out, want)
	}
}

// TestWatchRootGoneAndBack: a watched directory deleted, or moved away, is
// watched again when a directory of that name comes back.
func TestWatchRootGoneAndBack(t *testing.T) {
	for _, tc := range []struct {
		name string
		gone func(dir string) error
	}{
		{"deleted", os.RemoveAll},
		{"moved away", func(dir string) error { return os.Rename(dir, dir+".old") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "watched")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, "nodes.yaml"), watchNodes, false)
			write(t, filepath.Join(dir, "talks.yaml"), talksFile("First title", ""), false)
			f := newWatchFixture(t, dir, dir)
			if err := tc.gone(dir); err != nil {
				t.Fatal(err)
			}
			f.waitFor(t, "the log line saying it is gone", func() bool { return strings.Contains(f.logs.String(), "watch: a watched directory is gone") })
			if got, want := f.name(t, "w-talk-1"), "First title"; got != want {
				t.Errorf("while gone: got %q, want %q (data kept)", got, want)
			}
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, "nodes.yaml"), watchNodes, false)
			write(t, filepath.Join(dir, "talks.yaml"), talksFile("Back title", ""), false)
			f.waitFor(t, "the log line saying it is back", func() bool { return strings.Contains(f.logs.String(), "watch: a watched directory is back") })
			f.waitFor(t, "the talk from the new directory", func() bool { return f.name(t, "w-talk-1") == "Back title" })
			write(t, filepath.Join(dir, "talks.yaml"), talksFile("Edited title", ""), true)
			f.waitFor(t, "an edit after the return", func() bool { return f.name(t, "w-talk-1") == "Edited title" })
		})
	}
}

// seedGeneration reads talkgraph_seed_generation from the server's metrics.
func seedGeneration(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "talkgraph_seed_generation "); ok {
			return v
		}
	}
	t.Fatalf("no talkgraph_seed_generation in the metrics:\n%s", b)
	return ""
}

// TestServeWatchSeedGeneration: the seed generation metric counts the
// seeds of --watch, not only serve's first seed of an empty database.
func TestServeWatchSeedGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "watched")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "nodes.yaml"), watchNodes, false)
	write(t, filepath.Join(dir, "talks.yaml"), talksFile("First title", ""), false)
	s, err := startServe(t, t.TempDir(), "--watch", dir)
	if err != nil {
		t.Fatal(err)
	}
	// The embedded set seeded into the empty database, then the watched one.
	if got, want := seedGeneration(t, s.url), "2"; got != want {
		t.Errorf("after start: got %s, want %s", got, want)
	}
	write(t, filepath.Join(dir, "talks.yaml"), talksFile("Second title", ""), true)
	deadline := time.Now().Add(10 * time.Second)
	for seedGeneration(t, s.url) != "3" {
		if time.Now().After(deadline) {
			t.Fatalf("after an edit: got %s, want 3; log:\n%s", seedGeneration(t, s.url), s.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := talkName(t, s.url); got != "Second title" {
		t.Errorf("served name: got %q, want %q", got, "Second title")
	}
}
