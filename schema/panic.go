package schema

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/graphql-go/graphql"
)

// newRequestID returns a short random id that ties a client's error to the
// server's log line.
func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// RequestID returns the id of the request ctx belongs to ("" outside Begin).
func RequestID(ctx context.Context) string {
	if r, ok := ctx.Value(ctxKey{}).(*request); ok {
		return r.id
	}
	return ""
}

// guardResolvers wraps every resolver of the schema so that a panic becomes
// a field error naming the request id, logged with its stack, instead of
// graphql-go's message (which quotes the panic value to the client).
func (s *Schema) guardResolvers() {
	for name, t := range s.GraphQL.TypeMap() {
		o, ok := t.(*graphql.Object)
		if !ok || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range o.Fields() {
			if f.Resolve != nil {
				f.Resolve = s.recovering(o.Name()+"."+f.Name, f.Resolve)
			}
		}
	}
}

func (s *Schema) recovering(field string, fn graphql.FieldResolveFn) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (v any, err error) {
		defer func() {
			if r := recover(); r != nil {
				id := RequestID(p.Context)
				s.log.ErrorContext(p.Context, "resolver panicked", "field", field, "request_id", id, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				v, err = nil, &Error{Message: "internal error (request " + id + ")", Code: CodeInternal, Extra: map[string]any{"requestId": id}}
			}
		}()
		return fn(p)
	}
}
