package schema

import (
	"context"
	"errors"
	"log/slog"

	"github.com/talkgraph/talkgraph/graph"
)

// Error codes, in extensions.code of GraphQL errors.
const (
	CodeNotFound     = "NOT_FOUND"
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeTimeout      = "TIMEOUT"
	CodeInternal     = "INTERNAL"
	CodeConflict     = "CONFLICT"
	// CodeInsufficientStorage: a write refused for lack of disk space
	// (graph.ErrNoSpace); the HTTP handler answers it with 507.
	CodeInsufficientStorage = "INSUFFICIENT_STORAGE"
	CodeAmbiguous           = "AMBIGUOUS"
)

// Error is a GraphQL error with a code; graphql-go copies Extensions into
// the response.
type Error struct {
	Message string
	Code    string
	Extra   map[string]any
}

func (e *Error) Error() string { return e.Message }

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
// store errors keep their message and get a code; anything else is logged
// and shown as "internal error".
func apiError(ctx context.Context, log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	code := Code(err)
	if code == CodeInternal {
		id := RequestID(ctx)
		log.ErrorContext(ctx, "resolver failed", "err", err, "request_id", id)
		return &Error{Message: "internal error (request " + id + ")", Code: CodeInternal, Extra: map[string]any{"requestId": id}}
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
