package export

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// nodePredicates are the scalar predicates of every node, with their
// Dgraph schema (props apart). The upsert predicate is written by dgraph
// live, never by WriteDgraph.
var nodePredicates = []struct{ name, schema string }{
	{UpsertPredicate, "string @index(exact) @upsert"},
	{"id", "string @index(exact)"},
	{"kind", "string @index(exact)"},
	{"name", "string @index(exact, term, trigram)"},
	{"alias", "[string] @index(exact, term)"},
	{"description", "string @lang @index(fulltext)"},
	{"dataset", "string @index(exact)"},
}

// evidencePredicates are the predicates of a reified piece of evidence.
var evidencePredicates = []struct{ name, schema string }{
	{"evidence.relation", "string @index(exact)"},
	{"evidence.from", "uid @reverse"},
	{"evidence.to", "uid @reverse"},
	{"evidence.source", "uid @reverse"},
	{"evidence.quote", "string @index(fulltext)"},
	{"evidence.dataset", "string @index(exact)"},
}

// propSchema returns the Dgraph schema of a node property.
func propSchema(t graph.PropType) string {
	switch t {
	case graph.PropInt:
		return "int @index(int)"
	case graph.PropDate:
		return "datetime @index(day)"
	case graph.PropURL:
		return "string"
	}
	return "string @index(exact)"
}

// WriteDgraphSchema writes the Dgraph schema that WriteDgraph's output
// loads with (dgraph live -s FILE): every predicate with its type and
// indexes (relations as [uid] @reverse @count, so the inverse name is the
// ~ predicate), then one type per kind and the Evidence type. It depends
// on the model only, not on the data. It returns the first write error.
func WriteDgraphSchema(w io.Writer) error {
	var b strings.Builder
	for _, p := range nodePredicates {
		fmt.Fprintf(&b, "<%s>: %s .\n", p.name, p.schema)
	}
	for _, p := range slices.Sorted(maps.Keys(graph.Props)) {
		fmt.Fprintf(&b, "<%s>: %s .\n", p, propSchema(graph.Props[p]))
	}
	for _, t := range graph.EdgeTypes {
		fmt.Fprintf(&b, "<%s>: [uid] @reverse @count .\n", t.Name)
	}
	for _, p := range evidencePredicates {
		fmt.Fprintf(&b, "<%s>: %s .\n", p.name, p.schema)
	}
	for _, k := range graph.Kinds {
		b.WriteString("\ntype " + dgraphType(k) + " {\n")
		for _, f := range typeFields(k) {
			b.WriteString("  <" + f + ">\n")
		}
		b.WriteString("}\n")
	}
	b.WriteString("\ntype Evidence {\n")
	b.WriteString("  <" + UpsertPredicate + ">\n")
	for _, p := range evidencePredicates {
		b.WriteString("  <" + p.name + ">\n")
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// typeFields lists the predicates a node of kind k may have: the common
// ones, the properties, the relations it may start (forward) or end (~),
// and the evidence that points at it.
func typeFields(k graph.Kind) []string {
	var fs []string
	for _, p := range nodePredicates {
		fs = append(fs, p.name)
	}
	fs = append(fs, slices.Sorted(maps.Keys(graph.Props))...)
	for _, t := range graph.EdgeTypes {
		if len(t.From) == 0 || slices.Contains(t.From, k) {
			fs = append(fs, t.Name)
		}
	}
	for _, t := range graph.EdgeTypes {
		if len(t.To) == 0 || slices.Contains(t.To, k) {
			fs = append(fs, "~"+t.Name)
		}
	}
	fs = append(fs, "~evidence.from", "~evidence.to")
	if k == graph.KindSource {
		fs = append(fs, "~evidence.source")
	}
	return fs
}
