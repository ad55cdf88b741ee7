package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"net/http"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/location"
)

// Error codes placed in errors[].extensions.code by the handler.
const (
	CodeBadRequest           = "BAD_REQUEST"
	CodePayloadTooLarge      = "PAYLOAD_TOO_LARGE"
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	// CodeUnauthenticated: a mutation without the right write token.
	CodeUnauthenticated  = "UNAUTHENTICATED"
	CodeParseFailed      = "GRAPHQL_PARSE_FAILED"
	CodeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
	CodeBadUserInput     = "BAD_USER_INPUT"
	CodeInternal         = "INTERNAL_SERVER_ERROR"
	// CodeInsufficientStorage: a resolver's write was refused for lack of
	// disk space; the answer is 507 so that clients and proxies see it.
	CodeInsufficientStorage = "INSUFFICIENT_STORAGE"
)

// gqlError is one entry of a response's "errors" list. It is our own type
// rather than gqlerrors.FormattedError because that one always emits
// "locations", even as an empty list.
type gqlError struct {
	Message    string                    `json:"message"`
	Locations  []location.SourceLocation `json:"locations,omitempty"`
	Path       []any                     `json:"path,omitempty"`
	Extensions map[string]any            `json:"extensions,omitempty"`
}

// errorsOnly is the body of a request error: no "data" key at all, which
// tells the client that execution never started.
type errorsOnly struct {
	Errors []gqlError `json:"errors"`
}

// executed is the body once execution ran: "data" is always present, null
// when a non-null root field failed.
type executed struct {
	Errors     []gqlError     `json:"errors,omitempty"`
	Data       any            `json:"data"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// WriteError writes a GraphQL-shaped request error with no "data" key, as
// application/json, so middleware in front of the handler (auth, rate limits)
// can fail in a way GraphQL clients understand.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(errorsOnly{Errors: []gqlError{codedError(code, msg)}})
	writeBody(w, mediaJSON, status, body)
}

func codedError(code, msg string) gqlError {
	return gqlError{Message: msg, Extensions: map[string]any{"code": code}}
}

// writeBody sets the headers every response carries and writes body.
func writeBody(w http.ResponseWriter, media string, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", media+"; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// responder writes answers in the negotiated media type and records them in
// the request's Outcome.
type responder struct {
	w     http.ResponseWriter
	media string
	out   *Outcome
	log   *slog.Logger
}

// httpFail answers a failure found before GraphQL processing.
func (rw *responder) httpFail(e *httpError) {
	if e.allow != "" {
		rw.w.Header().Set("Allow", e.allow)
	}
	rw.send(e.status, errorsOnly{Errors: []gqlError{codedError(e.code, e.msg)}}, 1)
}

// requestErrors answers a GraphQL request error (parse, validation, operation
// selection, variable coercion) with 400 and no data key. The spec lets
// application/json answer these with 200 for legacy clients; talkgraph's
// contract is 400 with either media type, so a failed request never looks
// like a success to a client that checks only the status.
func (rw *responder) requestErrors(code string, errs []gqlerrors.FormattedError) {
	status := http.StatusBadRequest
	list := make([]gqlError, len(errs))
	for i, fe := range errs {
		list[i] = convert(fe)
		list[i].Extensions = withCode(list[i].Extensions, code)
	}
	rw.send(status, errorsOnly{Errors: list}, len(list))
}

// refuse answers a guard's refusal: 400, with the extensions the error
// carries (the limit and its value).
func (rw *responder) refuse(err error) {
	fe := gqlerrors.FormattedError{Message: err.Error()}
	var ext gqlerrors.ExtendedError
	code := CodeBadRequest
	if errors.As(err, &ext) {
		fe.Extensions = ext.Extensions()
		if c, ok := fe.Extensions["code"].(string); ok {
			code = c
		}
	}
	rw.requestErrors(code, []gqlerrors.FormattedError{fe})
}

// requestError is requestErrors for a single error of our own making.
func (rw *responder) requestError(code, msg string) {
	rw.requestErrors(code, []gqlerrors.FormattedError{gqlerrors.NewFormattedError(msg)})
}

// result answers an executed operation: 200, field errors included, or 507
// when a write was refused for lack of disk space (the server is fine, its
// disk is not: a client may retry later).
func (rw *responder) result(res *graphql.Result) {
	status := http.StatusOK
	list := make([]gqlError, len(res.Errors))
	for i, fe := range res.Errors {
		list[i] = convert(fe)
		if list[i].Extensions["code"] == CodeInsufficientStorage {
			status = http.StatusInsufficientStorage
		}
	}
	rw.send(status, executed{Errors: list, Data: res.Data, Extensions: res.Extensions}, len(list))
}

// send encodes v before writing anything, so an unencodable result (a NaN
// float from a resolver, say) can still become a clean 500.
func (rw *responder) send(status int, v any, nerr int) {
	body, err := json.Marshal(v)
	if err != nil {
		rw.log.Error("graphql response could not be encoded", "err", err)
		status, nerr = http.StatusInternalServerError, 1
		body, _ = json.Marshal(errorsOnly{Errors: []gqlError{
			codedError(CodeInternal, "the response could not be encoded: report this to the server operator"),
		}})
	}
	rw.out.Status, rw.out.Errors = status, nerr
	writeBody(rw.w, rw.media, status, body)
}

// convert copies a graphql-go error into our wire type.
func convert(fe gqlerrors.FormattedError) gqlError {
	return gqlError{
		Message:    fe.Message,
		Locations:  fe.Locations,
		Path:       fe.Path,
		Extensions: extensionsOf(fe),
	}
}

// extensionsOf returns the extensions a resolver attached to its error.
// graphql-go copies them only when the resolver's error itself implements
// gqlerrors.ExtendedError (a plain type assertion); we also look through
// wrapping, so fmt.Errorf("...: %w", extErr) keeps its code.
func extensionsOf(fe gqlerrors.FormattedError) map[string]any {
	if fe.Extensions != nil {
		return fe.Extensions
	}
	located, ok := fe.OriginalError().(*gqlerrors.Error)
	if !ok || located.OriginalError == nil {
		return nil
	}
	var ext gqlerrors.ExtendedError
	if errors.As(located.OriginalError, &ext) {
		return ext.Extensions()
	}
	return nil
}

// withCode returns a copy of ext with code set, leaving the resolver's or
// graphql-go's map untouched.
func withCode(ext map[string]any, code string) map[string]any {
	out := make(map[string]any, len(ext)+1)
	maps.Copy(out, ext)
	out["code"] = code
	return out
}
