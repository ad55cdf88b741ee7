package server_test

import (
	"github.com/talkgraph/talkgraph/internal/testdb"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/server"
	"github.com/talkgraph/talkgraph/schema"
)

// newWriteServer serves a schema with mutations behind write token token.
func newWriteServer(t *testing.T, token string) *httptest.Server {
	t.Helper()
	store := testdb.Seeded(t)
	sch, err := schema.New(store, nil, schema.WithMutations())
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New()
	srv.Schema, srv.Prepare, srv.Stats, srv.WriteToken = &sch.GraphQL, sch.Begin, &storeStats{store: store}, token
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

const upsert = `{"query":"mutation { upsertEntity(input: {id: \"otel\", kind: TOOL, name: \"OpenTelemetry\"}) { id dataset } }"}`

func TestMutationsNeedTheToken(t *testing.T) {
	cases := []struct {
		name        string
		method      string
		contentType string
		auth        string
		wantStatus  int
		wantWritten bool
	}{
		{"no token", http.MethodPost, "application/json", "", 401, false},
		{"wrong token of the same length", http.MethodPost, "application/json", "Bearer s3cr3u", 401, false},
		{"token of another length", http.MethodPost, "application/json", "Bearer s3", 401, false},
		{"token without Bearer", http.MethodPost, "application/json", "s3cr3t", 401, false},
		{"basic auth", http.MethodPost, "application/json", "Basic czNjcjN0", 401, false},
		{"text/plain (CSRF)", http.MethodPost, "text/plain", "Bearer s3cr3t", 415, false},
		{"form post (CSRF)", http.MethodPost, "application/x-www-form-urlencoded", "Bearer s3cr3t", 415, false},
		{"the right token", http.MethodPost, "application/json", "Bearer s3cr3t", 200, true},
		{"the scheme in lower case (RFC 7235: without regard to case)", http.MethodPost, "application/json", "bearer s3cr3t", 200, true},
		{"the scheme in capitals, two spaces", http.MethodPost, "application/json", "BEARER  s3cr3t", 200, true},
		{"no space after the scheme", http.MethodPost, "application/json", "Bearers3cr3t", 401, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newWriteServer(t, "s3cr3t")
			req, _ := http.NewRequest(c.method, ts.URL+"/graphql", strings.NewReader(upsert))
			req.Header.Set("Content-Type", c.contentType)
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			res := do(t, ts.Client(), req)
			if res.status != c.wantStatus {
				t.Errorf("status: got %d, want %d; body %s", res.status, c.wantStatus, res.body)
			}
			if c.wantStatus == 401 && !strings.Contains(res.body, "UNAUTHENTICATED") {
				t.Errorf("body: got %s, want code UNAUTHENTICATED", res.body)
			}
			after := postQuery(t, ts, `{ node(id: "otel") { id } }`, "")
			if got := !strings.Contains(after.body, `"node":null`); got != c.wantWritten {
				t.Errorf("written: got %v, want %v (%s)", got, c.wantWritten, after.body)
			}
		})
	}
}

func TestMutationOverGETIs405(t *testing.T) {
	ts := newWriteServer(t, "s3cr3t")
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/graphql?query="+strings.ReplaceAll(`mutation{deleteEntity(id:"kafka")}`, `"`, "%22"), nil)
	req.Header.Set("Authorization", "Bearer s3cr3t")
	res := do(t, ts.Client(), req)
	if res.status != http.StatusMethodNotAllowed {
		t.Errorf("status: got %d, want 405; body %s", res.status, res.body)
	}
	if after := postQuery(t, ts, `{ node(id: "kafka") { id } }`, ""); !strings.Contains(after.body, `"kafka"`) {
		t.Errorf("kafka after a refused delete: got %s, want it still there", after.body)
	}
}

func TestNoTokenNoMutationType(t *testing.T) {
	ts := newTestServer(t, nil)
	res := postQuery(t, ts, `{ __schema { mutationType { name } } }`, "")
	if !strings.Contains(res.body, `"mutationType":null`) {
		t.Errorf("got %s, want no mutation type", res.body)
	}
}
