package compile

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
)

// objectPlan is a selection collected for one object type: its fields in
// the order of the response.
type objectPlan struct {
	typ    *graphql.Object
	fields []*fieldPlan
}

// fieldPlan is one response key of an object: the field's resolver, its
// arguments and how to complete and write its value.
type fieldPlan struct {
	key    string
	prefix []byte // the key as JSON and a colon
	parent *graphql.Object
	name   string
	nodes  []ast.Node // the field's ASTs, where its errors are located
	// typename is the JSON of the parent type's name, for __typename.
	typename []byte
	def      *graphql.FieldDefinition
	resolve  graphql.FieldResolveFn
	info     graphql.ResolveInfo
	// args are the arguments when the query gives them without variables;
	// else slot >= 0 and they are computed once per request.
	args    map[string]any
	slot    int
	argASTs []*ast.Argument
	out     *valuePlan
}

type valueKind uint8

const (
	kindNonNull valueKind = iota
	kindList
	kindScalar
	kindEnum
	kindObject
	kindAbstract
)

// valuePlan completes a value of one type, as graphql-go's completeValue.
type valuePlan struct {
	kind     valueKind
	of       *valuePlan // the type a non-null or list type wraps
	scalar   *graphql.Scalar
	enum     map[any][]byte // value -> its name, as JSON
	object   *objectPlan
	abstract *abstractPlan
}

// abstractPlan completes values of an interface or union: the object
// plan of each concrete type is built the first time a value of that type
// comes, so a deep selection of interfaces costs what its answers hold.
type abstractPlan struct {
	typ      graphql.Abstract
	possible []*graphql.Object
	sets     []*ast.SelectionSet
	v        *variant
	mu       sync.Mutex
	plans    atomic.Pointer[[]typedPlan]
}

type typedPlan struct {
	typ  *graphql.Object
	plan *objectPlan
}

// object collects the selection sets sets for the object type t, as
// graphql-go's collectFields (one set of visited fragments for all of
// them), and plans each response key.
func (v *variant) object(sets []*ast.SelectionSet, t *graphql.Object) (*objectPlan, error) {
	c := collector{v: v, t: t, byKey: map[string][]*ast.Field{}, visited: map[string]bool{}}
	for _, ss := range sets {
		c.collect(ss)
	}
	p := &objectPlan{typ: t}
	for _, key := range c.keys {
		f, err := v.field(t, key, c.byKey[key])
		if err != nil {
			return nil, err
		}
		if f != nil {
			p.fields = append(p.fields, f)
		}
	}
	return p, nil
}

type collector struct {
	v       *variant
	t       *graphql.Object
	keys    []string
	byKey   map[string][]*ast.Field
	visited map[string]bool
}

func (c *collector) collect(ss *ast.SelectionSet) {
	if ss == nil {
		return
	}
	for _, sel := range ss.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			if !included(sel.Directives, c.v.vars) {
				continue
			}
			key := responseKey(sel)
			if _, ok := c.byKey[key]; !ok {
				c.keys = append(c.keys, key)
			}
			c.byKey[key] = append(c.byKey[key], sel)
		case *ast.InlineFragment:
			if included(sel.Directives, c.v.vars) && c.applies(sel.TypeCondition) {
				c.collect(sel.SelectionSet)
			}
		case *ast.FragmentSpread:
			name := ""
			if sel.Name != nil {
				name = sel.Name.Value
			}
			if c.visited[name] || !included(sel.Directives, c.v.vars) {
				continue
			}
			c.visited[name] = true
			f := c.v.op.frags[name]
			if f == nil || !c.applies(f.TypeCondition) {
				continue
			}
			c.collect(f.SelectionSet)
		}
	}
}

// applies is graphql-go's doesFragmentConditionMatch.
func (c *collector) applies(cond *ast.Named) bool {
	if cond == nil {
		return true
	}
	name := ""
	if cond.Name != nil {
		name = cond.Name.Value
	}
	switch t := c.v.op.schema.Type(name).(type) {
	case *graphql.Object:
		return t == c.t || t.Name() == c.t.Name()
	case *graphql.Interface:
		return possible(c.v.op.schema, t, c.t)
	case *graphql.Union:
		return possible(c.v.op.schema, t, c.t)
	}
	return false
}

// possible is graphql-go's Schema.IsPossibleType, which writes a cache
// without a lock: read-only here.
func possible(s *graphql.Schema, a graphql.Abstract, t *graphql.Object) bool {
	for _, p := range s.PossibleTypes(a) {
		if p.Name() == t.Name() {
			return true
		}
	}
	return false
}

func responseKey(f *ast.Field) string {
	if f.Alias != nil && f.Alias.Value != "" {
		return f.Alias.Value
	}
	if f.Name != nil {
		return f.Name.Value
	}
	return ""
}

// field plans the response key key of an object of type t, from its
// ASTs; nil when t has no such field (graphql-go leaves the key out).
func (v *variant) field(t *graphql.Object, key string, asts []*ast.Field) (*fieldPlan, error) {
	first := asts[0]
	name := ""
	if first.Name != nil {
		name = first.Name.Value
	}
	f := &fieldPlan{key: key, parent: t, name: name, slot: -1}
	f.prefix = append(AppendString(nil, key), ':')
	f.nodes = make([]ast.Node, len(asts))
	for i, a := range asts {
		f.nodes[i] = a
	}
	def := fieldDef(v.op.schema, t, name)
	if def == nil {
		return nil, nil
	}
	if def == graphql.TypeNameMetaFieldDef {
		f.typename = AppendString(nil, t.Name())
		return f, nil
	}
	if def == graphql.SchemaMetaFieldDef || def == graphql.TypeMetaFieldDef {
		return nil, &Unsupported{Reason: "introspection"}
	}
	f.def = def
	f.resolve = def.Resolve
	if f.resolve == nil {
		f.resolve = graphql.DefaultResolveFn
	}
	f.info = graphql.ResolveInfo{FieldName: name, FieldASTs: asts, ReturnType: def.Type, ParentType: t,
		Schema: *v.op.schema, Fragments: v.op.fragDefs, Operation: v.op.def}
	f.argASTs = first.Arguments
	dynamic := false
	for _, a := range first.Arguments {
		if a != nil && hasVariable(a.Value) {
			dynamic = true
		}
	}
	if dynamic {
		f.slot = int(v.slots.Add(1) - 1)
	} else {
		f.args = argumentValues(def.Args, first.Arguments, nil)
	}
	var sets []*ast.SelectionSet
	for _, a := range asts {
		if a != nil && a.SelectionSet != nil {
			sets = append(sets, a.SelectionSet)
		}
	}
	out, err := v.value(def.Type, sets)
	if err != nil {
		return nil, err
	}
	f.out = out
	return f, nil
}

// fieldDef is graphql-go's getFieldDef.
func fieldDef(s *graphql.Schema, t *graphql.Object, name string) *graphql.FieldDefinition {
	if t == nil {
		return nil
	}
	switch {
	case name == graphql.SchemaMetaFieldDef.Name && s.QueryType() == t:
		return graphql.SchemaMetaFieldDef
	case name == graphql.TypeMetaFieldDef.Name && s.QueryType() == t:
		return graphql.TypeMetaFieldDef
	case name == graphql.TypeNameMetaFieldDef.Name:
		return graphql.TypeNameMetaFieldDef
	}
	return t.Fields()[name]
}

// value plans the completion of a value of type t whose sub-selections
// are sets.
func (v *variant) value(t graphql.Type, sets []*ast.SelectionSet) (*valuePlan, error) {
	switch t := t.(type) {
	case *graphql.NonNull:
		of, err := v.value(t.OfType, sets)
		return &valuePlan{kind: kindNonNull, of: of}, err
	case *graphql.List:
		of, err := v.value(t.OfType, sets)
		return &valuePlan{kind: kindList, of: of}, err
	case *graphql.Scalar:
		return &valuePlan{kind: kindScalar, scalar: t}, nil
	case *graphql.Enum:
		names := map[any][]byte{}
		for _, ev := range t.Values() {
			names[ev.Value] = AppendString(nil, ev.Name)
		}
		return &valuePlan{kind: kindEnum, enum: names}, nil
	case *graphql.Object:
		p, err := v.object(sets, t)
		return &valuePlan{kind: kindObject, object: p}, err
	case *graphql.Interface:
		return &valuePlan{kind: kindAbstract, abstract: &abstractPlan{typ: t, possible: v.op.schema.PossibleTypes(t), sets: sets, v: v}}, nil
	case *graphql.Union:
		return &valuePlan{kind: kindAbstract, abstract: &abstractPlan{typ: t, possible: v.op.schema.PossibleTypes(t), sets: sets, v: v}}, nil
	}
	return nil, fmt.Errorf("compile: cannot complete a value of type %v", t)
}

// plan returns the object plan for values of the concrete type t.
func (a *abstractPlan) plan(t *graphql.Object) (*objectPlan, error) {
	if ps := a.plans.Load(); ps != nil {
		for _, p := range *ps {
			if p.typ == t {
				return p.plan, nil
			}
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var old []typedPlan
	if ps := a.plans.Load(); ps != nil {
		old = *ps
		for _, p := range old {
			if p.typ == t {
				return p.plan, nil
			}
		}
	}
	p, err := a.v.object(a.sets, t)
	if err != nil {
		return nil, err
	}
	next := append(append(make([]typedPlan, 0, len(old)+1), old...), typedPlan{t, p})
	a.plans.Store(&next)
	return p, nil
}

// isPossible reports whether t implements or belongs to the abstract type.
func (a *abstractPlan) isPossible(t *graphql.Object) bool {
	for _, p := range a.possible {
		if p.Name() == t.Name() {
			return true
		}
	}
	return false
}
