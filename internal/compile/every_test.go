package compile_test

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestEveryField asks for every field of every type the query root
// reaches, found through introspection: alone, with each of its optional
// arguments, and with all of them, several values each, on several
// objects. Each answer must be graphql-go's, and every field must run
// compiled with data at least once (not only errors).
func TestEveryField(t *testing.T) {
	p := newPair(t)
	m := introspect(t, p)
	g := &gen{r: rand.New(rand.NewPCG(21, 21)), m: m, pools: newPools(t, p.store)}
	paths := m.paths()
	withData := map[string]bool{}
	fields := 0
	for _, tn := range sortedKeys(paths) {
		ty := m.types[tn]
		for _, f := range ty.Fields {
			fields++
			key := tn + "." + f.Name
			for _, args := range argChoices(f) {
				for range 4 {
					q := paths[tn].query(g, tn, f, args)
					a := p.mustCompile(t, key, q, nil)
					if a.engine == "compiled" && !strings.Contains(string(a.body), `"errors"`) &&
						!strings.Contains(string(a.body), `"data":null`) {
						withData[key] = true
					}
				}
			}
		}
	}
	if fields < 100 {
		t.Fatalf("reached %d fields from the root, want the whole schema", fields)
	}
	for _, tn := range sortedKeys(paths) {
		for _, f := range m.types[tn].Fields {
			if !withData[tn+"."+f.Name] {
				t.Errorf("%s.%s never answered without errors: no query reached its data", tn, f.Name)
			}
		}
	}
}

// argChoices are the sets of optional arguments to give a field: none,
// each alone, all.
func argChoices(f gqlField) [][]string {
	var optional []string
	for _, a := range f.Args {
		if a.Type.Kind != "NON_NULL" || a.DefaultValue != nil {
			optional = append(optional, a.Name)
		}
	}
	out := [][]string{nil}
	for _, a := range optional {
		out = append(out, []string{a})
	}
	if len(optional) > 1 {
		out = append(out, optional)
	}
	return out
}

// step is a field on the way from the root to a type: the field, and the
// object type the next field is on (an inline fragment when the field's
// type is an interface).
type step struct {
	field gqlField
	on    string
}

type path []step

// paths finds, for every object type the root reaches, a shortest way
// there; the root type's is empty.
func (m *model) paths() map[string]path {
	out := map[string]path{m.query: nil}
	queue := []string{m.query}
	for len(queue) > 0 {
		tn := queue[0]
		queue = queue[1:]
		// fields without required arguments first: their answers are
		// likelier to hold data than those of a random name
		fields := append([]gqlField(nil), m.types[tn].Fields...)
		sort.SliceStable(fields, func(i, j int) bool { return !requires(fields[i]) && requires(fields[j]) })
		for _, f := range fields {
			next := m.types[f.Type.named().Name]
			var targets []string
			switch next.Kind {
			case "OBJECT":
				targets = []string{next.Name}
			case "INTERFACE", "UNION":
				for _, pt := range next.PossibleTypes {
					targets = append(targets, pt.Name)
				}
			}
			for _, target := range targets {
				if _, ok := out[target]; ok {
					continue
				}
				out[target] = append(append(path{}, out[tn]...), step{field: f, on: target})
				queue = append(queue, target)
			}
		}
	}
	return out
}

func requires(f gqlField) bool {
	for _, a := range f.Args {
		if a.Type.Kind == "NON_NULL" && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

// query asks for field f of the type tn along p, with the optional
// arguments named in args (required ones always), values drawn at random.
func (p path) query(g *gen, tn string, f gqlField, args []string) string {
	var b strings.Builder
	b.WriteString("{ ")
	for _, s := range p {
		b.WriteString(g.call(s.field, nil, 3))
		b.WriteString(" { ")
		if s.field.Type.named().Name != s.on {
			b.WriteString("... on " + s.on + " { ")
		}
	}
	b.WriteString(g.call(f, args, 0))
	if n := g.m.types[f.Type.named().Name]; g.m.composite(n.Name) {
		b.WriteString(" { __typename" + leaves(n) + " }")
	}
	for _, s := range p {
		if s.field.Type.named().Name != s.on {
			b.WriteString(" }")
		}
		b.WriteString(" }")
	}
	b.WriteString(" }")
	return b.String()
}

// call writes a field with its required arguments and the optional ones
// named in optional; first > 0 is the page of a list that takes one (the
// guard's estimate of a path of lists stays low).
func (g *gen) call(f gqlField, optional []string, first int) string {
	var args []string
	for _, a := range f.Args {
		required := a.Type.Kind == "NON_NULL" && a.DefaultValue == nil
		switch {
		case a.Name == "first" && first > 0:
			args = append(args, a.Name+": "+strconv.Itoa(first))
		case required || contains(optional, a.Name):
			args = append(args, a.Name+": "+g.literal(a.Type, a.Name))
		}
	}
	if len(args) == 0 {
		return f.Name
	}
	return f.Name + "(" + strings.Join(args, ", ") + ")"
}

// leaves are the fields of t without arguments or sub-selections.
func leaves(t *gqlType) string {
	var b strings.Builder
	for _, f := range t.Fields {
		if len(f.Args) == 0 && f.Type.named().Kind != "OBJECT" && f.Type.named().Kind != "INTERFACE" {
			b.WriteString(" " + f.Name)
		}
	}
	return b.String()
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
