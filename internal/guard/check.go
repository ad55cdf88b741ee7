package guard

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/talkgraph/talkgraph/schema"
)

// Check bounds the parsed document against schema before validation runs
// (graphql-go's validation is itself quadratic in the worst case). Every
// operation of the document is checked. vars supplies "first" arguments
// given as variables (a variable left out counts its default). It returns a
// *LimitError naming the first limit passed.
func (l Limits) Check(ctx context.Context, s *graphql.Schema, doc *ast.Document, vars map[string]any) error {
	_, err := l.check(ctx, s, doc, vars, nil)
	return err
}

// Check is Limits.Check, with the cost estimated again from the sizes the
// store knows when the page sizes asked for pass MaxCost.
func (g Guard) Check(ctx context.Context, s *graphql.Schema, doc *ast.Document, vars map[string]any) error {
	_, err := g.CheckOnce(ctx, s, doc, vars)
	return err
}

// CheckOnce is Check, and says whether its verdict holds for every request
// of doc, whatever its variables: the check read no variable (no "first"
// given as one) and the store's sizes were not asked. The executor then
// checks that document once. It returns the errors Check returns.
func (g Guard) CheckOnce(ctx context.Context, s *graphql.Schema, doc *ast.Document, vars map[string]any) (always bool, err error) {
	always, err = g.Limits.check(ctx, s, doc, vars, nil)
	var le *LimitError
	if g.Sizes != nil && errors.As(err, &le) && le.Limit == "cost" {
		_, err = g.Limits.check(ctx, s, doc, vars, g.Sizes)
		return false, err
	}
	return always, err
}

// CheckOnce is Guard.CheckOnce without the store's sizes.
func (l Limits) CheckOnce(ctx context.Context, s *graphql.Schema, doc *ast.Document, vars map[string]any) (always bool, err error) {
	return l.check(ctx, s, doc, vars, nil)
}

// check walks doc; always reports a verdict that read no variable.
func (l Limits) check(ctx context.Context, s *graphql.Schema, doc *ast.Document, vars map[string]any, sizes Sizes) (always bool, err error) {
	w := &walker{l: l.withDefaults(), schema: s, frags: map[string]*ast.FragmentDefinition{}, vars: vars,
		active: map[string]bool{}, ctx: ctx, sizes: sizes}
	err = w.document(doc)
	return !w.readVars, err
}

func (w *walker) document(doc *ast.Document) error {
	for _, def := range doc.Definitions {
		if f, ok := def.(*ast.FragmentDefinition); ok && f.Name != nil {
			w.frags[f.Name.Value] = f
		}
	}
	if err := w.fragments(); err != nil {
		return err
	}
	for _, def := range doc.Definitions {
		op, ok := def.(*ast.OperationDefinition)
		if !ok {
			continue
		}
		if err := w.directives(op.Directives); err != nil {
			return err
		}
		w.defaults = defaults(op)
		cost, err := w.set(op.SelectionSet, rootType(w.schema, op.Operation), 0, false, map[string]int{})
		if err != nil {
			return err
		}
		ReportCost(w.ctx, cost)
	}
	return nil
}

type costKey struct{}

// WithCostReport returns a context under which Check stores in *cost the
// cost it estimated for the document that passed (the largest of its
// operations'): a server may tell heavy requests from light ones by it
// before they run.
func WithCostReport(ctx context.Context) (context.Context, *int) {
	cost := new(int)
	return context.WithValue(ctx, costKey{}, cost), cost
}

// ReportCost stores cost under a context of WithCostReport, as Check
// does (the largest reported wins); elsewhere it does nothing. A caller
// that skips Check for a document checked before (CheckOnce) reports the
// cost Check found then, so the admission still sees it.
func ReportCost(ctx context.Context, cost int) {
	if report, ok := ctx.Value(costKey{}).(*int); ok {
		*report = max(*report, cost)
	}
}

// ReportedCost returns the cost Check stored under a context of
// WithCostReport, and whether there is such a report.
func ReportedCost(ctx context.Context) (int, bool) {
	cost, ok := ctx.Value(costKey{}).(*int)
	if !ok {
		return 0, false
	}
	return *cost, true
}

// defaults are the default values of op's variables, by name.
func defaults(op *ast.OperationDefinition) map[string]ast.Value {
	var out map[string]ast.Value
	for _, v := range op.VariableDefinitions {
		if v.DefaultValue != nil && v.Variable != nil && v.Variable.Name != nil {
			if out == nil {
				out = map[string]ast.Value{}
			}
			out[v.Variable.Name.Value] = v.DefaultValue
		}
	}
	return out
}

func rootType(s *graphql.Schema, op string) graphql.Type {
	switch op {
	case ast.OperationTypeMutation:
		if m := s.MutationType(); m != nil {
			return m
		}
		return nil
	case ast.OperationTypeSubscription:
		return nil
	}
	return s.QueryType()
}

type walker struct {
	l        Limits
	schema   *graphql.Schema
	frags    map[string]*ast.FragmentDefinition
	vars     map[string]any
	defaults map[string]ast.Value // of the operation's variables
	active   map[string]bool      // fragments being expanded: a cycle is cut
	ctx      context.Context
	sizes    Sizes // nil: lists count as many as their first
	readVars bool  // a variable's value was read

	fields, aliases, directiveCount int
}

// set returns the cost of a selection set under parent at the given depth;
// keys counts the response keys of the selection set it belongs to.
func (w *walker) set(ss *ast.SelectionSet, parent graphql.Type, depth int, intro bool, keys map[string]int) (int, error) {
	if ss == nil {
		return 0, nil
	}
	cost := 0
	for _, sel := range ss.Selections {
		c, err := w.selection(sel, parent, depth, intro, keys)
		if err != nil {
			return 0, err
		}
		if cost = sat(cost + c); cost > w.l.MaxCost {
			return 0, &LimitError{Limit: "cost", Max: w.l.MaxCost, Got: cost}
		}
	}
	return cost, nil
}

func (w *walker) selection(sel ast.Selection, parent graphql.Type, depth int, intro bool, keys map[string]int) (int, error) {
	if err := w.count(); err != nil {
		return 0, err
	}
	switch s := sel.(type) {
	case *ast.Field:
		return w.field(s, parent, depth, intro, keys)
	case *ast.InlineFragment:
		if err := w.directives(s.Directives); err != nil {
			return 0, err
		}
		if s.TypeCondition != nil && s.TypeCondition.Name != nil {
			parent = w.schema.Type(s.TypeCondition.Name.Value)
		}
		return w.set(s.SelectionSet, parent, depth, intro, keys)
	case *ast.FragmentSpread:
		if err := w.directives(s.Directives); err != nil {
			return 0, err
		}
		f := w.frags[s.Name.Value]
		if f == nil || w.active[s.Name.Value] {
			return 0, nil // validation reports unknown and cyclic fragments
		}
		w.active[s.Name.Value] = true
		defer delete(w.active, s.Name.Value)
		if f.TypeCondition != nil && f.TypeCondition.Name != nil {
			parent = w.schema.Type(f.TypeCondition.Name.Value)
		}
		return w.set(f.SelectionSet, parent, depth, intro, keys)
	}
	return 0, nil
}

// count charges one selection (a field or a fragment expansion) against
// MaxFields, which also bounds the walk itself.
func (w *walker) count() error {
	if w.fields++; w.fields > w.l.MaxFields {
		return &LimitError{Limit: "fields", Max: w.l.MaxFields, Got: w.fields}
	}
	return nil
}

func (w *walker) field(f *ast.Field, parent graphql.Type, depth int, intro bool, keys map[string]int) (int, error) {
	name := f.Name.Value
	key := name
	if f.Alias != nil {
		key = f.Alias.Value
		if w.aliases++; w.aliases > w.l.MaxAliases {
			return 0, &LimitError{Limit: "aliases", Max: w.l.MaxAliases, Got: w.aliases}
		}
	}
	if keys[key]++; keys[key] > w.l.MaxRepeatedKey {
		return 0, &LimitError{Limit: "repeated response key", Max: w.l.MaxRepeatedKey, Got: keys[key]}
	}
	if err := w.directives(f.Directives); err != nil {
		return 0, err
	}
	intro = intro || strings.HasPrefix(name, "__schema") || name == "__type"
	depth++
	if intro && depth > w.l.MaxIntrospectionDepth {
		return 0, &LimitError{Limit: "introspection depth", Max: w.l.MaxIntrospectionDepth, Got: depth}
	}
	if !intro && depth > w.l.MaxDepth {
		return 0, &LimitError{Limit: "depth", Max: w.l.MaxDepth, Got: depth}
	}
	def := fieldDef(parent, name)
	var child graphql.Type
	mult := 1
	if def != nil {
		child = graphql.GetNamed(def.Type).(graphql.Type)
		var err error
		if mult, err = w.multiplier(f, def); err != nil {
			return 0, err
		}
		if mult > 1 && w.sizes != nil && parent != nil {
			if n, ok := w.sizes.ListBound(w.ctx, parent.Name(), name); ok {
				mult = max(1, min(mult, n))
			}
		}
	}
	sub, err := w.set(f.SelectionSet, child, depth, intro, map[string]int{})
	if err != nil {
		return 0, err
	}
	return mulSat(mult, sat(1+sub)), nil
}

// multiplier is how many items a field's value counts for: 1 for a single
// value, its "first" for a paginated list, a default for other lists.
func (w *walker) multiplier(f *ast.Field, def *graphql.FieldDefinition) (int, error) {
	t := def.Type
	if nn, ok := t.(*graphql.NonNull); ok {
		t = nn.OfType
	}
	if _, ok := t.(*graphql.List); !ok {
		return 1, nil
	}
	for _, a := range f.Arguments {
		if a.Name != nil && a.Name.Value == "first" {
			if n, sent, ok := w.intValue(a.Value); ok {
				if n > w.l.MaxFirst {
					return 0, &LimitError{Limit: "first", Max: w.l.MaxFirst, Got: n, Sent: sent}
				}
				return max(n, 1), nil
			}
		}
	}
	for _, a := range def.Args {
		if a.Name() == "first" {
			return w.l.PaginatedDefault, nil
		}
	}
	return w.l.DefaultListSize, nil
}

// intValue returns a literal or variable's value, at most 1<<30, and the
// value as the request wrote it.
func (w *walker) intValue(v ast.Value) (int, string, bool) {
	switch v := v.(type) {
	case *ast.IntValue:
		n := 0
		for _, c := range v.Value {
			if c < '0' || c > '9' {
				return 0, "", false
			}
			if n = n*10 + int(c-'0'); n > 1<<30 {
				return 1 << 30, clipDigits(v.Value), true
			}
		}
		return n, v.Value, true
	case *ast.Variable:
		w.readVars = true
		x, given := w.vars[v.Name.Value]
		if !given {
			if d, ok := w.defaults[v.Name.Value]; ok {
				return w.intValue(d)
			}
		}
		switch x := x.(type) {
		case float64:
			return int(min(x, 1<<30)), clipDigits(strconv.FormatFloat(x, 'g', -1, 64)), true
		case int:
			return min(x, 1<<30), strconv.Itoa(x), true
		}
	}
	return 0, "", false
}

// clipDigits keeps a number sent in a message short.
func clipDigits(s string) string {
	if len(s) > 40 {
		return s[:20] + "…(" + strconv.Itoa(len(s)) + " digits)"
	}
	return s
}

func (w *walker) directives(ds []*ast.Directive) error {
	if w.directiveCount += len(ds); w.directiveCount > w.l.MaxDirectives {
		return &LimitError{Limit: "directives", Max: w.l.MaxDirectives, Got: w.directiveCount}
	}
	return nil
}

func fieldDef(t graphql.Type, name string) *graphql.FieldDefinition {
	switch t := t.(type) {
	case *graphql.Object:
		return t.Fields()[name]
	case *graphql.Interface:
		return t.Fields()[name]
	}
	return nil
}

// mulSat multiplies without overflowing.
func mulSat(a, b int) int {
	if a > 0 && b > (1<<40)/a {
		return 1 << 40
	}
	return sat(a * b)
}

// sat keeps sums and products from overflowing.
func sat(n int) int {
	if n < 0 || n > 1<<40 {
		return 1 << 40
	}
	return n
}

// CycleError refuses a fragment that spreads itself: graphql-go's validation
// would recurse on it until the stack overflows, killing the process.
type CycleError struct{ Path []string }

func (e *CycleError) Error() string {
	return fmt.Sprintf("fragment %s spreads itself (%s): remove the cycle", e.Path[0], strings.Join(e.Path, " → "))
}

// Extensions implements gqlerrors.ExtendedError.
func (e *CycleError) Extensions() map[string]any {
	return map[string]any{"code": schema.CodeValidationFailed}
}

// fragments checks every fragment definition, used or not (validation
// visits them all): no cycles, and no fragment that expands to more than
// MaxFields selections (a chain of fragments each spreading the next twice
// grows exponentially, and so does validation time).
func (w *walker) fragments() error {
	state := map[string]int{} // 1: being expanded, 2: done
	size := map[string]int{}
	var visit func(name string, path []string) (int, error)
	visit = func(name string, path []string) (int, error) {
		f := w.frags[name]
		switch {
		case f == nil:
			return 0, nil
		case state[name] == 1:
			return 0, &CycleError{append(path, name)}
		case state[name] == 2:
			return size[name], nil
		}
		state[name] = 1
		n, err := w.expanded(f.SelectionSet, append(path, name), visit)
		if err != nil {
			return 0, err
		}
		if n > w.l.MaxFields {
			return 0, &LimitError{Limit: "fields", Max: w.l.MaxFields, Got: n}
		}
		state[name], size[name] = 2, n
		return n, nil
	}
	for name := range w.frags {
		if _, err := visit(name, nil); err != nil {
			return err
		}
	}
	return nil
}

// expanded counts the selections of ss with its fragments expanded.
func (w *walker) expanded(ss *ast.SelectionSet, path []string, visit func(string, []string) (int, error)) (int, error) {
	if ss == nil {
		return 0, nil
	}
	n := 0
	for _, sel := range ss.Selections {
		var c int
		var err error
		switch s := sel.(type) {
		case *ast.Field:
			c, err = w.expanded(s.SelectionSet, path, visit)
			c++
		case *ast.InlineFragment:
			c, err = w.expanded(s.SelectionSet, path, visit)
		case *ast.FragmentSpread:
			c, err = visit(s.Name.Value, path)
		}
		if err != nil {
			return 0, err
		}
		if n = sat(n + c); n > w.l.MaxFields {
			return n, nil
		}
	}
	return n, nil
}
