package httpapi

import "context"

// Outcome summarises how the handler answered one request, so that logging or
// metrics middleware wrapped around the handler can report it without parsing
// the response body.
type Outcome struct {
	// Operation is the selected operation's name, "anonymous" for an unnamed
	// operation, or "" when the request failed before an operation was chosen.
	Operation string
	// Status is the HTTP status code written.
	Status int
	// Errors is the number of entries in the response's "errors" list.
	Errors int
	// Executor is the executor that ran the operation: "compiled" or
	// "graphql-go" (executor.Result.Engine), "" when none ran.
	Executor string
	// Fallback is why graphql-go ran rather than a compiled plan
	// (executor.Result.Fallback).
	Fallback string
}

type outcomeKey struct{}

// WithOutcome returns a context carrying a fresh Outcome and that Outcome. A
// middleware calls it before invoking the handler (passing the request on with
// r.WithContext) and reads the Outcome after the handler returns.
func WithOutcome(ctx context.Context) (context.Context, *Outcome) {
	o := &Outcome{}
	return context.WithValue(ctx, outcomeKey{}, o), o
}

// outcomeFrom returns the Outcome installed by WithOutcome, or a throwaway one
// so the handler never has to check for nil.
func outcomeFrom(ctx context.Context) *Outcome {
	if o, ok := ctx.Value(outcomeKey{}).(*Outcome); ok {
		return o
	}
	return &Outcome{}
}
