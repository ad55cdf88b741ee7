package executor

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

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

// calls counts resolver calls, for yield.
var calls atomic.Uint64

// yieldEvery is how many resolver calls pass between two yields.
const yieldEvery = 8

// yield lets other goroutines run now and then. A goroutine made runnable
// (a short request whose answer came over the network, /healthz) waits for
// a free core, and when long operations keep every core busy the scheduler
// frees one only when it preempts them, every 10 ms: a short request that
// waits several times would take tens of milliseconds. A yield every few
// resolver calls (about a millisecond of the heaviest resolvers) costs a
// heavy operation a fraction of a percent.
func yield() {
	if calls.Add(1)%yieldEvery == 0 {
		runtime.Gosched()
	}
}

func recovering(fn graphql.FieldResolveFn) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (v any, err error) {
		yield()
		defer func() {
			if r := recover(); r != nil {
				v, err = nil, panicked(r)
			}
		}()
		return fn(p)
	}
}
