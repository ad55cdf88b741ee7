package schema

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// talkFilterArgs are the filters talks and talkCount share.
func talkFilterArgs() graphql.FieldConfigArgument {
	return graphql.FieldConfigArgument{
		"conference": {Type: graphql.String, Description: "Talks part of this conference (an id, a name or an alias)."},
		"speaker":    {Type: graphql.String, Description: "Talks this person gave."},
		"mentioning": {Type: graphql.String, Description: "Talks with any relation to this entity (mentions, about, advocates…)."},
		"track":      {Type: graphql.String, Description: "Talks of this track (the talk's track property, without regard to case)."},
		"language":   {Type: graphql.String, Description: "Talks in this language (the talk's lang property, e.g. en)."},
		"year":       {Type: graphql.Int, Description: "Talks of this year: the talk's date, else its conference's date or year."},
	}
}

// indexedFilter reports whether the talks of args need the talk index:
// property filters, or more than one entity filter to intersect. A single
// entity filter reads only the page asked for.
func indexedFilter(args map[string]any) bool {
	entities := 0
	for _, a := range []string{"conference", "speaker", "mentioning"} {
		if _, ok := args[a].(string); ok {
			entities++
		}
	}
	_, track := args["track"].(string)
	_, lang := args["language"].(string)
	_, year := args["year"].(int)
	return entities > 1 || track || lang || year
}

// talkFilter resolves the names of args into a filter.
func (s *Schema) talkFilter(p graphql.ResolveParams) (graph.TalkFilter, error) {
	var f graph.TalkFilter
	for arg, dst := range map[string]*string{"conference": &f.Conference, "speaker": &f.Speaker, "mentioning": &f.Mentioning} {
		if name, ok := p.Args[arg].(string); ok {
			n, err := s.resolve(p, name)
			if err != nil {
				return f, err
			}
			*dst = n.ID
		}
	}
	f.Track, _ = p.Args["track"].(string)
	f.Language, _ = p.Args["language"].(string)
	if y, ok := p.Args["year"].(int); ok {
		if y < 1 || y > 9999 {
			return f, badInput(fmt.Sprintf("year must be a year such as 2017 (1 to 9999); got %d", y))
		}
		f.Year = y
	}
	return f, nil
}

// talksIndexed answers talks through the talk index.
func (s *Schema) talksIndexed(p graphql.ResolveParams, off, limit int) (any, error) {
	f, err := s.talkFilter(p)
	if err != nil {
		return nil, err
	}
	var ids []string
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		ids, err = tx.TalkIDs(f, off, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.nodes(p, ids)
}

func (s *Schema) resolveTalkCount(p graphql.ResolveParams) (any, error) {
	f, err := s.talkFilter(p)
	if err != nil {
		return nil, err
	}
	var n int
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		n, err = tx.CountTalks(f)
		return err
	})
	return n, err
}

func (s *Schema) resolveRelationCount(p graphql.ResolveParams) (any, error) {
	dir, _ := p.Args["direction"].(graph.Direction)
	typ, _ := p.Args["type"].(string)
	if kinds, ok := kindsArg(p.Args); ok {
		rels, err := s.links(p.Context, nodeOf(p).ID, dir, typ)
		return len(relationsOfKinds(rels, kinds)), err
	}
	var n int
	err := s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		n, err = tx.CountRelations(nodeOf(p).ID, dir, typ)
		return err
	})
	return n, err
}

// topicCount is what a TopicCount field resolves from.
type topicCount struct {
	node  *graph.Node
	talks int
}

func (s *Schema) topicCountType() *graphql.Object {
	tc := func(p graphql.ResolveParams) topicCount { c, _ := p.Source.(topicCount); return c }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "TopicCount",
		Description: "An entity and how many of the talks asked about mention it or are about it.",
		Fields: graphql.Fields{
			"node":  {Type: graphql.NewNonNull(s.t.node), Resolve: func(p graphql.ResolveParams) (any, error) { return tc(p).node, nil }},
			"talks": {Type: graphql.NewNonNull(graphql.Int), Resolve: func(p graphql.ResolveParams) (any, error) { return tc(p).talks, nil }},
		},
	})
}

func (s *Schema) resolveTopics(p graphql.ResolveParams) (any, error) {
	limit, err := first(p.Args)
	if err != nil {
		return nil, err
	}
	f, err := s.talkFilter(p)
	if err != nil {
		return nil, err
	}
	kinds, _ := kindsArg(p.Args)
	var counts []graph.TopicCount
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		counts, err = tx.Topics(f, kinds, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]topicCount, 0, len(counts))
	for _, c := range counts {
		n, err := s.node(p.Context, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, topicCount{n, c.Talks})
	}
	return out, nil
}

func (s *Schema) trendTypes() (by *graphql.Enum, point *graphql.Object) {
	by = graphql.NewEnum(graphql.EnumConfig{
		Name:        "TrendBy",
		Description: "What a trend counts talks by.",
		Values: graphql.EnumValueConfigMap{
			"YEAR":       {Value: graph.ByYear, Description: "The talk's year: its date, else its conference's date or year."},
			"CONFERENCE": {Value: graph.ByConference, Description: "The talk's conference, in time order."},
		},
	})
	tp := func(p graphql.ResolveParams) graph.TrendPoint { t, _ := p.Source.(graph.TrendPoint); return t }
	point = graphql.NewObject(graphql.ObjectConfig{
		Name:        "TrendPoint",
		Description: "How many talks fall under one year or conference of a trend.",
		Fields: graphql.Fields{
			"label": {Type: graphql.NewNonNull(graphql.String), Description: `A year, a conference's name, or "unknown" for talks without one.`,
				Resolve: func(p graphql.ResolveParams) (any, error) { return tp(p).Label, nil }},
			"talks": {Type: graphql.NewNonNull(graphql.Int), Resolve: func(p graphql.ResolveParams) (any, error) { return tp(p).Talks, nil }},
		},
	})
	return by, point
}

func (s *Schema) resolveTrend(p graphql.ResolveParams) (any, error) {
	name, _ := p.Args["entity"].(string)
	by, _ := p.Args["by"].(graph.TrendBy)
	n, err := s.resolve(p, name)
	if err != nil {
		return nil, err
	}
	var points []graph.TrendPoint
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		points, err = tx.Trend(n.ID, by)
		return err
	})
	return points, err
}

// aggregateFields are the Query fields about many talks at once.
func (s *Schema) aggregateFields(nonNullList func(graphql.Output) graphql.Output) graphql.Fields {
	count := talkFilterArgs()
	topicArgs := graphql.FieldConfigArgument{
		"conference": count["conference"], "year": count["year"],
		"kinds": {Type: graphql.NewList(graphql.NewNonNull(s.t.kind)), Description: "The kinds to rank (default CONCEPT, TOOL, COMPANY)."},
		"first": {Type: graphql.Int, Description: "At most this many (default 100, at most 1000)."},
	}
	by, point := s.trendTypes()
	return graphql.Fields{
		"talkCount": {Type: graphql.NewNonNull(graphql.Int), Args: count, Resolve: s.resolveTalkCount,
			Description: "How many talks the filters select: the length of talks with the same filters, without fetching them."},
		"topics": {Type: nonNullList(s.topicCountType()), Args: topicArgs, Resolve: s.resolveTopics,
			Description: "The hot topics: entities ranked by how many of the talks selected mention them or are about them (talkCount(mentioning:) with the same filters), ties by name."},
		"trend": {Type: nonNullList(point), Resolve: s.resolveTrend,
			Description: "How many talks mention an entity per year or per conference, in time order.",
			Args: graphql.FieldConfigArgument{
				"entity": {Type: graphql.NewNonNull(graphql.String), Description: "An id, a name or an alias."},
				"by":     {Type: by, DefaultValue: graph.ByYear},
			}},
	}
}

// similarTalk is what a SimilarTalk field resolves from.
type similarTalk struct {
	talk   *graph.Node
	score  float64
	shared []*graph.Node
	words  []string
}

// similarRef returns the SimilarTalk type, creating it on first use: Talk's
// fields refer to it, and its fields to Talk.
func (s *Schema) similarRef(t *types) *graphql.Object {
	if t.similar != nil {
		return t.similar
	}
	st := func(p graphql.ResolveParams) similarTalk { v, _ := p.Source.(similarTalk); return v }
	t.similar = graphql.NewObject(graphql.ObjectConfig{
		Name:        "SimilarTalk",
		Description: "A talk like another one, and why.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"talk": {Type: graphql.NewNonNull(t.byKind[graph.KindTalk]), Resolve: func(p graphql.ResolveParams) (any, error) { return st(p).talk, nil }},
				"score": {Type: graphql.NewNonNull(graphql.Float), Description: "The sum of the weights of what both talks share, each ln(1 + talks / talks that have it); a shared word weighs half. Higher is closer.",
					Resolve: func(p graphql.ResolveParams) (any, error) { return st(p).score, nil }},
				"shared": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t.node))), Description: "What both talks mention or are about, then the speakers they share.",
					Resolve: func(p graphql.ResolveParams) (any, error) { return st(p).shared, nil }},
				"words": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.String))), Description: "Words both texts hold that few texts hold, as this talk writes them.",
					Resolve: func(p graphql.ResolveParams) (any, error) { return nonNil(st(p).words), nil }},
			}
		}),
	})
	return t.similar
}

func (s *Schema) similarField(t *types) *graphql.Field {
	return &graphql.Field{
		Type:        graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(s.similarRef(t)))),
		Description: "Talks that share what this one mentions or is about, its speakers and its rarer words, most alike first; what many talks share counts for little.",
		Args:        graphql.FieldConfigArgument{"first": {Type: graphql.Int, DefaultValue: 10, Description: "At most this many (default 10, at most 1000)."}},
		Resolve:     s.resolveSimilar,
	}
}

func (s *Schema) resolveSimilar(p graphql.ResolveParams) (any, error) {
	limit, err := first(p.Args)
	if err != nil {
		return nil, err
	}
	var found []graph.SimilarTalk
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		found, err = tx.Similar(nodeOf(p).ID, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]similarTalk, 0, len(found))
	for _, f := range found {
		v := similarTalk{score: f.Score, words: f.Words}
		if v.talk, err = s.node(p.Context, f.ID); err != nil {
			return nil, err
		}
		for _, id := range f.Shared {
			n, err := s.node(p.Context, id)
			if err != nil {
				return nil, err
			}
			v.shared = append(v.shared, n)
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Schema) conferenceTalkCount(p graphql.ResolveParams) (any, error) {
	var n int
	err := s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		n, err = tx.CountTalks(graph.TalkFilter{Conference: nodeOf(p).ID})
		return err
	})
	return n, err
}

// talkPageArgs are the filters of talks and its page.
func talkPageArgs(page graphql.FieldConfigArgument) graphql.FieldConfigArgument {
	args := talkFilterArgs()
	args["first"], args["offset"] = page["first"], page["offset"]
	return args
}
