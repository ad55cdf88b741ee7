// Command executorbench measures the compiled executor (issue 21) beside
// its baselines, in one run, and writes the section "A compiled executor
// (issue 21)" of docs/benchmarks.md (replacing it, keeping the rest):
//
//   - throughput with wrk (-t2 -c32 by default), each question posted to
//     each server in turn, the order rotated every round: talkgraph serve
//     --in-memory (the embedded data) with --executor compiled and with
//     --executor graphql-go (today's executor), a naive graphql-go server
//     answering { hello } and plain net/http answering a fixed 1 KB JSON
//     (internal/baseline), and for the 1-hop question the same compiled
//     executor behind a bare handler (bare.go): the ceiling of the stack;
//   - p50 and p99 latency at a fixed offered load below saturation (half
//     the slowest server's throughput), from an open-loop client that
//     counts from the time each request was due;
//   - allocations per request, go test -bench BenchmarkExecutors -benchmem.
//
// Usage: go run ./scripts/executorbench [-rounds 3] [-duration 10s]. It needs
// wrk on PATH and builds talkgraph from this tree. Every server runs as a
// process of its own on a free loopback port.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/talkgraph/talkgraph/internal/baseline"
)

type options struct {
	rounds      int
	duration    time.Duration
	latencyTime time.Duration
	threads     int
	connections int
	out         string
	talkgraph   string
	allocs      bool
}

func main() {
	var o options
	role := flag.String("serve", "", "internal: serve a baseline (fixed, hello or bare) at -addr")
	addr := flag.String("addr", "", "internal: the baseline's address")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds; each runs every server once per question, in rotated order")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each wrk run")
	flag.DurationVar(&o.latencyTime, "latency-time", 10*time.Second, "length of each fixed-load run")
	flag.IntVar(&o.threads, "threads", 2, "wrk threads")
	flag.IntVar(&o.connections, "connections", 32, "wrk connections")
	flag.StringVar(&o.out, "out", "docs/benchmarks.md", "the file whose section to write")
	flag.StringVar(&o.talkgraph, "talkgraph", "", "the talkgraph binary (default: built from this tree)")
	flag.BoolVar(&o.allocs, "allocs", true, "also run go test -bench BenchmarkExecutors for allocations")
	flag.Parse()
	var err error
	if *role != "" {
		err = serveBaseline(*role, *addr)
	} else {
		err = run(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "executorbench:", err)
		os.Exit(1)
	}
}

// serveBaseline serves internal/baseline's fixed or hello handler.
func serveBaseline(role, addr string) error {
	var h http.Handler
	switch role {
	case "fixed":
		h = baseline.FixedHandler()
	case "hello":
		var err error
		if h, err = baseline.HelloHandler(); err != nil {
			return err
		}
	case "bare":
		var err error
		if h, err = bareHandler(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("-serve %q: use fixed, hello or bare", role)
	}
	return http.ListenAndServe(addr, h)
}

// server is one process under test.
type server struct {
	name string
	url  string
	cmd  *exec.Cmd
}

const (
	fixed     = "net/http 1 KB"
	hello     = "graphql-go hello"
	graphqlGo = "talkgraph graphql-go"
	compiled  = "talkgraph compiled"
	bare      = "bare handler, compiled"
)

// question is what is posted, to which servers.
type question struct {
	name, what string
	body       string // to the talkgraph servers
	want       string // a prefix of their answer
	servers    []string
}

const helloBody = `{"query":"{ hello }"}`

var questions = []question{
	{name: "1-hop", what: "`talk(id:) { title speakers { name } }`, the id a variable",
		body:    `{"query":"query Talk($id: ID!) { talk(id: $id) { title speakers { name } } }","variables":{"id":"talk-devops"}}`,
		want:    `{"data":{"talk":{"title":"DevOps","speakers":[{"name":"Andrew Shafer"}]}}}`,
		servers: []string{fixed, hello, graphqlGo, compiled, bare}},
	{name: "conference", what: "`talks(conference: \"dotScale 2017\") { title speakers { name } mentions { name } }`",
		body:    `{"query":"{ talks(conference: \"dotScale 2017\") { title speakers { name } mentions { name } } }"}`,
		want:    `{"data":{"talks":[{"title":"Build and test performance at scale"`,
		servers: []string{graphqlGo, compiled}},
}

func run(o options) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is not on PATH: install it (apt-get install wrk)")
	}
	tmp, err := os.MkdirTemp("", "executorbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if o.talkgraph == "" {
		o.talkgraph = filepath.Join(tmp, "talkgraph")
		if out, err := exec.Command("go", "build", "-o", o.talkgraph, "./cmd/talkgraph").CombinedOutput(); err != nil {
			return fmt.Errorf("build talkgraph: %v\n%s", err, out)
		}
	}
	r := &report{opts: o, loadStart: loadavg(), start: time.Now(), commit: commit()}
	servers, err := startServers(o)
	defer func() {
		for _, s := range servers {
			_ = s.cmd.Process.Kill()
			_ = s.cmd.Wait()
		}
	}()
	if err != nil {
		return err
	}
	byName := map[string]*server{}
	for _, s := range servers {
		byName[s.name] = s
	}
	for _, q := range questions {
		res, err := measure(o, q, byName, tmp)
		if err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		r.results = append(r.results, res)
	}
	r.loadEnd = loadavg()
	if o.allocs {
		if r.allocs, err = allocations(); err != nil {
			return err
		}
	}
	return r.write()
}

// startServers starts every server, each on a free port, and waits until
// each answers.
func startServers(o options) ([]*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var out []*server
	for _, name := range []string{fixed, hello, graphqlGo, compiled, bare} {
		port, err := freePort()
		if err != nil {
			return out, err
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		var cmd *exec.Cmd
		switch name {
		case fixed:
			cmd = exec.Command(self, "-serve", "fixed", "-addr", addr)
		case hello:
			cmd = exec.Command(self, "-serve", "hello", "-addr", addr)
		case bare:
			cmd = exec.Command(self, "-serve", "bare", "-addr", addr)
		case graphqlGo, compiled:
			ex := strings.TrimPrefix(name, "talkgraph ")
			cmd = exec.Command(o.talkgraph, "serve", "--in-memory", "--addr", addr, "--executor", ex, "--log-level", "warn")
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			return out, err
		}
		s := &server{name: name, url: "http://" + addr + "/graphql", cmd: cmd}
		out = append(out, s)
		if err := waitFor(s); err != nil {
			return out, err
		}
	}
	return out, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitFor waits until s answers at all (talkgraph seeds its data first).
func waitFor(s *server) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if res, err := http.Get(s.url); err == nil {
			res.Body.Close()
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer at %s within 2 minutes", s.name, s.url)
}

// post sends body and returns the answer, an error unless 200.
func post(c *http.Client, url, body string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(res.Body); err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: status %d: %.200s", url, res.StatusCode, b.Bytes())
	}
	return b.Bytes(), nil
}

// bodyFor is what q posts to the server named name.
func bodyFor(q question, name string) string {
	if name == fixed || name == hello {
		return helloBody
	}
	return q.body
}

var (
	requestsPerSec = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	requestsIn     = regexp.MustCompile(`(\d+) requests in`)
)

// wrkRun is one wrk run: requests/s, and the CPU time the server and wrk
// spent per request (independent of what else runs on the machine, where
// requests/s is not).
type wrkRun struct {
	rps               float64
	serverCPU, wrkCPU time.Duration // per request
}

// cpuTime is the user and system CPU time process pid has used, from
// /proc/PID/stat (in clock ticks of 10 ms).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// the fields after the command, which is in parentheses
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// wrk runs wrk against s posting body.
func wrk(o options, s *server, body, dir string, d time.Duration) (wrkRun, error) {
	before, err := cpuTime(s.cmd.Process.Pid)
	if err != nil {
		return wrkRun{}, err
	}
	rps, n, wrkCPU, err := runWrk(o, s.url, body, dir, d)
	if err != nil {
		return wrkRun{}, err
	}
	after, err := cpuTime(s.cmd.Process.Pid)
	if err != nil {
		return wrkRun{}, err
	}
	return wrkRun{rps: rps, serverCPU: (after - before) / time.Duration(max(n, 1)), wrkCPU: wrkCPU / time.Duration(max(n, 1))}, nil
}

// runWrk runs wrk against url posting body: requests/s, requests, and the
// CPU time wrk used.
func runWrk(o options, url, body, dir string, d time.Duration) (rps float64, n int, cpu time.Duration, err error) {
	script := filepath.Join(dir, "post.lua")
	lua := fmt.Sprintf("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = %s\n", strconv.Quote(body))
	if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
		return 0, 0, 0, err
	}
	cmd := exec.Command("wrk", "-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.connections),
		"-d", d.String(), "-s", script, url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, 0, 0, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("Non-2xx")) || bytes.Contains(out, []byte("Socket errors")) {
		return 0, 0, 0, fmt.Errorf("wrk saw failed requests:\n%s", out)
	}
	m, c := requestsPerSec.FindSubmatch(out), requestsIn.FindSubmatch(out)
	if m == nil || c == nil {
		return 0, 0, 0, fmt.Errorf("no Requests/sec in wrk's output:\n%s", out)
	}
	rps, err = strconv.ParseFloat(string(m[1]), 64)
	n, _ = strconv.Atoi(string(c[1]))
	return rps, n, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), err
}
