package compile_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

var (
	diffSeed  = flag.Uint64("diff.seed", 0, "seed of the differential test's queries (0: a new one, printed)")
	diffCount = flag.Int("diff.n", 1000, "how many random queries the differential test runs (go test ./... in CI: this default, about 5 s)")
)

// gen writes random valid queries over a model: fields with their
// arguments (literals and variables, in range and out of it), aliases,
// fields asked twice and merged, inline fragments and named ones with type
// conditions that hold and that do not, @skip and @include, __typename.
type gen struct {
	r     *rand.Rand
	m     *model
	pools *pools

	decls  []string       // variable declarations
	vars   map[string]any // the values sent
	frags  []string       // fragment definitions
	nVar   int
	nAlias int
	nFrag  int
	spread int // fragments written, at most maxSpreads a query
	plain  int // inside inline fragments without a type condition
	// invalid reports a variable sent with a value graphql-go refuses.
	invalid bool
}

// maxSpreads bounds the fragments of one query.
const maxSpreads = 6

// query returns a new query and its variables.
func (g *gen) query() (string, map[string]any) {
	g.decls, g.vars, g.frags, g.nVar, g.nAlias, g.nFrag, g.spread, g.invalid = nil, map[string]any{}, nil, 0, 0, 0, 0, false
	body := g.selection(g.m.types[g.m.query], 1+g.r.IntN(3)+g.r.IntN(2), false)
	var b strings.Builder
	switch {
	case len(g.decls) > 0:
		fmt.Fprintf(&b, "query Q(%s) ", strings.Join(g.decls, ", "))
	case g.r.IntN(2) == 0:
		b.WriteString("query Named ")
	}
	b.WriteString(body)
	for _, f := range g.frags {
		b.WriteString("\n" + f)
	}
	return b.String(), jsonRoundTrip(g.vars)
}

// selection is a selection set on t with depth levels of fields below;
// wrapped tells a list or non-null field's.
func (g *gen) selection(t *gqlType, depth int, wrapped bool) string {
	var parts []string
	keys := map[string]bool{}
	for n := 1 + g.r.IntN(3); len(parts) < n; {
		k := g.r.IntN(20)
		if k >= 2 && k < 7 {
			if g.spread >= maxSpreads || g.plain > 0 {
				k = 7
			}
			g.spread++
		}
		switch {
		case k < 2:
			parts = append(parts, "__typename"+g.directive())
		case k < 4 && t.Kind != "UNION":
			on := g.pick(g.m.spreadable(t))
			parts = append(parts, "... on "+on+g.directive()+" "+g.selection(g.m.types[on], depth, false))
		case k < 5 && t.Kind != "UNION" && !wrapped:
			// graphql-go's validation takes the type of an inline fragment
			// without a condition for its field's type, list or non-null
			// included: refused there, and a fragment inside it too.
			g.plain++
			parts = append(parts, "... "+g.directive()+g.selection(t, depth, false))
			g.plain--
		case k < 7:
			on := g.pick(g.m.spreadable(t))
			g.nFrag++
			name := "F" + strconv.Itoa(g.nFrag)
			sel := g.selection(g.m.types[on], depth, false)
			g.frags = append(g.frags, "fragment "+name+" on "+on+" "+sel)
			parts = append(parts, "..."+name+g.directive())
		default:
			if f := g.field(t, depth, keys); f != "" {
				parts = append(parts, f)
			}
		}
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// field is one field of t: at depth 0 only one without sub-selection.
func (g *gen) field(t *gqlType, depth int, keys map[string]bool) string {
	var fields []gqlField
	for _, f := range t.Fields {
		if depth > 0 || !g.m.composite(f.Type.named().Name) {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return "__typename"
	}
	f := fields[g.r.IntN(len(fields))]
	var args []string
	for _, a := range f.Args {
		if a.Type.Kind == "NON_NULL" && a.DefaultValue == nil || g.r.IntN(5) < 2 {
			args = append(args, a.Name+": "+g.argValue(f.Name, a))
		}
	}
	head := f.Name
	if len(args) > 0 {
		head += "(" + strings.Join(args, ", ") + ")"
	}
	// Fields with arguments, and fields asked again, get an alias of
	// their own: one response key, one field.
	if len(args) > 0 || keys[f.Name] || g.r.IntN(10) == 0 {
		g.nAlias++
		head = "a" + strconv.Itoa(g.nAlias) + ": " + head
	}
	keys[f.Name] = true
	named := g.m.types[f.Type.named().Name]
	if !g.m.composite(named.Name) {
		return head + g.directive()
	}
	wrapped := f.Type.Kind == "LIST" || f.Type.Kind == "NON_NULL"
	out := head + g.directive() + " " + g.selection(named, depth-1, wrapped)
	if g.r.IntN(15) == 0 {
		// the same field again, other sub-fields: merged into one key
		out += " " + head + " " + g.selection(named, depth-1, wrapped)
	}
	return out
}

// argValue is an argument's value: a literal, or a variable.
func (g *gen) argValue(field string, a gqlArg) string {
	if g.r.IntN(10) < 3 {
		return g.variable(a)
	}
	return g.literal(a.Type, a.Name)
}

func (g *gen) variable(a gqlArg) string {
	g.nVar++
	name := "v" + strconv.Itoa(g.nVar)
	decl := "$" + name + ": " + a.Type.String()
	if a.Type.Kind != "NON_NULL" && g.r.IntN(4) == 0 {
		decl += " = " + g.literal(a.Type, a.Name)
	}
	g.decls = append(g.decls, decl)
	switch k := g.r.IntN(20); {
	case k == 0:
		g.vars[name] = map[string]any{"not": "this"} // refused: graphql-go says why
		g.invalid = true
	case k < 3:
		if a.Type.Kind == "NON_NULL" {
			g.invalid = true
		}
	default:
		g.vars[name] = g.value(a.Type, a.Name)
	}
	return "$" + name
}

// directive is, now and then, an @skip or @include, its condition a
// literal or a variable.
func (g *gen) directive() string {
	if g.r.IntN(12) != 0 {
		return ""
	}
	cond := strconv.FormatBool(g.r.IntN(2) == 0)
	if g.r.IntN(2) == 0 {
		g.nVar++
		name := "b" + strconv.Itoa(g.nVar)
		// graphql-go refuses a Boolean variable where if: wants Boolean!
		g.decls = append(g.decls, "$"+name+": Boolean!")
		g.vars[name] = g.r.IntN(2) == 0
		cond = "$" + name
	}
	return " @" + g.pick([]string{"skip", "include"}) + "(if: " + cond + ")"
}

// value is a value of type t for the argument arg, as Go holds it.
func (g *gen) value(t *typeRef, arg string) any {
	switch t.Kind {
	case "NON_NULL":
		return g.value(t.OfType, arg)
	case "LIST":
		out := []any{}
		for n := g.r.IntN(3); len(out) < n; {
			out = append(out, g.value(t.OfType, arg))
		}
		return out
	case "ENUM":
		vs := g.m.types[t.Name].EnumValues
		return vs[g.r.IntN(len(vs))].Name
	}
	switch t.Name {
	case "Int":
		return integer(g.r, arg)
	case "Float":
		return float64(integer(g.r, arg)) / 2
	case "Boolean":
		return g.r.IntN(2) == 0
	}
	return g.pools.str(g.r, arg)
}

// literal writes a value of type t in GraphQL.
func (g *gen) literal(t *typeRef, arg string) string {
	if t.Kind == "NON_NULL" {
		t = t.OfType
	}
	if t.Kind == "LIST" && g.r.IntN(3) > 0 {
		var items []string
		for n := g.r.IntN(3); len(items) < n; {
			items = append(items, g.literal(t.OfType, arg))
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	if t.Kind == "LIST" {
		t = t.OfType // one value where a list is expected
		if t.Kind == "NON_NULL" {
			t = t.OfType
		}
	}
	switch v := g.value(t, arg).(type) {
	case string:
		if t.Kind == "ENUM" {
			return v
		}
		return quote(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (g *gen) pick(l []string) string { return l[g.r.IntN(len(l))] }
