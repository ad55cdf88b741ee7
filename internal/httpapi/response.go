package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/schema"
)

// Error codes placed in errors[].extensions.code, from schema's table.
const (
	CodeBadRequest           = schema.CodeBadRequest
	CodePayloadTooLarge      = schema.CodePayloadTooLarge
	CodeUnsupportedMediaType = schema.CodeUnsupportedMediaType
	CodeMethodNotAllowed     = schema.CodeMethodNotAllowed
	CodeUnauthenticated      = schema.CodeUnauthenticated
	CodeParseFailed          = schema.CodeParseFailed
	CodeValidationFailed     = schema.CodeValidationFailed
	CodeBadUserInput         = schema.CodeBadUserInput
	CodeInternal             = schema.CodeInternal
)

// Status is the HTTP status of an answer: 200 once the operation ran (field
// errors included), else by the code of its first error. The spec lets
// application/json answer request errors with 200 for legacy clients;
// talkgraph's contract is 400 with either media type, so a failed request
// never looks like a success to a client that checks only the status.
func Status(res *executor.Result) int {
	if res.Executed {
		// A write refused for lack of disk space is 507: the server is
		// fine, its disk is not, and a client or proxy may retry later.
		for _, e := range res.Errors {
			if e.Code() == schema.CodeInsufficientStorage {
				return http.StatusInsufficientStorage
			}
		}
		return http.StatusOK
	}
	switch res.Code() {
	case schema.CodeInternal:
		return http.StatusInternalServerError
	case schema.CodePayloadTooLarge:
		return http.StatusRequestEntityTooLarge
	case schema.CodeUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	case schema.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case schema.CodeUnauthenticated:
		return http.StatusUnauthorized
	case schema.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// WriteError writes a GraphQL-shaped request error with no "data" key, as
// application/json, so middleware in front of the handler (auth, rate limits)
// can fail in a way GraphQL clients understand.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := executor.ErrorResult(code, msg).AppendJSON(nil)
	writeBody(w, mediaJSON, status, body)
}

// The values of the headers every response carries, made once: setting
// them was a tenth of a small answer's allocations. net/http only reads
// a header's values.
var (
	contentTypes = map[string][]string{
		mediaJSON:            {mediaJSON + "; charset=utf-8"},
		mediaGraphQLResponse: {mediaGraphQLResponse + "; charset=utf-8"},
	}
	noStore = []string{"no-store"}
	noSniff = []string{"nosniff"}
)

// writeBody sets the headers every response carries and writes body.
func writeBody(w http.ResponseWriter, media string, status int, body []byte) {
	h := w.Header()
	if ct, ok := contentTypes[media]; ok {
		h["Content-Type"] = ct
	} else {
		h.Set("Content-Type", media+"; charset=utf-8")
	}
	h["Cache-Control"] = noStore
	h["X-Content-Type-Options"] = noSniff
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// httpError is a failure decided by the transport, before or around the
// executor.
type httpError struct {
	code  string
	msg   string
	allow string // value for the Allow header on 405 answers
}

// Error makes httpError usable as an error for logging.
func (e *httpError) Error() string { return e.msg }

// responder writes answers in the negotiated media type and records them in
// the request's Outcome.
type responder struct {
	w     http.ResponseWriter
	r     *http.Request
	media string
	out   *Outcome
	log   *slog.Logger
}

// fail answers a failure of the transport's own.
func (rw *responder) fail(e *httpError) {
	if e.allow != "" {
		rw.w.Header().Set("Allow", e.allow)
	}
	rw.answer(executor.ErrorResult(e.code, e.msg))
}

// buffers keep answers' bytes between requests: most answers are small,
// and a buffer per request was a visible share of allocations.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// answer encodes res before writing anything, so an unencodable result (a
// NaN float from a resolver, say) can still become a clean 500.
func (rw *responder) answer(res *executor.Result) {
	bp := buffers.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 1<<20 {
			buffers.Put(bp)
		}
	}()
	status := Status(res)
	body, err := res.AppendJSON((*bp)[:0])
	if err != nil {
		rw.log.ErrorContext(rw.r.Context(), "graphql response could not be encoded", "request_id", executor.RequestID(rw.r.Context()), "err", err)
		res = executor.ErrorResult(schema.CodeInternal, "the response could not be encoded: report this to the server operator")
		status = http.StatusInternalServerError
		body, _ = json.Marshal(res)
	} else {
		*bp = body
	}
	rw.out.Status, rw.out.Errors = status, len(res.Errors)
	rw.out.Executor, rw.out.Fallback = res.Engine, res.Fallback
	writeBody(rw.w, rw.media, status, body)
	res.Release()
}
