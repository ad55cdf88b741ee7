package schema

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// searchHit is what a SearchHit field resolves from. The snippet is made
// only when asked for: analysing each hit's text was most of a search's
// time in a profile.
type searchHit struct {
	node  *graph.Node
	score float64
	text  string // the query
	lang  string // the language that matched best
}

func (s *Schema) searchHitType() *graphql.Object {
	hit := func(p graphql.ResolveParams) searchHit { h, _ := p.Source.(searchHit); return h }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "SearchHit",
		Description: "A node that matches a search.",
		Fields: graphql.Fields{
			"node":  {Type: graphql.NewNonNull(s.t.node), Resolve: func(p graphql.ResolveParams) (any, error) { return hit(p).node, nil }},
			"score": {Type: graphql.NewNonNull(graphql.Float), Description: "BM25 score; higher is better.", Resolve: func(p graphql.ResolveParams) (any, error) { return hit(p).score, nil }},
			"snippet": {Type: graphql.String, Description: "The matched text, matched words in **.", Resolve: func(p graphql.ResolveParams) (any, error) {
				h := hit(p)
				if sn := s.store.Snippet(h.node, h.text, h.lang); sn != "" {
					return sn, nil
				}
				return nil, nil
			}},
		},
	})
}

func (s *Schema) resolveSearch(p graphql.ResolveParams) (any, error) {
	limit, err := first(p.Args)
	if err != nil {
		return nil, err
	}
	text, _ := p.Args["text"].(string)
	var langs []string
	if l, ok := p.Args["lang"].(string); ok {
		langs = []string{l}
	}
	var kinds []graph.Kind
	if ks, ok := p.Args["kinds"].([]any); ok {
		for _, k := range ks {
			if k, ok := k.(graph.Kind); ok {
				kinds = append(kinds, k)
			}
		}
	}
	o := graph.SearchOptions{Langs: langs, Kinds: kinds}
	if name, ok := p.Args["conference"].(string); ok {
		conf, err := s.resolve(p, name)
		if err != nil {
			return nil, err
		}
		if conf.Kind != graph.KindConference {
			return nil, badInput(fmt.Sprintf("search conference: %q is a %s, not a conference: give a conference's id or name", name, conf.Kind))
		}
		o.Conference = conf.ID
	}
	var hits []graph.SearchHit
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		hits, err = tx.SearchWith(text, o, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]searchHit, 0, len(hits))
	for _, h := range hits {
		n, err := s.node(p.Context, h.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, searchHit{n, h.Score, text, h.Lang})
	}
	return out, nil
}
