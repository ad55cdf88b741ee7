//go:build unix

package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/baseline"
	"github.com/talkgraph/talkgraph/internal/benchdata"
	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/gctune"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/server"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"github.com/talkgraph/talkgraph/schema"
)

// BenchmarkQueries sends GraphQL requests through the real HTTP stack — the
// handler of server.New with the real schema over a store seeded with the
// synthetic data set (benchDB), guard.Default as its guard, on a loopback
// listener — from C concurrent keep-alive clients (TALKGRAPH_BENCH_CLIENTS,
// default 16), posting application/json bodies picked from a fixed rotating
// set so the clients do little work.
//
// b.N is the total number of requests, spread over the clients. Each
// sub-benchmark reports the median and 99th percentile latency of every
// request (p50-ms, p99-ms) and the throughput (req/s). Beside the queries,
// three baselines run in the same process: the same server answering
// { __typename }, a plain net/http handler writing a fixed 1 KB JSON answer
// (the ceiling of the HTTP stack), and a plain graphql-go server answering
// { hello } with graphql.Do per request (parse, validate, execute).
//
// Sizes come from benchTalks: TALKGRAPH_BENCH_TALKS, or -bench
// 'Queries/talks=10000/'. Use -benchtime 2s or more so that p99 rests on
// enough requests.
func BenchmarkQueries(b *testing.B) {
	clients := benchClients(b)
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			targets := map[string]*benchTarget{
				targetHTTP:      newBenchTarget(b, benchFixedHandler(), clients),
				targetHello:     newBenchTarget(b, benchHelloHandler(b), clients),
				targetTalkgraph: newBenchTarget(b, benchTalkgraphHandler(b, n), clients),
			}
			for _, q := range benchQueries(n) {
				t := targets[q.target]
				checked := false
				b.Run(q.name, func(b *testing.B) {
					// talkgraph serve runs with gctune.Apply's settings; the
					// baselines run with Go's defaults, as a plain server does.
					if q.target == targetTalkgraph {
						defer gctune.Apply()()
					}
					if !checked {
						benchCheck(b, t, q)
						checked = true
					}
					benchLoad(b, t, q.bodies)
				})
			}
		})
	}
}

// The servers a query goes to.
const (
	targetTalkgraph = "talkgraph" // server.New over the seeded store
	targetHTTP      = "http"      // a fixed 1 KB JSON answer
	targetHello     = "hello"     // plain graphql-go, graphql.Do per request
)

// benchRotation is how many request bodies a parameterised query rotates
// through.
const benchRotation = 512

// benchUncached is how many distinct query texts 1hop-uncached rotates
// through: many more than the handler's cache of parsed documents holds
// (1024), so each one is parsed and validated again.
const benchUncached = 16 << 10

// benchQuery is one sub-benchmark: the bodies its clients post in turn.
type benchQuery struct {
	name   string
	target string
	bodies [][]byte
	// want is a fragment every checked answer must hold.
	want string
}

// benchQueries returns the queries over the synthetic data set of n talks.
// The entity counts follow internal/gen: n/2 people, n/100 companies, n/20
// tools, n/50 concepts (with the same minimums).
func benchQueries(n int) []benchQuery {
	people, companies, tools, concepts := max(2, n/2), max(2, n/100), max(4, n/20), max(4, n/50)
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	rotate := func(count int, vars func() map[string]any, query string) [][]byte {
		out := make([][]byte, count)
		for i := range out {
			out[i] = benchBody(query, vars())
		}
		return out
	}
	one := func(query string) [][]byte { return [][]byte{benchBody(query, nil)} }
	id := func(prefix string, count int) string { return prefix + strconv.Itoa(rng.IntN(count)) }

	const (
		oneHop = `query Talk($id: ID!) { talk(id: $id) { id title speakers { name } } }`
		twoHop = `query SpeakerTalks($id: ID!) { person(id: $id) { talks { title mentions { name } } } }`
		search = `query Search($text: String!) { search(text: $text, first: 10) { score node { id name } } }`
		// Hubs allowed (all but conferences and sources): the generated
		// talks' concepts and tools are all hubs of hundreds of relations,
		// so around them random pairs would have no path, and a NOT_FOUND
		// is no answer to time.
		path    = `query Path($from: String!, $to: String!) { path(from: $from, to: $to, maxHops: 6, hubRelations: 100000000) { hops nodes { id } } }`
		entity  = `query Entity($name: String!) { entity(name: $name) { id name } }`
		literal = `{ talk(id: "talk-%d") { id title speakers { name } } } # %d`
	)
	uncached := make([][]byte, benchUncached)
	for i := range uncached {
		// The comment makes each text new to the document cache without
		// changing what the query asks.
		uncached[i] = benchBody(fmt.Sprintf(literal, rng.IntN(n), i), nil)
	}
	return append([]benchQuery{
		{name: "baseline-http-1KB", target: targetHTTP, bodies: one(`{ hello }`), want: `"hello"`},
		{name: "baseline-graphql-hello", target: targetHello, bodies: one(`{ hello }`), want: `"hello":"world"`},
		{name: "typename", target: targetTalkgraph, bodies: one(`{ __typename }`), want: `"__typename":"Query"`},
		{name: "1hop", target: targetTalkgraph, want: `"speakers":[{"name"`,
			bodies: rotate(benchRotation, func() map[string]any { return map[string]any{"id": id("talk-", n)} }, oneHop)},
		{name: "1hop-uncached", target: targetTalkgraph, bodies: uncached, want: `"speakers":[{"name"`},
		{name: "2hop", target: targetTalkgraph, want: `"mentions":[{"name"`,
			bodies: rotate(benchRotation, func() map[string]any { return map[string]any{"id": id("person-", people)} }, twoHop)},
		{name: "mentioning", target: targetTalkgraph, want: `"talks":[{"id"`,
			bodies: one(`{ talks(mentioning: "concept-0", first: 100) { id } }`)},
		// A word of every generated description: the longest posting list.
		{name: "search-frequent", target: targetTalkgraph, bodies: one(`{ search(text: "latency", first: 10) { score node { id name } } }`),
			want: `"search":[{"score"`},
		// Eight words of every generated description, as a person types a
		// sentence into the search box: the cost must grow with the words
		// linearly (compare with search-frequent, one of them).
		{name: "search-8-words", target: targetTalkgraph, want: `"search":[{"score"`,
			bodies: one(`{ search(text: "distributed systems latency throughput streaming storage observability tracing", first: 10) { score node { id name } } }`)},
		// A person's number: in that person's name and one talk title at most.
		{name: "search-rare", target: targetTalkgraph, want: `"search":[{"score"`,
			bodies: rotate(benchRotation, func() map[string]any { return map[string]any{"text": strconv.Itoa(rng.IntN(people))} }, search)},
		{name: "path", target: targetTalkgraph, want: `"path":`,
			bodies: rotate(benchRotation, func() map[string]any {
				return map[string]any{"from": id("talk-", n), "to": id("concept-", concepts)}
			}, path)},
		{name: "alias-tool", target: targetTalkgraph, want: `"entity":{"id":"tool-`,
			bodies: rotate(benchRotation, func() map[string]any { return map[string]any{"name": id("T", tools)} }, entity)},
		{name: "alias-company", target: targetTalkgraph, want: `"entity":{"id":"company-`,
			bodies: rotate(benchRotation, func() map[string]any { return map[string]any{"name": id("Co", companies)} }, entity)},
	}, benchAggregates(n, rng)...)
}

// benchAggregates are the questions about many talks at once (issue 15):
// counts, hot topics, trends and similar talks, on random entities and on
// the hub (concept-0, in about a fifth of the talks).
func benchAggregates(n int, rng *rand.Rand) []benchQuery {
	editions, concepts := max(1, (n+49)/50), max(4, n/50)
	pick := func(prefix string, count int) string { return prefix + strconv.Itoa(rng.IntN(count)) }
	rotate := func(query string, vars func() map[string]any) [][]byte {
		out := make([][]byte, benchRotation)
		for i := range out {
			out[i] = benchBody(query, vars())
		}
		return out
	}
	concept := func() map[string]any { return map[string]any{"id": pick("concept-", concepts)} }
	const (
		count    = `query Count($id: String!) { talkCount(mentioning: $id) }`
		both     = `query Both($id: String!, $conf: String!) { talkCount(mentioning: $id, conference: $conf) }`
		relCount = `query Rel($id: ID!) { node(id: $id) { relationCount } }`
		topics   = `query Topics($conf: String!) { topics(conference: $conf, first: 10) { node { id } talks } }`
		trend    = `query Trend($id: String!) { trend(entity: $id, by: YEAR) { label talks } }`
		similar  = `query Similar($id: ID!) { talk(id: $id) { similar(first: 10) { talk { id } score } } }`
	)
	return []benchQuery{
		{name: "talkCount", target: targetTalkgraph, want: `"talkCount":`, bodies: rotate(count, concept)},
		{name: "talkCount-hub", target: targetTalkgraph, want: `"talkCount":`, bodies: [][]byte{benchBody(count, map[string]any{"id": "concept-0"})}},
		{name: "talkCount-and", target: targetTalkgraph, want: `"talkCount":`, bodies: rotate(both, func() map[string]any {
			return map[string]any{"id": "concept-0", "conf": pick("conf-", editions)}
		})},
		{name: "relationCount", target: targetTalkgraph, want: `"relationCount":`, bodies: rotate(relCount, concept)},
		{name: "relationCount-hub", target: targetTalkgraph, want: `"relationCount":`, bodies: [][]byte{benchBody(relCount, map[string]any{"id": "concept-0"})}},
		{name: "topics-conference", target: targetTalkgraph, want: `"topics":[{"node"`, bodies: rotate(topics, func() map[string]any {
			return map[string]any{"conf": pick("conf-", editions)}
		})},
		{name: "topics-year", target: targetTalkgraph, want: `"topics":[{"node"`, bodies: [][]byte{benchBody(`{ topics(year: 2015, first: 10) { node { id } talks } }`, nil)}},
		{name: "topics-all", target: targetTalkgraph, want: `"topics":[{"node"`, bodies: [][]byte{benchBody(`{ topics(first: 10) { node { id } talks } }`, nil)}},
		{name: "trend", target: targetTalkgraph, want: `"trend":[{"label"`, bodies: rotate(trend, concept)},
		{name: "trend-hub", target: targetTalkgraph, want: `"trend":[{"label"`, bodies: [][]byte{benchBody(trend, map[string]any{"id": "concept-0"})}},
		{name: "similar", target: targetTalkgraph, want: `"similar":[{"talk"`, bodies: rotate(similar, func() map[string]any {
			return map[string]any{"id": pick("talk-", n)}
		})},
	}
}

// benchBody is the JSON body of a GraphQL request.
func benchBody(query string, vars map[string]any) []byte {
	req := map[string]any{"query": query}
	if vars != nil {
		req["variables"] = vars
	}
	b, err := json.Marshal(req)
	if err != nil {
		panic(err)
	}
	return b
}

// benchClients is the number of concurrent clients: TALKGRAPH_BENCH_CLIENTS,
// default 16.
func benchClients(tb testing.TB) int {
	s := os.Getenv("TALKGRAPH_BENCH_CLIENTS")
	if s == "" {
		return 16
	}
	c, err := strconv.Atoi(s)
	if err != nil || c < 1 {
		tb.Fatalf("TALKGRAPH_BENCH_CLIENTS=%q: want a count of clients", s)
	}
	return c
}

// benchTalkgraphHandler returns the talkgraph server's handler over the
// benchmark database of n talks, configured as serve configures it.
func benchTalkgraphHandler(tb testing.TB, n int) http.Handler {
	tb.Helper()
	store := graph.NewStore(benchdata.DB(tb, n))
	store.Analyzer = textindex.MustNew()
	if err := store.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	// The talk index that questions about many talks read is built on the
	// first such question after a write, in seconds at 100 000 talks: built
	// here, so the queries measure the steady state, and its time logged.
	start := time.Now()
	if err := store.View(context.Background(), func(tx *graph.Tx) error { _, err := tx.CountTalks(graph.TalkFilter{}); return err }); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("talk index of %d talks built in %v", n, time.Since(start).Round(time.Millisecond))
	sch, err := schema.New(store, nil)
	if err != nil {
		tb.Fatal(err)
	}
	srv := server.New()
	srv.Schema, srv.Prepare, srv.Sizes = &sch.GraphQL, sch.Begin, sch
	return srv.Handler()
}

// benchFixedHandler answers every request with the same 1 KB JSON object,
// after reading the body: the ceiling of the HTTP stack.
func benchFixedHandler() http.Handler { return baseline.FixedHandler() }

// benchHelloHandler is a plain graphql-go server, written the usual way:
// decode the JSON body, graphql.Do (parse, validate, execute), encode.
func benchHelloHandler(tb testing.TB) http.Handler {
	tb.Helper()
	h, err := baseline.HelloHandler()
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// benchTarget is a server on a loopback listener and the keep-alive client
// the benchmark's clients share, with an idle connection kept for each.
type benchTarget struct {
	url     string
	client  *http.Client
	clients int
}

func newBenchTarget(tb testing.TB, h http.Handler, clients int) *benchTarget {
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * clients,
		MaxIdleConnsPerHost: 2 * clients,
		IdleConnTimeout:     10 * time.Minute,
		DisableCompression:  true,
	}
	tb.Cleanup(tr.CloseIdleConnections)
	return &benchTarget{url: ts.URL + "/graphql", client: &http.Client{Transport: tr, Timeout: time.Minute}, clients: clients}
}

// post sends one request and reads the whole answer, which it returns only
// when keep is set (the load loop discards it).
func (t *benchTarget) post(body []byte, keep bool) ([]byte, error) {
	req, err := http.NewRequest(http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	res, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var out []byte
	if keep {
		out, err = io.ReadAll(res.Body)
	} else {
		_, err = io.Copy(io.Discard, res.Body)
	}
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d: %.300s", res.StatusCode, out)
	}
	return out, err
}

// benchCheck sends a few of q's bodies, one at a time, and fails unless each
// answer is a 200 holding data, no errors, and q.want: a benchmark of
// refusals would measure nothing. It also opens the clients' connections.
func benchCheck(b *testing.B, t *benchTarget, q benchQuery) {
	b.Helper()
	step := max(1, len(q.bodies)/8)
	for i := 0; i < len(q.bodies); i += step {
		out, err := t.post(q.bodies[i], true)
		if err != nil {
			b.Fatalf("%s: %s: %v", q.name, q.bodies[i], err)
		}
		var res struct {
			Data   json.RawMessage `json:"data"`
			Errors []any           `json:"errors"`
		}
		if err := json.Unmarshal(out, &res); err != nil || len(res.Errors) > 0 || len(res.Data) == 0 || string(res.Data) == "null" {
			b.Fatalf("%s: %s: want data and no errors, got %.500s", q.name, q.bodies[i], out)
		}
		if !strings.Contains(string(out), q.want) {
			b.Fatalf("%s: %s: want an answer holding %s, got %.500s", q.name, q.bodies[i], q.want, out)
		}
	}
	var wg sync.WaitGroup
	for range t.clients {
		wg.Go(func() { t.post(q.bodies[0], false) })
	}
	wg.Wait()
}

// benchLoad sends b.N requests from t.clients goroutines, each taking the
// next body of the rotation, records the latency of every request and
// reports the percentiles and the throughput.
func benchLoad(b *testing.B, t *benchTarget, bodies [][]byte) {
	var (
		next     atomic.Int64
		failed   atomic.Int64
		firstErr atomic.Pointer[error]
		lat      = make([][]time.Duration, t.clients)
		wg       sync.WaitGroup
	)
	b.ResetTimer()
	start := time.Now()
	for c := range t.clients {
		wg.Go(func() {
			mine := make([]time.Duration, 0, b.N/t.clients+1)
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					break
				}
				t0 := time.Now()
				_, err := t.post(bodies[i%int64(len(bodies))], false)
				mine = append(mine, time.Since(t0))
				if err != nil && failed.Add(1) == 1 {
					firstErr.Store(&err)
				}
			}
			lat[c] = mine
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed; the first: %v", n, b.N, *firstErr.Load())
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(benchMillis(percentile(all, 50)), "p50-ms")
	b.ReportMetric(benchMillis(percentile(all, 99)), "p99-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}

// percentile returns the p-th percentile (nearest rank) of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func benchMillis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkSerialise writes one executed answer (a page of talks with
// their speakers and mentions, over the benchmark database) the way the
// server writes it, in query order (executor.Result.AppendJSON), beside
// its baseline in the same run: encoding/json on the same result, which
// sorts keys. Their ratio is the price of query order.
func BenchmarkSerialise(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			store := graph.NewStore(benchdata.DB(b, n))
			store.Analyzer = textindex.MustNew()
			if err := store.Open(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { store.Close() })
			sch, err := schema.New(store, nil)
			if err != nil {
				b.Fatal(err)
			}
			e := &executor.Executor{Schema: &sch.GraphQL, Begin: sch.Begin, Guard: guard.Default()}
			res := e.Do(context.Background(), executor.Request{
				Query: `{ talks(first: 200) { id title order speakers { name id } mentions { __typename id name ... on Tool { url } } } }`})
			if !res.Executed || len(res.Errors) > 0 {
				b.Fatalf("want data and no errors, got %v", res.Errors)
			}
			var size int
			b.Run("baseline-encoding-json", func(b *testing.B) {
				for b.Loop() {
					out, err := json.Marshal(struct {
						Data any `json:"data"`
					}{res.Data})
					if err != nil {
						b.Fatal(err)
					}
					size = len(out)
				}
				b.ReportMetric(float64(size), "bytes/op")
			})
			b.Run("query-order", func(b *testing.B) {
				buf := make([]byte, 0, 64<<10)
				for b.Loop() {
					out, err := res.AppendJSON(buf[:0])
					if err != nil {
						b.Fatal(err)
					}
					size = len(out)
				}
				b.ReportMetric(float64(size), "bytes/op")
			})
		})
	}
}
