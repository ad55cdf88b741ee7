package schema

import (
	"fmt"
	"strings"

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
	via   string // the entity the query names that the hit is related to
	words []graph.SearchedWord
}

// alternatives returns the terms the search read for the words of the
// query in the hit's language, besides the words' own.
func (h searchHit) alternatives() []string {
	var out []string
	for _, w := range h.words {
		if w.Lang == h.lang {
			for _, a := range w.Alternatives {
				out = append(out, strings.Fields(a.Term)...)
			}
		}
	}
	return out
}

// corrections returns, for each word of the query that no text holds in
// the hit's language, the terms it was taken for.
func (h searchHit) corrections() [][]string {
	var out [][]string
	for _, w := range h.words {
		if w.Lang != h.lang || !w.Corrected() {
			continue
		}
		var typos []string
		for _, a := range w.Alternatives {
			if a.Why == "typo" {
				typos = append(typos, a.Term)
			}
		}
		if len(typos) > 0 {
			out = append(out, typos)
		}
	}
	return out
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
				if sn := s.store.Snippet(h.node, h.text, h.lang, h.alternatives()...); sn != "" {
					return sn, nil
				}
				return nil, nil
			}},
			"corrected": {Type: graphql.String, Description: "The words of the node's text that the words of the query no text holds were taken for (\"Observability\" for \"obsevability\"), one for each: show \"results for …\". Null when the node matched words as typed.", Resolve: func(p graphql.ResolveParams) (any, error) {
				h := hit(p)
				var out []string
				for _, typos := range h.corrections() {
					if m := s.store.Matched(h.node, h.lang, typos); len(m) > 0 {
						out = append(out, m[0])
					}
				}
				if len(out) == 0 {
					return nil, nil
				}
				return strings.Join(out, " "), nil
			}},
			"via": {Type: s.t.node, Description: "The entity the query names (an id, a name or an alias, in any language: \"Verschlüsselung\" names Encryption) that this talk is related to, when the talk's own text holds none of the query's words; such hits come after every direct match. Null for a direct match.", Resolve: func(p graphql.ResolveParams) (any, error) {
				h := hit(p)
				if h.via == "" {
					return nil, nil
				}
				return s.node(p.Context, h.via)
			}},
		},
	})
}

// searchOptions reads the search's arguments.
func (s *Schema) searchOptions(p graphql.ResolveParams) (graph.SearchOptions, error) {
	var o graph.SearchOptions
	if l, ok := p.Args["lang"].(string); ok {
		o.Langs = []string{l}
	}
	if ks, ok := p.Args["kinds"].([]any); ok {
		for _, k := range ks {
			if k, ok := k.(graph.Kind); ok {
				o.Kinds = append(o.Kinds, k)
			}
		}
	}
	if name, ok := p.Args["conference"].(string); ok {
		conf, err := s.resolve(p, name)
		if err != nil {
			return o, err
		}
		if conf.Kind != graph.KindConference {
			return o, badInput(fmt.Sprintf("search conference: %q is a %s, not a conference: give a conference's id or name", name, conf.Kind))
		}
		o.Conference = conf.ID
	}
	exact, _ := p.Args["exact"].(bool)
	o.Related = !exact
	return o, nil
}

// search runs a search with the request's dictionary, unless exact.
func (s *Schema) search(p graphql.ResolveParams, text string, o graph.SearchOptions, limit int) (hits []graph.SearchHit, words []graph.SearchedWord, err error) {
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		if o.Related && s.dict != nil { // Related is off when exact
			if d := s.dict(tx); d != nil {
				o.Expander = d
			}
		}
		hits, words, err = tx.SearchWords(text, o, limit)
		return err
	})
	return hits, words, err
}

func (s *Schema) resolveSearch(p graphql.ResolveParams) (any, error) {
	limit, err := first(p.Args)
	if err != nil {
		return nil, err
	}
	text, _ := p.Args["text"].(string)
	o, err := s.searchOptions(p)
	if err != nil {
		return nil, err
	}
	hits, words, err := s.search(p, text, o, limit)
	if err != nil {
		return nil, err
	}
	out := make([]searchHit, 0, len(hits))
	for _, h := range hits {
		n, err := s.node(p.Context, h.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, searchHit{n, h.Score, text, h.Lang, h.Via, words})
	}
	return out, nil
}
