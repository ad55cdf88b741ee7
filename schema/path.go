package schema

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

type path struct {
	nodes []*graph.Node
	rels  []graph.Relation
}

func (s *Schema) pathType() *graphql.Object {
	pt := func(p graphql.ResolveParams) path { v, _ := p.Source.(path); return v }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Path",
		Description: "A chain of relations from one node to another; relations[i] joins nodes[i] and nodes[i+1], in either direction.",
		Fields: graphql.Fields{
			"hops":      {Type: graphql.NewNonNull(graphql.Int), Resolve: func(p graphql.ResolveParams) (any, error) { return len(pt(p).rels), nil }},
			"nodes":     {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(s.t.node))), Resolve: func(p graphql.ResolveParams) (any, error) { return pt(p).nodes, nil }},
			"relations": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(s.t.relation))), Resolve: func(p graphql.ResolveParams) (any, error) { return pt(p).rels, nil }},
		},
	})
}

func (s *Schema) resolvePath(p graphql.ResolveParams) (any, error) {
	hops, _ := p.Args["maxHops"].(int)
	if hops < 0 || hops > graph.MaxHops {
		return nil, badInput(fmt.Sprintf("maxHops must be between 0 and %d; got %d", graph.MaxHops, hops))
	}
	fromName, _ := p.Args["from"].(string)
	toName, _ := p.Args["to"].(string)
	from, err := s.resolve(p, fromName)
	if err != nil {
		return nil, err
	}
	to, err := s.resolve(p, toName)
	if err != nil {
		return nil, err
	}
	var rels []graph.Relation
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		rels, err = tx.Path(from.ID, to.ID, hops)
		return err
	})
	if err != nil || rels == nil {
		return nil, err
	}
	nodes := []*graph.Node{from}
	for _, r := range rels {
		n, err := s.node(p.Context, r.Other())
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return path{nodes, rels}, nil
}

func (s *Schema) relationTypeType() *graphql.Object {
	et := func(p graphql.ResolveParams) graph.EdgeType { v, _ := p.Source.(graph.EdgeType); return v }
	kinds := func(ks []graph.Kind) []graph.Kind {
		if len(ks) == 0 {
			return graph.Kinds
		}
		return ks
	}
	kindList := graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(s.t.kind)))
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "RelationType",
		Description: "A relation type: its name, its inverse, and the kinds it may join.",
		Fields: graphql.Fields{
			"name":    {Type: graphql.NewNonNull(graphql.String), Resolve: func(p graphql.ResolveParams) (any, error) { return et(p).Name, nil }},
			"inverse": {Type: graphql.NewNonNull(graphql.String), Resolve: func(p graphql.ResolveParams) (any, error) { return et(p).Inverse, nil }},
			"from":    {Type: kindList, Resolve: func(p graphql.ResolveParams) (any, error) { return kinds(et(p).From), nil }},
			"to":      {Type: kindList, Resolve: func(p graphql.ResolveParams) (any, error) { return kinds(et(p).To), nil }},
		},
	})
}
