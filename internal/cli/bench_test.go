//go:build unix

package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/gen"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"github.com/talkgraph/talkgraph/seeds"
)

// These benchmarks run talkgraph as a child process: this test binary,
// re-executed as the CLI (see TestMain), so they measure a whole process.
// Sizes come from benchTalks: TALKGRAPH_BENCH_TALKS (default 1000), or a
// -bench pattern naming them (-bench 'ColdStart/talks=100000$'). The data
// sets and the seeded databases are those of internal/server's benchmarks
// (the helpers from benchTalks on are copies of
// internal/server/benchdata_test.go's; keep them in step).

// BenchmarkSeedRSS runs `talkgraph seed` on the synthetic data set of each
// size, into a new database, and reports the child's peak resident set size
// (MiB-peak-rss, the largest over the iterations). ns/op is the wall time of
// the whole process.
func BenchmarkSeedRSS(b *testing.B) {
	for _, n := range benchTalks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			data := benchDataset(b, n)
			var peak int64
			for b.Loop() {
				b.StopTimer()
				db, err := os.MkdirTemp(os.TempDir(), "talkgraph-rssbench-*")
				if err != nil {
					b.Fatal(err)
				}
				cmd := child("--db", db, "seed", data)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				b.StartTimer()
				err = cmd.Run()
				b.StopTimer()
				os.RemoveAll(db)
				if err != nil {
					b.Fatalf("talkgraph seed %s: %v: %s", data, err, out.Bytes())
				}
				peak = max(peak, benchMaxRSS(cmd.ProcessState))
				b.StartTimer()
			}
			b.ReportMetric(float64(peak)/(1<<20), "MiB-peak-rss")
		})
	}
}

// benchMaxRSS returns a finished process's peak resident set size in bytes.
func benchMaxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) // bytes there
	}
	return int64(ru.Maxrss) << 10 // KiB on Linux and the BSDs
}

// BenchmarkColdStart measures `talkgraph serve --addr 127.0.0.1:0` from the
// start of the process to its first answered query: the automation query
// of the embedded set, posted until it is answered 200. It reports the mean
// time to the first answer (ms) and to the "talkgraph serving" log line
// (listen-ms), with the embedded set in memory (--in-memory, seeded at each
// start), with a database already seeded with the embedded set, and with the
// benchmark database of each size (the synthetic set and the embedded one).
// Shutting the server down is not timed.
func BenchmarkColdStart(b *testing.B) {
	embedded := filepath.Join(b.TempDir(), "db")
	if out, err := child("--db", embedded, "seed").CombinedOutput(); err != nil {
		b.Fatalf("seed the embedded set: %v: %s", err, out)
	}
	// Each case gives the global flags that choose the database.
	type coldCase struct {
		name  string
		flags func(b *testing.B) []string
	}
	cases := []coldCase{
		{"embedded-in-memory", func(*testing.B) []string { return []string{"--in-memory"} }},
		{"embedded-db", func(*testing.B) []string { return []string{"--db", embedded} }},
	}
	for _, n := range benchTalks(b) {
		cases = append(cases, coldCase{fmt.Sprintf("talks=%d", n), func(b *testing.B) []string { return []string{"--db", benchDB(b, n)} }})
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			args := c.flags(b)
			var listen, answer time.Duration
			for b.Loop() {
				l, a := benchColdStart(b, args)
				listen += l
				answer += a
			}
			b.ReportMetric(benchMillis(answer)/float64(b.N), "ms")
			b.ReportMetric(benchMillis(listen)/float64(b.N), "listen-ms")
		})
	}
}

// benchColdQuery is the query a cold start waits to see answered.
var benchColdQuery = []byte(`{"query":"query AutomationTalks { talks(mentioning: \"automation\") { title speakers { name } } }"}`)

// benchColdStart starts serve with the global flags args, waits for its
// first answer and stops it. It returns the times from the start to the
// "talkgraph serving" log line and to the answer; the benchmark's timer runs
// only from the start to the answer.
func benchColdStart(b *testing.B, args []string) (listen, answer time.Duration) {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer() // b.Loop wants it running
	cmd := child(append(slices.Clone(args), "serve", "--addr", "127.0.0.1:0", "--log-format", "json")...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer benchStop(b, cmd)
	var url string
	var logs bytes.Buffer
	lines := bufio.NewScanner(stderr)
	for url == "" && lines.Scan() {
		logs.Write(lines.Bytes())
		logs.WriteByte('\n')
		var rec struct{ Msg, URL string }
		if json.Unmarshal(lines.Bytes(), &rec) == nil && rec.Msg == "talkgraph serving" {
			url = rec.URL
		}
	}
	if url == "" {
		b.Fatalf("serve %v did not start:\n%s", args, logs.Bytes())
	}
	listen = time.Since(start)
	go io.Copy(io.Discard, stderr)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	for {
		body, status, err := benchPost(client, url+"/graphql", benchColdQuery)
		if err == nil && status == http.StatusOK {
			answer = time.Since(start)
			b.StopTimer()
			if !bytes.Contains(body, []byte(`"title"`)) || bytes.Contains(body, []byte(`"errors"`)) {
				b.Fatalf("serve %v: the first answer is not the automation talks: %.500s", args, body)
			}
			return listen, answer
		}
		if time.Since(start) > time.Minute {
			b.Fatalf("serve %v: no answer after a minute: status %d, %v", args, status, err)
		}
		time.Sleep(time.Millisecond)
	}
}

// benchPost posts a JSON body and reads the answer.
func benchPost(c *http.Client, url string, body []byte) ([]byte, int, error) {
	res, err := c.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return out, res.StatusCode, err
}

// benchStop stops a serve child as SIGTERM does, so that it closes its
// database cleanly, and kills it if it takes more than a minute.
func benchStop(b *testing.B, cmd *exec.Cmd) {
	b.StopTimer()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		b.Errorf("serve did not stop within a minute of SIGTERM")
	}
}

func benchMillis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchTalks returns the sizes (talk counts) to benchmark, each run as a
// sub-benchmark named talks=N: the numbers the -bench pattern gives after
// "talks=" (-bench 'Queries/talks=10000/', 'Seed/talks=(1000|100000)$'),
// else those TALKGRAPH_BENCH_TALKS lists, separated by spaces or commas,
// else 1000. A size the pattern does not name is never offered, so
// 'talks=1000' does not start the 10000 and 100000 ones too.
func benchTalks(tb testing.TB) []int {
	var sizes []int
	notDigit := func(r rune) bool { return r < '0' || r > '9' }
	if f := flag.Lookup("test.bench"); f != nil {
		for _, part := range strings.Split(f.Value.String(), "/") {
			if _, after, ok := strings.Cut(part, "talks="); ok {
				for _, d := range strings.FieldsFunc(after, notDigit) {
					n, _ := strconv.Atoi(d)
					sizes = append(sizes, n)
				}
			}
		}
	}
	if len(sizes) == 0 {
		env := os.Getenv("TALKGRAPH_BENCH_TALKS")
		if strings.TrimSpace(env) == "" {
			env = "1000"
		}
		for _, f := range strings.FieldsFunc(env, func(r rune) bool { return r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(f)
			if err != nil {
				tb.Fatalf("TALKGRAPH_BENCH_TALKS=%q: %q is not a talk count", env, f)
			}
			sizes = append(sizes, n)
		}
	}
	slices.Sort(sizes)
	sizes = slices.Compact(sizes)
	if len(sizes) == 0 || sizes[0] < 1 {
		tb.Fatalf("talk counts %v: each must be 1 or more", sizes)
	}
	return sizes
}

// benchDataset returns the directory of the synthetic data set of n talks
// (gen.Config{Talks: n, Seed: 1}), generating it when it is missing or was
// made by another version of the generator.
func benchDataset(tb testing.TB, n int) string {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("talkgraph-bench-%d", n))
	defer benchLock(tb, dir+".lock")()
	version := benchVersion(tb, n, "internal/gen")
	// The stamp is not a .yaml file, so it is no part of the data set.
	stamp := filepath.Join(dir, "bench-version")
	if b, err := os.ReadFile(stamp); err == nil && string(b) == version {
		return dir
	}
	start := time.Now()
	tmp, err := os.MkdirTemp(os.TempDir(), filepath.Base(dir)+".tmp-*")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if err := gen.Write(tmp, gen.Config{Talks: n, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "bench-version"), []byte(version), 0o644); err != nil {
		tb.Fatal(err)
	}
	benchReplace(tb, tmp, dir)
	tb.Logf("generated %s in %v", dir, time.Since(start).Round(time.Millisecond))
	return dir
}

// benchDB returns the directory of a database holding the synthetic data
// set of n talks and the embedded dotScale set, seeding it when it is
// missing or stale. The caller holds the database's lock until the end of
// tb, so no other benchmark process opens it meanwhile; children the caller
// starts may open it.
func benchDB(tb testing.TB, n int) string {
	tb.Helper()
	data := benchDataset(tb, n)
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("talkgraph-benchdb-%d", n))
	tb.Cleanup(benchLock(tb, dir+".lock"))
	version := benchVersion(tb, n, "internal/gen", "graph", "internal/seed", "internal/textindex", "seeds/"+seeds.Default)
	// The stamp lives beside the database: a database directory must hold
	// nothing else.
	stamp := dir + ".version"
	if b, err := os.ReadFile(stamp); err == nil && string(b) == version {
		if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err == nil {
			return dir
		}
	}
	os.Remove(stamp)
	start := time.Now()
	tmp, err := os.MkdirTemp(os.TempDir(), filepath.Base(dir)+".tmp-*")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	store := graph.NewStore(tmp)
	store.Analyzer = textindex.MustNew()
	if err := store.Open(); err != nil {
		tb.Fatal(err)
	}
	synthetic, err := seed.Discover(os.DirFS(data), ".", data)
	if err != nil {
		store.Close()
		tb.Fatal(err)
	}
	embedded, err := seed.Discover(seeds.FS, ".", "seeds")
	if err != nil {
		store.Close()
		tb.Fatal(err)
	}
	_, err = seed.NewLoader(store).Seed(context.Background(), append(synthetic, embedded...))
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatalf("seed the benchmark database: %v", err)
	}
	benchReplace(tb, tmp, dir)
	if err := os.WriteFile(stamp, []byte(version), 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("seeded %s in %v", dir, time.Since(start).Round(time.Millisecond))
	return dir
}

// benchVersion identifies what a cached file was made by: the talk count,
// the Go release, the store's format version and the sources (non-test .go
// and .yaml files) of the given directories of the module — the code and
// data that decide the file's content. Another engineer's change to the key
// layout thus rebuilds the cache instead of benchmarking a stale one.
func benchVersion(tb testing.TB, n int, dirs ...string) string {
	tb.Helper()
	root := benchModuleRoot(tb)
	h := sha256.New()
	fmt.Fprintf(h, "talkgraph-bench v1\x00%d\x00%s\x00%d\x00", n, runtime.Version(), graph.FormatVersion)
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(root, d))
		if err != nil {
			tb.Fatalf("benchmark cache version: %v", err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || strings.HasSuffix(name, "_test.go") || !(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".yaml")) {
				continue
			}
			b, err := os.ReadFile(filepath.Join(root, d, name))
			if err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(h, "%s/%s\x00%d\x00", d, name, len(b))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// benchModuleRoot returns the directory holding go.mod, above the package
// directory tests run in.
func benchModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			tb.Fatal("benchmark cache version: no go.mod above the working directory")
		}
		dir = up
	}
}

// benchReplace puts the directory tmp in place of dir.
func benchReplace(tb testing.TB, tmp, dir string) {
	tb.Helper()
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		tb.Fatal(err)
	}
}

// benchLock takes an exclusive lock on the file at path, waiting for another
// process to release it, and returns the function that releases it.
func benchLock(tb testing.TB, path string) (unlock func()) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	fd := int(f.Fd())
	err = syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		tb.Logf("waiting for %s: another benchmark process holds it", path)
		err = syscall.Flock(fd, syscall.LOCK_EX)
	}
	if err != nil {
		f.Close()
		tb.Fatalf("lock %s: %v", path, err)
	}
	return func() {
		syscall.Flock(fd, syscall.LOCK_UN)
		f.Close()
	}
}
