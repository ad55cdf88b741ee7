// Package httpapi serves GraphQL over HTTP following the GraphQL-over-HTTP
// specification (https://graphql.github.io/graphql-over-http/draft/): GET
// and POST with application/json bodies, application/json and
// application/graphql-response+json responses, and spec status codes. The
// GraphQL part (guard, parsing, validation, execution, error codes) is
// internal/executor's, shared with the command line.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/graphql-go/graphql/language/ast"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/schema"
)

// DefaultMaxBody bounds POST bodies when Handler.MaxBody is zero.
const DefaultMaxBody = 1 << 20

// Handler is an http.Handler answering GraphQL requests with Executor.
type Handler struct {
	// Executor runs the requests; required.
	Executor *executor.Executor
	// MaxBody is the largest accepted POST body in bytes; 0 means
	// DefaultMaxBody.
	MaxBody int64
	// Authorize, if set, decides whether a request may run a mutation.
	// Without it no mutation runs: they are answered 401.
	Authorize func(*http.Request) bool
	// Logger receives failures to encode an answer; nil means
	// slog.Default().
	Logger *slog.Logger
	// Admit, if set, is asked before an operation runs whether it may run
	// now (it may wait a little for room): it returns the function to call
	// once the operation has run, or a *Busy error, answered 503 with its
	// Retry-After, without running anything.
	Admit func(ctx context.Context, req *executor.Request) (done func(), err error)
}

// Busy refuses an operation the server cannot run in time: it is answered
// 503 (extensions.code SERVICE_UNAVAILABLE) with a Retry-After header.
type Busy struct {
	// RetryAfter is when to try again, in whole seconds (at least 1).
	RetryAfter time.Duration
	// Reason says why, for the client.
	Reason string
}

func (b *Busy) Error() string { return b.Reason }

func (h *Handler) authorized(r *http.Request) bool {
	return h.Authorize != nil && h.Authorize(r)
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw := &responder{
		w:     w,
		r:     r,
		media: negotiate(r.Header.Values("Accept")),
		out:   outcomeFrom(r.Context()),
		log:   h.logger(),
	}
	if h.Executor == nil || h.Executor.Schema == nil {
		rw.log.Error("httpapi: the handler has no executor or schema")
		rw.fail(&httpError{code: schema.CodeInternal,
			msg: "the server has no GraphQL schema configured: report this to the server operator"})
		return
	}
	req, herr := h.readRequest(w, r)
	if herr != nil {
		rw.fail(herr)
		return
	}
	h.serve(rw, r, &executor.Request{Query: req.Query, OperationName: req.OperationName, Variables: req.Variables})
}

// serve runs the GraphQL part: prepare (guard, parse, validate, select),
// the checks only HTTP has (method, write token), execute.
func (h *Handler) serve(rw *responder, r *http.Request, req *executor.Request) {
	ctx := r.Context()
	op, res := h.Executor.Prepare(ctx, *req)
	if res != nil {
		rw.answer(res)
		return
	}
	rw.out.Operation = op.Label()
	if r.Method == http.MethodGet && op.Type() != ast.OperationTypeQuery {
		rw.fail(&httpError{code: schema.CodeMethodNotAllowed, allow: "POST",
			msg: fmt.Sprintf("a %s cannot be sent with GET: use POST", op.Type())})
		return
	}
	if op.Type() == ast.OperationTypeMutation && !h.authorized(r) {
		rw.w.Header().Set("WWW-Authenticate", `Bearer realm="talkgraph"`)
		rw.fail(&httpError{code: schema.CodeUnauthenticated,
			msg: "mutations need the server's write token: send Authorization: Bearer <token>"})
		return
	}
	if h.Admit != nil {
		done, err := h.Admit(ctx, req)
		if err != nil {
			h.busy(rw, err)
			return
		}
		res := h.Executor.Execute(ctx, op)
		done() // before the answer is written: a slow reader holds no room
		rw.answer(res)
		return
	}
	rw.answer(h.Executor.Execute(ctx, op))
}

// busy answers an operation Admit refused.
func (h *Handler) busy(rw *responder, err error) {
	var b *Busy
	if !errors.As(err, &b) {
		rw.log.Error("httpapi: admission failed", "err", err)
		rw.fail(&httpError{code: schema.CodeInternal, msg: "internal error"})
		return
	}
	secs := max(1, int((b.RetryAfter+time.Second-1)/time.Second))
	rw.w.Header().Set("Retry-After", strconv.Itoa(secs))
	rw.fail(&httpError{code: schema.CodeUnavailable, msg: b.Reason})
}

func (h *Handler) maxBody() int64 {
	if h.MaxBody > 0 {
		return h.MaxBody
	}
	return DefaultMaxBody
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}
