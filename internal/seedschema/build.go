package seedschema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// build returns the schema of one seed file. Every list and cap comes from
// graph; the fields, which are required and their docs come from graph's
// table of the seed format (graph.NodeFields…), which the loader reads too.
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
	ps, required := fields(graph.NodeFields, map[string]func(string) *schema{
		"id": slug,
		"kind": func(doc string) *schema {
			return &schema{Description: doc, Type: types{"string"}, Enum: kindNames()}
		},
		"name": func(doc string) *schema { return text(doc, graph.MaxNameLen) },
		"aliases": func(doc string) *schema {
			return &schema{
				Description: doc,
				Type:        types{"array", "null"},
				MaxItems:    ptr(graph.MaxAliases),
				Items:       text("Another name of the node.", graph.MaxNameLen),
			}
		},
		"description": func(doc string) *schema {
			return &schema{
				Description:          doc,
				Type:                 types{"object"},
				PropertyNames:        &schema{Pattern: langPattern, PatternErrorMessage: "use a two-letter language code such as en or fr"},
				AdditionalProperties: text("The description in this language.", graph.MaxTextLen),
			}
		},
		"props": func(doc string) *schema {
			return &schema{
				Description:          strings.TrimSuffix(doc, ".") + ": " + propSummary() + ".",
				Type:                 types{"object"},
				Properties:           propSchemas(),
				AdditionalProperties: false,
			}
		},
	})
	return &schema{
		Description:          "An entity of the graph.",
		Type:                 types{"object"},
		Properties:           ps,
		Required:             required,
		AdditionalProperties: false,
	}
}

func edge() *schema {
	ps, required := fields(graph.EdgeFields, map[string]func(string) *schema{
		"from": slug,
		"type": func(doc string) *schema {
			return &schema{
				Description:      doc,
				Type:             types{"string"},
				Enum:             graph.EdgeTypeNames(),
				EnumDescriptions: edgeTypeDocs(),
			}
		},
		"to": slug,
		"evidence": func(doc string) *schema {
			return &schema{
				Description: doc,
				Type:        types{"array"},
				MinItems:    ptr(1),
				Items:       &schema{Ref: "#/$defs/evidence"},
			}
		},
	})
	return &schema{
		Description:          "A relation between two nodes, with its evidence. An inverse type name (created_by) swaps from and to.",
		Type:                 types{"object"},
		Properties:           ps,
		Required:             required,
		AdditionalProperties: false,
	}
}

func evidence() *schema {
	ps, required := fields(graph.EvidenceFields, map[string]func(string) *schema{
		"source": slug,
		"quote": func(doc string) *schema {
			return &schema{
				Description:         fmt.Sprintf("%s (at most %d bytes).", strings.TrimSuffix(doc, "."), graph.MaxQuoteLen),
				Type:                types{"string"},
				MaxLength:           ptr(graph.MaxQuoteLen),
				Pattern:             quotePattern,
				PatternErrorMessage: "write some text (not only spaces), or leave the quote out",
			}
		},
	})
	return &schema{
		Description:          "One piece of evidence for a relation.",
		Type:                 types{"object"},
		Properties:           ps,
		Required:             required,
		AdditionalProperties: false,
	}
}

// fields builds an object's properties, in order, and its required list
// from graph's table of the seed format; schemaOf gives a field's schema
// from its doc. A field of the table without a schema panics, so a field
// added to graph cannot be left out of the schema silently (the package's
// tests build the schema).
func fields(fs []graph.Field, schemaOf map[string]func(doc string) *schema) (props, []string) {
	ps := make(props, 0, len(fs))
	for _, f := range fs {
		build, ok := schemaOf[f.Name]
		if !ok {
			panic("seedschema: no schema for the seed field " + f.Name)
		}
		ps = append(ps, prop{f.Name, build(f.Doc)})
	}
	return ps, graph.RequiredFields(fs)
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
