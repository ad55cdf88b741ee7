//go:build unix

package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/benchdata"
)

// These benchmarks run talkgraph as a child process: this test binary,
// re-executed as the CLI (see TestMain), so they measure a whole process.
// Sizes come from benchdata.Talks: TALKGRAPH_BENCH_TALKS (default 1000), or
// a -bench pattern naming them (-bench 'ColdStart/talks=100000$'). The data
// sets and the seeded databases are internal/benchdata's, shared with the
// other packages' benchmarks.

// BenchmarkSeedRSS runs `talkgraph seed` on the synthetic data set of each
// size, into a new database, and reports the child's peak resident set size
// (MiB-peak-rss, the largest over the iterations) and the peak of its
// anonymous part (MiB-peak-anon, see pollAnonRSS). ns/op is the wall time of
// the whole process.
func BenchmarkSeedRSS(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			data := benchdata.Dataset(b, n)
			var peak, peakAnon int64
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
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				anon := pollAnonRSS(cmd.Process.Pid)
				err = cmd.Wait()
				b.StopTimer()
				os.RemoveAll(db)
				if err != nil {
					b.Fatalf("talkgraph seed %s: %v: %s", data, err, out.Bytes())
				}
				peak = max(peak, benchMaxRSS(cmd.ProcessState))
				peakAnon = max(peakAnon, <-anon)
				b.StartTimer()
			}
			b.ReportMetric(float64(peak)/(1<<20), "MiB-peak-rss")
			if peakAnon > 0 {
				b.ReportMetric(float64(peakAnon)/(1<<20), "MiB-peak-anon")
			}
		})
	}
}

// pollAnonRSS samples a running process's anonymous resident memory (heap,
// stacks, Badger's buffers: RssAnon in /proc/PID/status) every 20 ms and
// sends the largest sample, in bytes, once the process is gone. The peak RSS
// the kernel keeps also counts file-backed pages: Badger writes and reads
// its tables through memory maps, and those pages are page cache the kernel
// can drop. It sends 0 where /proc has no such line.
func pollAnonRSS(pid int) <-chan int64 {
	out := make(chan int64, 1)
	path := fmt.Sprintf("/proc/%d/status", pid)
	go func() {
		var peak int64
		for {
			b, err := os.ReadFile(path)
			if err != nil {
				break // the process has ended
			}
			var kb int64
			for line := range bytes.Lines(b) {
				if rest, ok := bytes.CutPrefix(line, []byte("RssAnon:")); ok {
					fmt.Sscan(string(rest), &kb)
				}
			}
			if kb == 0 && bytes.Contains(b, []byte("State:\tZ")) {
				break // a zombie has no memory left to read
			}
			peak = max(peak, kb<<10)
			time.Sleep(20 * time.Millisecond)
		}
		out <- peak
	}()
	return out
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
	for _, n := range benchdata.Talks(b) {
		cases = append(cases, coldCase{fmt.Sprintf("talks=%d", n), func(b *testing.B) []string { return []string{"--db", benchdata.DB(b, n)} }})
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
