// Package guard refuses GraphQL requests that would cost too much before they
// run. graphql-go has no such protection: its parser recurses (deep nesting
// overflows the stack, killing the process) and its executor will happily
// resolve a few bytes of query into millions of fields.
//
// The checks run in two stages. Scan looks at the raw bytes, before parsing,
// and bounds nesting and token count, so the parser only ever sees documents
// it can handle. Check walks the parsed document, fragments expanded, and
// bounds depth, aliases, directives, repeated response keys, fields and an
// estimated cost in which a list counts as many times as its "first" asks.
package guard

import (
	"context"
	"fmt"
	"strconv"

	"github.com/talkgraph/talkgraph/schema"
)

// Limits are the bounds a request must stay within. Zero values take the
// defaults of Default.
type Limits struct {
	// MaxNesting bounds the depth of {, ( and [ in the raw text.
	MaxNesting int
	// MaxTokens bounds the number of lexical tokens.
	MaxTokens int
	// MaxDepth bounds the depth of field selections, not counting
	// introspection (__schema, __type), which has its own bound.
	MaxDepth int
	// MaxIntrospectionDepth bounds selections under __schema and __type:
	// GraphiQL's introspection query nests ofType about nine levels deep.
	MaxIntrospectionDepth int
	// MaxAliases bounds the number of aliased fields.
	MaxAliases int
	// MaxDirectives bounds the number of directives.
	MaxDirectives int
	// MaxRepeatedKey bounds how often one response key appears in one
	// selection set (a field asked twice is merged, but still checked twice).
	MaxRepeatedKey int
	// MaxFields bounds the fields of the operation, fragments expanded.
	MaxFields int
	// MaxFirst bounds the "first" of any list, literal or variable.
	MaxFirst int
	// MaxCost bounds the estimated number of values resolved.
	MaxCost int
	// MaxWork bounds the entities and relations one request reads while it
	// runs (enforced by the schema, see schema.WithMaxWork): the estimate
	// can only guess, this is what the request really does.
	MaxWork int
	// DefaultListSize is how many items a list without "first" counts for.
	DefaultListSize int
	// PaginatedDefault is how many items a list with a "first" argument
	// counts for when the request does not give one.
	PaginatedDefault int
}

// WithDefaults returns l with every zero limit set to its default.
func (l Limits) WithDefaults() Limits { return l.withDefaults() }

// Default returns the default limits. Depth 10 is at the top of what
// graphql-armor and others use, and deep enough for every example query;
// the cost bound lets a page of 1000 talks with their speakers through, but
// not a page of talks with the speakers' talks' mentions.
func Default() Limits {
	return Limits{
		MaxNesting:            64,
		MaxTokens:             5000,
		MaxDepth:              10,
		MaxIntrospectionDepth: 15,
		MaxAliases:            30,
		MaxDirectives:         50,
		MaxRepeatedKey:        5,
		MaxFields:             1000,
		MaxFirst:              1000,
		MaxCost:               50000,
		MaxWork:               100000,
		DefaultListSize:       10,
		PaginatedDefault:      100,
	}
}

func (l Limits) withDefaults() Limits {
	d := Default()
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.MaxNesting, d.MaxNesting)
	set(&l.MaxTokens, d.MaxTokens)
	set(&l.MaxDepth, d.MaxDepth)
	set(&l.MaxIntrospectionDepth, d.MaxIntrospectionDepth)
	set(&l.MaxAliases, d.MaxAliases)
	set(&l.MaxDirectives, d.MaxDirectives)
	set(&l.MaxRepeatedKey, d.MaxRepeatedKey)
	set(&l.MaxFields, d.MaxFields)
	set(&l.MaxFirst, d.MaxFirst)
	set(&l.MaxCost, d.MaxCost)
	set(&l.MaxWork, d.MaxWork)
	set(&l.DefaultListSize, d.DefaultListSize)
	set(&l.PaginatedDefault, d.PaginatedDefault)
	return l
}

// Sizes tells the guard how long lists can really be, from what the store
// knows (see schema.Schema.ListBound).
type Sizes interface {
	// ListBound returns at most how many items the list field of the type
	// named parent holds; ok is false when unknown.
	ListBound(ctx context.Context, parent, field string) (n int, ok bool)
}

// Guard is Limits whose cost estimate, when the page sizes asked for pass
// MaxCost, is made again with the list sizes Sizes knows: a question whose
// real answer is small is not refused for the pages it could have filled.
type Guard struct {
	Limits
	Sizes Sizes
}

// Code is the extensions.code of a refusal.
const Code = schema.CodeLimitExceeded

// LimitError is a refusal: which limit, its value, and what the request had
// (at least: checks stop counting once past the limit).
type LimitError struct {
	Limit string // e.g. "depth"
	Max   int
	Got   int
	// Sent, when set, is the value as the request gave it (a first too
	// large for an int is counted as 1<<30, and named as sent).
	Sent string
}

func (e *LimitError) Error() string {
	got := strconv.Itoa(e.Got)
	if e.Sent != "" {
		got = e.Sent
	}
	return fmt.Sprintf("query %s %s exceeds the limit of %d: ask for less", e.Limit, got, e.Max)
}

// Extensions implements gqlerrors.ExtendedError.
func (e *LimitError) Extensions() map[string]any {
	return map[string]any{"code": Code, "limit": e.Limit, "max": e.Max}
}
