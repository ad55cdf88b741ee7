package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
)

// A small data set: a source, a speaker and two talks, one given by the
// speaker. talksFile takes the first talk's name and the second talk (or "").
const watchNodes = `nodes:
  - {id: w-src, kind: source, name: A report}
  - {id: w-ada, kind: person, name: Ada}
`

const secondTalk = "  - {id: w-talk-2, kind: talk, name: Second talk}\n"

func talksFile(name, more string) string {
	return fmt.Sprintf(`nodes:
  - id: w-talk-1
    kind: talk
    name: %s
%sedges:
  - {from: w-ada, type: gave, to: w-talk-1, evidence: [{source: w-src, quote: she gave it}]}
`, name, more)
}

// watchFixture is a store, a data set directory and a running watcher.
type watchFixture struct {
	store *graph.Store
	dir   string
	logs  *serveLogBuffer
	w     *seedWatcher
}

func newWatchFixture(t *testing.T, root string, watch string) *watchFixture {
	t.Helper()
	store := graph.NewStore(filepath.Join(t.TempDir(), "db"))
	store.Analyzer = analyzer
	if err := store.Open(); err != nil {
		t.Fatal(err)
	}
	f := &watchFixture{store: store, dir: root, logs: &serveLogBuffer{}}
	f.w = &seedWatcher{Store: store, Log: slog.New(slog.NewTextHandler(f.logs, nil)), Paths: []string{watch}, Delay: 50 * time.Millisecond, Poll: 50 * time.Millisecond}
	if err := f.w.Start(context.Background()); err != nil {
		store.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.w.Stop()
		store.Close()
	})
	return f
}

// write writes a file the way editors often save: a new file renamed over
// the old one when rename is set, in place otherwise.
func write(t *testing.T, path, content string, rename bool) {
	t.Helper()
	target := path
	if rename {
		target = path + ".tmp~"
	}
	if err := os.WriteFile(target, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if rename {
		if err := os.Rename(target, path); err != nil {
			t.Fatal(err)
		}
	}
}

// name returns the name of node id in the store, or "" when it is absent.
func (f *watchFixture) name(t *testing.T, id string) string {
	t.Helper()
	var name string
	err := f.store.View(context.Background(), func(tx *graph.Tx) error {
		n, err := tx.Node(id)
		if err == nil {
			name = n.Name
		}
		if errors.Is(err, graph.ErrNotFound) {
			err = nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// waitFor polls cond for up to 10 seconds.
func (f *watchFixture) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s; log:\n%s", what, f.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWatchReseeds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "watched")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	talks := filepath.Join(dir, "talks.yaml")
	write(t, filepath.Join(dir, "nodes.yaml"), watchNodes, false)
	write(t, talks, talksFile("First title", secondTalk), false)
	f := newWatchFixture(t, dir, dir)
	if got, want := f.name(t, "w-talk-1"), "First title"; got != want {
		t.Fatalf("after start: got %q, want %q (seeded once on start)", got, want)
	}
	problem := regexp.MustCompile(`level=WARN msg="seed problem" at=\S*talks\.yaml:4:5 problem="unknown field \\"nmae\\"`)
	steps := []struct {
		name    string
		content string
		rename  bool
		id      string // the node to check
		want    string // its name; "" for absent
		wantLog *regexp.Regexp
	}{
		{name: "edit a name in place", content: talksFile("Second title", secondTalk), id: "w-talk-1", want: "Second title"},
		{name: "edit a name by rename", content: talksFile("Third title", secondTalk), rename: true, id: "w-talk-1", want: "Third title"},
		{name: "typo in a field keeps the data", content: strings.Replace(talksFile("Fourth title", secondTalk), "    name:", "    nmae:", 1),
			id: "w-talk-1", want: "Third title", wantLog: problem},
		{name: "fix the typo", content: talksFile("Fifth title", secondTalk), id: "w-talk-1", want: "Fifth title"},
		{name: "remove a node", content: talksFile("Fifth title", ""), id: "w-talk-2", want: ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			write(t, talks, st.content, st.rename)
			if st.wantLog != nil {
				f.waitFor(t, "the problem in the log", func() bool { return st.wantLog.MatchString(f.logs.String()) })
			}
			f.waitFor(t, fmt.Sprintf("%s named %q", st.id, st.want), func() bool { return f.name(t, st.id) == st.want })
		})
	}
}

func TestWatchDirectoryOfSets(t *testing.T) {
	root := t.TempDir()
	first := filepath.Join(root, "set-a")
	if err := os.Mkdir(first, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(first, "nodes.yaml"), watchNodes, false)
	f := newWatchFixture(t, root, root)
	if got, want := f.name(t, "w-ada"), "Ada"; got != want {
		t.Fatalf("after start: got %q, want %q", got, want)
	}
	tests := []struct {
		name, set, file, content string
		id, want                 string // a node and its name once seeded
		wantLog                  string // text the log must then hold
	}{
		{name: "new data set directory", set: "set-b", file: "talks.yaml", content: talksFile("A talk", ""),
			id: "w-talk-1", want: "A talk", wantLog: "dataset=set-b"},
		{name: "broken data set", set: "set-c", file: "bad.yaml", content: "nodes: [{id: Bad, kind: tool, name: B}]\n",
			id: "w-talk-1", want: "A talk", wantLog: "set-c/bad.yaml:1:"},
		{name: "change beside a broken data set", set: "set-b", file: "talks.yaml", content: talksFile("Renamed", ""),
			id: "w-talk-1", want: "Renamed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(root, tt.set)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, tt.file), tt.content, false)
			f.waitFor(t, fmt.Sprintf("%q in the log", tt.wantLog), func() bool { return strings.Contains(f.logs.String(), tt.wantLog) })
			f.waitFor(t, fmt.Sprintf("%s named %q", tt.id, tt.want), func() bool { return f.name(t, tt.id) == tt.want })
		})
	}
}

func TestWatchStartFailures(t *testing.T) {
	file := filepath.Join(t.TempDir(), "seed.yaml")
	write(t, file, watchNodes, false)
	tests := []struct {
		name, path, wantErr string
	}{
		{name: "missing path", path: filepath.Join(t.TempDir(), "nope"), wantErr: "no such file or directory"},
		{name: "file", path: file, wantErr: "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &seedWatcher{Store: graph.NewStore(""), Log: slog.New(slog.DiscardHandler), Paths: []string{tt.path}}
			err := w.Start(context.Background())
			if err == nil {
				w.Stop()
				t.Fatal("got nil error, want one")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestServeWatch runs serve --watch: the data set is seeded before the
// server listens, an edit reaches the API, and shutdown stops the watcher.
func TestServeWatch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "watched")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "nodes.yaml"), watchNodes, false)
	write(t, filepath.Join(dir, "talks.yaml"), talksFile("First title", ""), false)
	if _, err := startServe(t, t.TempDir(), "--watch", filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("serve --watch on a missing path: got %v, want an error naming it", err)
	}
	s, err := startServe(t, t.TempDir(), "--watch", dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := talkName(t, s.url), "First title"; got != want {
		t.Fatalf("served name: got %q, want %q", got, want)
	}
	write(t, filepath.Join(dir, "talks.yaml"), talksFile("Served title", ""), true)
	deadline := time.Now().Add(10 * time.Second)
	for talkName(t, s.url) != "Served title" {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for the edit to be served; log:\n%s", s.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.shutdown(t); err != nil {
		t.Errorf("shutdown: got %v, want nil", err)
	}
}

// talkName asks the server for the name of talk w-talk-1.
func talkName(t *testing.T, base string) string {
	t.Helper()
	q := url.Values{"query": {`{ node(id: "w-talk-1") { name } }`}}
	res, err := http.Get(base + "/graphql?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Data struct {
			Node *struct{ Name string }
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Data.Node == nil {
		return ""
	}
	return body.Data.Node.Name
}
