package schema

import (
	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// DefaultDataset is the data set that entities and relations created through
// the API belong to, unless the request names another.
const DefaultDataset = "api"

func (s *Schema) mutationType() *graphql.Object {
	str := graphql.NewNonNull(graphql.String)
	text := graphql.NewInputObject(graphql.InputObjectConfig{Name: "TextInput", Fields: graphql.InputObjectConfigFieldMap{
		"lang": {Type: str}, "text": {Type: str}}})
	prop := graphql.NewInputObject(graphql.InputObjectConfig{Name: "PropertyInput", Fields: graphql.InputObjectConfigFieldMap{
		"name": {Type: str}, "value": {Type: str}}})
	evidence := graphql.NewInputObject(graphql.InputObjectConfig{Name: "EvidenceInput", Fields: graphql.InputObjectConfigFieldMap{
		"source": {Type: graphql.NewNonNull(graphql.ID), Description: "Id of a node of kind SOURCE."}, "quote": {Type: graphql.String}}})
	list := func(t graphql.Input) graphql.Input { return graphql.NewList(graphql.NewNonNull(t)) }
	entity := graphql.NewInputObject(graphql.InputObjectConfig{Name: "EntityInput", Fields: graphql.InputObjectConfigFieldMap{
		"id": {Type: graphql.NewNonNull(graphql.ID)}, "kind": {Type: graphql.NewNonNull(s.t.kind)}, "name": {Type: str},
		"aliases": {Type: list(graphql.String)}, "descriptions": {Type: list(text)}, "properties": {Type: list(prop)},
		"dataset": {Type: graphql.String, Description: "Data set of a new entity (default \"api\"); an existing one keeps its own."}}})
	relation := graphql.NewInputObject(graphql.InputObjectConfig{Name: "RelationInput", Fields: graphql.InputObjectConfigFieldMap{
		"from": {Type: graphql.NewNonNull(graphql.ID)}, "type": {Type: str, Description: "A relation type or its inverse name."},
		"to": {Type: graphql.NewNonNull(graphql.ID)}, "evidence": {Type: graphql.NewNonNull(list(evidence))},
		"dataset": {Type: graphql.String, Description: "Data set asserting the relation (default \"api\")."}}})
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Mutation",
		Description: "Writes, each in one transaction, validated like seed files. Only with a write token: Authorization: Bearer <token>.",
		Fields: graphql.Fields{
			"upsertEntity": {Type: graphql.NewNonNull(s.t.node), Description: "Create an entity, or replace the one with this id.",
				Args: graphql.FieldConfigArgument{"input": {Type: graphql.NewNonNull(entity)}}, Resolve: s.resolveUpsert},
			"addRelation": {Type: graphql.NewNonNull(s.t.relation), Description: "Assert a relation with its evidence; evidence adds to what the data set gave before.",
				Args: graphql.FieldConfigArgument{"input": {Type: graphql.NewNonNull(relation)}}, Resolve: s.resolveAddRelation},
			"removeRelation": {Type: graphql.NewNonNull(graphql.Boolean), Description: "Remove a relation, as every data set asserts it.",
				Args:    graphql.FieldConfigArgument{"from": {Type: graphql.NewNonNull(graphql.ID)}, "type": {Type: str}, "to": {Type: graphql.NewNonNull(graphql.ID)}},
				Resolve: s.resolveRemoveRelation},
			"deleteEntity": {Type: graphql.NewNonNull(graphql.Boolean), Description: "Delete an entity and all its relations.",
				Args: graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID)}}, Resolve: s.resolveDelete},
		},
	})
}

func input(p graphql.ResolveParams) map[string]any {
	m, _ := p.Args["input"].(map[string]any)
	return m
}

func stringList(v any) []string {
	var out []string
	for _, x := range asList(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func asList(v any) []any { l, _ := v.([]any); return l }

func pairs(v any, k, val string) map[string]string {
	out := map[string]string{}
	for _, x := range asList(v) {
		if m, ok := x.(map[string]any); ok {
			out[m[k].(string)] = m[val].(string)
		}
	}
	return out
}

func datasetOr(in map[string]any, def string) string {
	if d, ok := in["dataset"].(string); ok {
		return d
	}
	return def
}

func (s *Schema) resolveUpsert(p graphql.ResolveParams) (any, error) {
	in := input(p)
	n := &graph.Node{ID: in["id"].(string), Kind: in["kind"].(graph.Kind), Name: in["name"].(string),
		Aliases: stringList(in["aliases"]), Description: pairs(in["descriptions"], "lang", "text"), Props: pairs(in["properties"], "name", "value")}
	err := s.store.Mutate(p.Context, func(m *graph.Mutation) error {
		_, err := m.UpsertNode(datasetOr(in, DefaultDataset), n)
		return err
	})
	if err != nil {
		return nil, apiError(err)
	}
	return n, nil
}

func (s *Schema) resolveAddRelation(p graphql.ResolveParams) (any, error) {
	in := input(p)
	e := graph.Edge{From: in["from"].(string), Type: in["type"].(string), To: in["to"].(string)}
	for _, x := range asList(in["evidence"]) {
		m := x.(map[string]any)
		q, _ := m["quote"].(string)
		e.Evidence = append(e.Evidence, graph.Evidence{Source: m["source"].(string), Quote: q})
	}
	ds := datasetOr(in, DefaultDataset)
	err := s.store.Mutate(p.Context, func(m *graph.Mutation) error {
		_, err := m.AddEdge(ds, e)
		return err
	})
	if err != nil {
		return nil, apiError(err)
	}
	ce, _ := e.Canonical()
	for i := range ce.Evidence {
		ce.Evidence[i].Dataset = ds
	}
	return graph.Relation{Edge: ce, Dir: graph.Out}, nil
}

func (s *Schema) resolveRemoveRelation(p graphql.ResolveParams) (any, error) {
	from, _ := p.Args["from"].(string)
	typ, _ := p.Args["type"].(string)
	to, _ := p.Args["to"].(string)
	err := s.store.Mutate(p.Context, func(m *graph.Mutation) error { return m.RemoveEdge(from, typ, to) })
	return err == nil, apiError(err)
}

func (s *Schema) resolveDelete(p graphql.ResolveParams) (any, error) {
	id, _ := p.Args["id"].(string)
	err := s.store.Mutate(p.Context, func(m *graph.Mutation) error { return m.DeleteNode(id) })
	return err == nil, apiError(err)
}
