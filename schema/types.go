package schema

import (
	"strconv"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// types holds the GraphQL types, built once per schema.
type types struct {
	node      *graphql.Interface
	kind      *graphql.Enum
	direction *graphql.Enum
	relation  *graphql.Object
	evidence  *graphql.Object
	property  *graphql.Object
	similar   *graphql.Object
	byKind    map[graph.Kind]*graphql.Object
}

func (t *types) objects() []graphql.Type {
	out := make([]graphql.Type, 0, len(t.byKind))
	for _, k := range graph.Kinds {
		out = append(out, t.byKind[k])
	}
	return out
}

// typeNames maps kinds to GraphQL type names.
var typeNames = map[graph.Kind]string{
	graph.KindConference: "Conference", graph.KindTalk: "Talk", graph.KindPerson: "Person",
	graph.KindCompany: "Company", graph.KindOrganization: "Organization", graph.KindTool: "Tool",
	graph.KindConcept: "Concept", graph.KindPublication: "Publication", graph.KindSource: "Source",
	graph.KindBrand: "Brand",
}

var typeDescriptions = map[graph.Kind]string{
	graph.KindConference:   "One edition of a conference.",
	graph.KindTalk:         "A talk given at a conference.",
	graph.KindPerson:       "A speaker, founder, author or maintainer.",
	graph.KindCompany:      "A company: it makes tools and employs people.",
	graph.KindOrganization: "A non-commercial body: a foundation, an agency, a community.",
	graph.KindTool:         "A tool, product, project or protocol.",
	graph.KindConcept:      "An idea or practice that talks argue for or mention.",
	graph.KindPublication:  "A book, blog or paper that talks cite.",
	graph.KindSource:       "A document that the graph's facts come from: every piece of evidence points to one.",
	graph.KindBrand:        "A brand a registry lists without saying whether it is a company, a product or a protocol.",
}

func (s *Schema) buildTypes() *types {
	t := &types{byKind: map[graph.Kind]*graphql.Object{}}
	t.kind = kindEnum()
	t.direction = graphql.NewEnum(graphql.EnumConfig{
		Name:        "Direction",
		Description: "Which relations of a node to follow: those it starts (OUT), those that end at it (IN), or both.",
		Values: graphql.EnumValueConfigMap{
			"OUT":  {Value: graph.Out, Description: "Relations from this node."},
			"IN":   {Value: graph.In, Description: "Relations to this node."},
			"BOTH": {Value: graph.Both, Description: "Relations either way."},
		},
	})
	t.property = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Property",
		Description: "A typed property of a node.",
		Fields: graphql.Fields{
			"name":  {Type: graphql.NewNonNull(graphql.String)},
			"type":  {Type: graphql.NewNonNull(graphql.String), Description: "text, date (YYYY-MM-DD), time (HH:MM), url or int."},
			"value": {Type: graphql.NewNonNull(graphql.String)},
		},
	})
	t.node = graphql.NewInterface(graphql.InterfaceConfig{
		Name:        "Node",
		Description: "An entity of the graph.",
		Fields:      s.nodeFields(t),
		ResolveType: func(p graphql.ResolveTypeParams) *graphql.Object {
			if n, ok := p.Value.(*graph.Node); ok {
				return t.byKind[n.Kind]
			}
			return nil
		},
	})
	t.relationRef(s)
	for _, k := range graph.Kinds {
		k := k
		t.byKind[k] = graphql.NewObject(graphql.ObjectConfig{
			Name:        typeNames[k],
			Description: typeDescriptions[k],
			Interfaces:  []*graphql.Interface{t.node},
			Fields: graphql.FieldsThunk(func() graphql.Fields {
				f := s.nodeFields(t)
				for name, field := range s.kindFields(t, k) {
					f[name] = field
				}
				return f
			}),
			IsTypeOf: func(p graphql.IsTypeOfParams) bool {
				n, ok := p.Value.(*graph.Node)
				return ok && n.Kind == k
			},
		})
	}
	return t
}

func kindEnum() *graphql.Enum {
	values := graphql.EnumValueConfigMap{}
	for _, k := range graph.Kinds {
		values[enumName(k)] = &graphql.EnumValueConfig{Value: k, Description: typeDescriptions[k]}
	}
	return graphql.NewEnum(graphql.EnumConfig{Name: "Kind", Description: "The kind of a node.", Values: values})
}

func enumName(k graph.Kind) string {
	b := []byte(k)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func nodeOf(p graphql.ResolveParams) *graph.Node {
	n, _ := p.Source.(*graph.Node)
	return n
}

// nodeFields are the fields of the Node interface, which every kind has.
// String fields resolve to pointers into the (shared, read-only) node:
// graphql-go serializes a *string as is, and a string through fmt.Sprintf,
// which was 5% of a small query's CPU in a profile.
func (s *Schema) nodeFields(t *types) graphql.Fields {
	str := graphql.NewNonNull(graphql.String)
	return graphql.Fields{
		"id":   {Type: graphql.NewNonNull(graphql.ID), Description: "Stable id (a slug).", Resolve: func(p graphql.ResolveParams) (any, error) { return &nodeOf(p).ID, nil }},
		"kind": {Type: graphql.NewNonNull(t.kind), Resolve: func(p graphql.ResolveParams) (any, error) { return nodeOf(p).Kind, nil }},
		"name": {Type: str, Resolve: func(p graphql.ResolveParams) (any, error) { return &nodeOf(p).Name, nil }},
		"aliases": {Type: graphql.NewNonNull(graphql.NewList(str)), Description: "Other names people use.",
			Resolve: func(p graphql.ResolveParams) (any, error) { return nonNil(nodeOf(p).Aliases), nil }},
		"description": {Type: graphql.String, Description: "Summary in the language asked for; falls back to English, then to any language.",
			Args: graphql.FieldConfigArgument{"lang": {Type: graphql.String, DefaultValue: "en"}},
			Resolve: func(p graphql.ResolveParams) (any, error) {
				lang, _ := p.Args["lang"].(string)
				if d := nodeOf(p).Describe(lang); d != "" {
					return d, nil
				}
				return nil, nil
			}},
		"dataset": {Type: str, Description: "The data set that defines the node.", Resolve: func(p graphql.ResolveParams) (any, error) { return &nodeOf(p).Dataset, nil }},
		"properties": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t.property))), Description: "Typed properties, by name.",
			Resolve: func(p graphql.ResolveParams) (any, error) { return properties(nodeOf(p)), nil }},
		"relations": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t.relationRef(s)))),
			Description: "Relations of the node with their evidence. type takes a forward name (makes) or its inverse (made_by), seen from this node.",
			Args: graphql.FieldConfigArgument{
				"type":      {Type: graphql.String},
				"direction": {Type: t.direction, DefaultValue: graph.Both},
				"kinds":     {Type: graphql.NewList(graphql.NewNonNull(t.kind)), Description: "Only relations whose other end is of these kinds."},
				"first":     {Type: graphql.Int, Description: "At most this many (default 100, at most 1000)."},
				"offset":    {Type: graphql.Int, Description: "Skip this many first."},
			},
			Resolve: s.resolveRelations},
		"relationCount": {Type: graphql.NewNonNull(graphql.Int),
			Description: "How many relations relations(type:, direction:, kinds:) would list with no first, counted from keys without reading them.",
			Args: graphql.FieldConfigArgument{
				"type":      {Type: graphql.String},
				"direction": {Type: t.direction, DefaultValue: graph.Both},
				"kinds":     {Type: graphql.NewList(graphql.NewNonNull(t.kind)), Description: "Only relations whose other end is of these kinds."},
			},
			Resolve: s.resolveRelationCount},
	}
}

// relationRef returns the Relation type, creating it on first use: Node's
// fields refer to Relation, and Relation's fields to Node.
func (t *types) relationRef(s *Schema) graphql.Output {
	if t.relation == nil {
		t.evidence = s.evidenceType(t)
		t.relation = s.relationType(t)
	}
	return t.relation
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type property struct{ Name, Type, Value string }

func properties(n *graph.Node) []property {
	out := []property{}
	for _, name := range sortedKeys(n.Props) {
		out = append(out, property{name, string(graph.Props[name]), n.Props[name]})
	}
	return out
}

// prop returns a text property, or nil.
func prop(name string) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (any, error) {
		if v, ok := nodeOf(p).Props[name]; ok {
			return v, nil
		}
		return nil, nil
	}
}

// intProp returns an int property, or nil.
func intProp(name string) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (any, error) {
		if v, err := strconv.Atoi(nodeOf(p).Props[name]); err == nil {
			return v, nil
		}
		return nil, nil
	}
}

func (s *Schema) resolveRelations(p graphql.ResolveParams) (any, error) {
	n := nodeOf(p)
	limit, off, err := page(p.Args)
	if err != nil {
		return nil, err
	}
	dir, _ := p.Args["direction"].(graph.Direction)
	typ, _ := p.Args["type"].(string)
	rels, err := s.relations(p.Context, n.ID, dir, typ)
	if err != nil {
		return nil, err
	}
	if kinds, ok := kindsArg(p.Args); ok {
		rels = relationsOfKinds(rels, kinds)
	}
	rels = rels[min(off, len(rels)):]
	return rels[:min(limit, len(rels))], nil
}

// relationsOfKinds keeps the relations whose other end is of kinds.
func relationsOfKinds(rels []graph.Relation, kinds []graph.Kind) []graph.Relation {
	out := rels[:0:0]
	for _, r := range rels {
		if kindIn(r.OtherKind, kinds) {
			out = append(out, r)
		}
	}
	return out
}
