package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/lexicon"
	"github.com/talkgraph/talkgraph/internal/server"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// The talks of dotScale 2017 that mention automation.
const (
	automationTalk = "Keep calm and automate all the things"
	devOpsTalk     = "DevOps"
)

const automationQuery = `query AutomationTalks {
  talks(mentioning: "automation") {
    title
    speakers { name }
  }
}`

// storeStats is the server's view of a real store, as the serve command
// reports it.
type storeStats struct {
	store *graph.Store
	// notReady, when set, is what Ready answers instead of asking the store.
	notReady error
}

func (s *storeStats) Reads() int64 { return s.store.Reads() }
func (s *storeStats) Size() int64  { return s.store.Size() }

func (s *storeStats) Seeded() (int, time.Time) {
	var last time.Time
	sets, _ := s.store.Datasets(context.Background())
	for _, d := range sets {
		if d.SeededAt.After(last) {
			last = d.SeededAt
		}
	}
	return 1, last
}

func (s *storeStats) Ready() error {
	if s.notReady != nil {
		return s.notReady
	}
	sets, err := s.store.Datasets(context.Background())
	if err != nil {
		return err
	}
	if len(sets) == 0 {
		return errors.New("no data set is seeded")
	}
	return nil
}

// newTestServer serves the real schema over a seeded store on an httptest
// server. configure, if set, adjusts the server before its handler is built.
func newTestServer(tb testing.TB, configure func(*server.Server, *storeStats)) *httptest.Server {
	tb.Helper()
	store := testdb.Seeded(tb)
	lex := lexicon.New(store, nil)
	tb.Cleanup(func() { lex.Close() })
	sch, err := schema.New(store, nil, schema.WithDictionary(lex.For))
	if err != nil {
		tb.Fatal(err)
	}
	st := &storeStats{store: store}
	srv := server.New()
	srv.Schema, srv.Prepare, srv.Stats = &sch.GraphQL, sch.Begin, st
	if configure != nil {
		configure(srv, st)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return ts
}

// noRedirects is a client that reports redirects instead of following them.
func noRedirects(ts *httptest.Server) *http.Client {
	c := *ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, c *http.Client, req *http.Request) response {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func get(t *testing.T, ts *httptest.Server, target string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, noRedirects(ts), req)
}

// postQuery POSTs a GraphQL request as application/json.
func postQuery(t *testing.T, ts *httptest.Server, query, operationName string) response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "operationName": operationName})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/graphql", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, ts.Client(), req)
}

// gqlBody is a GraphQL response with what the tests look at.
type gqlBody struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func decodeGQL(t *testing.T, body string) (gqlBody, map[string]json.RawMessage) {
	t.Helper()
	var b gqlBody
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, body)
	}
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatalf("response is not a GraphQL response: %v: %s", err, body)
	}
	return b, raw
}

func TestServerGraphQLStatusCodes(t *testing.T) {
	ts := newTestServer(t, nil)
	const (
		ctJSON   = "application/json"
		ctGQL    = "application/graphql-response+json"
		wantJSON = "application/json; charset=utf-8"
		wantGQL  = "application/graphql-response+json; charset=utf-8"
	)
	jsonBody := func(v map[string]any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	getTarget := func(query string) string {
		return "/graphql?" + url.Values{"query": {query}}.Encode()
	}
	// Over MaxBody (1 MiB by default) while still being valid JSON.
	huge := jsonBody(map[string]any{"query": "{ talks { title } }", "extensions": map[string]any{"pad": strings.Repeat("x", 1<<20)}})

	tests := []struct {
		name        string
		method      string
		target      string
		contentType string
		accept      string
		body        string
		wantStatus  int
		wantType    string
		wantCode    string   // errors[0].extensions.code; "" means no errors
		wantData    bool     // "data" key present
		wantAllow   string   // Allow header
		wantInBody  []string // substrings of the body
	}{
		{name: "200 POST JSON automation talks", method: http.MethodPost, contentType: ctJSON,
			body:       jsonBody(map[string]any{"query": automationQuery}),
			wantStatus: 200, wantType: wantJSON, wantData: true,
			wantInBody: []string{automationTalk, devOpsTalk}},
		{name: "200 GET", method: http.MethodGet,
			target:     getTarget(`{ talks(mentioning: "automation") { title } }`),
			wantStatus: 200, wantType: wantJSON, wantData: true,
			wantInBody: []string{automationTalk, devOpsTalk}},
		{name: "200 graphql-response+json when accepted", method: http.MethodPost, contentType: ctJSON,
			accept:     ctGQL + ", application/json;q=0.9",
			body:       jsonBody(map[string]any{"query": automationQuery}),
			wantStatus: 200, wantType: wantGQL, wantData: true,
			wantInBody: []string{automationTalk, devOpsTalk}},
		{name: "400 not JSON", method: http.MethodPost, contentType: ctJSON, body: `{"query":`,
			wantStatus: 400, wantType: wantJSON, wantCode: "BAD_REQUEST"},
		{name: "400 parse error", method: http.MethodPost, contentType: ctJSON, accept: ctGQL,
			body:       jsonBody(map[string]any{"query": "{ talks(mentioning: "}),
			wantStatus: 400, wantType: wantGQL, wantCode: "GRAPHQL_PARSE_FAILED"},
		{name: "400 validation error unknown field", method: http.MethodPost, contentType: ctJSON, accept: ctGQL,
			body:       jsonBody(map[string]any{"query": "{ talks { nope } }"}),
			wantStatus: 400, wantType: wantGQL, wantCode: "GRAPHQL_VALIDATION_FAILED",
			wantInBody: []string{"nope"}},
		{name: "400 bad variables", method: http.MethodPost, contentType: ctJSON, accept: ctGQL,
			body: jsonBody(map[string]any{
				"query":     "query Q($n: Int!) { talks(first: $n) { title } }",
				"variables": map[string]any{"n": "ten"},
			}),
			wantStatus: 400, wantType: wantGQL, wantCode: "BAD_USER_INPUT"},
		{name: "405 PUT", method: http.MethodPut, contentType: ctJSON,
			body:       jsonBody(map[string]any{"query": automationQuery}),
			wantStatus: 405, wantType: wantJSON, wantCode: "METHOD_NOT_ALLOWED", wantAllow: "GET, POST"},
		// The schema has no Mutation type, so a mutation is invalid for it
		// whatever the method: the handler selects the operation (and refuses
		// the missing root type as a validation error) before it looks at the
		// method, and a 405 "use POST" would send the client to a request
		// that fails anyway.
		{name: "400 mutation over GET without a Mutation type", method: http.MethodGet,
			target:     getTarget("mutation { x }"),
			wantStatus: 400, wantType: wantJSON, wantCode: "GRAPHQL_VALIDATION_FAILED",
			wantInBody: []string{"the schema has no mutations"}},
		{name: "400 mutation over POST without a Mutation type", method: http.MethodPost, contentType: ctJSON,
			body:       jsonBody(map[string]any{"query": "mutation { x }"}),
			wantStatus: 400, wantType: wantJSON, wantCode: "GRAPHQL_VALIDATION_FAILED",
			wantInBody: []string{"the schema has no mutations"}},
		{name: "413 body over 1 MiB", method: http.MethodPost, contentType: ctJSON, body: huge,
			wantStatus: 413, wantType: wantJSON, wantCode: "PAYLOAD_TOO_LARGE"},
		{name: "415 text/plain", method: http.MethodPost, contentType: "text/plain",
			body:       jsonBody(map[string]any{"query": automationQuery}),
			wantStatus: 415, wantType: wantJSON, wantCode: "UNSUPPORTED_MEDIA_TYPE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target
			if target == "" {
				target = "/graphql"
			}
			req, err := http.NewRequest(tt.method, ts.URL+target, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			res := do(t, ts.Client(), req)
			if got, want := res.status, tt.wantStatus; got != want {
				t.Errorf("status: got %v, want %v; body %.300s", got, want, res.body)
			}
			if got, want := res.header.Get("Content-Type"), tt.wantType; got != want {
				t.Errorf("Content-Type: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("Allow"), tt.wantAllow; got != want {
				t.Errorf("Allow: got %v, want %v", got, want)
			}
			b, raw := decodeGQL(t, res.body)
			_, hasData := raw["data"]
			if got, want := hasData, tt.wantData; got != want {
				t.Errorf("data key present: got %v, want %v; body %.300s", got, want, res.body)
			}
			code := ""
			if len(b.Errors) > 0 {
				code, _ = b.Errors[0].Extensions["code"].(string)
			}
			if got, want := code, tt.wantCode; got != want {
				t.Errorf("errors[0].extensions.code: got %v, want %v; body %.300s", got, want, res.body)
			}
			if tt.wantCode == "" && len(b.Errors) > 0 {
				t.Errorf("errors: got %v, want none", b.Errors)
			}
			for _, s := range tt.wantInBody {
				if !strings.Contains(res.body, s) {
					t.Errorf("body contains %q: got false, want true; body %.300s", s, res.body)
				}
			}
		})
	}
}

func TestServerExamplesRun(t *testing.T) {
	examples, err := server.Examples()
	if err != nil {
		t.Fatalf("Examples: %v", err)
	}
	if len(examples) == 0 {
		t.Fatal("examples: got none, want at least one")
	}
	ts := newTestServer(t, nil)
	for _, ex := range examples {
		t.Run(ex.Name, func(t *testing.T) {
			res := postQuery(t, ts, ex.Query, "")
			if got, want := res.status, http.StatusOK; got != want {
				t.Errorf("status: got %v, want %v; body %.300s", got, want, res.body)
			}
			b, _ := decodeGQL(t, res.body)
			if len(b.Errors) > 0 {
				t.Errorf("errors: got %v, want none", b.Errors)
			}
			if got := string(b.Data); got == "" || got == "null" {
				t.Errorf("data: got %v, want an object", got)
			}
		})
	}
	t.Run("first example is the automation talks", func(t *testing.T) {
		if got, want := examples[0].Query, `talks(mentioning: "automation")`; !strings.Contains(got, want) {
			t.Errorf("first example: got %q, want it to contain %q", got, want)
		}
	})
}

func TestServerRoutes(t *testing.T) {
	ts := newTestServer(t, nil)
	tests := []struct {
		name         string
		target       string
		wantStatus   int
		wantLocation string
		wantType     string // prefix of Content-Type; "" means not checked
		wantBody     string // substring; "" means not checked
	}{
		{name: "root redirects to graphiql", target: "/", wantStatus: http.StatusFound, wantLocation: "/graphiql"},
		{name: "graphiql page", target: "/graphiql", wantStatus: http.StatusOK, wantType: "text/html; charset=utf-8",
			wantBody: "<title>talkgraph — GraphiQL</title>"},
		{name: "graphiql page with slash", target: "/graphiql/", wantStatus: http.StatusOK, wantType: "text/html; charset=utf-8",
			wantBody: "<title>talkgraph — GraphiQL</title>"},
		{name: "healthz", target: "/healthz", wantStatus: http.StatusOK, wantBody: "ok"},
		{name: "readyz", target: "/readyz", wantStatus: http.StatusOK, wantBody: "ok"},
		{name: "unknown path", target: "/nope", wantStatus: http.StatusNotFound},
		{name: "unknown graphiql path", target: "/graphiql/nope", wantStatus: http.StatusNotFound},
		{name: "missing asset", target: "/graphiql/assets/nope.js", wantStatus: http.StatusNotFound},
		{name: "asset in a subdirectory", target: "/graphiql/assets/x/graphiql.min.js", wantStatus: http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, ts, tt.target)
			if got, want := res.status, tt.wantStatus; got != want {
				t.Errorf("status: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("Location"), tt.wantLocation; got != want {
				t.Errorf("Location: got %v, want %v", got, want)
			}
			if got := res.header.Get("Content-Type"); tt.wantType != "" && got != tt.wantType {
				t.Errorf("Content-Type: got %v, want %v", got, tt.wantType)
			}
			if !strings.Contains(res.body, tt.wantBody) {
				t.Errorf("body: got %.200q, want it to contain %q", res.body, tt.wantBody)
			}
		})
	}
}

func TestServerReadyz(t *testing.T) {
	tests := []struct {
		name       string
		notReady   error
		wantStatus int
		wantBody   string
	}{
		{name: "seeded store is ready", wantStatus: http.StatusOK, wantBody: "ok"},
		{name: "not ready", notReady: errors.New("database closed"), wantStatus: http.StatusServiceUnavailable,
			wantBody: "not ready: database closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(_ *server.Server, st *storeStats) { st.notReady = tt.notReady })
			res := get(t, ts, "/readyz")
			if got, want := res.status, tt.wantStatus; got != want {
				t.Errorf("status: got %v, want %v", got, want)
			}
			if got, want := strings.TrimSpace(res.body), tt.wantBody; got != want {
				t.Errorf("body: got %v, want %v", got, want)
			}
		})
	}
}

// assetRef matches the URLs the page loads: scripts, stylesheets, images,
// frames.
var assetRef = regexp.MustCompile(`(?is)<(script|link|img|iframe|source)\b[^>]*?\b(src|href)\s*=\s*["']([^"']*)["']`)

func TestServerGraphiQLPageIsSameOrigin(t *testing.T) {
	ts := newTestServer(t, nil)
	page := get(t, ts, "/graphiql")
	if got, want := page.status, http.StatusOK; got != want {
		t.Fatalf("status: got %v, want %v", got, want)
	}
	var refs []string
	for _, m := range assetRef.FindAllStringSubmatch(page.body, -1) {
		if strings.HasPrefix(m[3], "data:") {
			continue // inline, loads nothing (the empty favicon)
		}
		refs = append(refs, m[3])
	}
	wantRefs := []string{
		"/graphiql/assets/graphiql.min.css",
		"/graphiql/assets/graphiql-plugin-explorer.css",
		"/graphiql/assets/react.production.min.js",
		"/graphiql/assets/react-dom.production.min.js",
		"/graphiql/assets/graphiql.min.js",
		"/graphiql/assets/graphiql-plugin-explorer.umd.js",
		"/graphiql/assets/graphiql-init.js",
	}
	if got, want := refs, wantRefs; !slices.Equal(got, want) {
		t.Errorf("referenced URLs: got %v, want %v", got, want)
	}
	for _, ref := range refs {
		t.Run(ref, func(t *testing.T) {
			u, err := url.Parse(ref)
			if err != nil {
				t.Fatalf("parse %q: %v", ref, err)
			}
			if got, want := u.Scheme+u.Host, ""; got != want {
				t.Errorf("scheme and host: got %v, want %v (same origin)", got, want)
			}
			if got, want := strings.HasPrefix(u.Path, "/graphiql/assets/"), true; got != want {
				t.Errorf("under /graphiql/assets/: got %v, want %v", got, want)
			}
			if got, want := get(t, ts, ref).status, http.StatusOK; got != want {
				t.Errorf("GET %s status: got %v, want %v", ref, got, want)
			}
		})
	}
	t.Run("no absolute URL in the page", func(t *testing.T) {
		if got, want := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9]`).FindString(page.body), ""; got != want {
			t.Errorf("absolute URL: got %v, want %v", got, want)
		}
	})
	t.Run("content security policy is same-origin", func(t *testing.T) {
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "connect-src 'self'"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("page contains %q: got false, want true", want)
			}
		}
	})
}

func TestServerAssets(t *testing.T) {
	ts := newTestServer(t, nil)
	entries, err := os.ReadDir("assets/graphiql")
	if err != nil {
		t.Fatal(err)
	}
	wantType := func(name string) string {
		switch {
		case strings.HasPrefix(name, "LICENSE"), name == "README.md":
			return "text/plain; charset=utf-8"
		}
		return map[string]string{
			".js":   "text/javascript; charset=utf-8",
			".css":  "text/css; charset=utf-8",
			".json": "application/json",
			".html": "text/html; charset=utf-8",
		}[path.Ext(name)]
	}
	if got, want := len(entries), 14; got < want {
		t.Errorf("asset files: got %v, want at least %v", got, want)
	}
	for _, e := range entries {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			file, err := os.ReadFile("assets/graphiql/" + name)
			if err != nil {
				t.Fatal(err)
			}
			res := get(t, ts, "/graphiql/assets/"+name)
			if got, want := res.status, http.StatusOK; got != want {
				t.Fatalf("status: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("Content-Type"), wantType(name); got != want {
				t.Errorf("Content-Type: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("X-Content-Type-Options"), "nosniff"; got != want {
				t.Errorf("X-Content-Type-Options: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("Cache-Control"), "public, max-age=86400"; name != "index.html" && got != want {
				t.Errorf("Cache-Control: got %v, want %v", got, want)
			}
			if got, want := len(res.body), len(file); got != want || res.body != string(file) {
				t.Errorf("body: got %v bytes, want the %v bytes of the file", got, want)
			}
		})
	}
	t.Run("page", func(t *testing.T) {
		res := get(t, ts, "/graphiql")
		if got, want := res.header.Get("X-Content-Type-Options"), "nosniff"; got != want {
			t.Errorf("X-Content-Type-Options: got %v, want %v", got, want)
		}
		if got, want := res.header.Get("Cache-Control"), "no-cache"; got != want {
			t.Errorf("Cache-Control: got %v, want %v", got, want)
		}
	})
}

// metricLine matches one sample of the request counter.
var metricLine = regexp.MustCompile(`^talkgraph_graphql_requests_total\{executor="([^"]*)",operation="([^"]*)",outcome="([^"]*)"\} (\S+)$`)

// requestCounts scrapes /metrics and returns talkgraph_graphql_requests_total
// by "operation/outcome" (whichever executor), and by
// "operation/outcome/executor", and the whole exposition.
func requestCounts(t *testing.T, ts *httptest.Server) (map[string]float64, string) {
	t.Helper()
	res := get(t, ts, "/metrics")
	if got, want := res.status, http.StatusOK; got != want {
		t.Fatalf("/metrics status: got %v, want %v", got, want)
	}
	counts := map[string]float64{}
	for _, line := range strings.Split(res.body, "\n") {
		m := metricLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			t.Fatalf("metric %q: %v", line, err)
		}
		counts[m[2]+"/"+m[3]] += v
		counts[m[2]+"/"+m[3]+"/"+m[1]] = v
	}
	return counts, res.body
}

func TestServerMetrics(t *testing.T) {
	ts := newTestServer(t, nil)
	query := `query TalksMetrics { talks(mentioning: "automation") { title } }`
	for range 2 {
		if res := postQuery(t, ts, query, ""); res.status != http.StatusOK {
			t.Fatalf("query status: got %v, want %v", res.status, http.StatusOK)
		}
	}
	first, exposition := requestCounts(t, ts)
	t.Run("named operation is counted", func(t *testing.T) {
		if got, want := first["TalksMetrics/ok"], 2.0; got != want {
			t.Errorf("requests{operation=TalksMetrics,outcome=ok}: got %v, want %v", got, want)
		}
	})
	t.Run("store metrics are exported", func(t *testing.T) {
		for _, name := range []string{"talkgraph_store_reads_total", "talkgraph_db_size_bytes",
			"talkgraph_seed_generation", "talkgraph_last_seed_timestamp_seconds",
			"talkgraph_graphql_request_duration_seconds_bucket"} {
			if !strings.Contains(exposition, "\n"+name) {
				t.Errorf("exposition has %s: got false, want true", name)
			}
		}
	})
	t.Run("query text is never exported", func(t *testing.T) {
		for _, s := range []string{"automation", "mentioning", "talks("} {
			if strings.Contains(exposition, s) {
				t.Errorf("exposition contains %q: got true, want false", s)
			}
		}
	})

	for range 3 {
		postQuery(t, ts, query, "")
	}
	postQuery(t, ts, "{ talks { nope } }", "")
	postQuery(t, ts, "{ talks { title } }", "")
	second, _ := requestCounts(t, ts)
	t.Run("counts rise", func(t *testing.T) {
		if got, want := second["TalksMetrics/ok"], first["TalksMetrics/ok"]+3; got != want {
			t.Errorf("requests{operation=TalksMetrics,outcome=ok}: got %v, want %v", got, want)
		}
		if got, want := second["none/rejected"], first["none/rejected"]+1; got != want {
			t.Errorf("requests{operation=none,outcome=rejected}: got %v, want %v", got, want)
		}
		if got, want := second["anonymous/ok"], first["anonymous/ok"]+1; got != want {
			t.Errorf("requests{operation=anonymous,outcome=ok}: got %v, want %v", got, want)
		}
	})
	postQuery(t, ts, "query Types { __schema { queryType { name } } }", "")
	third, _ := requestCounts(t, ts)
	t.Run("the executor is a label", func(t *testing.T) {
		for label, want := range map[string]float64{
			"TalksMetrics/ok/compiled": 5, // queries run compiled
			"Types/ok/graphql-go":      1, // introspection is graphql-go's
			"none/rejected/none":       1, // refused before any ran
		} {
			if got := third[label]; got != want {
				t.Errorf("requests{%s}: got %v, want %v; all %v", label, got, want, third)
			}
		}
	})
}

func TestServerMetricsOperationLabel(t *testing.T) {
	long := "Op" + strings.Repeat("x", 298)
	tests := []struct {
		name          string
		query         string
		operationName string
		wantStatus    int
		wantLabel     string // operation/outcome
		notExported   string // must not appear in /metrics
	}{
		{name: "well formed name", query: "query ShortName { talks { title } }",
			wantStatus: 200, wantLabel: "ShortName/ok"},
		{name: "300 character name is other", query: "query " + long + " { talks { title } }",
			wantStatus: 200, wantLabel: "other/ok", notExported: long[:65]},
		// An operationName with spaces is not a GraphQL name, so no operation
		// of the document can match it: the request is refused before an
		// operation is chosen, and counted under "none".
		{name: "name with spaces is never a label", query: "query A { talks { title } }",
			operationName: "drop table talks", wantStatus: 400, wantLabel: "none/rejected",
			notExported: "drop table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, nil)
			res := postQuery(t, ts, tt.query, tt.operationName)
			if got, want := res.status, tt.wantStatus; got != want {
				t.Errorf("status: got %v, want %v; body %.300s", got, want, res.body)
			}
			counts, exposition := requestCounts(t, ts)
			if got, want := counts[tt.wantLabel], 1.0; got != want {
				t.Errorf("requests{%s}: got %v, want %v; all %v", tt.wantLabel, got, want, counts)
			}
			series := 0
			for k := range counts {
				if strings.Count(k, "/") == 2 {
					series++
				}
			}
			if got, want := series, 1; got != want {
				t.Errorf("series: got %v, want %v: %v", got, want, counts)
			}
			if tt.notExported != "" && strings.Contains(exposition, tt.notExported) {
				t.Errorf("exposition contains %q: got true, want false", tt.notExported)
			}
		})
	}
	t.Run("names past the first 200 are other", func(t *testing.T) {
		ts := newTestServer(t, nil)
		for i := range 201 {
			postQuery(t, ts, fmt.Sprintf("query Op%d { conferences { name } }", i), "")
		}
		counts, _ := requestCounts(t, ts)
		if got, want := counts["Op199/ok"], 1.0; got != want {
			t.Errorf("requests{Op199/ok}: got %v, want %v", got, want)
		}
		if got, want := counts["Op200/ok"], 0.0; got != want {
			t.Errorf("requests{Op200/ok}: got %v, want %v", got, want)
		}
		if got, want := counts["other/ok"], 1.0; got != want {
			t.Errorf("requests{other/ok}: got %v, want %v", got, want)
		}
	})
}

func TestServerCORS(t *testing.T) {
	const allowed = "https://talks.example"
	tests := []struct {
		name        string
		origins     []string
		method      string
		origin      string
		preflight   bool
		wantStatus  int
		wantAllow   string // Access-Control-Allow-Origin
		wantMethods string // Access-Control-Allow-Methods
	}{
		{name: "no origin allowed by default", method: http.MethodPost, origin: allowed,
			wantStatus: http.StatusOK},
		{name: "preflight refused by default", origins: nil, method: http.MethodOptions, origin: allowed, preflight: true,
			wantStatus: http.StatusNoContent},
		{name: "allowed origin", origins: []string{allowed}, method: http.MethodPost, origin: allowed,
			wantStatus: http.StatusOK, wantAllow: allowed},
		{name: "other origin", origins: []string{allowed}, method: http.MethodPost, origin: "https://evil.example",
			wantStatus: http.StatusOK},
		{name: "no origin header", origins: []string{allowed}, method: http.MethodPost,
			wantStatus: http.StatusOK},
		{name: "preflight from allowed origin", origins: []string{allowed}, method: http.MethodOptions, origin: allowed,
			preflight: true, wantStatus: http.StatusNoContent, wantAllow: allowed, wantMethods: "GET, POST"},
		{name: "preflight from other origin", origins: []string{allowed}, method: http.MethodOptions,
			origin: "https://evil.example", preflight: true, wantStatus: http.StatusNoContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(s *server.Server, _ *storeStats) { s.CORSOrigins = tt.origins })
			var body io.Reader
			if tt.method == http.MethodPost {
				body = strings.NewReader(`{"query":"{ talks { title } }"}`)
			}
			req, err := http.NewRequest(tt.method, ts.URL+"/graphql", body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.preflight {
				req.Header.Set("Access-Control-Request-Method", http.MethodPost)
				req.Header.Set("Access-Control-Request-Headers", "content-type")
			}
			res := do(t, ts.Client(), req)
			if got, want := res.status, tt.wantStatus; got != want {
				t.Errorf("status: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("Access-Control-Allow-Origin"), tt.wantAllow; got != want {
				t.Errorf("Access-Control-Allow-Origin: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("Access-Control-Allow-Methods"), tt.wantMethods; got != want {
				t.Errorf("Access-Control-Allow-Methods: got %v, want %v", got, want)
			}
			if tt.wantAllow != "" {
				if got, want := slices.Contains(res.header.Values("Vary"), "Origin"), true; got != want {
					t.Errorf("Vary: Origin: got %v, want %v", got, want)
				}
			}
			if tt.wantMethods != "" {
				if got, want := strings.Contains(res.header.Get("Access-Control-Allow-Headers"), "Content-Type"), true; got != want {
					t.Errorf("Access-Control-Allow-Headers has Content-Type: got %v, want %v", got, want)
				}
			}
		})
	}
}
