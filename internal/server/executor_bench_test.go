package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/server"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// executorQuestions are the questions issue 21 measures: the 1-hop
// question and the dotScale conference question.
var executorQuestions = []struct{ name, body, want string }{
	{"1hop", `{"query":"query Talk($id: ID!) { talk(id: $id) { title speakers { name } } }","variables":{"id":"talk-devops"}}`,
		`{"data":{"talk":{"title":"DevOps","speakers":[{"name":"Andrew Shafer"}]}}}`},
	{"conference", `{"query":"{ talks(conference: \"dotScale 2017\") { title speakers { name } mentions { name } } }"}`,
		`{"data":{"talks":[{"title":"Build and test performance at scale"`},
}

// BenchmarkExecutors answers each question one request at a time over the
// embedded data in memory, with the compiled executor and with
// graphql-go's (serve --executor graphql-go), the baseline of the same
// run: ns/op is the CPU of one answer, allocs/op what it allocates.
// handler is the whole of the server's handler (decoding, guard, document
// cache, execution, encoding, headers; no network: the request and the
// writer are reused); executor is executor.Do and the answer's JSON alone.
func BenchmarkExecutors(b *testing.B) {
	store := testdb.SeededAll(b)
	sch, err := schema.New(store, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range executorQuestions {
		for _, ex := range []string{server.ExecutorGraphQLGo, server.ExecutorCompiled} {
			b.Run(q.name+"/handler/"+ex, func(b *testing.B) {
				srv := server.New()
				srv.Schema, srv.Prepare, srv.Sizes = &sch.GraphQL, sch.Begin, sch
				srv.Executor = ex
				benchHandler(b, srv.Handler(), q.body, q.want)
			})
			b.Run(q.name+"/executor/"+ex, func(b *testing.B) {
				e := &executor.Executor{Schema: &sch.GraphQL, Begin: sch.Begin, Guard: guard.Guard{Limits: guard.Default(), Sizes: sch},
					NoCompile: ex == server.ExecutorGraphQLGo}
				var req struct {
					Query     string
					Variables map[string]any
				}
				if err := json.Unmarshal([]byte(q.body), &req); err != nil {
					b.Fatal(err)
				}
				buf := make([]byte, 0, 64<<10)
				answer := func() []byte {
					res := e.Do(context.Background(), executor.Request{Query: req.Query, Variables: req.Variables})
					out, err := res.AppendJSON(buf[:0])
					if err != nil {
						b.Fatal(err)
					}
					res.Release()
					return out
				}
				if out := answer(); !bytes.HasPrefix(out, []byte(q.want)) {
					b.Fatalf("got %.300s, want %s…", out, q.want)
				}
				b.ReportAllocs()
				for b.Loop() {
					answer()
				}
			})
		}
	}
}

// benchHandler posts body to h again and again, reusing the request and
// the response writer, so that allocs/op are the handler's own.
func benchHandler(b *testing.B, h http.Handler, body, want string) {
	b.Helper()
	rd := bytes.NewReader([]byte(body))
	req := httptest.NewRequest(http.MethodPost, "/graphql", rd)
	req.Header.Set("Content-Type", "application/json")
	w := &reusedWriter{header: http.Header{}}
	serve := func() {
		rd.Reset([]byte(body))
		req.Body = io.NopCloser(rd)
		clear(w.header)
		w.status, w.body = 0, w.body[:0]
		h.ServeHTTP(w, req)
	}
	serve()
	if w.status != http.StatusOK || !bytes.HasPrefix(w.body, []byte(want)) {
		b.Fatalf("got %d %.300s, want 200 %s…", w.status, w.body, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		serve()
	}
}

// reusedWriter is a ResponseWriter kept from one request to the next.
type reusedWriter struct {
	header http.Header
	status int
	body   []byte
}

func (w *reusedWriter) Header() http.Header { return w.header }

func (w *reusedWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *reusedWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body = append(w.body, p...)
	return len(p), nil
}
