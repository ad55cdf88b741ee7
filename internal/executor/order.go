package executor

import (
	"maps"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/kinds"
)

// typeKey is the response key of a __typename the executor adds to every
// selection of an abstract type (an interface or union): graphql-go answers
// with maps, which do not say which object type a value is, and the order of
// a value's fields depends on it (a fragment applies to some types only).
// The writer reads it and never writes it. Clients cannot ask for it: names
// starting with "__" are reserved, and validation ran before it is added.
const typeKey = "__talkgraphType"

// annotate returns a copy of doc, which has passed validation, with the
// typeKey field added to every selection set of an abstract type whose
// order depends on the object's type (it holds a fragment on another
// type). doc itself is left as asked: the guard counts what the client
// asked for.
func annotate(s *graphql.Schema, doc *ast.Document) *ast.Document {
	a := &annotator{schema: s, frags: map[string]*ast.FragmentDefinition{}}
	for _, def := range doc.Definitions {
		if f, ok := def.(*ast.FragmentDefinition); ok && f.Name != nil {
			a.frags[f.Name.Value] = f
		}
	}
	out := *doc
	out.Definitions = make([]ast.Node, len(doc.Definitions))
	for i, def := range doc.Definitions {
		switch d := def.(type) {
		case *ast.OperationDefinition:
			c := *d
			c.SelectionSet = copySet(d.SelectionSet)
			a.set(c.SelectionSet, rootOf(s, c.Operation))
			out.Definitions[i] = &c
		case *ast.FragmentDefinition:
			c := *d
			c.SelectionSet = copySet(d.SelectionSet)
			a.set(c.SelectionSet, conditionType(s, c.TypeCondition, nil))
			out.Definitions[i] = &c
		default:
			out.Definitions[i] = def
		}
	}
	return &out
}

type annotator struct {
	schema *graphql.Schema
	frags  map[string]*ast.FragmentDefinition
}

func (a *annotator) set(ss *ast.SelectionSet, parent graphql.Type) {
	if ss == nil || parent == nil {
		return
	}
	for _, sel := range ss.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.SelectionSet == nil {
				continue
			}
			t := fieldType(parent, sel.Name.Value)
			a.set(sel.SelectionSet, t)
			if isAbstract(t) && a.typed(sel.SelectionSet, t.Name(), map[string]bool{}) {
				sel.SelectionSet.Selections = append(sel.SelectionSet.Selections, &ast.Field{
					Kind:  kinds.Field,
					Alias: &ast.Name{Kind: kinds.Name, Value: typeKey},
					Name:  &ast.Name{Kind: kinds.Name, Value: "__typename"},
				})
			}
		case *ast.InlineFragment:
			a.set(sel.SelectionSet, conditionType(a.schema, sel.TypeCondition, parent))
		}
	}
}

// typed reports whether ss, under the type named parent, holds a fragment
// on another type: then which fields an object has, and their order,
// depend on its type.
func (a *annotator) typed(ss *ast.SelectionSet, parent string, seen map[string]bool) bool {
	for _, sel := range ss.Selections {
		var cond *ast.Named
		var sub *ast.SelectionSet
		switch sel := sel.(type) {
		case *ast.InlineFragment:
			cond, sub = sel.TypeCondition, sel.SelectionSet
		case *ast.FragmentSpread:
			f := a.frags[sel.Name.Value]
			if f == nil || seen[sel.Name.Value] {
				continue
			}
			seen[sel.Name.Value] = true
			cond, sub = f.TypeCondition, f.SelectionSet
		default:
			continue
		}
		if cond != nil && cond.Name != nil && cond.Name.Value != parent || sub != nil && a.typed(sub, parent, seen) {
			return true
		}
	}
	return false
}

// copySet copies the selection sets and fields of ss, which annotate
// changes; arguments, directives and spreads are shared.
func copySet(ss *ast.SelectionSet) *ast.SelectionSet {
	if ss == nil {
		return nil
	}
	out := *ss
	out.Selections = make([]ast.Selection, len(ss.Selections))
	for i, sel := range ss.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			c := *sel
			c.SelectionSet = copySet(sel.SelectionSet)
			out.Selections[i] = &c
		case *ast.InlineFragment:
			c := *sel
			c.SelectionSet = copySet(sel.SelectionSet)
			out.Selections[i] = &c
		default:
			out.Selections[i] = sel
		}
	}
	return &out
}

func rootOf(s *graphql.Schema, op string) graphql.Type {
	switch op {
	case ast.OperationTypeMutation:
		if m := s.MutationType(); m != nil {
			return m
		}
		return nil
	case ast.OperationTypeSubscription:
		if t := s.SubscriptionType(); t != nil {
			return t
		}
		return nil
	}
	return s.QueryType()
}

func conditionType(s *graphql.Schema, cond *ast.Named, parent graphql.Type) graphql.Type {
	if cond == nil || cond.Name == nil {
		return parent
	}
	return s.Type(cond.Name.Value)
}

// fieldType is the named type of parent's field name, or nil.
func fieldType(parent graphql.Type, name string) graphql.Type {
	var def *graphql.FieldDefinition
	switch p := parent.(type) {
	case *graphql.Object:
		def = p.Fields()[name]
	case *graphql.Interface:
		def = p.Fields()[name]
	}
	if def == nil {
		return nil
	}
	return graphql.GetNamed(def.Type).(graphql.Type)
}

func isAbstract(t graphql.Type) bool {
	switch t.(type) {
	case *graphql.Interface, *graphql.Union:
		return true
	}
	return false
}

// group is the selection sets that make one response key's value (fields
// of one key merge, as in the spec's CollectFields), and for each object
// type met there, the ordered keys they collect to: built once per request
// and shared by every item of a list.
type group struct {
	sets  []*ast.SelectionSet
	plans map[string][]entry
}

// entry is one response key of an object's value and the group of its
// sub-selections.
type entry struct {
	key   string
	field string // the field's name in the schema
	child *group
}

// order collects the fields of an object value as the spec's
// CollectFields does: in the order asked, fragments (inline and named)
// expanded where their type condition holds for the object's type,
// @skip and @include obeyed, fields of one response key merged.
type order struct {
	schema *graphql.Schema
	frags  map[string]*ast.FragmentDefinition
	vars   map[string]any
}

func newOrder(s *graphql.Schema, op *Operation) *order {
	o := &order{schema: s, vars: op.vars}
	for _, v := range op.Def.VariableDefinitions {
		// a Boolean variable left out takes its default, for @skip/@include
		b, ok := v.DefaultValue.(*ast.BooleanValue)
		if _, given := op.vars[v.Variable.Name.Value]; ok && !given {
			o.vars = maps.Clone(o.vars)
			if o.vars == nil {
				o.vars = map[string]any{}
			}
			o.vars[v.Variable.Name.Value] = b.Value
		}
	}
	for _, def := range op.doc.Definitions {
		if f, ok := def.(*ast.FragmentDefinition); ok && f.Name != nil {
			if o.frags == nil {
				o.frags = map[string]*ast.FragmentDefinition{}
			}
			o.frags[f.Name.Value] = f
		}
	}
	return o
}

// plan returns the ordered entries of g for an object of type typ.
func (o *order) plan(g *group, typ string) []entry {
	if p, ok := g.plans[typ]; ok {
		return p
	}
	var p []entry
	index := map[string]int{}
	visited := map[string]bool{}
	for _, ss := range g.sets {
		p = o.collect(ss, typ, p, index, visited)
	}
	if g.plans == nil {
		g.plans = map[string][]entry{}
	}
	g.plans[typ] = p
	return p
}

func (o *order) collect(ss *ast.SelectionSet, typ string, p []entry, index map[string]int, visited map[string]bool) []entry {
	if ss == nil {
		return p
	}
	for _, sel := range ss.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			if !o.included(sel.Directives) {
				continue
			}
			key := sel.Name.Value
			if sel.Alias != nil {
				key = sel.Alias.Value
			}
			i, ok := index[key]
			if !ok {
				i = len(p)
				index[key] = i
				p = append(p, entry{key: key, field: sel.Name.Value, child: &group{}})
			}
			if sel.SelectionSet != nil {
				p[i].child.sets = append(p[i].child.sets, sel.SelectionSet)
			}
		case *ast.InlineFragment:
			if o.included(sel.Directives) && o.applies(sel.TypeCondition, typ) {
				p = o.collect(sel.SelectionSet, typ, p, index, visited)
			}
		case *ast.FragmentSpread:
			name := sel.Name.Value
			f := o.frags[name]
			if visited[name] || f == nil || !o.included(sel.Directives) || !o.applies(f.TypeCondition, typ) {
				continue
			}
			visited[name] = true
			p = o.collect(f.SelectionSet, typ, p, index, visited)
		}
	}
	return p
}

// applies is the spec's DoesFragmentTypeApply.
func (o *order) applies(cond *ast.Named, typ string) bool {
	if cond == nil || cond.Name == nil || cond.Name.Value == typ {
		return true
	}
	obj, ok := o.schema.Type(typ).(*graphql.Object)
	if !ok {
		return false
	}
	switch t := o.schema.Type(cond.Name.Value).(type) {
	case *graphql.Interface:
		return o.schema.IsPossibleType(t, obj)
	case *graphql.Union:
		return o.schema.IsPossibleType(t, obj)
	}
	return false
}

// included evaluates @skip(if:) and @include(if:).
func (o *order) included(ds []*ast.Directive) bool {
	for _, d := range ds {
		if d.Name == nil || len(d.Arguments) == 0 {
			continue
		}
		v := o.boolArg(d.Arguments[0].Value)
		switch d.Name.Value {
		case "skip":
			if v {
				return false
			}
		case "include":
			if !v {
				return false
			}
		}
	}
	return true
}

func (o *order) boolArg(v ast.Value) bool {
	switch v := v.(type) {
	case *ast.BooleanValue:
		return v.Value
	case *ast.Variable:
		b, _ := o.vars[v.Name.Value].(bool)
		return b
	}
	return false
}
