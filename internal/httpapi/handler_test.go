package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/internal/executor"
)

// codedErr is a resolver error carrying a GraphQL error code, the way the
// project's resolvers are expected to report domain failures.
type codedErr struct{ code string }

func (e codedErr) Error() string              { return "thing not found" }
func (e codedErr) Extensions() map[string]any { return map[string]any{"code": e.code} }
func stringField(r graphql.FieldResolveFn) *graphql.Field {
	return &graphql.Field{Type: graphql.String, Resolve: r}
}

type greetingKey struct{}

// testSchema builds a tiny real schema: Query { hello, fail, failWrapped,
// double, strict } and Mutation { bump }.
func testSchema(t *testing.T) *graphql.Schema {
	t.Helper()
	query := graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: graphql.Fields{
		"hello": &graphql.Field{
			Type: graphql.String,
			Args: graphql.FieldConfigArgument{"name": {Type: graphql.String}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				greeting, _ := p.Context.Value(greetingKey{}).(string)
				if greeting == "" {
					greeting = "hello"
				}
				name, _ := p.Args["name"].(string)
				return greeting + " " + name, nil
			},
		},
		"fail": stringField(func(graphql.ResolveParams) (any, error) {
			return nil, codedErr{code: "NOT_FOUND"}
		}),
		"failWrapped": stringField(func(graphql.ResolveParams) (any, error) {
			return nil, fmt.Errorf("lookup: %w", codedErr{code: "NOT_FOUND"})
		}),
		"double": &graphql.Field{
			Type: graphql.Int,
			Args: graphql.FieldConfigArgument{"n": {Type: graphql.NewNonNull(graphql.Int)}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				return 2 * p.Args["n"].(int), nil
			},
		},
		"strict": &graphql.Field{
			Type:    graphql.NewNonNull(graphql.String),
			Resolve: func(graphql.ResolveParams) (any, error) { return nil, errors.New("strict failed") },
		},
	}})
	mutation := graphql.NewObject(graphql.ObjectConfig{Name: "Mutation", Fields: graphql.Fields{
		"bump": &graphql.Field{Type: graphql.Int, Resolve: func(graphql.ResolveParams) (any, error) { return 1, nil }},
	}})
	schema, err := graphql.NewSchema(graphql.SchemaConfig{Query: query, Mutation: mutation})
	if err != nil {
		t.Fatalf("building schema: %v", err)
	}
	return &schema
}

// call is one HTTP request to send to the handler.
type call struct {
	method, target, contentType, accept, body, auth string
}

func (c call) do(h http.Handler) *httptest.ResponseRecorder {
	method, target := c.method, c.target
	if method == "" {
		method = http.MethodPost
	}
	if target == "" {
		target = "/graphql"
	}
	req := httptest.NewRequest(method, target, strings.NewReader(c.body))
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.accept != "" {
		req.Header.Set("Accept", c.accept)
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// body is the decoded response with just what the tests assert on.
type body struct {
	hasData bool
	data    json.RawMessage
	code    string // extensions.code of the first error
	nerrs   int
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) body {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, rec.Body)
	}
	var errs []struct {
		Extensions map[string]any `json:"extensions"`
	}
	if e, ok := raw["errors"]; ok {
		if err := json.Unmarshal(e, &errs); err != nil {
			t.Fatalf("errors is not a list: %v", err)
		}
	}
	b := body{data: raw["data"], nerrs: len(errs)}
	_, b.hasData = raw["data"]
	if len(errs) > 0 {
		b.code, _ = errs[0].Extensions["code"].(string)
	}
	return b
}

func get(query string, extra ...string) string {
	v := url.Values{"query": {query}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/graphql?" + v.Encode()
}

const (
	ctJSON   = "application/json"
	ctGQL    = "application/graphql-response+json"
	wantJSON = "application/json; charset=utf-8"
	wantGQL  = "application/graphql-response+json; charset=utf-8"
)

func TestServeHTTP(t *testing.T) {
	h := &Handler{Executor: &executor.Executor{Schema: testSchema(t)}, MaxBody: 256,
		Authorize: func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer secret" }}
	tests := []struct {
		name       string
		call       call
		wantStatus int
		wantType   string
		wantData   bool
		wantCode   string // "" means no errors expected
		wantAllow  string
	}{
		{"200 POST json", call{contentType: ctJSON, body: `{"query":"{ hello(name: \"ada\") }"}`},
			200, wantJSON, true, "", ""},
		{"200 POST json with charset and nulls", call{contentType: "Application/JSON; charset=UTF-8",
			body: `{"query":"{ hello }","operationName":null,"variables":null,"extensions":null}`},
			200, wantJSON, true, "", ""},
		{"200 GET", call{method: http.MethodGet, target: get("{ hello }")},
			200, wantJSON, true, "", ""},
		{"200 GET with variables", call{method: http.MethodGet,
			target: get("query Q($n: Int!) { double(n: $n) }", "variables", `{"n":2}`)},
			200, wantJSON, true, "", ""},
		{"200 with graphql-response+json accept", call{contentType: ctJSON, accept: ctGQL + ", application/json;q=0.9",
			body: `{"query":"{ hello }"}`}, 200, wantGQL, true, "", ""},
		{"200 field error keeps data and extensions code", call{contentType: ctJSON, accept: ctGQL,
			body: `{"query":"{ hello fail }"}`}, 200, wantGQL, true, "NOT_FOUND", ""},
		{"200 wrapped resolver error keeps extensions code", call{contentType: ctJSON,
			body: `{"query":"{ failWrapped }"}`}, 200, wantJSON, true, "NOT_FOUND", ""},
		{"200 non-null root failure has null data", call{contentType: ctJSON, accept: ctGQL,
			body: `{"query":"{ strict }"}`}, 200, wantGQL, true, "", ""},
		{"200 mutation over POST with the token", call{contentType: ctJSON, body: `{"query":"mutation { bump }"}`, auth: "Bearer secret"},
			200, wantJSON, true, "", ""},
		{"401 mutation without a token", call{contentType: ctJSON, body: `{"query":"mutation { bump }"}`},
			401, wantJSON, false, CodeUnauthenticated, ""},
		{"401 mutation with a wrong token", call{contentType: ctJSON, body: `{"query":"mutation { bump }"}`, auth: "Bearer nope"},
			401, wantJSON, false, CodeUnauthenticated, ""},
		{"400 parse error answered as application/json", call{contentType: ctJSON,
			body: `{"query":"{ hello"}`}, 400, wantJSON, false, CodeParseFailed, ""},
		{"400 bad variables answered as application/json", call{contentType: ctJSON,
			body: `{"query":"query($n: Int!) { double(n: $n) }","variables":{"n":"abc"}}`},
			400, wantJSON, false, CodeBadUserInput, ""},
		{"400 not JSON", call{contentType: ctJSON, accept: ctGQL, body: `{"query":`},
			400, wantGQL, false, CodeBadRequest, ""},
		{"400 JSON array", call{contentType: ctJSON, body: `[{"query":"{ hello }"}]`},
			400, wantJSON, false, CodeBadRequest, ""},
		{"400 query missing", call{contentType: ctJSON, body: `{"variables":{}}`},
			400, wantJSON, false, CodeBadRequest, ""},
		{"400 query not a string", call{contentType: ctJSON, body: `{"query":42}`},
			400, wantJSON, false, CodeBadRequest, ""},
		{"400 variables not an object", call{contentType: ctJSON, body: `{"query":"{ hello }","variables":"{}"}`},
			400, wantJSON, false, CodeBadRequest, ""},
		{"400 GET query missing", call{method: http.MethodGet, target: "/graphql"},
			400, wantJSON, false, CodeBadRequest, ""},
		{"400 GET bad variables JSON", call{method: http.MethodGet, target: get("{ hello }", "variables", "{n:")},
			400, wantJSON, false, CodeBadRequest, ""},
		{"400 parse error", call{contentType: ctJSON, accept: ctGQL, body: `{"query":"{ hello"}`},
			400, wantGQL, false, CodeParseFailed, ""},
		{"400 validation error", call{contentType: ctJSON, accept: ctGQL, body: `{"query":"{ nope }"}`},
			400, wantGQL, false, CodeValidationFailed, ""},
		{"400 type definition in document", call{contentType: ctJSON, accept: ctGQL,
			body: `{"query":"type T { a: Int } { hello }"}`}, 400, wantGQL, false, CodeValidationFailed, ""},
		{"400 bad variables", call{contentType: ctJSON, accept: ctGQL,
			body: `{"query":"query($n: Int!) { double(n: $n) }","variables":{"n":"abc"}}`},
			400, wantGQL, false, CodeBadUserInput, ""},
		{"400 missing required variable", call{contentType: ctJSON, accept: ctGQL,
			body: `{"query":"query($n: Int!) { double(n: $n) }"}`}, 400, wantGQL, false, CodeBadUserInput, ""},
		{"400 ambiguous operation", call{contentType: ctJSON, accept: ctGQL,
			body: `{"query":"query A { hello } query B { hello }"}`}, 400, wantGQL, false, CodeBadRequest, ""},
		{"400 unknown operation name", call{contentType: ctJSON, accept: ctGQL,
			body: `{"query":"query A { hello }","operationName":"B"}`}, 400, wantGQL, false, CodeBadRequest, ""},
		{"405 PUT", call{method: http.MethodPut, contentType: ctJSON, body: `{"query":"{ hello }"}`},
			405, wantJSON, false, CodeMethodNotAllowed, "GET, POST"},
		{"405 mutation over GET", call{method: http.MethodGet, target: get("mutation { bump }")},
			405, wantJSON, false, CodeMethodNotAllowed, "POST"},
		{"413 body over MaxBody", call{contentType: ctJSON,
			body: `{"query":"{ hello }","extensions":{"pad":"` + strings.Repeat("x", 300) + `"}}`},
			413, wantJSON, false, CodePayloadTooLarge, ""},
		{"415 text/plain", call{contentType: "text/plain", body: `{"query":"{ hello }"}`},
			415, wantJSON, false, CodeUnsupportedMediaType, ""},
		{"415 form post", call{contentType: "application/x-www-form-urlencoded", body: "query=%7Bhello%7D"},
			415, wantJSON, false, CodeUnsupportedMediaType, ""},
		{"415 non utf-8 charset", call{contentType: "application/json; charset=latin1", body: `{"query":"{ hello }"}`},
			415, wantJSON, false, CodeUnsupportedMediaType, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.call.do(h)
			if got, want := rec.Code, tt.wantStatus; got != want {
				t.Errorf("status: got %d, want %d; body %s", got, want, rec.Body)
			}
			hdr := rec.Header()
			if got, want := hdr.Get("Content-Type"), tt.wantType; got != want {
				t.Errorf("Content-Type: got %q, want %q", got, want)
			}
			if got, want := hdr.Get("Allow"), tt.wantAllow; got != want {
				t.Errorf("Allow: got %q, want %q", got, want)
			}
			if got, want := hdr.Get("Cache-Control"), "no-store"; got != want {
				t.Errorf("Cache-Control: got %q, want %q", got, want)
			}
			if got, want := hdr.Get("X-Content-Type-Options"), "nosniff"; got != want {
				t.Errorf("X-Content-Type-Options: got %q, want %q", got, want)
			}
			b := decode(t, rec)
			if got, want := b.hasData, tt.wantData; got != want {
				t.Errorf("data key present: got %v, want %v; body %s", got, want, rec.Body)
			}
			if got, want := b.code, tt.wantCode; got != want {
				t.Errorf("errors[0].extensions.code: got %q, want %q; body %s", got, want, rec.Body)
			}
		})
	}
}

func TestPrepareAndOutcome(t *testing.T) {
	var prepared, released int
	h := &Handler{Executor: &executor.Executor{
		Schema: testSchema(t),
		Begin: func(ctx context.Context) (context.Context, func()) {
			prepared++
			return context.WithValue(ctx, greetingKey{}, "hi"), func() { released++ }
		},
	}}
	ctx, out := WithOutcome(context.Background())
	req := httptest.NewRequest(http.MethodPost, "/graphql",
		strings.NewReader(`{"query":"query Greet { hello(name: \"bo\") fail }"}`)).WithContext(ctx)
	req.Header.Set("Content-Type", ctJSON)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if got, want := string(decode(t, rec).data), `{"hello":"hi bo","fail":null}`; got != want {
		t.Errorf("data: got %s, want %s", got, want)
	}
	if got, want := [2]int{prepared, released}, [2]int{1, 1}; got != want {
		t.Errorf("prepare/release calls: got %v, want %v", got, want)
	}
	if got, want := *out, (Outcome{Operation: "Greet", Status: 200, Errors: 1, Executor: "compiled"}); got != want {
		t.Errorf("outcome: got %+v, want %+v", got, want)
	}
}

func TestPrepareSkippedForRequestErrors(t *testing.T) {
	prepared := 0
	h := &Handler{Executor: &executor.Executor{Schema: testSchema(t), Begin: func(ctx context.Context) (context.Context, func()) {
		prepared++
		return ctx, nil
	}}}
	ctx, out := WithOutcome(context.Background())
	req := httptest.NewRequest(http.MethodGet, get("{ nope }"), nil).WithContext(ctx)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got, want := prepared, 0; got != want {
		t.Errorf("prepare calls: got %d, want %d", got, want)
	}
	if got, want := *out, (Outcome{Status: 400, Errors: 1}); got != want {
		t.Errorf("outcome: got %+v, want %+v", got, want)
	}
}

func TestNonNullRootFailureHasNullData(t *testing.T) {
	rec := call{contentType: ctJSON, body: `{"query":"{ strict }"}`}.do(&Handler{Executor: &executor.Executor{Schema: testSchema(t)}})
	b := decode(t, rec)
	if got, want := string(b.data), "null"; got != want {
		t.Errorf("data: got %s, want %s", got, want)
	}
	if got, want := b.nerrs, 1; got != want {
		t.Errorf("errors: got %d, want %d", got, want)
	}
}

func TestWriteError(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, http.StatusTooManyRequests, "RATE_LIMITED", "too many requests: retry later")
	if got, want := rec.Code, http.StatusTooManyRequests; got != want {
		t.Errorf("status: got %d, want %d", got, want)
	}
	if got, want := rec.Header().Get("Content-Type"), wantJSON; got != want {
		t.Errorf("Content-Type: got %q, want %q", got, want)
	}
	if got, want := rec.Body.String(),
		`{"errors":[{"message":"too many requests: retry later","extensions":{"code":"RATE_LIMITED"}}]}`; got != want {
		t.Errorf("body: got %s, want %s", got, want)
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name, accept, want string
	}{
		{"missing", "", mediaJSON},
		{"any", "*/*", mediaJSON},
		{"graphql response only", ctGQL, mediaGraphQLResponse},
		{"spec recommended", ctGQL + ", application/json;q=0.9", mediaGraphQLResponse},
		{"json preferred", "application/json, " + ctGQL + ";q=0.5", mediaJSON},
		{"graphql response refused", ctGQL + ";q=0", mediaJSON},
		{"case insensitive", "Application/GraphQL-Response+JSON", mediaGraphQLResponse},
		{"neither listed", "text/html", mediaJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := negotiate([]string{tt.accept}); got != tt.want {
				t.Errorf("negotiate(%q): got %q, want %q", tt.accept, got, tt.want)
			}
		})
	}
}

func TestHideSuggestions(t *testing.T) {
	for _, hide := range []bool{false, true} {
		t.Run(fmt.Sprintf("hide=%v", hide), func(t *testing.T) {
			h := &Handler{Executor: &executor.Executor{Schema: testSchema(t), HideSuggestions: hide}}
			rec := call{contentType: ctJSON, body: `{"query":"{ helo }"}`}.do(h)
			if got, want := strings.Contains(rec.Body.String(), "Did you mean"), !hide; got != want {
				t.Errorf("suggestion shown: got %v, want %v; body %s", got, want, rec.Body.String())
			}
			if rec.Code != 400 {
				t.Errorf("status: got %d, want 400", rec.Code)
			}
		})
	}
}
