// Package executor runs GraphQL requests against a graphql-go schema the
// same way for every transport: the HTTP handler, `talkgraph query` and the
// tests all go through it. One request passes the guard (before parsing,
// then on the parsed document), is parsed, validated (a panic of
// graphql-go's validation becomes an error), kept in a cache of documents,
// has its operation chosen once, its variables coerced, and runs; every
// failure comes back with an error code of schema's table, and panics are
// recovered here only. It knows nothing of HTTP: a transport maps a
// Result's code to its own status.
//
// A query runs as a plan compiled once per cached document
// (internal/compile), which calls the schema's resolvers and writes the
// answer's JSON directly; what the compiler leaves out (introspection,
// mutations, variables graphql-go refuses) runs through graphql-go's
// executor, the reference, whose answers the compiled ones match byte for
// byte. Result.Engine says which ran, Result.Fallback why graphql-go did.
package executor

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sync"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"

	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/schema"
)

// Guard bounds a request before it is parsed (Scan: the parser recurses,
// so nesting must be bounded first) and before it is validated (Check:
// validation can be quadratic). Their errors are request errors carrying
// their own extensions.
type Guard interface {
	Scan(query string) error
	Check(ctx context.Context, schema *graphql.Schema, doc *ast.Document, vars map[string]any) error
}

// Request is one GraphQL request, whatever carried it.
type Request struct {
	Query         string
	OperationName string
	Variables     map[string]any
}

// Executor runs requests against Schema. The zero value of every field but
// Schema is usable; set the fields before the first request.
type Executor struct {
	// Schema is the schema to run; required.
	Schema *graphql.Schema
	// Guard, if set, bounds what a request may ask for. Without one, a
	// hostile document (a fragment that spreads itself) can crash the
	// process inside graphql-go: always set one.
	Guard Guard
	// Begin, if set, is called once per operation about to run, e.g. to
	// open a read transaction and put it in the context; done (may be nil)
	// is called once execution has fully finished.
	//
	// Execution ignores cancellation and deadlines of the context: on
	// cancellation graphql.Execute returns without waiting for the
	// goroutine running the resolvers, which would let done run while
	// resolvers still use what Begin opened. Context values still flow, so
	// reads Begin ties to the context's deadline stop at it.
	Begin func(ctx context.Context) (_ context.Context, done func())
	// Logger receives internal failures, with the request id; nil means
	// slog.Default().
	Logger *slog.Logger
	// HideSuggestions removes "Did you mean …?" from validation errors:
	// suggestions let a client map a schema it may not introspect.
	HideSuggestions bool
	// CacheSize bounds the cache of parsed, validated documents (default
	// 1024 when 0; -1 turns it off).
	CacheSize int
	// NoCompile runs every operation through graphql-go's executor, the
	// reference, instead of a compiled plan (see internal/compile).
	NoCompile bool

	once  sync.Once
	cache *docCache
}

// init runs once, before the first request: it builds the document cache
// and makes every resolver of the schema recover its panics.
func (e *Executor) init() {
	e.once.Do(func() {
		switch {
		case e.CacheSize == 0:
			e.cache = newDocCache(1024)
		case e.CacheSize > 0:
			e.cache = newDocCache(e.CacheSize)
		}
		if e.Schema != nil {
			recoverResolvers(e.Schema)
		}
	})
}

// Operation is a request that passed the guard, parsing, validation and
// operation selection: what remains is to run it.
type Operation struct {
	// Def is the operation chosen.
	Def  *ast.OperationDefinition
	doc  *ast.Document
	vars map[string]any
	from *document // where its compiled plan is kept
}

// Type is "query", "mutation" or "subscription".
func (o *Operation) Type() string { return o.Def.Operation }

// Label names the operation for logs and metrics: its name, or "anonymous".
func (o *Operation) Label() string {
	if o.Def.Name != nil && o.Def.Name.Value != "" {
		return o.Def.Name.Value
	}
	return "anonymous"
}

// Do prepares and runs one request.
func (e *Executor) Do(ctx context.Context, req Request) *Result {
	op, res := e.Prepare(ctx, req)
	if res != nil {
		return res
	}
	return e.Execute(ctx, op)
}

// Prepare takes a request through the guard, parsing, validation and the
// choice of its operation. It returns the operation, or a Result holding a
// request error (no data) that says why not.
func (e *Executor) Prepare(ctx context.Context, req Request) (*Operation, *Result) {
	e.init()
	if e.Schema == nil {
		return nil, e.internal(ctx, fmt.Errorf("executor: no schema"))
	}
	doc, res := e.document(ctx, req)
	if res != nil {
		return nil, res
	}
	def, code, msg := selectOperation(e.Schema, doc.run, req.OperationName)
	if def == nil {
		return nil, requestError(code, msg)
	}
	return &Operation{Def: def, doc: doc.run, vars: req.Variables, from: doc}, nil
}

// onceChecker is a Guard whose verdict on a document may hold for every
// request of it (guard.Guard): see CheckOnce there.
type onceChecker interface {
	CheckOnce(ctx context.Context, schema *graphql.Schema, doc *ast.Document, vars map[string]any) (always bool, err error)
}

// document returns the request's document, parsed, within the guard's
// limits and valid. A document seen before comes from the cache; the
// guard's Check still runs, since its cost may depend on the variables,
// unless the guard said its verdict holds for every request of the
// document.
func (e *Executor) document(ctx context.Context, req Request) (*document, *Result) {
	doc := e.cache.get(req.Query)
	if doc == nil {
		if e.Guard != nil {
			if err := e.Guard.Scan(req.Query); err != nil {
				return nil, refusal(err)
			}
		}
		asked, res := parse(req.Query)
		if res != nil {
			return nil, res
		}
		doc = &document{asked: asked}
	}
	if e.Guard != nil {
		if doc.guarded.Load() {
			guard.ReportCost(ctx, int(doc.cost.Load()))
		} else if err := e.check(ctx, doc, req.Variables); err != nil {
			return nil, refusal(err)
		}
	}
	if doc.run == nil {
		if errs := validate(e.Schema, doc.asked); len(errs) > 0 {
			return nil, requestErrors(schema.CodeValidationFailed, e.suggestions(errs))
		}
		doc.run = annotate(e.Schema, doc.asked)
		e.cache.put(req.Query, doc)
	}
	return doc, nil
}

// check runs the guard's Check on doc, and marks doc as checked for good
// when the guard says its verdict holds for every request of it.
func (e *Executor) check(ctx context.Context, doc *document, vars map[string]any) error {
	oc, ok := e.Guard.(onceChecker)
	if !ok {
		return e.Guard.Check(ctx, e.Schema, doc.asked, vars)
	}
	own, cost := guard.WithCostReport(ctx) // to report it again when the check is skipped
	always, err := oc.CheckOnce(own, e.Schema, doc.asked, vars)
	if err == nil && always {
		doc.cost.Store(int64(*cost))
		doc.guarded.Store(true)
	}
	guard.ReportCost(ctx, *cost)
	return err
}

func parse(query string) (*ast.Document, *Result) {
	doc, err := parser.Parse(parser.ParseParams{
		Source: source.NewSource(&source.Source{Body: []byte(query), Name: "GraphQL request"}),
	})
	if err != nil {
		return nil, requestErrors(schema.CodeParseFailed, gqlerrors.FormatErrors(err))
	}
	if name := untypedVariable(doc); name != "" {
		return nil, requestError(schema.CodeParseFailed, fmt.Sprintf("variable $%s has no type: write one, e.g. $%s: String", name, name))
	}
	return doc, nil
}

// validate runs graphql-go's validation, turning a panic (a document shape
// its rules do not expect) into a validation error.
func validate(s *graphql.Schema, doc *ast.Document) (errs []gqlerrors.FormattedError) {
	defer func() {
		if r := recover(); r != nil {
			errs = gqlerrors.FormatErrors(fmt.Errorf("the document cannot be validated: %v", r))
		}
	}()
	return graphql.ValidateDocument(s, doc, nil).Errors
}

// didYouMean is the suggestion graphql-go appends to validation errors.
var didYouMean = regexp.MustCompile(` Did you mean [^?]*\?`)

func (e *Executor) suggestions(errs []gqlerrors.FormattedError) []gqlerrors.FormattedError {
	if !e.HideSuggestions {
		return errs
	}
	for i := range errs {
		errs[i].Message = didYouMean.ReplaceAllString(errs[i].Message, "")
	}
	return errs
}

// Execute runs a prepared operation inside the Begin hook: its compiled
// plan, else graphql-go's executor. Variables that do not fit their types
// make a request error (no data), a panic outside the resolvers an
// internal one; anything else is an executed result, field errors
// included.
func (e *Executor) Execute(ctx context.Context, op *Operation) *Result {
	e.init()
	res, why := e.compiled(ctx, op)
	if res == nil {
		res = e.interpret(ctx, op)
		res.Engine, res.Fallback = EngineGraphQLGo, why
	}
	if l := e.logger(); l.Enabled(ctx, slog.LevelDebug) {
		l.DebugContext(ctx, "graphql executed", "request_id", RequestID(ctx), "operation", op.Label(),
			"executor", res.Engine, "fallback", res.Fallback)
	}
	return res
}

// interpret runs op through graphql-go's executor.
func (e *Executor) interpret(ctx context.Context, op *Operation) *Result {
	res, p := e.run(ctx, op)
	if p != nil {
		return e.internal(ctx, p)
	}
	if isVariableError(res) {
		return requestErrors(schema.CodeBadUserInput, res.Errors)
	}
	out := &Result{Executed: true, Data: res.Data, Extensions: res.Extensions, op: op, schema: e.Schema}
	out.Errors = e.fieldErrors(ctx, res.Errors)
	return out
}

// run is graphql.Execute inside the Begin hook, with a panic of either
// (resolvers recover their own) returned.
func (e *Executor) run(ctx context.Context, op *Operation) (res *graphql.Result, p *panicError) {
	defer func() {
		if r := recover(); r != nil {
			res, p = nil, panicked(r)
		}
	}()
	if e.Begin != nil {
		var done func()
		ctx, done = e.Begin(ctx)
		if done != nil {
			defer done()
		}
	}
	return graphql.Execute(graphql.ExecuteParams{
		Schema:        *e.Schema,
		AST:           op.doc,
		OperationName: operationName(op.Def),
		Args:          stringPointers(op.Def, op.vars),
		Context:       context.WithoutCancel(ctx),
	}), nil
}

// operationName names the chosen operation for graphql-go, which chooses
// again: an anonymous one is the document's only operation.
func operationName(def *ast.OperationDefinition) string {
	if def.Name != nil {
		return def.Name.Value
	}
	return ""
}

func (e *Executor) logger() *slog.Logger {
	if e.Logger != nil {
		return e.Logger
	}
	return slog.Default()
}

// untypedVariable returns the name of a variable declared without a type
// (graphql-go's parser accepts "$n:" and "$n: [!]", and its validation then
// panics), or "".
func untypedVariable(doc *ast.Document) string {
	for _, def := range doc.Definitions {
		op, ok := def.(*ast.OperationDefinition)
		if !ok {
			continue
		}
		for _, v := range op.VariableDefinitions {
			if !typed(v.Type) {
				return v.Variable.Name.Value
			}
		}
	}
	return ""
}

func typed(t ast.Type) bool {
	switch t := t.(type) {
	case *ast.Named:
		return t != nil && t.Name != nil
	case *ast.List:
		return t != nil && typed(t.Type)
	case *ast.NonNull:
		return t != nil && typed(t.Type)
	}
	return false
}
