package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/server"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// hostileHangAfter bounds one request of the hostile tests: a hang check.
const hostileHangAfter = 20 * time.Second

// hostileNormalQuery is the normal query the server must still answer after
// each hostile request, and the talks it must find.
const hostileNormalQuery = `query AutomationTalks { talks(mentioning: "automation") { title speakers { name } } }`

var hostileNormalTitles = []string{"Keep calm and automate all the things", "DevOps"}

// hostileEnv is a real server (server.New defaults, guard.Default limits,
// the real schema over a seeded in-memory store) on an httptest server.
type hostileEnv struct {
	ts     *httptest.Server
	client *http.Client
	// executed counts the requests that reached execution (Prepare).
	executed atomic.Int64
	// hold, when set, is called by Prepare before the read transaction
	// opens, with the request's context.
	hold atomic.Pointer[func(context.Context)]
}

// newHostileEnv builds the server; configure, if set, changes it before
// its handler is built.
func newHostileEnv(tb testing.TB, configure func(*server.Server)) *hostileEnv {
	tb.Helper()
	store := testdb.Seeded(tb)
	srv := server.New()
	if configure != nil {
		configure(srv)
	}
	sch, err := schema.New(store, nil, schema.WithMaxWork(srv.Limits.MaxWork))
	if err != nil {
		tb.Fatal(err)
	}
	env := &hostileEnv{}
	srv.Schema, srv.Sizes = &sch.GraphQL, sch
	srv.Prepare = func(ctx context.Context) (context.Context, func()) {
		env.executed.Add(1)
		if h := env.hold.Load(); h != nil {
			(*h)(ctx)
		}
		return sch.Begin(ctx)
	}
	env.ts = httptest.NewServer(srv.Handler())
	tb.Cleanup(env.ts.Close)
	env.client = env.ts.Client()
	env.client.Timeout = hostileHangAfter
	return env
}

// hostileRequest is one request to send.
type hostileRequest struct {
	method      string // default POST
	target      string // default /graphql
	contentType string // default application/json for POST
	body        string
	header      http.Header // more headers, if any
}

// jsonQuery is the POST body asking query.
func jsonQuery(query string) string {
	b, err := json.Marshal(map[string]string{"query": query})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// getQuery is the GET target asking query.
func getQuery(query string) string {
	return "/graphql?" + url.Values{"query": {query}}.Encode()
}

// hostileAnswer is a response read in full and decoded.
type hostileAnswer struct {
	status  int
	header  http.Header
	body    string
	hasData bool
	data    json.RawMessage
	errors  []hostileError
}

type hostileError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func (a hostileAnswer) code() string {
	if len(a.errors) == 0 {
		return ""
	}
	c, _ := a.errors[0].Extensions["code"].(string)
	return c
}

func (a hostileAnswer) message() string {
	if len(a.errors) == 0 {
		return ""
	}
	return a.errors[0].Message
}

func (env *hostileEnv) send(t *testing.T, r hostileRequest) hostileAnswer {
	t.Helper()
	return env.sendBody(t, r, strings.NewReader(r.body))
}

func (env *hostileEnv) sendBody(t *testing.T, r hostileRequest, body io.Reader) hostileAnswer {
	t.Helper()
	a, err := env.trySend(t, r, body)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// trySend is sendBody returning the error of a request that got no answer.
func (env *hostileEnv) trySend(t *testing.T, r hostileRequest, body io.Reader) (hostileAnswer, error) {
	t.Helper()
	method, target, ct := r.method, r.target, r.contentType
	if method == "" {
		method = http.MethodPost
	}
	if target == "" {
		target = "/graphql"
	}
	if ct == "" && method == http.MethodPost {
		ct = "application/json"
	}
	if method == http.MethodGet {
		body = nil
	}
	req, err := http.NewRequest(method, env.ts.URL+target, body)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	res, err := env.client.Do(req)
	if err != nil {
		return hostileAnswer{}, fmt.Errorf("%s %.80s: %w", method, target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return hostileAnswer{}, fmt.Errorf("%s %.80s: reading the answer: %w", method, target, err)
	}
	a := hostileAnswer{status: res.StatusCode, header: res.Header, body: string(b)}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		return a, nil // not a GraphQL answer (health checks)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %.300s", err, b)
	}
	a.data, a.hasData = raw["data"]
	if e, ok := raw["errors"]; ok {
		if err := json.Unmarshal(e, &a.errors); err != nil {
			t.Fatalf("errors is not a list of errors: %v: %.300s", err, e)
		}
	}
	return a, nil
}

// checkNormalQuery asserts that the server answers the normal query with
// the automation talks.
func (env *hostileEnv) checkNormalQuery(t *testing.T) {
	t.Helper()
	a := env.send(t, hostileRequest{body: jsonQuery(hostileNormalQuery)})
	if got, want := a.status, http.StatusOK; got != want {
		t.Fatalf("normal query afterwards: status: got %v, want %v; body %.300s", got, want, a.body)
	}
	if got, want := len(a.errors), 0; got != want {
		t.Errorf("normal query afterwards: errors: got %v, want %v; body %.300s", got, want, a.body)
	}
	for _, title := range hostileNormalTitles {
		if !strings.Contains(string(a.data), title) {
			t.Errorf("normal query afterwards: data: got %.300s, want it to contain %q", a.data, title)
		}
	}
}

// nestedTalks is { talks { speakers { talks { ... name } } } } with depth
// fields above name.
func nestedTalks(depth int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range depth {
		if i%2 == 0 {
			b.WriteString("talks{")
		} else {
			b.WriteString("speakers{")
		}
	}
	b.WriteString("name")
	b.WriteString(strings.Repeat("}", depth+1))
	return b.String()
}

// repeatUntil joins f(1), f(2), ... with spaces until size bytes.
func repeatUntil(size int, f func(i int) string) string {
	var b strings.Builder
	for i := 1; b.Len() < size; i++ {
		b.WriteString(f(i))
		b.WriteString(" ")
	}
	return b.String()
}

// hostileCase is one hostile request and the refusal it must get.
type hostileCase struct {
	name      string
	maxBody   int64 // server's MaxBody; 0 keeps the default
	req       hostileRequest
	status    int
	code      string
	limit     string   // extensions.limit of a guard refusal
	inMessage []string // what the message must name: the limit's value
}

func TestHostileRequests(t *testing.T) {
	defaults := server.New()
	lim := guard.Default()
	limitOf := func(n int) string { return fmt.Sprintf("limit of %d", n) }
	bodyCap := fmt.Sprintf("larger than %d bytes", defaults.MaxBody)

	deep12 := nestedTalks(12)
	if got, want := len(deep12), 108; got != want {
		t.Fatalf("the 12-deep query: got %v bytes, want %v", got, want)
	}
	aliased := "{" + repeatUntil(7<<10, func(i int) string { return fmt.Sprintf("a%d: talks(first: %d) {title}", i, i) }) + "}"
	sameField := "{" + repeatUntil(7<<10, func(i int) string { return fmt.Sprintf("talks(first: %d) {title}", i) }) + "}"
	braces3MB := strings.Repeat("{", 3<<19) + strings.Repeat("}", 3<<19)
	braces10000 := strings.Repeat("{", 10000) + strings.Repeat("}", 10000)
	aliases1000 := "{" + repeatJoinN(1000, func(i int) string {
		return fmt.Sprintf("a%d: talks(first: 1000) { speakers { talks { title } } }", i)
	}) + "}"
	typename100k := jsonQuery("{" + strings.Repeat(" __typename", 100000) + " }")
	// 100 000 __typename take at least 11 bytes each ("__typename" and a
	// separator): over the default 1 MiB body cap.
	if len(typename100k) <= int(defaults.MaxBody) {
		t.Fatalf("100 000 __typename: got a %d-byte body, want more than the %d-byte cap", len(typename100k), defaults.MaxBody)
	}
	body10MB := `{"query":"{ talks { title } }","extensions":{"pad":"` + strings.Repeat("x", 10<<20) + `"}}`

	cases := []hostileCase{
		{name: "108-byte query nested 12 deep", req: hostileRequest{body: jsonQuery(deep12)},
			status: 400, code: guard.Code, limit: "depth", inMessage: []string{"depth", limitOf(lim.MaxDepth)}},
		{name: "108-byte query nested 12 deep over GET", req: hostileRequest{method: http.MethodGet, target: getQuery(deep12)},
			status: 400, code: guard.Code, limit: "depth", inMessage: []string{"depth", limitOf(lim.MaxDepth)}},
		{name: "7 KB of aliases with different arguments", req: hostileRequest{body: jsonQuery(aliased)},
			status: 400, code: guard.Code, limit: "aliases", inMessage: []string{"aliases", limitOf(lim.MaxAliases)}},
		{name: "7 KB of one field with different arguments", req: hostileRequest{body: jsonQuery(sameField)},
			status: 400, code: guard.Code, limit: "repeated response key", inMessage: []string{"repeated response key", limitOf(lim.MaxRepeatedKey)}},
		{name: "3 MB of nested braces", req: hostileRequest{body: jsonQuery(braces3MB)},
			status: 413, code: "PAYLOAD_TOO_LARGE", inMessage: []string{bodyCap}},
		{name: "3 MB of nested braces under a raised body cap", maxBody: 8 << 20, req: hostileRequest{body: jsonQuery(braces3MB)},
			status: 400, code: guard.Code, limit: "nesting", inMessage: []string{"nesting", limitOf(lim.MaxNesting)}},
		{name: "10000 levels of nesting", req: hostileRequest{body: jsonQuery(braces10000)},
			status: 400, code: guard.Code, limit: "nesting", inMessage: []string{"nesting", limitOf(lim.MaxNesting)}},
		{name: "1000 aliases of an expensive field", req: hostileRequest{body: jsonQuery(aliases1000)},
			status: 400, code: guard.Code, limit: "tokens", inMessage: []string{"tokens", limitOf(lim.MaxTokens)}},
		{name: "100000 __typename", req: hostileRequest{body: typename100k},
			status: 413, code: "PAYLOAD_TOO_LARGE", inMessage: []string{bodyCap}},
		{name: "100000 __typename under a raised body cap", maxBody: 8 << 20, req: hostileRequest{body: typename100k},
			status: 400, code: guard.Code, limit: "tokens", inMessage: []string{"tokens", limitOf(lim.MaxTokens)}},
		{name: "talks first 1000000", req: hostileRequest{body: jsonQuery(`{ talks(first: 1000000) { title } }`)},
			status: 400, code: guard.Code, limit: "first", inMessage: []string{"first", limitOf(lim.MaxFirst)}},
		{name: "talks first 1000000 as a variable", req: hostileRequest{
			body: `{"query":"query($n: Int) { talks(first: $n) { title } }","variables":{"n":1000000}}`},
			status: 400, code: guard.Code, limit: "first", inMessage: []string{"first", limitOf(lim.MaxFirst)}},
		{name: "10 MB body", req: hostileRequest{body: body10MB},
			status: 413, code: "PAYLOAD_TOO_LARGE", inMessage: []string{bodyCap}},
		{name: "invalid UTF-8 in a JSON body", req: hostileRequest{body: "{\"query\":\"{ talks { title \xff\xfe } }\"}"},
			status: 400, code: "GRAPHQL_PARSE_FAILED", inMessage: []string{"Syntax Error"}},
		{name: "invalid UTF-8 over GET", req: hostileRequest{method: http.MethodGet, target: "/graphql?query=%7B%20talks%20%7B%20title%20%FF%FE%20%7D%20%7D"},
			status: 400, code: "GRAPHQL_PARSE_FAILED", inMessage: []string{"Syntax Error"}},
		{name: "NUL byte in a JSON body", req: hostileRequest{body: `{"query":"{ talks { title \u0000 } }"}`},
			status: 400, code: "GRAPHQL_PARSE_FAILED", inMessage: []string{"Syntax Error"}},
		{name: "NUL byte over GET", req: hostileRequest{method: http.MethodGet, target: "/graphql?query=%7B%20talks%20%7B%20title%20%00%20%7D%20%7D"},
			status: 400, code: "GRAPHQL_PARSE_FAILED", inMessage: []string{"Syntax Error"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newHostileEnv(t, func(s *server.Server) {
				if c.maxBody > 0 {
					s.MaxBody = c.maxBody
				}
			})
			a := env.send(t, c.req)
			checkRefusal(t, a, c)
			if got, want := env.executed.Load(), int64(0); got != want {
				t.Errorf("requests executed: got %v, want %v", got, want)
			}
			env.checkNormalQuery(t)
		})
	}
}

func repeatJoinN(n int, f func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return strings.Join(parts, " ")
}

// checkRefusal asserts a clear refusal: status, no data, the code, and a
// message naming the limit and its value.
func checkRefusal(t *testing.T, a hostileAnswer, c hostileCase) {
	t.Helper()
	t.Logf("answer: %d %s: %q", a.status, a.code(), a.message())
	if got, want := a.status, c.status; got != want {
		t.Errorf("status: got %v, want %v; body %.300s", got, want, a.body)
	}
	if got, want := a.hasData, false; got != want {
		t.Errorf("data key present: got %v, want %v", got, want)
	}
	if got, want := a.code(), c.code; got != want {
		t.Errorf("extensions.code: got %v, want %v; body %.300s", got, want, a.body)
	}
	if c.limit != "" {
		ext := map[string]any{}
		if len(a.errors) > 0 {
			ext = a.errors[0].Extensions
		}
		if got, want := ext["limit"], any(c.limit); got != want {
			t.Errorf("extensions.limit: got %v, want %v", got, want)
		}
	}
	for _, s := range c.inMessage {
		if !strings.Contains(a.message(), s) {
			t.Errorf("message: got %q, want it to contain %q", a.message(), s)
		}
	}
}

// TestHostileMalformedVariables: graphql-go's parser accepts a variable
// with no type ($n: followed by ")" or "!") and its validation then
// dereferences the missing type. net/http recovers the panic by dropping the
// connection: the client gets no answer at all.
func TestHostileMalformedVariables(t *testing.T) {
	for _, c := range []struct{ name, query string }{
		{"variable without a type", `query Q($n:) { talks(first: $n) { title } }`},
		{"variable typed only !", `query Q($n: !) { talks(first: $n) { title } }`},
		{"variable typed ]", `query Q($n: ]) { talks(first: $n) { title } }`},
		{"variable typed [!]", `query Q($n: [!]) { talks { title } }`},
		{"second variable without a type", `query Q($n: Int = 1, $m:) { talks(first: $n) { title } }`},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newHostileEnv(t, nil)
			for _, r := range []hostileRequest{
				{body: jsonQuery(c.query)},
				{method: http.MethodGet, target: getQuery(c.query)},
			} {
				a, err := env.trySend(t, r, strings.NewReader(r.body))
				if err != nil {
					t.Errorf("got no answer (%v), want 400 %s", err, "GRAPHQL_PARSE_FAILED")
					continue
				}
				if got, want := a.status, http.StatusBadRequest; got != want {
					t.Errorf("status: got %v, want %v; body %.300s", got, want, a.body)
				}
				if got := a.code(); got != "GRAPHQL_PARSE_FAILED" && got != "GRAPHQL_VALIDATION_FAILED" {
					t.Errorf("extensions.code: got %v, want GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED", got)
				}
				if a.hasData {
					t.Errorf("data key present: got true, want false")
				}
			}
			if got, want := env.executed.Load(), int64(0); got != want {
				t.Errorf("requests executed: got %v, want %v", got, want)
			}
			env.checkNormalQuery(t)
		})
	}
}

// TestHostileMutations: the schema has no Mutation type; a mutation sent
// any way is refused and nothing is executed.
func TestHostileMutations(t *testing.T) {
	const mutation = `mutation { upsertEntity(input: {id: "evil", kind: TALK, name: "Evil"}) { id } }`
	form := url.Values{"query": {mutation}}.Encode()
	cases := []hostileCase{
		{name: "mutation over GET", req: hostileRequest{method: http.MethodGet, target: getQuery(mutation)},
			status: 400, code: "GRAPHQL_VALIDATION_FAILED", inMessage: []string{"no mutations"}},
		{name: "mutation over POST", req: hostileRequest{body: jsonQuery(mutation)},
			status: 400, code: "GRAPHQL_VALIDATION_FAILED", inMessage: []string{"no mutations"}},
		{name: "mutation as text/plain", req: hostileRequest{contentType: "text/plain", body: jsonQuery(mutation)},
			status: 415, code: "UNSUPPORTED_MEDIA_TYPE", inMessage: []string{"text/plain", "application/json"}},
		{name: "mutation as a form post", req: hostileRequest{contentType: "application/x-www-form-urlencoded", body: form},
			status: 415, code: "UNSUPPORTED_MEDIA_TYPE", inMessage: []string{"application/x-www-form-urlencoded", "application/json"}},
		{name: "mutation as multipart", req: hostileRequest{contentType: "multipart/form-data; boundary=x",
			body: "--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n" + mutation + "\r\n--x--\r\n"},
			status: 415, code: "UNSUPPORTED_MEDIA_TYPE", inMessage: []string{"multipart/form-data", "application/json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newHostileEnv(t, nil)
			checkRefusal(t, env.send(t, c.req), c)
			if got, want := env.executed.Load(), int64(0); got != want {
				t.Errorf("requests executed: got %v, want %v", got, want)
			}
			a := env.send(t, hostileRequest{body: jsonQuery(`{ node(id: "evil") { id } }`)})
			if got, want := string(a.data), `{"node":null}`; got != want {
				t.Errorf("node evil afterwards: got %v, want %v", got, want)
			}
			env.checkNormalQuery(t)
		})
	}
}

// TestHostileInFlight: past MaxInFlight a request is answered 503 at once,
// while the request holding the slot still completes.
func TestHostileInFlight(t *testing.T) {
	busy := hostileCase{status: 503, code: "SERVICE_UNAVAILABLE", inMessage: []string{"answering 1 requests"}}

	t.Run("slot held by a slow execution", func(t *testing.T) {
		env := newHostileEnv(t, func(s *server.Server) { s.MaxInFlight = 1 })
		entered, release := make(chan struct{}), make(chan struct{})
		hold := func(context.Context) {
			close(entered)
			<-release
		}
		env.hold.Store(&hold)
		first := make(chan hostileResult, 1)
		go func() {
			body := jsonQuery(hostileNormalQuery)
			a, err := env.trySend(t, hostileRequest{body: body}, strings.NewReader(body))
			first <- hostileResult{a, err}
		}()
		select {
		case <-entered:
		case <-time.After(hostileHangAfter):
			t.Fatalf("the first request did not reach execution after %v", hostileHangAfter)
		}
		a := env.send(t, hostileRequest{body: jsonQuery(hostileNormalQuery)})
		checkRefusal(t, a, busy)
		if got, want := a.header.Get("Retry-After"), "1"; got != want {
			t.Errorf("Retry-After: got %v, want %v", got, want)
		}
		env.hold.Store(nil)
		close(release)
		checkHolder(t, <-first)
		env.checkNormalQuery(t)
	})

	t.Run("slot held by a slow body", func(t *testing.T) {
		env := newHostileEnv(t, func(s *server.Server) { s.MaxInFlight = 1 })
		pr, pw := io.Pipe()
		first := make(chan hostileResult, 1)
		go func() {
			a, err := env.trySend(t, hostileRequest{}, pr)
			first <- hostileResult{a, err}
		}()
		if _, err := pw.Write([]byte(`{"query":`)); err != nil {
			t.Fatal(err)
		}
		// The first request holds the slot once its handler runs: ask
		// until the server says it is busy.
		var a hostileAnswer
		for deadline := time.Now().Add(hostileHangAfter); ; {
			a = env.send(t, hostileRequest{method: http.MethodGet, target: getQuery(hostileNormalQuery)})
			if a.status == http.StatusServiceUnavailable || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		checkRefusal(t, a, busy)
		if _, err := pw.Write([]byte(jsonQuery(hostileNormalQuery)[len(`{"query":`):])); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		checkHolder(t, <-first)
		env.checkNormalQuery(t)
	})
}

// hostileResult is the outcome of a request sent from another goroutine.
type hostileResult struct {
	a   hostileAnswer
	err error
}

// checkHolder asserts that the request that held the in-flight slot was
// answered normally.
func checkHolder(t *testing.T, r hostileResult) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("the request holding the slot: %v", r.err)
	}
	if got, want := r.a.status, http.StatusOK; got != want {
		t.Errorf("the request holding the slot: status: got %v, want %v; body %.300s", got, want, r.a.body)
	}
	for _, title := range hostileNormalTitles {
		if !strings.Contains(string(r.a.data), title) {
			t.Errorf("the request holding the slot: data: got %.300s, want it to contain %q", r.a.data, title)
		}
	}
}

// TestHostileRequestTimeout: a request whose work outlasts RequestTimeout
// is answered with TIMEOUT errors, and the server stays healthy.
func TestHostileRequestTimeout(t *testing.T) {
	const heavy = `{ talks(first: 1000) { title speakers { name } mentions { name } } }`
	checkTimedOut := func(t *testing.T, a hostileAnswer, mustTimeOut bool) {
		t.Helper()
		if got, want := a.status, http.StatusOK; got != want {
			t.Errorf("status: got %v, want %v; body %.300s", got, want, a.body)
		}
		if got, want := a.hasData, true; got != want {
			t.Errorf("data key present: got %v, want %v", got, want)
		}
		t.Logf("answer: %d errors, first %q %v", len(a.errors), a.message(), a.code())
		if mustTimeOut && len(a.errors) == 0 {
			t.Errorf("errors: got none, want TIMEOUT errors; body %.300s", a.body)
		}
		for _, e := range a.errors {
			if got, want := e.Extensions["code"], any(schema.CodeTimeout); got != want {
				t.Errorf("extensions.code: got %v, want %v (%s)", got, want, e.Message)
			}
		}
	}
	healthy := func(t *testing.T, env *hostileEnv) {
		t.Helper()
		for _, target := range []string{"/healthz", "/readyz"} {
			if got, want := env.send(t, hostileRequest{method: http.MethodGet, target: target}).status, http.StatusOK; got != want {
				t.Errorf("GET %s: got %v, want %v", target, got, want)
			}
		}
		// MaxInFlight is 1: these pass only if the timed-out request gave
		// its slot back.
		for range 3 {
			a := env.send(t, hostileRequest{body: jsonQuery(`{ __typename }`)})
			if got, want := string(a.data), `{"__typename":"Query"}`; a.status != http.StatusOK || got != want {
				t.Errorf("{ __typename }: got %v %v, want 200 %v", a.status, got, want)
			}
		}
	}

	t.Run("work past the deadline", func(t *testing.T) {
		env := newHostileEnv(t, func(s *server.Server) { s.RequestTimeout, s.MaxInFlight = time.Millisecond, 1 })
		// The request's work starts once its deadline has passed, as a
		// slow store would.
		late := func(ctx context.Context) { <-ctx.Done() }
		env.hold.Store(&late)
		a := env.send(t, hostileRequest{body: jsonQuery(heavy)})
		env.hold.Store(nil)
		checkTimedOut(t, a, true)
		if !strings.Contains(a.message(), "ran out of time") {
			t.Errorf("message: got %q, want it to say the request ran out of time", a.message())
		}
		healthy(t, env)
	})

	t.Run("heavy query under a 1 ms deadline", func(t *testing.T) {
		env := newHostileEnv(t, func(s *server.Server) { s.RequestTimeout, s.MaxInFlight = time.Millisecond, 1 })
		checkTimedOut(t, env.send(t, hostileRequest{body: jsonQuery(heavy)}), false)
		healthy(t, env)
	})
}

// The cases below crash or hang the server process: each runs in a child
// process (this test binary, re-executed), so that a crash fails the case
// instead of killing the whole test run.
const (
	hostileChildEnv = "TALKGRAPH_HOSTILE_CHILD"
	childHangAfter  = 10 * time.Second
)

// unusedFragments is a document whose fragments, none used, spread two
// fragments of the next level each: n levels, 2^n paths.
func unusedFragments(n int) string {
	var b strings.Builder
	b.WriteString("{ talks { title } }")
	for i := range n {
		fmt.Fprintf(&b, " fragment A%d on Query { ...A%d ...B%d } fragment B%d on Query { ...A%d ...B%d }", i, i+1, i+1, i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment A%d on Query { talks { title } } fragment B%d on Query { talks { title } }", n, n)
	return b.String()
}

// fatalCases are sent to a server in a child process; the server must
// refuse them (400, no data, a guard or validation code) and live on.
var fatalCases = []struct {
	name  string
	query string
}{
	{"unused fragment spreading itself", `{ talks { title } } fragment A on Query { ...A }`},
	{"fragment spreading itself", `{ ...A } fragment A on Query { ...A talks { title } }`},
	{"two fragments spreading each other", `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A talks { title } }`},
	{"unused fragments expanding exponentially", unusedFragments(40)},
}

func TestHostileFatal(t *testing.T) {
	if name := os.Getenv(hostileChildEnv); name != "" {
		hostileChild(t, name)
		return
	}
	for _, c := range fatalCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), childHangAfter+hostileHangAfter)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHostileFatal$", "-test.v")
			cmd.Env = append(os.Environ(), hostileChildEnv+"="+c.name)
			out, err := cmd.CombinedOutput()
			switch {
			case ctx.Err() != nil:
				t.Errorf("a %d-byte query: the child process did not end after %v:\n%s", len(c.query), childHangAfter+hostileHangAfter, tail(out, 20))
			case err != nil:
				t.Errorf("a %d-byte query: the server process failed (%v):\n%s", len(c.query), err, tail(out, 20))
			}
		})
	}
}

// hostileChild is the child's side of TestHostileFatal. Its stack is
// capped at 64 MiB, far more than any request needs, so that a runaway
// recursion fails fast; a request unanswered after childHangAfter ends the
// process, since the handler cannot be stopped.
func hostileChild(t *testing.T, name string) {
	debug.SetMaxStack(64 << 20)
	for _, c := range fatalCases {
		if c.name != name {
			continue
		}
		env := newHostileEnv(t, nil)
		answer := make(chan hostileResult, 1)
		go func() {
			body := jsonQuery(c.query)
			a, err := env.trySend(t, hostileRequest{body: body}, strings.NewReader(body))
			answer <- hostileResult{a, err}
		}()
		var a hostileAnswer
		select {
		case r := <-answer:
			if r.err != nil {
				t.Fatalf("got no answer: %v", r.err)
			}
			a = r.a
		case <-time.After(childHangAfter):
			fmt.Printf("a %d-byte query: no answer after %v\n", len(c.query), childHangAfter)
			os.Exit(3)
		}
		if got, want := a.status, http.StatusBadRequest; got != want {
			t.Errorf("status: got %v, want %v; body %.300s", got, want, a.body)
		}
		if a.hasData {
			t.Errorf("data key present: got true, want false")
		}
		if got := a.code(); got != guard.Code && got != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("extensions.code: got %v, want %v or GRAPHQL_VALIDATION_FAILED", got, guard.Code)
		}
		env.checkNormalQuery(t)
		return
	}
	t.Fatalf("no fatal case named %q", name)
}

// tail returns the last n lines of out or, for a Go crash, its first lines
// and the first frames of the code that was running.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") {
			show := lines[max(0, i-2):min(len(lines), i+2)]
			for j := i; j < len(lines); j++ {
				if strings.Contains(lines[j], "github.com/") && !strings.Contains(lines[j], "/usr/local/go/") {
					show = append(show, "...")
					show = append(show, lines[j:min(len(lines), j+6)]...)
					break
				}
			}
			return strings.Join(show, "\n")
		}
	}
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
