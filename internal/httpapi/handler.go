// Package httpapi serves a graphql-go schema over HTTP following the
// GraphQL-over-HTTP specification (https://graphql.github.io/graphql-over-http/draft/):
// GET and POST with application/json bodies, application/json and
// application/graphql-response+json responses, and spec status codes.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"sync"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"
)

// defaultMaxBody bounds POST bodies when Handler.MaxBody is zero.
const defaultMaxBody = 1 << 20

// Handler is an http.Handler answering GraphQL requests against Schema.
type Handler struct {
	// Schema is the schema to serve; required.
	Schema *graphql.Schema
	// MaxBody is the largest accepted POST body in bytes; 0 means 1 MiB.
	MaxBody int64
	// Prepare, if set, is called once per request that passed validation,
	// just before execution, e.g. to open a read transaction and put it in
	// the context. The returned func (may be nil) is called once execution
	// has fully finished and before the response is written.
	//
	// Execution ignores cancellation and deadlines of the request context:
	// on cancellation graphql.Execute returns without waiting for the
	// goroutine running the resolvers, which would let release run while
	// resolvers still use what Prepare opened. Context values still flow.
	Prepare func(ctx context.Context) (context.Context, func())
	// Logger receives internal failures; nil means slog.Default().
	Logger *slog.Logger
	// Guard, if set, bounds what a request may ask for: Scan sees the raw
	// query before parsing (the parser recurses, so nesting must be bounded
	// first), Check the parsed document before validation (which can be
	// quadratic). Their errors are answered 400 with their extensions.
	// Without one, a hostile document (a fragment that spreads itself) can
	// crash the process inside graphql-go: always set one on a server.
	Guard Guard
	// Authorize, if set, decides whether a request may run a mutation.
	// Without it no mutation runs: they are answered 401.
	Authorize func(*http.Request) bool
	// HideSuggestions removes "Did you mean …?" from validation errors.
	HideSuggestions bool
	// CacheSize bounds the cache of parsed, validated documents (default
	// 1024 when 0; -1 turns it off).
	CacheSize int

	cacheOnce sync.Once
	cache     *docCache
}

// didYouMean is the suggestion graphql-go appends to validation errors.
var didYouMean = regexp.MustCompile(` Did you mean [^?]*\?`)

// suggestions removes "Did you mean …?" from validation errors when
// HideSuggestions is set: suggestions let a client map a schema it may not
// introspect.
func (h *Handler) suggestions(errs []gqlerrors.FormattedError) []gqlerrors.FormattedError {
	if !h.HideSuggestions {
		return errs
	}
	for i := range errs {
		errs[i].Message = didYouMean.ReplaceAllString(errs[i].Message, "")
	}
	return errs
}

func (h *Handler) authorized(r *http.Request) bool {
	return h.Authorize != nil && h.Authorize(r)
}

// Guard bounds a request before it is parsed and before it is validated.
type Guard interface {
	Scan(query string) error
	Check(schema *graphql.Schema, doc *ast.Document, vars map[string]any) error
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw := &responder{
		w:     w,
		media: negotiate(r.Header.Values("Accept")),
		out:   outcomeFrom(r.Context()),
		log:   h.logger(),
	}
	if h.Schema == nil {
		rw.log.Error("httpapi: Handler.Schema is nil")
		rw.httpFail(&httpError{status: http.StatusInternalServerError, code: CodeInternal,
			msg: "the server has no GraphQL schema configured: report this to the server operator"})
		return
	}
	req, herr := h.readRequest(w, r)
	if herr != nil {
		rw.httpFail(herr)
		return
	}
	h.serve(rw, r, req)
}

// serve runs the GraphQL part: parse, validate, select, execute. Each step
// reports its own error code so clients can tell the failures apart.
func (h *Handler) serve(rw *responder, r *http.Request, req *Request) {
	doc := h.document(rw, req)
	if doc == nil {
		return
	}
	op, code, msg := selectOperation(h.Schema, doc, req.OperationName)
	if op == nil {
		rw.requestError(code, msg)
		return
	}
	rw.out.Operation = operationLabel(op)
	if r.Method == http.MethodGet && op.Operation != ast.OperationTypeQuery {
		rw.httpFail(&httpError{status: http.StatusMethodNotAllowed, code: CodeMethodNotAllowed, allow: "POST",
			msg: fmt.Sprintf("a %s cannot be sent with GET: use POST", op.Operation)})
		return
	}
	if op.Operation == ast.OperationTypeMutation && !h.authorized(r) {
		rw.w.Header().Set("WWW-Authenticate", `Bearer realm="talkgraph"`)
		rw.httpFail(&httpError{status: http.StatusUnauthorized, code: CodeUnauthenticated,
			msg: "mutations need the server's write token: send Authorization: Bearer <token>"})
		return
	}
	res := h.execute(r.Context(), doc, req)
	if isVariableError(res) {
		rw.requestErrors(CodeBadUserInput, res.Errors)
		return
	}
	rw.result(res)
}

// document returns the request's document, parsed, within the guard's
// limits and valid, or nil after answering why not. A document seen before
// comes from the cache; the guard's Check still runs, since its cost
// estimate depends on the variables.
func (h *Handler) document(rw *responder, req *Request) *ast.Document {
	h.cacheOnce.Do(func() {
		switch {
		case h.CacheSize == 0:
			h.cache = newDocCache(1024)
		case h.CacheSize > 0:
			h.cache = newDocCache(h.CacheSize)
		}
	})
	doc := h.cache.get(req.Query)
	fresh := doc == nil
	if fresh {
		if h.Guard != nil {
			if err := h.Guard.Scan(req.Query); err != nil {
				rw.refuse(err)
				return nil
			}
		}
		var err error
		doc, err = parser.Parse(parser.ParseParams{
			Source: source.NewSource(&source.Source{Body: []byte(req.Query), Name: "GraphQL request"}),
		})
		if err != nil {
			rw.requestErrors(CodeParseFailed, gqlerrors.FormatErrors(err))
			return nil
		}
		if name := untypedVariable(doc); name != "" {
			rw.requestError(CodeParseFailed, fmt.Sprintf("variable $%s has no type: write one, e.g. $%s: String", name, name))
			return nil
		}
	}
	if h.Guard != nil {
		if err := h.Guard.Check(h.Schema, doc, req.Variables); err != nil {
			rw.refuse(err)
			return nil
		}
	}
	if fresh {
		if vr := validate(h.Schema, doc); !vr.IsValid {
			rw.requestErrors(CodeValidationFailed, h.suggestions(vr.Errors))
			return nil
		}
		h.cache.put(req.Query, doc)
	}
	return doc
}

// execute runs the document inside the Prepare hook, releasing before the
// response is encoded so a transaction is not held open during the write.
func (h *Handler) execute(ctx context.Context, doc *ast.Document, req *Request) *graphql.Result {
	if h.Prepare != nil {
		var release func()
		ctx, release = h.Prepare(ctx)
		if release != nil {
			defer release()
		}
	}
	return graphql.Execute(graphql.ExecuteParams{
		Schema:        *h.Schema,
		AST:           doc,
		OperationName: req.OperationName,
		Args:          stringPointers(doc, req.OperationName, req.Variables),
		Context:       context.WithoutCancel(ctx),
	})
}

func (h *Handler) maxBody() int64 {
	if h.MaxBody > 0 {
		return h.MaxBody
	}
	return defaultMaxBody
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
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

// validate runs graphql-go's validation, turning a panic (a document shape
// its rules do not expect) into a validation error rather than a dropped
// connection.
func validate(s *graphql.Schema, doc *ast.Document) (vr graphql.ValidationResult) {
	defer func() {
		if r := recover(); r != nil {
			vr = graphql.ValidationResult{Errors: gqlerrors.FormatErrors(fmt.Errorf("the document cannot be validated: %v", r))}
		}
	}()
	return graphql.ValidateDocument(s, doc, nil)
}
