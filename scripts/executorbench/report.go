package main

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// report is the section written into docs/benchmarks.md.
type report struct {
	opts               options
	start              time.Time
	commit             string
	loadStart, loadEnd string
	results            []*questionResult
	allocs             map[string]allocResult // by "question/level/executor"
	b                  strings.Builder
}

type allocResult struct{ ns, allocs float64 }

const title = "## A compiled executor (issue 21)"

func (r *report) printf(format string, a ...any) { fmt.Fprintf(&r.b, format, a...) }

// write replaces the section in the output file, or appends it.
func (r *report) write() error {
	r.render()
	old, err := os.ReadFile(r.opts.out)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	doc := string(old)
	section := strings.TrimRight(r.b.String(), "\n") + "\n"
	if i := strings.Index(doc, "\n"+title+"\n"); i >= 0 {
		rest := doc[i+1+len(title):]
		end := ""
		if j := strings.Index(rest, "\n## "); j >= 0 {
			end = rest[j:]
		}
		doc = doc[:i+1] + section + end
	} else {
		doc = strings.TrimRight(doc, "\n") + "\n\n" + section
	}
	fmt.Printf("wrote %s\n", r.opts.out)
	return os.WriteFile(r.opts.out, []byte(doc), 0o644)
}

func (r *report) render() {
	o := r.opts
	r.printf("%s\n\n", title)
	r.printf("Written by `go run ./scripts/executorbench -rounds %d -duration %s` on %s, commit %s; %d CPUs (%s), %s.\n",
		o.rounds, o.duration, r.start.UTC().Format("2006-01-02 15:04 MST"), r.commit, runtime.NumCPU(), cpuModel(), runtime.Version())
	r.printf("Load average at start %s, at end %s (the end counts the benchmark's own servers and wrk; a start above 0.5 means other work shared the 2 CPUs, and absolute numbers are then low and noisy); each ratio compares servers measured in the same round.\n\n", r.loadStart, r.loadEnd)
	r.printf("Each server is a process of its own on a loopback port: `talkgraph serve --in-memory --log-level warn` (the embedded data; no access log line) with `--executor compiled` and with `--executor graphql-go` (today's executor: graphql-go's, then the reorder and encoding pass), a naive graphql-go server answering `{ hello }` with `graphql.Do` per request, and plain `net/http` answering a fixed 1 KB JSON (`internal/baseline`); and, for the 1-hop question, the *bare handler*: the same compiled executor over the same embedded data behind a `net/http` handler that only reads the body, calls `executor.Do` and writes the answer (no admission, deadline, size limit, metrics, log, CORS or request id; `scripts/executorbench/bare.go`), the most this stack allows. Throughput is `wrk -t%d -c%d -d%s` posting the question, every server once per round, the order rotated each round; ratios are per round, the median over rounds (range in brackets). Latency comes from an open-loop client at a fixed offered load, half the slowest server's throughput, counted from when each request was due.\n\n",
		o.threads, o.connections, o.duration)
	r.targets()
	for _, res := range r.results {
		r.throughput(res)
	}
	r.latencies()
	r.allocations()
}

// ratio returns the median and range over rounds of a's req/s over b's.
func ratio(res *questionResult, a, b string) (med, lo, hi float64) {
	var v []float64
	for i := range res.throughput[a] {
		v = append(v, res.throughput[a][i]/res.throughput[b][i])
	}
	lo, hi = v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return median(v), lo, hi
}

func (r *report) result(name string) *questionResult {
	for _, res := range r.results {
		if res.q.name == name {
			return res
		}
	}
	return nil
}

func (r *report) targets() {
	r.printf("| target | measured | status |\n|---|---|---|\n")
	row := func(what string, got, want float64, format string) {
		status := "met"
		if got < want {
			status = "missed"
		}
		r.printf("| %s | "+format+" | %s |\n", what, got, status)
	}
	if h := r.result("1-hop"); h != nil {
		m, lo, hi := ratio(h, compiled, hello)
		row("1-hop ≥ 2.5× graphql-go hello", m, 2.5, fmt.Sprintf("%%.2f× [%.2f–%.2f]", lo, hi))
		m, lo, hi = ratio(h, compiled, fixed)
		row("1-hop ≥ 60% of net/http 1 KB", m*100, 60, fmt.Sprintf("%%.0f%%%% [%.0f–%.0f%%%%]", lo*100, hi*100))
		// What the baselines allow under this run's load, and the CPU
		// each server spent per request (which other work changes less).
		m, lo, hi = ratio(h, fixed, hello)
		r.printf("| for reference: net/http 1 KB ÷ graphql-go hello, same rounds | %.2f× [%.2f–%.2f] | the baselines' own ratio |\n", m, lo, hi)
		cpu := func(a, b string) float64 { return median(h.serverCPU[a]) / median(h.serverCPU[b]) }
		r.printf("| for reference: 1-hop server CPU per request, graphql-go hello ÷ compiled | %.2f× | not a throughput |\n", cpu(hello, compiled))
		r.printf("| for reference: 1-hop server CPU per request, net/http 1 KB ÷ compiled | %.0f%% | not a throughput |\n", cpu(fixed, compiled)*100)
		if _, ok := h.throughput[bare]; ok {
			m, lo, hi = ratio(h, bare, hello)
			r.printf("| for reference: the same executor behind a bare handler (body read, `executor.Do`, write; nothing else) ÷ graphql-go hello | %.2f× [%.2f–%.2f] | the ceiling of net/http, graphql-go's cached validation and the store |\n", m, lo, hi)
			m, lo, hi = ratio(h, compiled, bare)
			r.printf("| for reference: talkgraph compiled ÷ the bare handler | %.0f%% [%.0f–%.0f%%] | what talkgraph's server around the executor costs |\n", m*100, lo*100, hi*100)
		}
	}
	if c := r.result("conference"); c != nil {
		m, lo, hi := ratio(c, compiled, graphqlGo)
		row("conference ≥ 2× today's executor", m, 2, fmt.Sprintf("%%.2f× [%.2f–%.2f]", lo, hi))
	}
	for _, q := range []string{"1hop", "conference"} {
		for _, level := range []string{"handler", "executor"} {
			g, c := r.allocs[q+"/"+level+"/graphql-go"], r.allocs[q+"/"+level+"/compiled"]
			if g.allocs == 0 {
				continue
			}
			what := fmt.Sprintf("%s allocations ≤ ⅓ of today's (%s)", q, level)
			row(what, g.allocs/c.allocs, 3, fmt.Sprintf("÷%%.1f (%.0f → %.0f allocs/op)", g.allocs, c.allocs))
		}
	}
	r.printf("\n")
}

func (r *report) throughput(res *questionResult) {
	r.printf("### Throughput: %s\n\n%s. Requests/s:\n\n", res.q.name, res.q.what)
	r.printf("| round |")
	for _, s := range res.q.servers {
		r.printf(" %s |", s)
	}
	others := []string{}
	for _, s := range res.q.servers {
		if s != compiled {
			others = append(others, s)
			r.printf(" compiled ÷ %s |", strings.TrimPrefix(s, "talkgraph "))
		}
	}
	r.printf("\n|---|%s\n", strings.Repeat("---:|", len(res.q.servers)+len(others)))
	for i := range r.opts.rounds {
		r.printf("| %d |", i+1)
		for _, s := range res.q.servers {
			r.printf(" %s |", thousands(res.throughput[s][i]))
		}
		for _, s := range others {
			r.printf(" %.2f |", res.throughput[compiled][i]/res.throughput[s][i])
		}
		r.printf("\n")
	}
	r.printf("| median |")
	for _, s := range res.q.servers {
		r.printf(" %s |", thousands(median(res.throughput[s])))
	}
	for _, s := range others {
		m, _, _ := ratio(res, compiled, s)
		r.printf(" **%.2f** |", m)
	}
	r.printf("\n\nCPU time per request during those runs (from /proc: what each process used, whatever else ran), medians over rounds, µs:\n\n")
	r.printf("| | %s |\n|---|%s\n", strings.Join(res.q.servers, " | "), strings.Repeat("---:|", len(res.q.servers)))
	for _, row := range []struct {
		what string
		v    map[string][]float64
	}{{"server", res.serverCPU}, {"wrk", res.wrkCPU}} {
		r.printf("| %s |", row.what)
		for _, s := range res.q.servers {
			r.printf(" %.1f |", median(row.v[s]))
		}
		r.printf("\n")
	}
	r.printf("\n")
}

func (r *report) latencies() {
	r.printf("### Latency at a fixed offered load\n\nMedians over rounds of each round's percentiles.\n\n")
	r.printf("*failed* counts the requests of all rounds not answered 200, by status: a talkgraph server answers 503 at once when it is already answering `--max-in-flight` requests or its admission lane has no room in time (the open-loop client keeps up to 256 waiting when the server falls behind, as it does when other work takes the CPUs); the percentiles count those answers too.\n\n")
	r.printf("| question | offered req/s | server | p50 ms | p99 ms | achieved req/s | failed |\n|---|---:|---|---:|---:|---:|---:|\n")
	for _, res := range r.results {
		for _, s := range res.q.servers {
			var p50, p99, got []float64
			failed, why := 0, map[string]int{}
			for _, l := range res.latency[s] {
				p50 = append(p50, ms(l.p50))
				p99 = append(p99, ms(l.p99))
				got = append(got, l.achieved)
				failed += l.failed
				for k, v := range l.why {
					why[k] += v
				}
			}
			r.printf("| %s | %d | %s | %.2f | %.2f | %s | %s |\n", res.q.name, res.rate, s, median(p50), median(p99), thousands(median(got)),
				strings.TrimSpace(fmt.Sprintf("%d %s", failed, reasons(why))))
		}
	}
	r.printf("\n")
}

func (r *report) allocations() {
	if len(r.allocs) == 0 {
		return
	}
	r.printf("### Allocations and CPU per request\n\n`go test ./internal/server -run '^$' -bench BenchmarkExecutors -benchtime 20000x`: one request at a time over the embedded data in memory; *handler* is the server's whole handler (decoding, guard, document cache, execution, encoding, headers; the request and writer reused, no network), *executor* is `executor.Do` and the answer's JSON. ns/op shares the machine's load.\n\n")
	r.printf("| question | level | graphql-go allocs/op | compiled allocs/op | ratio | graphql-go µs/op | compiled µs/op |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, q := range []string{"1hop", "conference"} {
		for _, level := range []string{"handler", "executor"} {
			g, c := r.allocs[q+"/"+level+"/graphql-go"], r.allocs[q+"/"+level+"/compiled"]
			r.printf("| %s | %s | %.0f | %.0f | ÷%.1f | %.1f | %.1f |\n", q, level, g.allocs, c.allocs, g.allocs/c.allocs, g.ns/1000, c.ns/1000)
		}
	}
	r.printf("\n")
}

var benchLine = regexp.MustCompile(`^BenchmarkExecutors/(\S+?)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op\s+\d+ B/op\s+(\d+) allocs/op`)

// allocations runs BenchmarkExecutors and reads its lines.
func allocations() (map[string]allocResult, error) {
	out, err := exec.Command("go", "test", "./internal/server", "-run", "^$", "-bench", "BenchmarkExecutors", "-benchtime", "20000x").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench BenchmarkExecutors: %v\n%s", err, out)
	}
	res := map[string]allocResult{}
	for _, line := range strings.Split(string(out), "\n") {
		if m := benchLine.FindStringSubmatch(line); m != nil {
			ns, _ := strconv.ParseFloat(m[2], 64)
			allocs, _ := strconv.ParseFloat(m[3], 64)
			res[m[1]] = allocResult{ns, allocs}
		}
	}
	return res, nil
}

// reasons writes the failures by status or error, "(503: 12)".
func reasons(why map[string]int) string {
	if len(why) == 0 {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(why)) {
		parts = append(parts, fmt.Sprintf("%s: %d", k, why[k]))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// thousands writes v rounded, with commas.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
