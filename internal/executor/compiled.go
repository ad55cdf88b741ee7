package executor

import (
	"context"
	"errors"
	"sync"

	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/talkgraph/talkgraph/internal/compile"
)

// The executors a Result can come from (Result.Engine).
const (
	// EngineCompiled: the operation's compiled plan (internal/compile).
	EngineCompiled = "compiled"
	// EngineGraphQLGo: graphql-go's executor, the reference.
	EngineGraphQLGo = "graphql-go"
)

// compiledOp is an operation's plan, or why it has none.
type compiledOp struct {
	op     *compile.Operation
	reason string
}

// plan returns the compiled plan of def, an operation of d, compiling it
// on first use; nil and the reason when the compiler leaves it to
// graphql-go. Plans live as long as their document stays in the cache.
func (d *document) plan(e *Executor, def *ast.OperationDefinition) (*compile.Operation, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.compiled[def]; ok {
		return c.op, c.reason
	}
	c := compileOp(e, d, def)
	if d.compiled == nil {
		d.compiled = map[*ast.OperationDefinition]compiledOp{}
	}
	d.compiled[def] = c
	return c.op, c.reason
}

// compileOp compiles def from the document as asked: the document run by
// graphql-go holds the executor's additions (see annotate).
func compileOp(e *Executor, d *document, def *ast.OperationDefinition) compiledOp {
	var asked *ast.OperationDefinition
	for i, r := range d.run.Definitions {
		if r == ast.Node(def) {
			asked, _ = d.asked.Definitions[i].(*ast.OperationDefinition)
		}
	}
	if asked == nil {
		return compiledOp{reason: "operation not found"}
	}
	op, err := compile.Compile(e.Schema, d.asked, asked)
	if err != nil {
		var u *compile.Unsupported
		if errors.As(err, &u) {
			return compiledOp{reason: u.Reason}
		}
		return compiledOp{reason: "compile error"}
	}
	return compiledOp{op: op}
}

// data keeps the JSON of compiled answers between requests.
var data = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// compiled runs op's compiled plan inside the Begin hook. It returns nil
// and why when graphql-go must answer instead: the operation has no plan,
// or the plan found what it leaves to graphql-go (variables it would
// refuse, say) before writing the answer.
func (e *Executor) compiled(ctx context.Context, op *Operation) (*Result, string) {
	if e.NoCompile {
		return nil, "off"
	}
	if op.from == nil {
		return nil, "no document"
	}
	plan, why := op.from.plan(e, op.Def)
	if plan == nil {
		return nil, why
	}
	bp := data.Get().(*[]byte)
	out, errs, why, p := e.runPlan(ctx, plan, op.vars, (*bp)[:0])
	if p != nil {
		data.Put(bp)
		res := e.internal(ctx, p)
		res.Engine = EngineCompiled
		return res, ""
	}
	if why != "" {
		data.Put(bp)
		return nil, why
	}
	*bp = out
	return &Result{Executed: true, json: out, buf: bp, Errors: e.fieldErrors(ctx, errs), Engine: EngineCompiled}, ""
}

// runPlan is plan.Run inside the Begin hook. A panic of Begin is returned
// (an internal error, as on graphql-go's path); a panic of the plan, a bug
// of the compiler, is logged and leaves the request to graphql-go. The plan
// runs in the caller's goroutine, so its resolvers get the context as it
// is, with its cancellation (graphql-go's get it without, see
// Executor.Begin: its goroutine could outlive the request); either way
// the store reads Begin opens stop at the deadline.
func (e *Executor) runPlan(ctx context.Context, plan *compile.Operation, vars map[string]any, buf []byte) (out []byte, errs []gqlerrors.FormattedError, why string, p *panicError) {
	if e.Begin != nil {
		var done func()
		if ctx, done, p = e.begin(ctx); p != nil {
			return nil, nil, "", p
		}
		if done != nil {
			defer done()
		}
	}
	defer func() {
		if r := recover(); r != nil {
			e.logger().ErrorContext(ctx, "compiled plan failed: graphql-go answers instead", "request_id", idOf(ctx), "err", panicked(r))
			out, errs, why = nil, nil, "panic"
		}
	}()
	out, errs, why = plan.Run(ctx, vars, buf)
	return out, errs, why, nil
}

// begin calls the Begin hook, returning its panic.
func (e *Executor) begin(ctx context.Context) (_ context.Context, done func(), p *panicError) {
	defer func() {
		if r := recover(); r != nil {
			p = panicked(r)
		}
	}()
	ctx, done = e.Begin(ctx)
	return ctx, done, nil
}
