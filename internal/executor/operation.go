package executor

import (
	"fmt"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/talkgraph/talkgraph/schema"
)

// selectOperation finds the operation to run, as GetOperation in the GraphQL
// spec does, once. graphql-go would do this inside Execute too, but its
// failures come back looking like any other execution error, and a transport
// needs the operation beforehand anyway (HTTP refuses mutations over GET). On failure op is nil and
// code and msg describe the request error.
func selectOperation(s *graphql.Schema, doc *ast.Document, name string) (op *ast.OperationDefinition, code, msg string) {
	var ops []*ast.OperationDefinition
	for _, def := range doc.Definitions {
		switch d := def.(type) {
		case *ast.OperationDefinition:
			ops = append(ops, d)
		case *ast.FragmentDefinition:
			// fragments are executable; graphql-go resolves spreads itself.
		default:
			// graphql-go's validation has no ExecutableDefinitions rule, so
			// type definitions get this far.
			return nil, schema.CodeValidationFailed, fmt.Sprintf(
				"the document contains a %s definition: send only operations and fragments", d.GetKind())
		}
	}
	op, msg = pick(ops, name)
	if op == nil {
		return nil, schema.CodeBadRequest, msg
	}
	if msg := checkRootType(s, op.Operation); msg != "" {
		return nil, schema.CodeValidationFailed, msg
	}
	return op, "", ""
}

// pick chooses among the document's operations by name.
func pick(ops []*ast.OperationDefinition, name string) (*ast.OperationDefinition, string) {
	if name == "" {
		switch len(ops) {
		case 0:
			return nil, "the document contains no operation: send a query or mutation"
		case 1:
			return ops[0], ""
		default:
			return nil, `the document contains several operations: set "operationName" to the one to run`
		}
	}
	for _, op := range ops {
		if op.Name != nil && op.Name.Value == name {
			return op, ""
		}
	}
	return nil, fmt.Sprintf(`no operation named %q in the document: set "operationName" to one it defines`, name)
}

// checkRootType refuses operation types the schema has no root for, and
// subscriptions: graphql-go's validation lets "mutation" through on a schema
// without a Mutation type, and Execute would run a subscription's Resolve
// functions once as if it were a query, which is not a subscription.
func checkRootType(schema *graphql.Schema, opType string) string {
	switch opType {
	case ast.OperationTypeMutation:
		if mt := schema.MutationType(); mt == nil || mt.PrivateName == "" {
			return "the schema has no mutations: send a query"
		}
	case ast.OperationTypeSubscription:
		return "subscriptions are not supported: send a query or mutation"
	}
	return ""
}

// isVariableError reports whether graphql.Execute stopped while coercing
// variables. graphql-go returns those as an ordinary Result with nil Data
// and one error, indistinguishable by type from a non-null root field
// failing during execution (also nil Data). The tell is the error's AST
// node: variable coercion errors point at the *ast.VariableDefinition.
func isVariableError(res *graphql.Result) bool {
	if res.Data != nil || len(res.Errors) == 0 {
		return false
	}
	for _, fe := range res.Errors {
		located, ok := fe.OriginalError().(*gqlerrors.Error)
		if !ok {
			return false
		}
		if !pointsAtVariable(located.Nodes) {
			return false
		}
	}
	return true
}

func pointsAtVariable(nodes []ast.Node) bool {
	for _, n := range nodes {
		if _, ok := n.(*ast.VariableDefinition); ok {
			return true
		}
	}
	return false
}
