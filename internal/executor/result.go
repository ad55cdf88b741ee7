package executor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/location"

	"github.com/talkgraph/talkgraph/schema"
)

// Result is the answer to one request.
type Result struct {
	// Executed is false for a request error: the operation never ran, and
	// the answer has no "data" key at all.
	Executed bool
	// Data is what graphql-go's execution produced (nil when a non-null
	// root field failed, and when a compiled plan ran: it wrote the JSON
	// itself, see AppendJSON).
	Data       any
	Errors     []Error
	Extensions map[string]any
	// Engine says which executor ran the operation: EngineCompiled or
	// EngineGraphQLGo ("" for a request error).
	Engine string
	// Fallback says why graphql-go ran rather than a compiled plan:
	// "introspection", "mutation", "variables" (values graphql-go
	// refuses, with its message), "off" (Executor.NoCompile)…
	Fallback string

	op     *Operation // to write Data in the order the query asked
	schema *graphql.Schema
	json   []byte  // the data's JSON, when a compiled plan wrote it
	buf    *[]byte // json's buffer, back to its pool on Release
}

// Release hands the buffer of a compiled answer back for reuse; the
// Result must not be written after. Calling it is optional.
func (r *Result) Release() {
	if r.buf != nil && cap(*r.buf) <= 1<<20 {
		data.Put(r.buf)
	}
	r.buf, r.json = nil, nil
}

// Error is one entry of a response's "errors" list. It is our own type
// rather than gqlerrors.FormattedError because that one always emits
// "locations", even as an empty list.
type Error struct {
	Message    string                    `json:"message"`
	Locations  []location.SourceLocation `json:"locations,omitempty"`
	Path       []any                     `json:"path,omitempty"`
	Extensions map[string]any            `json:"extensions,omitempty"`
}

// Code is the error's extensions.code, or "".
func (e Error) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// Code is the code of the result's first error, or "" when it has none.
func (r *Result) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Code()
}

// ErrorResult is a request error of one message, for failures a transport
// finds before the executor runs (a body too large, say).
func ErrorResult(code, msg string) *Result { return requestError(code, msg) }

func requestError(code, msg string) *Result {
	return &Result{Errors: []Error{{Message: msg, Extensions: map[string]any{"code": code}}}}
}

// requestErrors is a request error from graphql-go's errors, each given
// code.
func requestErrors(code string, errs []gqlerrors.FormattedError) *Result {
	list := make([]Error, len(errs))
	for i, fe := range errs {
		list[i] = convert(fe)
		list[i].Extensions = withCode(list[i].Extensions, code)
	}
	return &Result{Errors: list}
}

// refusal is the guard's refusal: a request error with the extensions the
// guard's error carries (the limit and its value).
func refusal(err error) *Result {
	fe := gqlerrors.FormattedError{Message: err.Error()}
	code := schema.CodeBadRequest
	var ext gqlerrors.ExtendedError
	if errors.As(err, &ext) {
		fe.Extensions = ext.Extensions()
		if c, ok := fe.Extensions["code"].(string); ok {
			code = c
		}
	}
	return requestErrors(code, []gqlerrors.FormattedError{fe})
}

// internal is a request error for a failure of the server itself.
func (e *Executor) internal(ctx context.Context, err error) *Result {
	id := idOf(ctx)
	e.logger().ErrorContext(ctx, "graphql request failed", "request_id", id, "err", err)
	return &Result{Errors: []Error{internalError(id)}}
}

func internalError(id string) Error {
	return Error{Message: "internal error (request " + id + "): the log holds the cause", Extensions: map[string]any{"code": schema.CodeInternal, "requestId": id}}
}

// fieldErrors converts execution errors. An internal error (a failing
// store, a panic) is logged with its cause and the request id and shown to
// the client by the id alone. Once a request has run out of work or time,
// every resolver still called fails alike: one such error is enough.
func (e *Executor) fieldErrors(ctx context.Context, errs []gqlerrors.FormattedError) []Error {
	// graphql-go resolves a selection's fields in map order: errors come in
	// the order of the query instead, so that one answer reads the same
	// every time.
	slices.SortStableFunc(errs, byPlace)
	out := make([]Error, 0, len(errs))
	var seen map[string]bool
	id := ""
	for _, fe := range errs {
		ge := convert(fe)
		switch code := ge.Code(); code {
		case schema.CodeInternal, "":
			if cause := internalCause(fe); cause != nil {
				if id == "" {
					id = idOf(ctx)
				}
				e.logger().ErrorContext(ctx, "resolver failed", "request_id", id, "path", fmt.Sprint(ge.Path), "err", cause)
				loc, path := ge.Locations, ge.Path
				ge = internalError(id)
				ge.Locations, ge.Path = loc, path
			}
		case schema.CodeLimitExceeded, schema.CodeTimeout:
			if seen[code+ge.Message] {
				continue
			}
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[code+ge.Message] = true
		}
		out = append(out, ge)
	}
	return out
}

// byPlace orders errors by where their field is in the query, then by path.
func byPlace(a, b gqlerrors.FormattedError) int {
	la, lb := firstLocation(a), firstLocation(b)
	if c := cmp.Compare(la.Line, lb.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(la.Column, lb.Column); c != 0 {
		return c
	}
	return cmp.Compare(fmt.Sprint(a.Path), fmt.Sprint(b.Path))
}

func firstLocation(fe gqlerrors.FormattedError) location.SourceLocation {
	if len(fe.Locations) == 0 {
		return location.SourceLocation{}
	}
	return fe.Locations[0]
}

// internalCause returns what an internal error hides: the cause of a
// schema.Error with the internal code, or a recovered panic.
func internalCause(fe gqlerrors.FormattedError) error {
	located, ok := fe.OriginalError().(*gqlerrors.Error)
	if !ok || located.OriginalError == nil {
		return nil
	}
	var p *panicError
	if errors.As(located.OriginalError, &p) {
		return p
	}
	var se *schema.Error
	if errors.As(located.OriginalError, &se) && se.Code == schema.CodeInternal {
		if se.Cause != nil {
			return se.Cause
		}
		return se
	}
	return nil
}

// convert copies a graphql-go error into our wire type.
func convert(fe gqlerrors.FormattedError) Error {
	return Error{Message: fe.Message, Locations: fe.Locations, Path: fe.Path, Extensions: extensionsOf(fe)}
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
