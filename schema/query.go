package schema

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

func (s *Schema) queryType() *graphql.Object {
	t := s.t
	nonNullList := func(of graphql.Output) graphql.Output {
		return graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(of)))
	}
	page := graphql.FieldConfigArgument{
		"first":  {Type: graphql.Int, Description: "At most this many (default 100, at most 1000)."},
		"offset": {Type: graphql.Int, Description: "Skip this many first."},
	}
	fields := graphql.Fields{
		"node": {Type: t.node, Description: "The node with this id, or null.",
			Args:    graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID)}},
			Resolve: s.resolveNode},
		"entity": {Type: t.node, Description: "The node an id, a name or an alias designates, matched without regard to case or accents. A name several nodes share designates the one whose id is exactly the name given, else the only one whose name is exactly it (case and accents included), else it is an AMBIGUOUS error listing them in extensions.candidates. An unknown name is a NOT_FOUND error naming the closest known entities.",
			Args:    graphql.FieldConfigArgument{"name": {Type: graphql.NewNonNull(graphql.String)}},
			Resolve: s.resolveEntity},
		"entities": {Type: nonNullList(t.node), Description: "Every node whose id, name or an alias is name, matched without regard to case or accents, in id order.",
			Args:    graphql.FieldConfigArgument{"name": {Type: graphql.NewNonNull(graphql.String)}},
			Resolve: s.resolveEntities},
		"talks": {Type: nonNullList(t.byKind[graph.KindTalk]),
			Description: "Talks, in id order. Filters intersect; conference, speaker and mentioning take an id, a name or an alias, and mentioning keeps the talks with any relation to that entity.",
			Args:        talkPageArgs(page),
			Resolve:     s.resolveTalks},
		"search": {Type: nonNullList(s.searchHitType()),
			Description: "Full-text search over names, aliases and descriptions, ranked by BM25; each description is analysed in its own language (stems and stop words for English, French, German, Spanish, Italian, Dutch, Portuguese, the Nordic languages, Finnish, Hungarian, Romanian, Russian and Turkish; case and accents folded in any language). It forgives what people half-remember: a word no text holds is also searched within one edit from 5 letters, two from 9 (corrected tells); the last word, unless a space follows it, as the start of longer ones; a word of a compounding language (German, Dutch, Scandinavian) as part of compounds; two words as one and one as two. Each alternative counts less than the word as typed, so an exact match ranks first. A query that names an entity whole (an id, a name or an alias, in any language) also finds the talks related to it, after every direct match (via tells). exact turns all this off. lang restricts the analysis to one language. conference (an id, a name or an alias) keeps only the talks of that conference; searchInfo says what the search made of each word",
			Args: graphql.FieldConfigArgument{
				"text":       {Type: graphql.NewNonNull(graphql.String)},
				"conference": {Type: graphql.String},
				"kinds":      {Type: graphql.NewList(graphql.NewNonNull(t.kind))},
				"lang":       {Type: graphql.String},
				"first":      {Type: graphql.Int, Description: "At most this many (default 100, at most 1000)."},
				"exact":      {Type: graphql.Boolean, DefaultValue: false, Description: "Only the words as typed: no typo's correction, completion of the last word, compound, word joined or split, and no talk found through an entity the query names."},
			},
			Resolve: s.resolveSearch},
		"path": {Type: s.pathType(),
			Description: "One shortest chain of relations between two entities, following relations either way, that passes through no hub: no conference, no source and no node with more than hubRelations relations, but those via names (every two talks of a conference are two hops apart through it, which says nothing). shorterThroughHubs tells of a shorter path through hubs. Null when there is none within maxHops (at most 8); a NOT_FOUND error naming the hubs (extensions.via) when there is one only through hubs.",
			Args: graphql.FieldConfigArgument{
				"from":         {Type: graphql.NewNonNull(graphql.String)},
				"to":           {Type: graphql.NewNonNull(graphql.String)},
				"maxHops":      {Type: graphql.Int, DefaultValue: 6},
				"via":          {Type: graphql.NewList(graphql.NewNonNull(graphql.String)), Description: "Hubs (ids, names or aliases) the path may pass through."},
				"hubRelations": {Type: graphql.Int, DefaultValue: graph.DefaultHubRelations, Description: "A node with more relations than this is a hub."},
			},
			Resolve: s.resolvePath},
		"relationTypes": {Type: nonNullList(s.relationTypeType()), Description: "Every relation type, its inverse and the kinds it joins.",
			Resolve: func(graphql.ResolveParams) (any, error) { return graph.EdgeTypes, nil }},
	}
	for name, f := range s.aggregateFields(nonNullList) {
		fields[name] = f
	}
	for name, f := range s.findFields(nonNullList) {
		fields[name] = f
	}
	lists := map[string]graph.Kind{
		"people": graph.KindPerson, "companies": graph.KindCompany, "organizations": graph.KindOrganization,
		"tools": graph.KindTool, "concepts": graph.KindConcept, "conferences": graph.KindConference,
		"publications": graph.KindPublication, "sources": graph.KindSource, "brands": graph.KindBrand,
	}
	lists["talks"] = graph.KindTalk
	for name, k := range lists {
		if name != "talks" {
			fields[name] = &graphql.Field{Type: nonNullList(t.byKind[k]), Args: page,
				Description: fmt.Sprintf("Every %s, in id order.", k), Resolve: s.kindList(k)}
		}
		// One of a kind by id, typed: no interface to resolve, and a
		// selection without "... on" fragments.
		fields[string(k)] = &graphql.Field{Type: t.byKind[k],
			Description: fmt.Sprintf("The %s with this id, or null (also when the id is another kind's).", k),
			Args:        graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID)}},
			Resolve:     s.resolveOfKind(k)}
	}
	return graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: fields})
}

func (s *Schema) resolveNode(p graphql.ResolveParams) (any, error) {
	id, _ := p.Args["id"].(string)
	n, err := s.node(p.Context, id)
	if err != nil && Code(err) == CodeNotFound {
		return nil, nil
	}
	return n, err
}

func (s *Schema) resolveOfKind(k graph.Kind) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (any, error) {
		n, err := s.resolveNode(p)
		if node, ok := n.(*graph.Node); err != nil || !ok || node.Kind != k {
			return nil, err
		}
		return n, nil
	}
}

func (s *Schema) resolveEntity(p graphql.ResolveParams) (any, error) {
	name, _ := p.Args["name"].(string)
	return s.resolve(p, name)
}

func (s *Schema) resolveEntities(p graphql.ResolveParams) (any, error) {
	name, _ := p.Args["name"].(string)
	var ids []string
	err := s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		ids, err = tx.Lookup(name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.nodes(p, ids)
}

// resolve finds the node a name designates. An unknown name's error names
// the closest names by edit distance and, with a dictionary, the names it
// is the start of, or of a word of ("narkhede": Neha Narkhede).
func (s *Schema) resolve(p graphql.ResolveParams, name string) (*graph.Node, error) {
	var n *graph.Node
	err := s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		n, err = tx.Resolve(name)
		var nf *graph.NotFoundError
		if errors.As(err, &nf) && s.dict != nil {
			if d := s.dict(tx); d != nil {
				nf.Closest = s.closest(tx, d.Names(name, named, closestNames), nf.Closest)
			}
		}
		return err
	})
	return n, err
}

// closestNames is how many names an unknown name's error suggests.
const closestNames = 3

// named are the kinds an unknown name's error suggests: a source's title
// is evidence, not what people name.
var named = slices.DeleteFunc(slices.Clone(graph.Kinds), func(k graph.Kind) bool { return k == graph.KindSource })

// closest returns the names of the suggestions ms, then those of old not
// among them, at most closestNames.
func (s *Schema) closest(tx *graph.Tx, ms []graph.NameMatch, old []string) []string {
	var out []string
	for _, m := range ms {
		if n, err := tx.Node(m.ID); err == nil && !slices.Contains(out, n.Name) {
			out = append(out, n.Name)
		}
	}
	for _, name := range old {
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out[:min(len(out), closestNames)]
}

func (s *Schema) kindList(k graph.Kind) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (any, error) {
		limit, off, err := page(p.Args)
		if err != nil {
			return nil, err
		}
		var ids []string
		err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
			ids, err = tx.IDs(k, off, limit)
			return err
		})
		if err != nil {
			return nil, err
		}
		return s.nodes(p, ids)
	}
}

func (s *Schema) nodes(p graphql.ResolveParams, ids []string) ([]*graph.Node, error) {
	out := make([]*graph.Node, 0, len(ids))
	for _, id := range ids {
		n, err := s.node(p.Context, id)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// resolveTalks answers talks: with no filter it pages through the kind
// index; one entity filter reads only the page asked for; several filters,
// or a track, language or year, go through the talk index.
func (s *Schema) resolveTalks(p graphql.ResolveParams) (any, error) {
	limit, off, err := page(p.Args)
	if err != nil {
		return nil, err
	}
	if indexedFilter(p.Args) {
		return s.talksIndexed(p, off, limit)
	}
	for _, f := range []struct {
		arg string
		dir graph.Direction
		typ string
	}{{"mentioning", graph.In, ""}, {"speaker", graph.Out, "gave"}, {"conference", graph.In, "part_of"}} {
		name, ok := p.Args[f.arg].(string)
		if !ok {
			continue
		}
		ids, err := s.talksOf(p, name, f.dir, f.typ, off+limit)
		if err != nil {
			return nil, err
		}
		ids = ids[min(off, len(ids)):]
		return s.nodes(p, ids[:min(limit, len(ids))])
	}
	return s.kindList(graph.KindTalk)(p)
}

// talksOf returns the talks joined to the named entity by relations of typ
// in direction dir (seen from the entity), in id order, at most limit (< 0:
// all).
func (s *Schema) talksOf(p graphql.ResolveParams, name string, dir graph.Direction, typ string, limit int) ([]string, error) {
	n, err := s.resolve(p, name)
	if err != nil {
		return nil, err
	}
	var ids []string
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		ids, err = tx.LinkedIDs(n.ID, dir, typ, graph.KindTalk, limit)
		return err
	})
	return ids, err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
