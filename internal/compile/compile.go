// Package compile turns a validated GraphQL query into a plan, once, and
// runs the plan for each request: for every field, the resolver of the
// graphql-go schema that reads the store, and a writer that appends its
// value as JSON, in the order the query asks. A request then costs what
// its resolvers read, without graphql-go's goroutine, maps, ResolveInfo
// per field, reordering pass and encoding.
//
// graphql-go stays the reference: parsing, validation and introspection
// are its own, the plans call the resolvers it calls (one source of truth
// for what each field returns) with the arguments it would build, and
// complete their values as its executor does (null propagation, error
// messages, paths and locations). What the compiler does not handle is
// reported (Unsupported, or a fallback reason from Run) so the caller runs
// the request through graphql-go instead: introspection (__schema,
// __type), mutations and subscriptions, variables graphql-go would refuse
// (it says why), and resolver results it cannot complete (a thunk).
//
// Fields of one selection set run in the order of the query, depth first.
// graphql-go runs them in map order; where the order shows — a non-null
// field failing stops its siblings, a request out of work stops where it
// is — the compiled answer is the one graphql-go gives when its map order
// is the query's.
package compile

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
)

// Unsupported is why an operation is left to graphql-go.
type Unsupported struct {
	// Reason is a short label for logs and metrics ("introspection",
	// "mutation").
	Reason string
}

func (u *Unsupported) Error() string { return "not compiled: " + u.Reason }

// Operation is one operation of a validated document, compiled. It is
// safe for concurrent use; plans are built on first use, once for each
// combination of the variables @skip and @include read.
type Operation struct {
	schema   *graphql.Schema
	def      *ast.OperationDefinition
	frags    map[string]*ast.FragmentDefinition
	fragDefs map[string]ast.Definition // for ResolveInfo.Fragments
	vars     []variable
	dirVars  []string // variables read by @skip/@include, sorted

	single   atomic.Pointer[variant] // the plan when no directive reads a variable
	mu       sync.Mutex
	variants map[uint64]*variant
}

// maxVariants bounds the plans kept for one operation (one per
// combination of its directive variables); beyond, plans are built per
// request.
const maxVariants = 32

// Compile prepares op, an operation of doc, which must have passed
// graphql-go's validation against s. It returns an *Unsupported error
// for an operation graphql-go must run.
func Compile(s *graphql.Schema, doc *ast.Document, op *ast.OperationDefinition) (*Operation, error) {
	switch op.Operation {
	case ast.OperationTypeQuery:
	case "":
		return nil, &Unsupported{Reason: "no operation type"}
	default:
		return nil, &Unsupported{Reason: op.Operation}
	}
	o := &Operation{schema: s, def: op, frags: map[string]*ast.FragmentDefinition{}, fragDefs: map[string]ast.Definition{}}
	for _, d := range doc.Definitions {
		if f, ok := d.(*ast.FragmentDefinition); ok && f.Name != nil {
			o.frags[f.Name.Value] = f
			o.fragDefs[f.Name.Value] = f
		}
	}
	if o.introspects(op.SelectionSet, map[string]bool{}) {
		return nil, &Unsupported{Reason: "introspection"}
	}
	for _, v := range op.VariableDefinitions {
		if v == nil || v.Variable == nil || v.Variable.Name == nil {
			continue
		}
		t, ok := inputType(s, v.Type)
		if !ok {
			return nil, &Unsupported{Reason: "variable type"}
		}
		o.vars = append(o.vars, variable{name: v.Variable.Name.Value, def: v, typ: t})
	}
	o.dirVars = directiveVariables(doc)
	if len(o.dirVars) > 32 {
		return nil, &Unsupported{Reason: "directive variables"}
	}
	return o, nil
}

// introspects reports whether the root selection asks for __schema or
// __type, directives aside: those stay graphql-go's.
func (o *Operation) introspects(ss *ast.SelectionSet, seen map[string]bool) bool {
	if ss == nil {
		return false
	}
	for _, sel := range ss.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Name != nil && (sel.Name.Value == "__schema" || sel.Name.Value == "__type") {
				return true
			}
		case *ast.InlineFragment:
			if o.introspects(sel.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if sel.Name == nil || seen[sel.Name.Value] {
				continue
			}
			seen[sel.Name.Value] = true
			if f := o.frags[sel.Name.Value]; f != nil && o.introspects(f.SelectionSet, seen) {
				return true
			}
		}
	}
	return false
}

// inputType is graphql-go's typeFromAST for a variable's type, which must
// be an input type.
func inputType(s *graphql.Schema, t ast.Type) (graphql.Input, bool) {
	var out graphql.Type
	switch t := t.(type) {
	case *ast.Named:
		if t == nil || t.Name == nil {
			return nil, false
		}
		out = s.Type(t.Name.Value)
	case *ast.List:
		of, ok := inputType(s, t.Type)
		if !ok {
			return nil, false
		}
		out = graphql.NewList(of)
	case *ast.NonNull:
		of, ok := inputType(s, t.Type)
		if !ok {
			return nil, false
		}
		out = graphql.NewNonNull(of)
	}
	if out == nil || !graphql.IsInputType(out) {
		return nil, false
	}
	in, ok := out.(graphql.Input)
	return in, ok
}

// directiveVariables lists the variables any directive of doc reads.
func directiveVariables(doc *ast.Document) []string {
	set := map[string]bool{}
	var sel func(ss *ast.SelectionSet)
	dirs := func(ds []*ast.Directive) {
		for _, d := range ds {
			if d == nil {
				continue
			}
			for _, a := range d.Arguments {
				if a != nil {
					variablesIn(a.Value, set)
				}
			}
		}
	}
	sel = func(ss *ast.SelectionSet) {
		if ss == nil {
			return
		}
		for _, s := range ss.Selections {
			switch s := s.(type) {
			case *ast.Field:
				dirs(s.Directives)
				sel(s.SelectionSet)
			case *ast.InlineFragment:
				dirs(s.Directives)
				sel(s.SelectionSet)
			case *ast.FragmentSpread:
				dirs(s.Directives)
			}
		}
	}
	for _, d := range doc.Definitions {
		switch d := d.(type) {
		case *ast.OperationDefinition:
			sel(d.SelectionSet)
		case *ast.FragmentDefinition:
			sel(d.SelectionSet)
		}
	}
	out := make([]string, 0, len(set))
	for name := range set {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func variablesIn(v ast.Value, set map[string]bool) {
	switch v := v.(type) {
	case *ast.Variable:
		if v.Name != nil {
			set[v.Name.Value] = true
		}
	case *ast.ListValue:
		for _, item := range v.Values {
			variablesIn(item, set)
		}
	case *ast.ObjectValue:
		for _, f := range v.Fields {
			if f != nil {
				variablesIn(f.Value, set)
			}
		}
	}
}

// variant is the plan of an operation for one combination of the values
// of its directive variables.
type variant struct {
	op   *Operation
	vars map[string]any // the directive variables' values
	root *objectPlan
	// slots counts the fields whose arguments are bound at run time; each
	// request computes their arguments once, whatever the list lengths.
	slots atomic.Int32
}

// plan returns the plan for the coerced variables vars.
func (o *Operation) plan(vars map[string]any) (*variant, error) {
	if len(o.dirVars) == 0 {
		if v := o.single.Load(); v != nil {
			return v, nil
		}
		v, err := o.build(nil)
		if err != nil {
			return nil, err
		}
		o.single.Store(v)
		return v, nil
	}
	var key uint64
	dv := make(map[string]any, len(o.dirVars))
	for i, name := range o.dirVars {
		var bits uint64
		switch b, ok := vars[name].(bool); {
		case ok && b:
			bits = 1
		case ok:
			bits = 2
		}
		key |= bits << (2 * i)
		if val, ok := vars[name]; ok {
			dv[name] = val
		}
	}
	o.mu.Lock()
	v := o.variants[key]
	o.mu.Unlock()
	if v != nil {
		return v, nil
	}
	v, err := o.build(dv)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.variants == nil {
		o.variants = map[uint64]*variant{}
	}
	if old := o.variants[key]; old != nil {
		return old, nil
	}
	if len(o.variants) < maxVariants {
		o.variants[key] = v
	}
	return v, nil
}

func (o *Operation) build(dirVars map[string]any) (*variant, error) {
	v := &variant{op: o, vars: dirVars}
	root := o.schema.QueryType()
	if root == nil {
		return nil, fmt.Errorf("compile: the schema has no query type")
	}
	p, err := v.object([]*ast.SelectionSet{o.def.SelectionSet}, root)
	if err != nil {
		return nil, err
	}
	v.root = p
	return v, nil
}
