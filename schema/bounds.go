package schema

import (
	"context"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// ListBound returns at most how many items the list field of the type
// named parent can hold, from what the store knows: a list of one kind at
// the root holds at most that kind's nodes (counted up to MaxFirst+1), a
// list of a node's neighbours or relations at most the largest degree of
// any node. ok is false when the store knows no bound (evidence, search
// hits) or the read fails. It implements guard.Sizes: the guard multiplies
// by these bounds instead of page sizes the data may never reach.
func (s *Schema) ListBound(ctx context.Context, parent, field string) (n int, ok bool) {
	item := s.itemType(parent, field)
	if item == nil {
		return 0, false
	}
	kind, isKind := s.kindOf(item)
	tx := s.store.Begin(ctx)
	defer tx.Discard()
	var err error
	switch {
	case parent == "Query" && isKind:
		var ids []string
		ids, err = tx.IDs(kind, 0, MaxFirst+1)
		n = len(ids)
	case parent != "Query" && (isKind || item == s.t.node || item == s.t.relation):
		n, err = tx.MaxDegree()
	default:
		return 0, false
	}
	return n, err == nil
}

// itemType is the named type of the items of parent's list field, or nil.
func (s *Schema) itemType(parent, field string) graphql.Type {
	var def *graphql.FieldDefinition
	switch p := s.GraphQL.Type(parent).(type) {
	case *graphql.Object:
		def = p.Fields()[field]
	case *graphql.Interface:
		def = p.Fields()[field]
	}
	if def == nil {
		return nil
	}
	t, list := def.Type, false
	for {
		switch u := t.(type) {
		case *graphql.NonNull:
			t = u.OfType
			continue
		case *graphql.List:
			t, list = u.OfType, true
			continue
		}
		break
	}
	if !list {
		return nil
	}
	return t
}

func (s *Schema) kindOf(t graphql.Type) (graph.Kind, bool) {
	for k, o := range s.t.byKind {
		if o == t {
			return k, true
		}
	}
	return "", false
}
