// Command benchreport turns the output of talkgraph's benchmarks (go test
// -bench, as scripts/bench.sh runs them) into a Markdown report: the machine,
// tables of the seed, query and cold-start numbers, and the targets, each
// marked met or missed.
//
//	go run ./scripts/benchreport -o docs/benchmarks.md seed.txt queries.txt ...
//
// A Findings section already written in the output file by hand is kept.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	var opts options
	flag.StringVar(&opts.out, "o", "docs/benchmarks.md", "the report to write")
	flag.StringVar(&opts.clients, "clients", "16", "concurrent clients of the query benchmarks")
	flag.StringVar(&opts.loadStart, "load-start", "", "/proc/loadavg when the run began")
	flag.StringVar(&opts.loadEnd, "load-end", "", "/proc/loadavg when the run ended")
	flag.StringVar(&opts.commands, "commands", "", "file listing the commands that ran, one a line")
	flag.StringVar(&opts.failed, "failed", "", "the steps that failed, if any")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: benchreport [flags] BENCH-OUTPUT...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(opts, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

type options struct {
	out, clients, loadStart, loadEnd, commands, failed string
}

func run(opts options, inputs []string) error {
	res := &results{byName: map[string]result{}}
	var raw strings.Builder
	for _, name := range inputs {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		res.parse(strings.NewReader(string(data)))
		raw.Write(data)
	}
	var commands string
	if opts.commands != "" {
		b, err := os.ReadFile(opts.commands)
		if err != nil {
			return err
		}
		commands = string(b)
	}
	findings := placeholder
	if old, err := os.ReadFile(opts.out); err == nil {
		if f := section(string(old), "Findings"); f != "" && !strings.Contains(f, placeholder) {
			findings = f
		}
	}
	r := &report{res: res, opts: opts, findings: findings, commands: commands, raw: raw.String(), now: time.Now()}
	return os.WriteFile(opts.out, []byte(r.render()), 0o644)
}

// placeholder is the Findings section until someone writes it.
const placeholder = "_To be written: what these numbers show, and what to do about them._"

// section returns the body of the "## title" section of a Markdown text.
func section(md, title string) string {
	_, rest, ok := strings.Cut(md, "\n## "+title+"\n")
	if !ok {
		return ""
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return strings.TrimSpace(rest)
}

// result is one benchmark's line: its metrics by unit (ns/op included).
type result map[string]float64

// results are the benchmarks' lines, keyed by full name without the
// GOMAXPROCS suffix ("BenchmarkQueries/talks=1000/1hop"), and the "cpu:"
// line of go test.
type results struct {
	cpu    string
	byName map[string]result
}

var (
	benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)
	cpuLine   = regexp.MustCompile(`^cpu: (.*)$`)
)

// parse reads go test -bench output; a benchmark seen twice keeps its last
// line.
func (res *results) parse(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := cpuLine.FindStringSubmatch(line); m != nil {
			res.cpu = m[1]
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		f := strings.Fields(m[2])
		out := result{}
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				out[f[i+1]] = v
			}
		}
		res.byName[m[1]] = out
	}
}

// get returns a metric, or false when the benchmark or the unit is missing.
func (res *results) get(name, unit string) (float64, bool) {
	r, ok := res.byName[name]
	if !ok {
		return 0, false
	}
	v, ok := r[unit]
	return v, ok
}

// sizes returns the talk counts that appear in the results, in order.
func (res *results) sizes() []int {
	var out []int
	for name := range res.byName {
		for _, part := range strings.Split(name, "/") {
			if n, ok := strings.CutPrefix(part, "talks="); ok {
				if v, err := strconv.Atoi(n); err == nil && !slices.Contains(out, v) {
					out = append(out, v)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// queries are the sub-benchmarks of BenchmarkQueries, in report order, with
// what each asks.
var queries = []struct{ name, what string }{
	{"baseline-http-1KB", "baseline: a plain net/http handler writing a fixed 1 KB JSON answer"},
	{"baseline-graphql-hello", "baseline: plain graphql-go, `{ hello }`, graphql.Do per request"},
	{"typename", "baseline: the talkgraph server, `{ __typename }`"},
	{"1hop", "`talk(id: $id) { id title speakers { name } }`, a random talk (variables)"},
	{"1hop-uncached", "the same with the id in the query text, every text new to the document cache"},
	{"2hop", "`person(id: $id) { talks { title mentions { name } } }`, a random speaker"},
	{"mentioning", "`talks(mentioning: \"concept-0\", first: 100) { id }`, the most mentioned concept"},
	{"search-frequent", "`search(text: \"latency\", first: 10)`, a word of every description"},
	{"search-rare", "`search(text: $n, first: 10)`, a person's number (one or two nodes)"},
	{"path", "`path(from: talk-N, to: concept-M, maxHops: 6)`, random pairs"},
	{"alias-tool", "`entity(name: \"T<n>\")`, a tool by alias"},
	{"alias-company", "`entity(name: \"Co<n>\")`, a company by alias"},
}

type report struct {
	res      *results
	opts     options
	findings string
	commands string
	raw      string
	now      time.Time
	b        strings.Builder
}

func (r *report) printf(format string, a ...any) { fmt.Fprintf(&r.b, format, a...) }

func (r *report) render() string {
	r.printf("# Benchmarks\n\n")
	r.printf("Written by `scripts/bench.sh` (through `scripts/benchreport`) on %s. Run it again to refresh every number below;\n", r.now.UTC().Format("2006-01-02 15:04 MST"))
	r.printf("the Findings section is kept.\n\n")
	if r.opts.failed != "" {
		r.printf("**Some steps failed: %s.** Their numbers are missing; see the raw output at the end.\n\n", r.opts.failed)
	}
	r.machine()
	r.targets()
	r.seed()
	r.queries()
	r.coldStart()
	r.printf("## Findings\n\n%s\n\n", r.findings)
	r.howTo()
	return r.b.String()
}

func (r *report) machine() {
	r.printf("## Machine\n\n")
	r.printf("| | |\n|---|---|\n")
	r.printf("| CPUs (nproc) | %d |\n", runtime.NumCPU())
	model := cpuModel()
	if model == "" {
		model = r.res.cpu
	}
	r.printf("| CPU model | %s |\n", orDash(model))
	r.printf("| memory | %s |\n", orDash(memTotal()))
	r.printf("| Go | %s %s/%s |\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if k, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		r.printf("| kernel | %s |\n", strings.TrimSpace(string(k)))
	}
	r.printf("| date | %s |\n", r.now.UTC().Format(time.RFC3339))
	r.printf("| load average at start / end | %s / %s |\n", orDash(loadavg(r.opts.loadStart)), orDash(loadavg(r.opts.loadEnd)))
	r.printf("| query clients | %s |\n\n", r.opts.clients)
	r.printf("The clients and the server share the machine's CPUs; a load average above the CPU count means other\n")
	r.printf("work ran beside the benchmarks and the numbers are pessimistic.\n\n")
}

// cpuModel returns the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// memTotal returns MemTotal of /proc/meminfo in GiB.
func memTotal() string {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
			if kib, err := strconv.ParseFloat(f[1], 64); err == nil {
				return fmt.Sprintf("%.1f GiB", kib/(1<<20))
			}
		}
	}
	return ""
}

// loadavg keeps the three load averages of a /proc/loadavg line.
func loadavg(s string) string {
	f := strings.Fields(s)
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// target is one line of the Targets table.
type target struct{ what, where, measured, status string }

func (r *report) targets() {
	var ts []target
	add := func(what, where string, ok bool, measured string) {
		status := "missed"
		if ok {
			status = "met"
		}
		ts = append(ts, target{what, where, measured, status})
	}
	missing := func(what, where string) { ts = append(ts, target{what, where, "not measured", "—"}) }
	sizes := r.res.sizes()
	talks := func(n int) string { return fmt.Sprintf("%s talks", thousands(float64(n))) }

	const seedWhat = "seed ≥ 50% of raw WriteBatch keys/s"
	for _, n := range sizes {
		x, ok := r.res.get(fmt.Sprintf("BenchmarkSeed/talks=%d", n), "x-raw")
		if !ok {
			missing(seedWhat, talks(n))
			continue
		}
		keys, _ := r.res.get(fmt.Sprintf("BenchmarkSeed/talks=%d", n), "keys/s")
		rawKeys, _ := r.res.get(fmt.Sprintf("BenchmarkSeed/talks=%d", n), "raw-keys/s")
		add(seedWhat, talks(n), x >= 0.5, fmt.Sprintf("%.0f%% (%s vs %s keys/s)", 100*x, thousands(keys), thousands(rawKeys)))
	}

	const rssWhat = "seed peak RSS < 512 MiB"
	const anonWhat = "seed peak anonymous RSS < 512 MiB (RSS without the file pages of Badger's memory-mapped tables)"
	var anon []float64
	var anonSizes []int
	for _, n := range sizes {
		b := fmt.Sprintf("BenchmarkSeedRSS/talks=%d", n)
		v, ok := r.res.get(b, "MiB-peak-rss")
		if !ok {
			missing(rssWhat, talks(n))
			continue
		}
		add(rssWhat, talks(n), v < 512, fmt.Sprintf("%.0f MiB", v))
		if a, ok := r.res.get(b, "MiB-peak-anon"); ok {
			add(anonWhat, talks(n), a < 512, fmt.Sprintf("%.0f MiB", a))
			anon, anonSizes = append(anon, a), append(anonSizes, n)
		}
	}
	// Flat: from the second largest size to the largest, ten times the
	// data, the anonymous peak grows by half at most. (The smallest seed
	// ends before Badger's compactions start, so it shows no steady state.)
	if k := len(anon); k >= 2 {
		grow := anon[k-1] / anon[k-2]
		add("seed peak anonymous RSS flat as N grows (two largest sizes: ≤ 1.5×)",
			fmt.Sprintf("%s → %s talks", thousands(float64(anonSizes[k-2])), thousands(float64(anonSizes[k-1]))),
			grow <= 1.5, fmt.Sprintf("×%.2f for ×%.0f talks", grow, float64(anonSizes[k-1])/float64(anonSizes[k-2])))
	}

	q := func(n int, name string) string { return fmt.Sprintf("BenchmarkQueries/talks=%d/%s", n, name) }
	const hopWhat = "1-hop ≥ 130% of plain graphql-go hello req/s"
	for _, n := range sizes {
		hop, ok1 := r.res.get(q(n, "1hop"), "req/s")
		hello, ok2 := r.res.get(q(n, "baseline-graphql-hello"), "req/s")
		if !ok1 || !ok2 {
			missing(hopWhat, talks(n))
			continue
		}
		add(hopWhat, talks(n), hop >= 1.3*hello, fmt.Sprintf("%.0f%% (%s vs %s req/s)", 100*hop/hello, thousands(hop), thousands(hello)))
	}
	p99 := func(what string, limit float64, names ...string) {
		for _, n := range sizes {
			for _, name := range names {
				where := fmt.Sprintf("%s, %s", talks(n), name)
				v, ok := r.res.get(q(n, name), "p99-ms")
				if !ok {
					missing(what, where)
					continue
				}
				add(what, where, v < limit, fmt.Sprintf("p99 %s ms", ms(v)))
			}
		}
	}
	p99("search p99 < 10 ms", 10, "search-frequent", "search-rare")
	p99("path (maxHops 6) p99 < 50 ms", 50, "path")
	aliasWhat := "entity by alias p99 < 2 ms (16 clients)"
	if r.opts.clients != "16" {
		aliasWhat += fmt.Sprintf(" — this run had %s clients", r.opts.clients)
	}
	p99(aliasWhat, 2, "alias-tool", "alias-company")

	const coldWhat = "cold start with the embedded set < 300 ms"
	for _, c := range []string{"embedded-in-memory", "embedded-db"} {
		v, ok := r.res.get("BenchmarkColdStart/"+c, "ms")
		if !ok {
			missing(coldWhat, c)
			continue
		}
		add(coldWhat, c, v < 300, fmt.Sprintf("%s ms", ms(v)))
	}

	r.printf("## Targets\n\n")
	r.printf("| target | where | measured | status |\n|---|---|---|---|\n")
	for _, t := range ts {
		r.printf("| %s | %s | %s | %s |\n", t.what, t.where, t.measured, t.status)
	}
	r.printf("\n")
}

func (r *report) seed() {
	r.printf("## Seed\n\n")
	r.printf("`BenchmarkSeed` (internal/seed) seeds the synthetic data set into a new database; in the same iteration, just\n")
	r.printf("before, a raw Badger WriteBatch writes as many keys of the same sizes (and fsyncs, as a seed does).\n")
	r.printf("`BenchmarkSeedRSS` (internal/cli) runs `talkgraph seed` as a child process and reads its peak RSS, and\n")
	r.printf("samples its anonymous RSS (`RssAnon` in /proc, every 20 ms): the peak RSS also counts the file pages of Badger's\n")
	r.printf("memory-mapped tables, page cache that the kernel drops under memory pressure.\n\n")
	r.printf("| talks | seed keys/s | relations/s | raw WriteBatch keys/s | seed ÷ raw | seed time (s) | `talkgraph seed` time (s) | peak RSS (MiB) | peak anonymous RSS (MiB) |\n")
	r.printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range r.res.sizes() {
		s := fmt.Sprintf("BenchmarkSeed/talks=%d", n)
		rss := fmt.Sprintf("BenchmarkSeedRSS/talks=%d", n)
		r.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", thousands(float64(n)),
			r.val(s, "keys/s", thousands), r.val(s, "relations/s", thousands), r.val(s, "raw-keys/s", thousands),
			r.val(s, "x-raw", func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }),
			r.val(s, "ns/op", seconds), r.val(rss, "ns/op", seconds),
			r.val(rss, "MiB-peak-rss", func(v float64) string { return fmt.Sprintf("%.0f", v) }),
			r.val(rss, "MiB-peak-anon", func(v float64) string { return fmt.Sprintf("%.0f", v) }))
	}
	r.printf("\n")
}

func (r *report) queries() {
	r.printf("## Queries\n\n")
	r.printf("`BenchmarkQueries` (internal/server): the handler of `server.New()` with the real schema and `guard.Default()`,\n")
	r.printf("over the benchmark database (the synthetic set and the embedded one), on a loopback listener;\n")
	r.printf("%s concurrent keep-alive clients post `application/json` bodies taken in turn from a fixed set.\n", r.opts.clients)
	r.printf("Latencies are those of every request; req/s is requests over wall time. The × hello column is\n")
	r.printf("req/s over the plain graphql-go hello server's, measured in the same run.\n\n")
	r.printf("| query | what it asks |\n|---|---|\n")
	for _, q := range queries {
		r.printf("| %s | %s |\n", q.name, q.what)
	}
	r.printf("\n")
	for _, n := range r.res.sizes() {
		base := fmt.Sprintf("BenchmarkQueries/talks=%d/", n)
		if _, ok := r.res.byName[base+"1hop"]; !ok {
			continue
		}
		hello, _ := r.res.get(base+"baseline-graphql-hello", "req/s")
		r.printf("### %s talks\n\n", thousands(float64(n)))
		r.printf("| query | p50 (ms) | p99 (ms) | req/s | × hello |\n|---|---:|---:|---:|---:|\n")
		for _, q := range queries {
			name := base + q.name
			if _, ok := r.res.byName[name]; !ok {
				continue
			}
			rel := "—"
			if v, ok := r.res.get(name, "req/s"); ok && hello > 0 {
				rel = fmt.Sprintf("%.2f", v/hello)
			}
			r.printf("| %s | %s | %s | %s | %s |\n", q.name, r.val(name, "p50-ms", ms), r.val(name, "p99-ms", ms), r.val(name, "req/s", thousands), rel)
		}
		if hop, ok := r.res.get(base+"1hop", "req/s"); ok && hello > 0 {
			r.printf("\n1-hop: %.0f%% of the plain graphql-go hello server's req/s (target ≥ 130%%).\n", 100*hop/hello)
		}
		r.printf("\n")
	}
}

func (r *report) coldStart() {
	r.printf("## Cold start\n\n")
	r.printf("`BenchmarkColdStart` (internal/cli): from starting `talkgraph serve --addr 127.0.0.1:0` as a child process\n")
	r.printf("(the test binary re-executed as the CLI) to the first 200 answer to the automation query, and to the\n")
	r.printf("\"talkgraph serving\" log line; the mean over the iterations.\n\n")
	r.printf("| database | first answer (ms) | listening (ms) |\n|---|---:|---:|\n")
	cases := []struct{ name, what string }{
		{"embedded-in-memory", "`--in-memory`: the embedded set, seeded at start"},
		{"embedded-db", "`--db`, already seeded with the embedded set"},
	}
	for _, n := range r.res.sizes() {
		cases = append(cases, struct{ name, what string }{fmt.Sprintf("talks=%d", n),
			fmt.Sprintf("`--db`, the benchmark database of %s talks", thousands(float64(n)))})
	}
	for _, c := range cases {
		name := "BenchmarkColdStart/" + c.name
		if _, ok := r.res.byName[name]; !ok {
			continue
		}
		r.printf("| %s | %s | %s |\n", c.what, r.val(name, "ms", ms), r.val(name, "listen-ms", ms))
	}
	r.printf("\n")
}

func (r *report) howTo() {
	r.printf("## How to run\n\n")
	r.printf("```sh\n")
	r.printf("scripts/bench.sh                              # 1k, 10k and 100k talks: the 100k seeds take minutes each\n")
	r.printf("BENCH_SIZES=\"1000 10000\" scripts/bench.sh     # a quicker run\n")
	r.printf("# one piece, one size (data sets and the seeded database are cached in $TMPDIR):\n")
	r.printf("go test -run '^$' -bench 'Seed/talks=10000$' -benchtime 1x ./internal/seed\n")
	r.printf("go test -run '^$' -bench 'Queries/talks=1000/' -benchtime 2s ./internal/server\n")
	r.printf("TALKGRAPH_BENCH_TALKS=10000 go test -run '^$' -bench 'SeedRSS|ColdStart' -benchtime 1x ./internal/cli\n")
	r.printf("# a profile of a running server:\n")
	r.printf("talkgraph serve --pprof-addr 127.0.0.1:6060 &\n")
	r.printf("go tool pprof 'http://127.0.0.1:6060/debug/pprof/profile?seconds=20'\n")
	r.printf("```\n\n")
	if r.commands != "" {
		r.printf("This run:\n\n```sh\n%s```\n\n", r.commands)
	}
	r.printf("<details><summary>Raw output</summary>\n\n```\n%s```\n\n</details>\n", r.raw)
}

// val formats a metric, or a dash when it is missing.
func (r *report) val(name, unit string, format func(float64) string) string {
	v, ok := r.res.get(name, unit)
	if !ok {
		return "—"
	}
	return format(v)
}

// thousands formats a number rounded to an integer, with thousands
// separated by commas.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ms formats milliseconds with about three significant digits.
func ms(v float64) string {
	switch {
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func seconds(ns float64) string {
	s := ns / 1e9
	if s < 10 {
		return strconv.FormatFloat(s, 'f', 2, 64)
	}
	return strconv.FormatFloat(s, 'f', 1, 64)
}
