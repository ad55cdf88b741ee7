package schema

import (
	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

func (s *Schema) evidenceType(t *types) *graphql.Object {
	ev := func(p graphql.ResolveParams) graph.Evidence { e, _ := p.Source.(graph.Evidence); return e }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Evidence",
		Description: "What supports a relation: the source it comes from and a short quote.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"source": {Type: graphql.NewNonNull(t.node), Resolve: func(p graphql.ResolveParams) (any, error) {
					return s.node(p.Context, ev(p).Source)
				}},
				"quote": {Type: graphql.String, Resolve: func(p graphql.ResolveParams) (any, error) {
					if q := ev(p).Quote; q != "" {
						return q, nil
					}
					return nil, nil
				}},
				"dataset": {Type: graphql.NewNonNull(graphql.String), Description: "The data set that asserted it.",
					Resolve: func(p graphql.ResolveParams) (any, error) { return ev(p).Dataset, nil }},
				"file": {Type: graphql.String, Description: "The seed file that asserted it.", Resolve: func(p graphql.ResolveParams) (any, error) {
					if f := ev(p).File; f != "" {
						return f, nil
					}
					return nil, nil
				}},
				"line": {Type: graphql.Int, Description: "The line of that file.", Resolve: func(p graphql.ResolveParams) (any, error) {
					if l := ev(p).Line; l > 0 {
						return l, nil
					}
					return nil, nil
				}},
			}
		}),
	})
}

func (s *Schema) relationType(t *types) *graphql.Object {
	rel := func(p graphql.ResolveParams) graph.Relation { r, _ := p.Source.(graph.Relation); return r }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Relation",
		Description: "A directed, typed relation between two nodes, with its evidence.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"type": {Type: graphql.NewNonNull(graphql.String), Description: "The relation's name, from `from` to `to` (gave, makes, mentions…).",
					Resolve: func(p graphql.ResolveParams) (any, error) { return rel(p).Type, nil }},
				"inverse": {Type: graphql.NewNonNull(graphql.String), Description: "The name read from `to` to `from` (given_by, made_by…).",
					Resolve: func(p graphql.ResolveParams) (any, error) {
						et, _, _ := graph.LookupEdgeType(rel(p).Type)
						return et.Inverse, nil
					}},
				"from": {Type: graphql.NewNonNull(t.node), Resolve: func(p graphql.ResolveParams) (any, error) {
					return s.node(p.Context, rel(p).From)
				}},
				"to": {Type: graphql.NewNonNull(t.node), Resolve: func(p graphql.ResolveParams) (any, error) {
					return s.node(p.Context, rel(p).To)
				}},
				"evidence": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t.evidence))),
					Resolve: func(p graphql.ResolveParams) (any, error) { return rel(p).Evidence, nil }},
			}
		}),
	})
}
