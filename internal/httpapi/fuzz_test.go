package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/graphql-go/graphql/testutil"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/httpapi"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// fuzzHangAfter bounds one request: a hang check, not a benchmark.
const fuzzHangAfter = 10 * time.Second

// realHandler is the handler over the real schema, on an in-memory store
// seeded with the embedded data set, guarded by the default limits.
func realHandler(tb testing.TB) *httpapi.Handler {
	tb.Helper()
	store := testdb.Seeded(tb)
	sch, err := schema.New(store, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &httpapi.Handler{Executor: &executor.Executor{Schema: &sch.GraphQL, Begin: sch.Begin, Guard: guard.Default()}}
}

// fuzzQueries are GraphQL documents to start from: the examples, the
// schema's golden queries, introspection and hostile ones.
func fuzzQueries(tb testing.TB) []string {
	tb.Helper()
	qs := []string{
		`{ talks(mentioning: "automation") { title speakers { name } } }`,
		`query Q($n: Int) { talks(first: $n) { title } }`,
		`query A { talks { title } } query B { people { name } }`,
		`mutation { upsertEntity(input: {id: "x", kind: TALK, name: "y"}) { id } }`,
		`subscription { talks { title } }`,
		`{ talks(first: 1000000) { title } }`,
		`{ talks(first: -1) { title } }`,
		`{ entity(name: "nobody") { name } }`,
		`{ path(from: "Kafka", to: "SRE", maxHops: 8) { hops nodes { id } } }`,
		`{ search(text: "automatisation", lang: "fr", kinds: [TALK]) { score snippet node { id } } }`,
		`{ node(id: "x") { ... on Talk { speakers { talks { title } } } } }`,
		`type T { a: Int } { talks { title } }`,
		"{" + strings.Repeat("{", 100) + strings.Repeat("}", 100) + "}",
		"{ talks { title \x00 } }",
		"{ talks { title \xff } }",
		testutil.IntrospectionQuery,
	}
	b, err := os.ReadFile("../server/assets/graphiql/examples.json")
	if err != nil {
		tb.Fatal(err)
	}
	var examples []struct{ Query string }
	if err := json.Unmarshal(b, &examples); err != nil {
		tb.Fatalf("examples.json: %v", err)
	}
	for _, e := range examples {
		qs = append(qs, e.Query)
	}
	files, err := filepath.Glob("../../schema/testdata/queries/*.graphql")
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		qs = append(qs, string(b))
	}
	return qs
}

// answered is a request and the handler's answer.
type answered struct {
	how string
	rec *httptest.ResponseRecorder
}

// serveAll sends data to h as a JSON body, as the query of a JSON body, as
// the query parameter of a GET and as a raw GET query string.
func serveAll(t *testing.T, h http.Handler, data []byte) []answered {
	t.Helper()
	wrapped, err := json.Marshal(map[string]string{"query": string(data)})
	if err != nil {
		t.Fatal(err)
	}
	post := func(body string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	rawGet := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	rawGet.URL.RawQuery = string(data)
	reqs := []struct {
		how string
		req *http.Request
	}{
		{"POST body", post(string(data))},
		{"POST query", post(string(wrapped))},
		{"GET query", httptest.NewRequest(http.MethodGet, "/graphql?"+url.Values{"query": {string(data)}}.Encode(), nil)},
		{"GET raw query string", rawGet},
	}
	var out []answered
	for _, r := range reqs {
		rec := httptest.NewRecorder()
		// panicked holds what the handler panicked with: net/http would
		// recover it and drop the connection, leaving the client no answer.
		panicked := make(chan string, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					panicked <- fmt.Sprintf("%v\n%s", p, debug.Stack())
				}
				close(panicked)
			}()
			h.ServeHTTP(rec, r.req)
		}()
		select {
		case p := <-panicked:
			if p != "" {
				t.Fatalf("%s of %q: the handler panicked (the client gets no answer): %s", r.how, data, p)
			}
		case <-time.After(fuzzHangAfter):
			t.Fatalf("%s of %d bytes: no answer after %v", r.how, len(data), fuzzHangAfter)
		}
		out = append(out, answered{r.how, rec})
	}
	return out
}

// checkAnswer asserts the handler's contract on any input.
func checkAnswer(t *testing.T, a answered) {
	t.Helper()
	status, body := a.rec.Code, a.rec.Body.Bytes()
	switch status {
	case 200, 400, 405, 413, 415:
	default:
		t.Fatalf("%s: status: got %v, want one of 200, 400, 405, 413, 415; body %.500s", a.how, status, body)
	}
	if got := a.rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "application/json") &&
		!strings.HasPrefix(got, "application/graphql-response+json") {
		t.Fatalf("%s: Content-Type: got %q, want a JSON media type", a.how, got)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("%s: body is not a JSON object: %v: %.500s", a.how, err, body)
	}
	if status == 200 {
		if _, ok := raw["data"]; !ok {
			t.Fatalf("%s: 200 without a \"data\" key: %.500s", a.how, body)
		}
		return
	}
	if _, ok := raw["data"]; ok {
		t.Fatalf("%s: %d with a \"data\" key: got one, want none: %.500s", a.how, status, body)
	}
	var errs []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
	if err := json.Unmarshal(raw["errors"], &errs); err != nil || len(errs) == 0 {
		t.Fatalf("%s: %d errors: got %s (%v), want a non-empty list", a.how, status, raw["errors"], err)
	}
	if code, _ := errs[0].Extensions["code"].(string); code == "" || errs[0].Message == "" {
		t.Fatalf("%s: %d errors[0]: got message %q code %q, want both set", a.how, status, errs[0].Message, code)
	}
}

// FuzzHandler sends arbitrary bytes to the real handler over the real
// schema: it never panics or hangs, answers only spec statuses, always with
// a JSON body, and refusals carry no data and a coded error.
func FuzzHandler(f *testing.F) {
	// A runaway recursion (graphql-go's validation on a fragment cycle)
	// cannot be recovered: cap the stack, far above any request's need, so
	// that it fails in a second rather than after a gigabyte.
	debug.SetMaxStack(64 << 20)
	for _, q := range fuzzQueries(f) {
		f.Add([]byte(q))
		b, err := json.Marshal(map[string]any{"query": q})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `{`, `null`, `[]`, `{"query":null}`, `{"query":42}`, `{"query":"{ talks { title } }","variables":"x"}`,
		`{"query":"query($n: Int) { talks(first: $n) { title } }","variables":{"n":1e300}}`,
		`{"query":"query($n: Int) { talks(first: $n) { title } }","variables":{"n":-5}}`,
		`{"query":"query($n: Int!) { talks(first: $n) { title } }","variables":{}}`,
		`{"query":"query A { talks { title } } query B { people { name } }","operationName":"B"}`,
		`{"query":"{ talks { title } }","operationName":"nope","extensions":{"a":[1,{}]}}`,
		"query=%7B+talks+%7B+title+%7D+%7D&variables=%7B%7D", "query=mutation+%7B+x+%7D", "query=%00%FF&operationName=%ZZ",
		`{"query":"{ talks { title } }"}` + strings.Repeat(" ", 10) + `{}`,
	} {
		f.Add([]byte(s))
	}
	h := realHandler(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, a := range serveAll(t, h, data) {
			checkAnswer(t, a)
		}
	})
}
