package schema

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

type path struct {
	nodes []*graph.Node
	rels  []graph.Relation
	// hubs are the hubs the path passes through: those via asked for, or
	// those of a shorter path through hubs.
	hubs []*graph.Node
	// shorter is a shorter path through hubs, when one exists.
	shorter *path
}

func (s *Schema) pathType() *graphql.Object {
	pt := func(p graphql.ResolveParams) path {
		switch v := p.Source.(type) {
		case path:
			return v
		case *path:
			return *v
		}
		return path{}
	}
	var t *graphql.Object
	t = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Path",
		Description: "A chain of relations from one node to another; relations[i] joins nodes[i] and nodes[i+1], in either direction.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"hops":      {Type: graphql.NewNonNull(graphql.Int), Resolve: func(p graphql.ResolveParams) (any, error) { return len(pt(p).rels), nil }},
				"nodes":     {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(s.t.node))), Resolve: func(p graphql.ResolveParams) (any, error) { return pt(p).nodes, nil }},
				"relations": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(s.t.relation))), Resolve: func(p graphql.ResolveParams) (any, error) { return pt(p).rels, nil }},
				"hubs": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(s.t.node))),
					Description: "The hubs (conferences, sources, nodes with more than hubRelations relations) the path passes through: only those via names, but on a shorterThroughHubs path.",
					Resolve:     func(p graphql.ResolveParams) (any, error) { return pt(p).hubs, nil }},
				"shorterThroughHubs": {Type: t,
					Description: "A shorter path that passes through hubs, when one exists (its hubs field names them; path takes it when via names them); null when there is none.",
					Resolve: func(p graphql.ResolveParams) (any, error) {
						if sh := pt(p).shorter; sh != nil {
							return sh, nil
						}
						return nil, nil
					}},
			}
		}),
	})
	return t
}

func (s *Schema) resolvePath(p graphql.ResolveParams) (any, error) {
	hops, _ := p.Args["maxHops"].(int)
	if hops < 0 || hops > graph.MaxHops {
		return nil, badInput(fmt.Sprintf("maxHops must be between 0 and %d; got %d", graph.MaxHops, hops))
	}
	hubRelations, _ := p.Args["hubRelations"].(int)
	if hubRelations < 1 {
		return nil, badInput(fmt.Sprintf("hubRelations must be 1 or more; got %d", hubRelations))
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
	o := graph.PathOptions{MaxHops: hops, HubRelations: hubRelations, Via: map[string]bool{}}
	via, _ := p.Args["via"].([]any)
	for _, v := range via {
		name, _ := v.(string)
		n, err := s.resolve(p, name)
		if err != nil {
			return nil, err
		}
		o.Via[n.ID] = true
	}
	var res graph.PathResult
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		res, err = tx.PathAvoiding(from.ID, to.ID, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	var shorter *path
	if res.Shorter != nil {
		if shorter, err = s.pathOf(p, from, res.Shorter, res.Hubs); err != nil {
			return nil, err
		}
	}
	if res.Relations == nil {
		if shorter == nil {
			return nil, nil
		}
		return nil, throughHubsOnly(fromName, toName, hops, shorter)
	}
	var hubs []string
	for _, r := range res.Relations[:max(0, len(res.Relations)-1)] {
		if o.Via[r.Other()] {
			hubs = append(hubs, r.Other())
		}
	}
	out, err := s.pathOf(p, from, res.Relations, hubs)
	if err != nil {
		return nil, err
	}
	out.shorter = shorter
	return *out, nil
}

// pathOf reads the nodes of a walk from from along rels, and the hubs.
func (s *Schema) pathOf(p graphql.ResolveParams, from *graph.Node, rels []graph.Relation, hubs []string) (*path, error) {
	out := &path{nodes: []*graph.Node{from}, rels: rels, hubs: []*graph.Node{}}
	for _, r := range rels {
		n, err := s.node(p.Context, r.Other())
		if err != nil {
			return nil, err
		}
		out.nodes = append(out.nodes, n)
	}
	for _, id := range hubs {
		n, err := s.node(p.Context, id)
		if err != nil {
			return nil, err
		}
		out.hubs = append(out.hubs, n)
	}
	return out, nil
}

// throughHubsOnly is the error of a path found only through hubs: it says
// which, and how to ask for it (extensions.via, the hubs' ids).
func throughHubsOnly(from, to string, maxHops int, sh *path) error {
	names := make([]string, len(sh.hubs))
	ids := make([]string, len(sh.hubs))
	for i, h := range sh.hubs {
		names[i] = fmt.Sprintf("%s (%s)", h.Name, graph.AKind(h.Kind))
		ids[i] = h.ID
	}
	quoted, _ := json.Marshal(ids)
	return &Error{
		Code: CodeNotFound,
		Message: fmt.Sprintf("no path from %q to %q within %d hops avoids hubs; one of %d hops passes through %s, which relates many things at once: add via: %s to take it",
			from, to, maxHops, len(sh.rels), strings.Join(names, ", "), quoted),
		Extra: map[string]any{"via": ids, "hops": len(sh.rels)},
	}
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
