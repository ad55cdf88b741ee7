package schema

import (
	"context"
	"errors"

	"github.com/talkgraph/talkgraph/graph"
)

// Error codes, in extensions.code of GraphQL errors: the one table of them.
// Resolvers, the executor (internal/executor), the guard and the HTTP
// handler all answer with these; the HTTP status of each is decided in
// internal/httpapi.
const (
	// Set by resolvers.
	CodeNotFound     = "NOT_FOUND"
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeTimeout      = "TIMEOUT"
	CodeConflict     = "CONFLICT"
	// CodeInsufficientStorage: a write refused for lack of disk space
	// (graph.ErrNoSpace); the HTTP handler answers it with 507.
	CodeInsufficientStorage = "INSUFFICIENT_STORAGE"
	CodeAmbiguous           = "AMBIGUOUS"
	// CodeLimitExceeded: the guard refused the request, or it did more
	// work than one request may.
	CodeLimitExceeded = "LIMIT_EXCEEDED"
	// CodeInternal: a bug or a failing store; the message names the request
	// id, the log holds the cause.
	CodeInternal = "INTERNAL_SERVER_ERROR"

	// Set by the executor before execution.
	CodeParseFailed      = "GRAPHQL_PARSE_FAILED"
	CodeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
	CodeBadRequest       = "BAD_REQUEST"

	// Set by the HTTP transport.
	CodePayloadTooLarge      = "PAYLOAD_TOO_LARGE"
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	CodeUnauthenticated      = "UNAUTHENTICATED"
	CodeUnavailable          = "SERVICE_UNAVAILABLE"
)

// Error is a GraphQL error with a code; graphql-go copies Extensions into
// the response.
type Error struct {
	Message string
	Code    string
	Extra   map[string]any
	// Cause is what an internal error hides from the client; the executor
	// logs it with the request id.
	Cause error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the hidden cause of an internal error.
func (e *Error) Unwrap() error { return e.Cause }

// Extensions implements gqlerrors.ExtendedError.
func (e *Error) Extensions() map[string]any {
	ext := map[string]any{"code": e.Code}
	for k, v := range e.Extra {
		ext[k] = v
	}
	return ext
}

// Code returns the code of err as clients see it; the one place where the
// store's sentinel errors become API codes.
func Code(err error) string {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, graph.ErrNotFound):
		return CodeNotFound
	case errors.Is(err, graph.ErrInvalid):
		return CodeBadUserInput
	case errors.Is(err, graph.ErrConflict):
		return CodeConflict
	case errors.Is(err, graph.ErrNoSpace):
		return CodeInsufficientStorage
	case errors.Is(err, graph.ErrAmbiguous):
		return CodeAmbiguous
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return CodeTimeout
	}
	return CodeInternal
}

// apiError turns any error a resolver meets into what the client may see:
// store errors keep their message and get a code; anything else becomes an
// internal error whose cause the executor logs.
func apiError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	code := Code(err)
	if code == CodeInternal {
		return &Error{Message: "internal error", Code: CodeInternal, Cause: err}
	}
	out := &Error{Message: err.Error(), Code: code}
	var nf *graph.NotFoundError
	if errors.As(err, &nf) && len(nf.Closest) > 0 {
		out.Extra = map[string]any{"closest": nf.Closest}
	}
	var amb *graph.AmbiguousError
	if errors.As(err, &amb) {
		out.Extra = map[string]any{"candidates": candidates(amb.Candidates)}
	}
	if code == CodeTimeout {
		out.Message = "the request ran out of time: ask for less (smaller first, fewer hops)"
	}
	return out
}

func badInput(msg string) error { return &Error{Message: msg, Code: CodeBadUserInput} }

// candidates is how an ambiguous name's candidates appear in
// extensions.candidates: id, kind, name, and a talk's conference.
func candidates(cs []graph.Candidate) []map[string]any {
	out := make([]map[string]any, len(cs))
	for i, c := range cs {
		out[i] = map[string]any{"id": c.ID, "kind": string(c.Kind), "name": c.Name}
		if c.Conference != "" {
			out[i]["conference"] = c.Conference
		}
	}
	return out
}
