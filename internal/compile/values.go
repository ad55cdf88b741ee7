package compile

import (
	"math"
	"reflect"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
)

// This file mirrors graphql-go's values.go (v0.8.1): the coercion of
// variables, the values of arguments and of @skip/@include. Its functions
// follow graphql-go's step for step, so that a resolver gets the same
// arguments whichever executor calls it; a variable graphql-go would refuse
// is not coerced here (the request then runs through graphql-go, which
// says why).

// variable is a variable definition of the operation, its type resolved.
type variable struct {
	name string
	def  *ast.VariableDefinition
	typ  graphql.Input
}

// coerceVariables is graphql-go's getVariableValues on the way that
// succeeds; ok is false when graphql-go would refuse a value. When every
// value is its own coercion (a string for a String, say) and none takes a
// default, the inputs are the values: nothing is copied. (Only declared
// variables are ever read: validation refuses others.)
func coerceVariables(vars []variable, inputs map[string]any) (out map[string]any, ok bool) {
	same := true
	for _, v := range vars {
		input, given := inputs[v.name]
		if !validInput(input, v.typ) {
			return nil, false
		}
		if !given && v.def.DefaultValue == nil {
			continue // read as nil either way
		}
		if !given || !coercesToItself(v.typ, input) {
			same = false
		}
	}
	if same {
		return inputs, true
	}
	out = make(map[string]any, len(vars))
	for _, v := range vars {
		input := inputs[v.name]
		if isNullish(input) && v.def.DefaultValue != nil {
			out[v.name] = valueFromAST(v.def.DefaultValue, v.typ, nil)
			continue
		}
		out[v.name] = coerceValue(v.typ, input)
	}
	return out, true
}

// coercesToItself reports whether coerceValue(t, v) is v: a string for a
// String or ID, a bool for a Boolean.
func coercesToItself(t graphql.Input, v any) bool {
	if nn, ok := t.(*graphql.NonNull); ok {
		t = nn.OfType
	}
	switch v.(type) {
	case string:
		return t == graphql.String || t == graphql.ID
	case bool:
		return t == graphql.Boolean
	}
	return false
}

// validInput is graphql-go's isValidInputValue, without its messages.
func validInput(value any, t graphql.Input) bool {
	if isNullish(value) {
		_, nonNull := t.(*graphql.NonNull)
		return !nonNull
	}
	switch t := t.(type) {
	case *graphql.NonNull:
		return validInput(value, t.OfType)
	case *graphql.List:
		rv := reflect.ValueOf(value)
		if rv.Kind() == reflect.Ptr {
			rv = rv.Elem()
		}
		if rv.Kind() == reflect.Slice {
			for i := 0; i < rv.Len(); i++ {
				if !validInput(rv.Index(i).Interface(), t.OfType) {
					return false
				}
			}
			return true
		}
		return validInput(value, t.OfType)
	case *graphql.InputObject:
		m, ok := value.(map[string]any)
		if !ok {
			return false
		}
		fields := t.Fields()
		for name := range m {
			if _, ok := fields[name]; !ok {
				return false
			}
		}
		for name, f := range fields {
			if !validInput(m[name], f.Type) {
				return false
			}
		}
		return true
	case *graphql.Scalar:
		if coercesToItself(t, value) {
			return true
		}
		return !isNullish(t.ParseValue(value))
	case *graphql.Enum:
		return !isNullish(t.ParseValue(value))
	}
	return true
}

// coerceValue is graphql-go's coerceValue.
func coerceValue(t graphql.Input, value any) any {
	if isNullish(value) {
		return nil
	}
	switch t := t.(type) {
	case *graphql.NonNull:
		return coerceValue(t.OfType, value)
	case *graphql.List:
		values := []any{}
		rv := reflect.ValueOf(value)
		if rv.Kind() == reflect.Slice {
			for i := 0; i < rv.Len(); i++ {
				values = append(values, coerceValue(t.OfType, rv.Index(i).Interface()))
			}
			return values
		}
		return append(values, coerceValue(t.OfType, value))
	case *graphql.InputObject:
		obj := map[string]any{}
		m, _ := value.(map[string]any)
		for name, f := range t.Fields() {
			v := coerceValue(f.Type, m[name])
			if isNullish(v) {
				v = f.DefaultValue
			}
			if !isNullish(v) {
				obj[name] = v
			}
		}
		return obj
	case *graphql.Scalar:
		if parsed := t.ParseValue(value); !isNullish(parsed) {
			return parsed
		}
	case *graphql.Enum:
		if parsed := t.ParseValue(value); !isNullish(parsed) {
			return parsed
		}
	}
	return nil
}

// argumentValues is graphql-go's getArgumentValues.
func argumentValues(defs []*graphql.Argument, asts []*ast.Argument, vars map[string]any) map[string]any {
	results := make(map[string]any, len(defs))
	for _, def := range defs {
		var value ast.Value
		for _, a := range asts {
			if a.Name != nil && a.Name.Value == def.PrivateName {
				value = a.Value // the last of a name wins, as in graphql-go's map
			}
		}
		v := valueFromAST(value, def.Type, vars)
		if isNullish(v) {
			v = def.DefaultValue
		}
		if !isNullish(v) {
			results[def.PrivateName] = v
		}
	}
	return results
}

// valueFromAST is graphql-go's valueFromAST.
func valueFromAST(v ast.Value, t graphql.Input, vars map[string]any) any {
	if v == nil {
		return nil
	}
	if v, ok := v.(*ast.Variable); ok {
		if v.Name == nil || vars == nil {
			return nil
		}
		return vars[v.Name.Value]
	}
	switch t := t.(type) {
	case *graphql.NonNull:
		return valueFromAST(v, t.OfType, vars)
	case *graphql.List:
		values := []any{}
		if list, ok := v.(*ast.ListValue); ok {
			for _, item := range list.Values {
				values = append(values, valueFromAST(item, t.OfType, vars))
			}
			return values
		}
		return append(values, valueFromAST(v, t.OfType, vars))
	case *graphql.InputObject:
		ov, ok := v.(*ast.ObjectValue)
		if !ok {
			return nil
		}
		fields := map[string]*ast.ObjectField{}
		for _, of := range ov.Fields {
			if of != nil && of.Name != nil {
				fields[of.Name.Value] = of
			}
		}
		obj := map[string]any{}
		for name, f := range t.Fields() {
			var value any
			if of, ok := fields[name]; ok {
				value = valueFromAST(of.Value, f.Type, vars)
			} else {
				value = f.DefaultValue
			}
			if !isNullish(value) {
				obj[name] = value
			}
		}
		return obj
	case *graphql.Scalar:
		return t.ParseLiteral(v)
	case *graphql.Enum:
		return t.ParseLiteral(v)
	}
	return nil
}

// hasVariable reports whether v holds a variable anywhere.
func hasVariable(v ast.Value) bool {
	switch v := v.(type) {
	case *ast.Variable:
		return true
	case *ast.ListValue:
		for _, item := range v.Values {
			if hasVariable(item) {
				return true
			}
		}
	case *ast.ObjectValue:
		for _, f := range v.Fields {
			if f != nil && hasVariable(f.Value) {
				return true
			}
		}
	}
	return false
}

// included is graphql-go's shouldIncludeNode: @skip wins over @include,
// and the last directive of a name counts.
func included(ds []*ast.Directive, vars map[string]any) bool {
	var skip, include *ast.Directive
	for _, d := range ds {
		if d == nil || d.Name == nil {
			continue
		}
		switch d.Name.Value {
		case graphql.SkipDirective.Name:
			skip = d
		case graphql.IncludeDirective.Name:
			include = d
		}
	}
	if skip != nil {
		if b, ok := argumentValues(graphql.SkipDirective.Args, skip.Arguments, vars)["if"].(bool); ok && b {
			return false
		}
	}
	if include != nil {
		if b, ok := argumentValues(graphql.IncludeDirective.Args, include.Arguments, vars)["if"].(bool); ok && !b {
			return false
		}
	}
	return true
}

// isNullish is graphql-go's isNullish: nil, a nil pointer or NaN. The
// common types are answered without reflection.
func isNullish(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string, bool, int:
		return false
	case *string:
		return v == nil
	case float64:
		return math.IsNaN(v)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Ptr {
		if rv.IsNil() {
			return true
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return math.IsNaN(rv.Float())
	}
	return false
}
