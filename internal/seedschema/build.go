package seedschema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// build returns the schema of one seed file. Every list and cap comes from
// graph; the fields and which are required mirror internal/seed's parser.
func build() *schema {
	return &schema{
		Schema: Draft,
		Title:  "talkgraph seed file",
		Description: "One file of a talkgraph data set: the nodes it defines and the edges between them. " +
			"Files refer to each other, and to data sets already seeded, by id. " +
			"Check a data set with `talkgraph validate DIR`, which also checks what a schema cannot (references, kinds an edge may join, duplicates).",
		Type: types{"object"},
		Properties: props{
			{"nodes", &schema{
				Description: "The entities this file defines: talks, people, companies, tools, concepts, sources…",
				Type:        types{"array", "null"},
				Items:       &schema{Ref: "#/$defs/node"},
			}},
			{"edges", &schema{
				Description: "The relations this file asserts, each with its evidence.",
				Type:        types{"array", "null"},
				Items:       &schema{Ref: "#/$defs/edge"},
			}},
		},
		AdditionalProperties: false,
		Defs: map[string]*schema{
			"node":     node(),
			"edge":     edge(),
			"evidence": evidence(),
		},
	}
}

func node() *schema {
	return &schema{
		Description: "An entity of the graph.",
		Type:        types{"object"},
		Properties: props{
			{"id", slug("The node's id, unique across every data set; edges and other files refer to the node by it.")},
			{"kind", &schema{
				Description: "What the node is.",
				Type:        types{"string"},
				Enum:        kindNames(),
			}},
			{"name", text("The name shown for the node.", graph.MaxNameLen)},
			{"aliases", &schema{
				Description: "Other names people use for it; searches and lookups by name find them.",
				Type:        types{"array", "null"},
				MaxItems:    ptr(graph.MaxAliases),
				Items:       text("Another name of the node.", graph.MaxNameLen),
			}},
			{"description", &schema{
				Description:          "A short description in one or more languages, by two-letter language code (en, fr…).",
				Type:                 types{"object"},
				PropertyNames:        &schema{Pattern: langPattern, PatternErrorMessage: "use a two-letter language code such as en or fr"},
				AdditionalProperties: text("The description in this language.", graph.MaxTextLen),
			}},
			{"props", &schema{
				Description:          "Typed properties: " + propSummary() + ".",
				Type:                 types{"object"},
				Properties:           propSchemas(),
				AdditionalProperties: false,
			}},
		},
		Required:             []string{"id", "kind", "name"},
		AdditionalProperties: false,
	}
}

func edge() *schema {
	return &schema{
		Description: "A relation between two nodes, with its evidence. An inverse type name (created_by) swaps from and to.",
		Type:        types{"object"},
		Properties: props{
			{"from", slug("The id of the node the relation starts from.")},
			{"type", &schema{
				Description:      "The relation type, by its name or its inverse name. Each type joins only some kinds (graph/model.go; the relationTypes query lists them).",
				Type:             types{"string"},
				Enum:             graph.EdgeTypeNames(),
				EnumDescriptions: edgeTypeDocs(),
			}},
			{"to", slug("The id of the node the relation points to.")},
			{"evidence", &schema{
				Description: "Where the relation comes from: at least one source node and a short quote from it.",
				Type:        types{"array"},
				MinItems:    ptr(1),
				Items:       &schema{Ref: "#/$defs/evidence"},
			}},
		},
		Required:             []string{"from", "type", "to", "evidence"},
		AdditionalProperties: false,
	}
}

func evidence() *schema {
	return &schema{
		Description: "One piece of evidence for a relation.",
		Type:        types{"object"},
		Properties: props{
			{"source", slug("The id of a node of kind source (an article, a video…) the relation comes from.")},
			{"quote", &schema{
				Description:         fmt.Sprintf("A short quote from the source that supports the relation (at most %d bytes).", graph.MaxQuoteLen),
				Type:                types{"string"},
				MaxLength:           ptr(graph.MaxQuoteLen),
				Pattern:             quotePattern,
				PatternErrorMessage: "write some text (not only spaces), or leave the quote out",
			}},
		},
		Required:             []string{"source"},
		AdditionalProperties: false,
	}
}

// slug is an id field. The loader reads a scalar's text, so a bare
// non-negative integer (id: 2017) is a slug too.
func slug(desc string) *schema {
	return &schema{
		Description:         desc + " A slug: lower-case letters and digits, joined by single - _ or .",
		Type:                types{"string", "integer"},
		Pattern:             slugPattern,
		PatternErrorMessage: "not a slug: use lower-case letters, digits and single '-', '_' or '.' between them",
		MaxLength:           ptr(graph.MaxIDLen),
		Minimum:             ptr(0),
	}
}

// text is a free-text field: any scalar, since the loader reads a scalar's
// text (name: 1984 is the name "1984"); a string must hold more than spaces.
func text(desc string, max int) *schema {
	return &schema{
		Description:         fmt.Sprintf("%s At most %d bytes.", desc, max),
		Type:                types{"string", "number", "boolean"},
		MinLength:           ptr(1),
		MaxLength:           ptr(max),
		Pattern:             textPattern,
		PatternErrorMessage: "write some text (not only spaces), or leave the field out",
	}
}

func kindNames() []string {
	names := make([]string, len(graph.Kinds))
	for i, k := range graph.Kinds {
		names[i] = string(k)
	}
	return names
}

// edgeTypeDocs says, for each name of graph.EdgeTypeNames, which kinds it
// joins and what its inverse is.
func edgeTypeDocs() []string {
	names := graph.EdgeTypeNames()
	docs := make([]string, len(names))
	for i, n := range names {
		docs[i] = edgeTypeDoc(n)
	}
	return docs
}

func edgeTypeDoc(name string) string {
	t, inv, _ := graph.LookupEdgeType(name)
	from, to := kindsOr(t.From), kindsOr(t.To)
	switch {
	case t.Name == t.Inverse:
		return fmt.Sprintf("%s → %s (symmetric)", from, to)
	case inv:
		return fmt.Sprintf("%s → %s (inverse of %s)", to, from, t.Name)
	}
	return fmt.Sprintf("%s → %s (inverse: %s)", from, to, t.Inverse)
}

func kindsOr(ks []graph.Kind) string {
	if len(ks) == 0 {
		return "any kind"
	}
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = string(k)
	}
	return strings.Join(names, " or ")
}

// propNames returns graph.Props's names, sorted.
func propNames() []string {
	names := make([]string, 0, len(graph.Props))
	for n := range graph.Props {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func propSummary() string {
	parts := make([]string, 0, len(graph.Props))
	for _, n := range propNames() {
		parts = append(parts, fmt.Sprintf("%s (%s)", n, graph.Props[n]))
	}
	return strings.Join(parts, ", ")
}

func propSchemas() props {
	var ps props
	for _, n := range propNames() {
		ps = append(ps, prop{n, propSchema(n, graph.Props[n])})
	}
	return ps
}
