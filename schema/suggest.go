package schema

import (
	"fmt"
	"strings"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// Suggestions are asked for at every keystroke: few, and cheap.
const (
	defaultSuggest = 10
	maxSuggest     = 50
)

// findFields are the Query fields of a search box: the suggestions as one
// types, and what a search made of its words.
func (s *Schema) findFields(nonNullList func(graphql.Output) graphql.Output) graphql.Fields {
	return graphql.Fields{
		"suggest": {Type: nonNullList(s.suggestionType()),
			Description: "Entities whose name, an alias or id matches text as it is being typed, best first: the whole name, then its start, then the start of a later word of it (\"consen\" finds Stellar Consensus Protocol), then the start within one edit from 5 letters or two from 9 (\"hashicrop\"); among equals, the entity with more relations. Fast enough for every keystroke.",
			Args: graphql.FieldConfigArgument{
				"text":  {Type: graphql.NewNonNull(graphql.String)},
				"kinds": {Type: graphql.NewList(graphql.NewNonNull(s.t.kind)), Description: "Only entities of these kinds."},
				"first": {Type: graphql.Int, DefaultValue: defaultSuggest, Description: "At most this many (default 10, at most 50)."},
			},
			Resolve: s.resolveSuggest},
		"searchInfo": {Type: graphql.NewNonNull(s.searchInfoType()),
			Description: "What search(text:) makes of its words, in each language searched: how many texts hold each word, the alternatives it reads (typos' corrections, completions of the last word, compounds, words joined or split), and, when a word no text holds is near one that some do, the query to suggest instead. Takes search's arguments.",
			Args: graphql.FieldConfigArgument{
				"text":       {Type: graphql.NewNonNull(graphql.String)},
				"conference": {Type: graphql.String},
				"kinds":      {Type: graphql.NewList(graphql.NewNonNull(s.t.kind))},
				"lang":       {Type: graphql.String},
				"exact":      {Type: graphql.Boolean, DefaultValue: false},
			},
			Resolve: s.resolveSearchInfo},
	}
}

// suggestion is what a Suggestion field resolves from.
type suggestion struct {
	node *graph.Node
	m    graph.NameMatch
}

func (s *Schema) suggestionType() *graphql.Object {
	sg := func(p graphql.ResolveParams) suggestion { v, _ := p.Source.(suggestion); return v }
	how := graphql.NewEnum(graphql.EnumConfig{Name: "SuggestionMatch", Description: "How a suggestion matched the text typed.",
		Values: graphql.EnumValueConfigMap{
			"EXACT":  {Value: "exact", Description: "The whole name, alias or id."},
			"PREFIX": {Value: "prefix", Description: "Its start, or the start of one of its words."},
			"TYPO":   {Value: "typo", Description: "Its start, or a word's, within edits."},
		}})
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Suggestion",
		Description: "An entity whose name matches text being typed.",
		Fields: graphql.Fields{
			"node":  {Type: graphql.NewNonNull(s.t.node), Resolve: func(p graphql.ResolveParams) (any, error) { return sg(p).node, nil }},
			"match": {Type: graphql.NewNonNull(graphql.String), Description: "The name, alias or id matched, case and accents folded.", Resolve: func(p graphql.ResolveParams) (any, error) { return sg(p).m.Match, nil }},
			"how":   {Type: graphql.NewNonNull(how), Resolve: func(p graphql.ResolveParams) (any, error) { return sg(p).m.How, nil }},
			"edits": {Type: graphql.NewNonNull(graphql.Int), Description: "The edits of a TYPO match; 0 otherwise.", Resolve: func(p graphql.ResolveParams) (any, error) { return sg(p).m.Edits, nil }},
		},
	})
}

func (s *Schema) resolveSuggest(p graphql.ResolveParams) (any, error) {
	text, _ := p.Args["text"].(string)
	limit, _ := p.Args["first"].(int)
	if limit < 0 || limit > maxSuggest {
		return nil, badInput(fmt.Sprintf("suggest: first must be between 0 and %d; got %d", maxSuggest, limit))
	}
	var kinds []graph.Kind
	if ks, ok := p.Args["kinds"].([]any); ok {
		for _, k := range ks {
			if k, ok := k.(graph.Kind); ok {
				kinds = append(kinds, k)
			}
		}
	}
	var ms []graph.NameMatch
	err := s.withTx(p.Context, func(tx *graph.Tx) error {
		if s.dict != nil {
			if d := s.dict(tx); d != nil {
				ms = d.Names(text, kinds, limit)
				return nil
			}
		}
		return s.wholeNames(tx, text, kinds, limit, &ms)
	})
	if err != nil {
		return nil, err
	}
	out := make([]suggestion, 0, len(ms))
	for _, m := range ms {
		n, err := s.node(p.Context, m.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, suggestion{n, m})
	}
	return out, nil
}

// wholeNames suggests, without a dictionary, the nodes named text whole.
func (s *Schema) wholeNames(tx *graph.Tx, text string, kinds []graph.Kind, limit int, ms *[]graph.NameMatch) error {
	ids, err := tx.Lookup(text)
	if err != nil {
		return err
	}
	for _, id := range ids {
		k, err := tx.KindOf(id)
		if err != nil {
			return err
		}
		if len(*ms) < limit && (len(kinds) == 0 || containsKind(kinds, k)) {
			*ms = append(*ms, graph.NameMatch{ID: id, Kind: k, Match: s.store.Analyzer.Fold(text), How: "exact"})
		}
	}
	return nil
}

func containsKind(ks []graph.Kind, k graph.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// searchInfo is what a SearchInfo field resolves from.
type searchInfo struct {
	words      []graph.SearchedWord
	suggestion string
}

func (s *Schema) searchInfoType() *graphql.Object {
	alt := graphql.NewObject(graphql.ObjectConfig{
		Name:        "SearchAlternative",
		Description: "An index term the search read for a word of the query besides the word's own.",
		Fields: graphql.Fields{
			"term":   {Type: graphql.NewNonNull(graphql.String), Description: "The index term (a stem), or two separated by a space for a word split in two.", Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(graph.Alternative).Term, nil }},
			"why":    {Type: graphql.NewNonNull(graphql.String), Description: "typo, prefix (a completion of the last word), part (a compound holding the word), joined (the word and the next as one), split (the word as two).", Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(graph.Alternative).Why, nil }},
			"weight": {Type: graphql.NewNonNull(graphql.Float), Description: "What a match through it is worth beside the word as typed (1).", Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(graph.Alternative).Factor, nil }},
		},
	})
	word := graphql.NewObject(graphql.ObjectConfig{
		Name:        "SearchWord",
		Description: "A word of a search's query, in one language searched.",
		Fields: graphql.Fields{
			"text":  {Type: graphql.NewNonNull(graphql.String), Description: "The word as typed, case and accents folded.", Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(graph.SearchedWord).Surface, nil }},
			"lang":  {Type: graphql.NewNonNull(graphql.String), Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(graph.SearchedWord).Lang, nil }},
			"term":  {Type: graphql.NewNonNull(graphql.String), Description: "Its index term in the language.", Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(graph.SearchedWord).Term, nil }},
			"count": {Type: graphql.NewNonNull(graphql.Int), Description: "How many texts hold the term.", Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(graph.SearchedWord).DF, nil }},
			"alternatives": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(alt))),
				Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(graph.SearchedWord).Alternatives, nil }},
		},
	})
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "SearchInfo",
		Description: "What a search made of its query.",
		Fields: graphql.Fields{
			"words": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(word))), Description: "Each word of the query in each language searched, in the query's order.",
				Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source.(searchInfo).words, nil }},
			"suggestion": {Type: graphql.String, Description: "The query with each word that no text holds, in any language, replaced by the word a matching text holds near it (\"kafka\" for \"kafak\"), when there is one; else null.",
				Resolve: func(p graphql.ResolveParams) (any, error) {
					if sg := p.Source.(searchInfo).suggestion; sg != "" {
						return sg, nil
					}
					return nil, nil
				}},
		},
	})
}

func (s *Schema) resolveSearchInfo(p graphql.ResolveParams) (any, error) {
	text, _ := p.Args["text"].(string)
	o, err := s.searchOptions(p)
	if err != nil {
		return nil, err
	}
	hits, words, err := s.search(p, text, o, 10)
	if err != nil {
		return nil, err
	}
	if words == nil {
		words = []graph.SearchedWord{}
	}
	sg, err := s.didYouMean(p, text, words, hits)
	return searchInfo{words, sg}, err
}

// didYouMean returns the folded query with each word no text holds in
// any language replaced by the word the best hit that matched its
// correction holds; "" when no word is replaced.
func (s *Schema) didYouMean(p graphql.ResolveParams, text string, words []graph.SearchedWord, hits []graph.SearchHit) (string, error) {
	held := map[string]bool{}
	for _, w := range words {
		if w.DF > 0 {
			held[w.Surface] = true
		}
	}
	fields := strings.Fields(s.store.Analyzer.Fold(text))
	changed := false
	for i, f := range fields {
		if held[f] {
			continue
		}
		for _, h := range hits {
			typos := typosOf(words, f, h.Lang)
			if len(typos) == 0 {
				continue
			}
			n, err := s.node(p.Context, h.ID)
			if err != nil {
				return "", err
			}
			if m := s.store.Matched(n, h.Lang, typos); len(m) > 0 {
				fields[i], changed = s.store.Analyzer.Fold(m[0]), true
				break
			}
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(fields, " "), nil
}

// typosOf returns the corrections the search read for the word surface
// in lang.
func typosOf(words []graph.SearchedWord, surface, lang string) []string {
	var out []string
	for _, w := range words {
		if w.Surface == surface && w.Lang == lang {
			for _, a := range w.Alternatives {
				if a.Why == "typo" {
					out = append(out, a.Term)
				}
			}
		}
	}
	return out
}
