package compile_test

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// introspection asks the schema for what the generator needs: every type,
// its fields and their arguments, interfaces, possible types and enum
// values.
const introspection = `{ __schema { queryType { name } types { name kind
  interfaces { name } possibleTypes { name } enumValues { name }
  fields { name type { ...T } args { name defaultValue type { ...T } } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

type typeRef struct {
	Kind   string
	Name   string
	OfType *typeRef
}

// named is the type a reference wraps.
func (t *typeRef) named() *typeRef {
	for t.OfType != nil {
		t = t.OfType
	}
	return t
}

func (t *typeRef) String() string {
	switch t.Kind {
	case "NON_NULL":
		return t.OfType.String() + "!"
	case "LIST":
		return "[" + t.OfType.String() + "]"
	}
	return t.Name
}

type gqlArg struct {
	Name         string
	DefaultValue *string
	Type         *typeRef
}

type gqlField struct {
	Name string
	Type *typeRef
	Args []gqlArg
}

type named struct{ Name string }

type gqlType struct {
	Name          string
	Kind          string
	Interfaces    []named
	PossibleTypes []named
	EnumValues    []named
	Fields        []gqlField
}

// model is the schema as introspection describes it.
type model struct {
	query string
	types map[string]*gqlType
}

// introspect reads the model of the pair's schema through its own
// introspection, run by graphql-go.
func introspect(t testing.TB, p *pair) *model {
	t.Helper()
	a := run(t, p.ref, introspection, "", nil)
	var res struct {
		Data struct {
			Schema struct {
				QueryType named
				Types     []*gqlType
			} `json:"__schema"`
		}
	}
	if err := json.Unmarshal(a.body, &res); err != nil || len(res.Data.Schema.Types) == 0 {
		t.Fatalf("introspection: %v: %s", err, clip(a.body))
	}
	m := &model{query: res.Data.Schema.QueryType.Name, types: map[string]*gqlType{}}
	for _, ty := range res.Data.Schema.Types {
		m.types[ty.Name] = ty
	}
	return m
}

func (m *model) composite(name string) bool {
	switch m.types[name].Kind {
	case "OBJECT", "INTERFACE", "UNION":
		return true
	}
	return false
}

// pools are the values arguments take: what the store holds (ids, names,
// aliases, words, languages, tracks, relation types), with typos, names
// several entities share and values that do not exist, so that answers
// hold data as often as errors.
type pools struct {
	ids, names, words, langs, types, tracks []string
}

func newPools(t testing.TB, s *graph.Store) *pools {
	t.Helper()
	p := &pools{}
	langs, tracks := map[string]bool{"en": true, "fr": true}, map[string]bool{}
	var main, other []*graph.Node
	err := testdb.Begin(t, s).EachNode(func(n *graph.Node) error {
		if n.Dataset == "dotscale-2017" {
			main = append(main, n)
		} else {
			other = append(other, n)
		}
		for l := range n.Description {
			langs[l] = true
		}
		if l := n.Props["lang"]; l != "" {
			langs[l] = true
		}
		if tr := n.Props["track"]; tr != "" {
			tracks[tr] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// the vocabulary is large and mostly unrelated to talks: a sample
	r := rand.New(rand.NewPCG(7, 7))
	r.Shuffle(len(other), func(i, j int) { other[i], other[j] = other[j], other[i] })
	for _, n := range append(main, other[:min(len(other), len(main))]...) {
		p.ids = append(p.ids, n.ID)
		p.names = append(p.names, n.Name, strings.ToLower(n.Name))
		p.names = append(p.names, n.Aliases...)
		p.words = append(p.words, strings.Fields(n.Name)...)
	}
	p.ids = append(p.ids, "no-such-id", "")
	p.names = append(p.names, "DevOps", "Kafak", "mazieres", "postgres", "no such thing", "dotScale 2017", "")
	p.words = append(p.words, "automatisation", "sécurité", "the", "zzzz")
	for _, et := range graph.EdgeTypes {
		p.types = append(p.types, et.Name, et.Inverse)
	}
	p.types = append(p.types, "no_such_type")
	p.langs = append(sortedKeys(langs), "xx")
	p.tracks = append(sortedKeys(tracks), "no such track")
	return p
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// str returns a string value for the argument name of a field.
func (p *pools) str(r *rand.Rand, arg string) string {
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	switch arg {
	case "text", "prefix", "q", "query":
		if r.IntN(2) == 0 {
			return pick(p.words)
		}
		return pick(p.names)
	case "lang", "language":
		return pick(p.langs)
	case "type":
		return pick(p.types)
	case "track":
		return pick(p.tracks)
	case "id":
		return pick(p.ids)
	}
	if r.IntN(4) == 0 {
		return pick(p.ids)
	}
	return pick(p.names)
}

// integer returns an Int value for the argument name: mostly in range,
// sometimes out of it (a BAD_USER_INPUT answer).
func integer(r *rand.Rand, arg string) int {
	var l []int
	switch arg {
	case "first":
		l = []int{0, 1, 2, 3, 5, 10, 1, 2, 1, 2, 3, 5, 1, 2, 3, 5, 10, -1, -1, 1001}
	case "offset":
		l = []int{0, 1, 2, 3, 50, -1}
	case "year":
		l = []int{2017, 2017, 2016, 2018, 0, -3}
	case "maxHops":
		l = []int{0, 1, 2, 3, 4, 6, 8, 9}
	case "hubRelations":
		l = []int{1, 3, 20, 200, 0}
	default:
		l = []int{0, 1, 2, 3, 5, -1}
	}
	return l[r.IntN(len(l))]
}

// possible lists the object types a fragment on t may be spread in.
func (m *model) spreadable(t *gqlType) []string {
	switch t.Kind {
	case "OBJECT":
		out := []string{t.Name}
		for _, i := range t.Interfaces {
			out = append(out, i.Name)
		}
		return out
	case "INTERFACE", "UNION":
		out := []string{t.Name}
		for _, pt := range t.PossibleTypes {
			out = append(out, pt.Name)
		}
		return slices.Compact(out)
	}
	return nil
}
