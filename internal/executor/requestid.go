package executor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

type requestIDKey struct{}

// WithRequestID returns ctx carrying the id of the request it serves: the
// executor's log lines and internal errors name it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the id WithRequestID put in ctx, or "" when there is
// none.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// idOf returns the request id of ctx, or a new one for a request that came
// without (from the command line, say).
func idOf(ctx context.Context) string {
	if id := RequestID(ctx); id != "" {
		return id
	}
	return NewRequestID()
}

// NewRequestID returns a random id of 16 hex digits.
func NewRequestID() string {
	var b [8]byte
	var h [16]byte
	_, _ = rand.Read(b[:])
	hex.Encode(h[:], b[:])
	return string(h[:])
}

// ValidRequestID reports whether id, sent by a client, is fit to be logged
// and echoed: 1 to 64 characters of A-Z a-z 0-9 . _ -.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
