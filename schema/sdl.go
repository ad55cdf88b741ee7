package schema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/graphql-go/graphql"
)

// SDL prints the schema in the GraphQL schema definition language: the root
// types first, then every other type by kind and name, each with its
// description. graphql-go has no schema printer; this one covers what the
// schema uses (objects, interfaces, enums, input-free arguments).
func (s *Schema) SDL() string {
	var b strings.Builder
	gs := s.GraphQL
	roots := []*graphql.Object{gs.QueryType()}
	if m := gs.MutationType(); m != nil {
		roots = append(roots, m)
	}
	seen := map[string]bool{}
	for _, o := range roots {
		printObject(&b, o)
		seen[o.Name()] = true
	}
	names := sortedKeys(gs.TypeMap())
	for _, group := range []func(graphql.Type) bool{isInterface, isObject, isInput, isEnum} {
		for _, name := range names {
			t := gs.TypeMap()[name]
			if seen[name] || strings.HasPrefix(name, "__") || !group(t) {
				continue
			}
			switch t := t.(type) {
			case *graphql.Interface:
				printDescription(&b, t.Description(), "")
				fmt.Fprintf(&b, "interface %s {\n", t.Name())
				printFields(&b, t.Fields())
				b.WriteString("}\n\n")
			case *graphql.Object:
				printObject(&b, t)
			case *graphql.Enum:
				printEnum(&b, t)
			case *graphql.InputObject:
				printInput(&b, t)
			}
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func isInterface(t graphql.Type) bool { _, ok := t.(*graphql.Interface); return ok }
func isObject(t graphql.Type) bool    { _, ok := t.(*graphql.Object); return ok }
func isEnum(t graphql.Type) bool      { _, ok := t.(*graphql.Enum); return ok }
func isInput(t graphql.Type) bool     { _, ok := t.(*graphql.InputObject); return ok }

func printInput(b *strings.Builder, in *graphql.InputObject) {
	printDescription(b, in.Description(), "")
	fmt.Fprintf(b, "input %s {\n", in.Name())
	fields := in.Fields()
	for _, name := range sortedKeys(fields) {
		printDescription(b, fields[name].Description(), "  ")
		fmt.Fprintf(b, "  %s: %s\n", name, fields[name].Type)
	}
	b.WriteString("}\n\n")
}

func printObject(b *strings.Builder, o *graphql.Object) {
	printDescription(b, o.Description(), "")
	fmt.Fprintf(b, "type %s", o.Name())
	if ifs := o.Interfaces(); len(ifs) > 0 {
		names := make([]string, len(ifs))
		for i, it := range ifs {
			names[i] = it.Name()
		}
		fmt.Fprintf(b, " implements %s", strings.Join(names, " & "))
	}
	b.WriteString(" {\n")
	printFields(b, o.Fields())
	b.WriteString("}\n\n")
}

func printFields(b *strings.Builder, fields graphql.FieldDefinitionMap) {
	for _, name := range sortedKeys(fields) {
		f := fields[name]
		printDescription(b, f.Description, "  ")
		fmt.Fprintf(b, "  %s%s: %s\n", name, printArgs(f.Args), f.Type)
	}
}

func printArgs(args []*graphql.Argument) string {
	if len(args) == 0 {
		return ""
	}
	// graphql-go keeps arguments in a map, so their order changes from run to
	// run: print them by name.
	sorted := append([]*graphql.Argument(nil), args...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name() < sorted[j].Name() })
	parts := make([]string, len(sorted))
	for i, a := range sorted {
		parts[i] = fmt.Sprintf("%s: %s", a.Name(), a.Type)
		if a.DefaultValue != nil {
			parts[i] += " = " + printValue(a.Type, a.DefaultValue)
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// printValue prints a default value as a GraphQL literal: enums by name.
func printValue(t graphql.Input, v any) string {
	if e, ok := t.(*graphql.Enum); ok {
		for _, ev := range e.Values() {
			if ev.Value == v {
				return ev.Name
			}
		}
	}
	j, _ := json.Marshal(v)
	return string(j)
}

func printEnum(b *strings.Builder, e *graphql.Enum) {
	printDescription(b, e.Description(), "")
	fmt.Fprintf(b, "enum %s {\n", e.Name())
	values := append([]*graphql.EnumValueDefinition(nil), e.Values()...)
	sort.Slice(values, func(i, j int) bool { return values[i].Name < values[j].Name })
	for _, v := range values {
		printDescription(b, v.Description, "  ")
		fmt.Fprintf(b, "  %s\n", v.Name)
	}
	b.WriteString("}\n\n")
}

func printDescription(b *strings.Builder, d, indent string) {
	if d == "" {
		return
	}
	if !strings.Contains(d, "\n") && !strings.Contains(d, `"`) {
		fmt.Fprintf(b, "%s\"\"\"%s\"\"\"\n", indent, d)
		return
	}
	fmt.Fprintf(b, "%s\"\"\"\n", indent)
	for _, line := range strings.Split(d, "\n") {
		fmt.Fprintf(b, "%s%s\n", indent, line)
	}
	fmt.Fprintf(b, "%s\"\"\"\n", indent)
}
