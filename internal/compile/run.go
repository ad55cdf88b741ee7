package compile

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
)

// Run executes the operation with the request's variables (as decoded
// from JSON) and appends the JSON of its "data" to buf. errs are the
// field errors, in the order they arose, as graphql-go formats them.
// fallback is non-empty when the request must run through graphql-go
// instead (out and errs are then unset): a variable graphql-go refuses
// ("variables", it says why), a value the plans cannot complete, a value
// JSON cannot hold. ctx reaches the resolvers as given: the caller opens
// what they read (a transaction) in it.
func (o *Operation) Run(ctx context.Context, vars map[string]any, buf []byte) (out []byte, errs []gqlerrors.FormattedError, fallback string) {
	coerced, ok := coerceVariables(o.vars, vars)
	if !ok {
		return buf, nil, "variables"
	}
	v, err := o.plan(coerced)
	if err != nil {
		return buf, nil, reason(err)
	}
	x := execs.Get().(*exec)
	defer x.release()
	x.ctx, x.vars, x.v, x.buf = ctx, coerced, v, buf
	if err := x.root(); err != nil {
		return buf, nil, reason(err)
	}
	return x.buf, x.errs, ""
}

// bail is a value the plans cannot complete as graphql-go would: the
// request is run through graphql-go instead.
type bail struct{ reason string }

func (b *bail) Error() string { return "not compiled: " + b.reason }

func reason(err error) string {
	var b *bail
	var u *Unsupported
	switch {
	case errors.As(err, &b):
		return b.reason
	case errors.As(err, &u):
		return u.Reason
	}
	return "compile error"
}

// exec is the state of one run. Runs reuse them: a run allocates what its
// resolvers and its error paths allocate, little else.
type exec struct {
	ctx  context.Context
	vars map[string]any
	v    *variant
	buf  []byte
	errs []gqlerrors.FormattedError
	path []frame
	args []map[string]any // the arguments of fields with variables, by slot
	bail *bail
}

// frame is one step of the path to the value being completed: a response
// key, or an index in a list (key "").
type frame struct {
	key   string
	index int
}

var execs = sync.Pool{New: func() any { return &exec{} }}

func (x *exec) release() {
	clear(x.args)
	*x = exec{path: x.path[:0], args: x.args[:0]}
	execs.Put(x)
}

// rootSource is the value root resolvers get, as graphql-go gives them an
// empty map when no root value is set. Resolvers only read it.
var rootSource = map[string]any{}

// root writes the root object. A non-null root field that fails makes the
// data null, and graphql-go then reports that error alone.
func (x *exec) root() error {
	start := len(x.buf)
	err := x.object(x.v.root, rootSource)
	if x.bail != nil {
		return x.bail
	}
	if err != nil {
		x.buf = append(x.buf[:start], "null"...)
		x.errs = append(x.errs[:0], gqlerrors.FormatError(located(err, nil, nil)))
	}
	return nil
}

// object writes the fields of p for source. A non-nil error is a non-null
// field that failed: its parent must become null.
func (x *exec) object(p *objectPlan, source any) error {
	x.buf = append(x.buf, '{')
	for i, f := range p.fields {
		if i > 0 {
			x.buf = append(x.buf, ',')
		}
		x.buf = append(x.buf, f.prefix...)
		x.path = append(x.path, frame{key: f.key})
		err := x.field(f, source)
		x.path = x.path[:len(x.path)-1]
		if err != nil {
			return err
		}
	}
	x.buf = append(x.buf, '}')
	return nil
}

// field resolves and writes one field: graphql-go's resolveField and
// completeValueCatchingError.
func (x *exec) field(f *fieldPlan, source any) error {
	if f.typename != nil {
		x.buf = append(x.buf, f.typename...)
		return nil
	}
	start := len(x.buf)
	info := f.info
	info.VariableValues = x.vars
	result, err := f.resolve(graphql.ResolveParams{Source: source, Args: x.argsOf(f), Info: info, Context: x.ctx})
	if err == nil {
		_, err = x.complete(f.out, f, &info, result)
	}
	if err == nil {
		return nil
	}
	if x.bail != nil {
		return x.bail
	}
	x.buf = x.buf[:start]
	loc := located(err, f.nodes, x.path)
	if f.out.kind == kindNonNull {
		return loc
	}
	x.errs = append(x.errs, gqlerrors.FormatError(loc))
	x.buf = append(x.buf, "null"...)
	return nil
}

// argsOf returns f's arguments, computing those bound to variables once
// per run.
func (x *exec) argsOf(f *fieldPlan) map[string]any {
	if f.slot < 0 {
		return f.args
	}
	for len(x.args) <= f.slot {
		x.args = append(x.args, nil)
	}
	if x.args[f.slot] == nil {
		x.args[f.slot] = argumentValues(f.def.Args, f.argASTs, x.vars)
	}
	return x.args[f.slot]
}

// located is graphql-go's NewLocatedErrorWithPath: an error already
// located keeps its place.
func located(err error, nodes []ast.Node, path []frame) *gqlerrors.Error {
	var p []any
	if path != nil {
		p = make([]any, len(path))
		for i, fr := range path {
			if fr.key != "" {
				p[i] = fr.key
			} else {
				p[i] = fr.index
			}
		}
	}
	return graphql.NewLocatedErrorWithPath(err, nodes, p)
}

// complete writes result as a value of v: graphql-go's completeValue. null
// reports that it wrote null; an error is a failure to be located by the
// nearest field or list item (graphql-go's panics).
func (x *exec) complete(v *valuePlan, f *fieldPlan, info *graphql.ResolveInfo, result any) (null bool, err error) {
	if result != nil && reflect.TypeOf(result).Kind() == reflect.Func {
		x.bail = &bail{reason: "thunk"}
		return false, x.bail
	}
	switch v.kind {
	case kindNonNull:
		start := len(x.buf)
		null, err := x.complete(v.of, f, info, result)
		if err != nil {
			return false, err
		}
		if null {
			x.buf = x.buf[:start]
			msg := fmt.Sprintf("Cannot return null for non-nullable field %v.%v.", f.parent, f.name)
			return false, gqlerrors.FormatError(located(errors.New(msg), f.nodes, x.path))
		}
		return false, nil
	}
	if isNullish(result) {
		x.buf = append(x.buf, "null"...)
		return true, nil
	}
	switch v.kind {
	case kindList:
		return false, x.list(v, f, info, result)
	case kindScalar:
		return x.leaf(v.scalar, result)
	case kindEnum:
		return x.enum(v.enum, result)
	case kindAbstract:
		return false, x.abstract(v.abstract, f, info, result)
	case kindObject:
		return false, x.objectValue(v.object, info, result)
	}
	return false, fmt.Errorf("compile: no completion of kind %d", v.kind)
}

// list is graphql-go's completeListValue.
func (x *exec) list(v *valuePlan, f *fieldPlan, info *graphql.ResolveInfo, result any) error {
	rv := reflect.ValueOf(result)
	if rv.Kind() == reflect.Ptr {
		rv = rv.Elem()
	}
	if k := rv.Kind(); !rv.IsValid() || k != reflect.Slice && k != reflect.Array {
		return gqlerrors.NewFormattedError(fmt.Sprintf("User Error: expected iterable, but did not find one for field %v.%v.", f.parent.Name(), f.name))
	}
	x.buf = append(x.buf, '[')
	n := rv.Len()
	for i := 0; i < n; i++ {
		if i > 0 {
			x.buf = append(x.buf, ',')
		}
		x.path = append(x.path, frame{index: i})
		err := x.item(v.of, f, info, rv.Index(i).Interface())
		x.path = x.path[:len(x.path)-1]
		if err != nil {
			return err
		}
	}
	x.buf = append(x.buf, ']')
	return nil
}

// item completes one item of a list: graphql-go's
// completeValueCatchingError at the item's path.
func (x *exec) item(v *valuePlan, f *fieldPlan, info *graphql.ResolveInfo, item any) error {
	start := len(x.buf)
	_, err := x.complete(v, f, info, item)
	if err == nil || x.bail != nil {
		return err
	}
	x.buf = x.buf[:start]
	loc := located(err, f.nodes, x.path)
	if v.kind == kindNonNull {
		return loc
	}
	x.errs = append(x.errs, gqlerrors.FormatError(loc))
	x.buf = append(x.buf, "null"...)
	return nil
}

// leaf is graphql-go's completeLeafValue for a scalar, written as the
// executor writes what it serializes; common values skip the boxing of
// Serialize.
func (x *exec) leaf(s *graphql.Scalar, result any) (null bool, err error) {
	switch s {
	case graphql.String, graphql.ID:
		switch r := result.(type) {
		case *string:
			x.buf = AppendString(x.buf, *r)
			return false, nil
		case string:
			x.buf = AppendString(x.buf, r)
			return false, nil
		}
	case graphql.Int:
		if r, ok := result.(int); ok && r >= -1<<31 && r <= 1<<31-1 {
			x.buf = strconv.AppendInt(x.buf, int64(r), 10)
			return false, nil
		}
	case graphql.Boolean:
		if r, ok := result.(bool); ok {
			x.buf = strconv.AppendBool(x.buf, r)
			return false, nil
		}
	}
	serialized := s.Serialize(result)
	if isNullish(serialized) {
		x.buf = append(x.buf, "null"...)
		return true, nil
	}
	out, err := AppendLeaf(x.buf, serialized)
	if err != nil {
		x.bail = &bail{reason: "encoding"}
		return false, x.bail
	}
	x.buf = out
	return false, nil
}

// enum is graphql-go's Enum.Serialize: a pointer is followed, an unknown
// value is null.
func (x *exec) enum(names map[any][]byte, result any) (null bool, err error) {
	if rv := reflect.ValueOf(result); rv.Kind() == reflect.Ptr {
		result = rv.Elem().Interface()
	}
	if result != nil && !reflect.TypeOf(result).Comparable() {
		x.bail = &bail{reason: "enum value"}
		return false, x.bail
	}
	name, ok := names[result]
	if !ok {
		x.buf = append(x.buf, "null"...)
		return true, nil
	}
	x.buf = append(x.buf, name...)
	return false, nil
}

// abstract is graphql-go's completeAbstractValue.
func (x *exec) abstract(a *abstractPlan, f *fieldPlan, info *graphql.ResolveInfo, result any) error {
	rt := x.resolveType(a, info, result)
	if rt == nil {
		return gqlerrors.NewFormattedError(fmt.Sprintf(`Abstract type %v must resolve to an Object type at runtime `+
			`for field %v.%v with value "%v", received "%v".`, a.typ, info.ParentType, info.FieldName, result, rt))
	}
	if !a.isPossible(rt) {
		return gqlerrors.NewFormattedError(fmt.Sprintf(`Runtime Object type "%v" is not a possible type for "%v".`, rt, a.typ))
	}
	p, err := a.plan(rt)
	if err != nil {
		x.bail = &bail{reason: reason(err)}
		return x.bail
	}
	return x.objectValue(p, info, result)
}

func (x *exec) resolveType(a *abstractPlan, info *graphql.ResolveInfo, result any) *graphql.Object {
	p := graphql.ResolveTypeParams{Value: result, Info: *info, Context: x.ctx}
	switch t := a.typ.(type) {
	case *graphql.Interface:
		if t.ResolveType != nil {
			return t.ResolveType(p)
		}
	case *graphql.Union:
		if t.ResolveType != nil {
			return t.ResolveType(p)
		}
	}
	for _, pt := range a.possible {
		if pt.IsTypeOf != nil && pt.IsTypeOf(graphql.IsTypeOfParams{Value: result, Info: *info, Context: x.ctx}) {
			return pt
		}
	}
	return nil
}

// objectValue is graphql-go's completeObjectValue.
func (x *exec) objectValue(p *objectPlan, info *graphql.ResolveInfo, result any) error {
	if p.typ.IsTypeOf != nil && !p.typ.IsTypeOf(graphql.IsTypeOfParams{Value: result, Info: *info, Context: x.ctx}) {
		return gqlerrors.NewFormattedError(fmt.Sprintf(`Expected value of type "%v" but got: %T.`, p.typ, result))
	}
	return x.object(p, result)
}
