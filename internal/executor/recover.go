package executor

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/graphql-go/graphql"
)

// panicError is a recovered panic: its value and stack go to the log, never
// to the client.
type panicError struct {
	value any
	stack string
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v\n%s", p.value, p.stack) }

func panicked(r any) *panicError { return &panicError{value: r, stack: string(debug.Stack())} }

// wrapped holds a *sync.Once per schema whose resolvers are wrapped: once
// per schema, however many executors run it (the CLI and tests make one per
// call), and before any of them runs a resolver.
var wrapped sync.Map

// recoverResolvers wraps every resolver of s, once, so that a panic becomes
// a field error (an internal error once converted) instead of graphql-go's
// message, which quotes the panic value to the client.
func recoverResolvers(s *graphql.Schema) {
	once, _ := wrapped.LoadOrStore(s, &sync.Once{})
	once.(*sync.Once).Do(func() { wrapResolvers(s) })
}

func wrapResolvers(s *graphql.Schema) {
	for name, t := range s.TypeMap() {
		o, ok := t.(*graphql.Object)
		if !ok || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range o.Fields() {
			if f.Resolve != nil {
				f.Resolve = recovering(f.Resolve)
			}
		}
	}
}

func recovering(fn graphql.FieldResolveFn) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (v any, err error) {
		defer func() {
			if r := recover(); r != nil {
				v, err = nil, panicked(r)
			}
		}()
		return fn(p)
	}
}
