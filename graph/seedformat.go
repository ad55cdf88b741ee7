package graph

// Field is one field of an item of a seed file: its name, whether an item
// must have it, and a sentence saying what it holds. The loader
// (internal/seed), the YAML export, `talkgraph link --write` and the JSON
// Schema generator (internal/seedschema) all read the tables below, so the
// shape of a seed file is written once. The table is not YAML: graph knows
// no YAML, and the order here is the order the export writes fields in.
type Field struct {
	Name     string
	Required bool
	Doc      string
}

// NodeFields are the fields of a node, in the order the export writes them.
var NodeFields = []Field{
	{"id", true, "The node's id, unique across every data set; edges and other files refer to the node by it."},
	{"kind", true, "What the node is."},
	{"name", true, "The name shown for the node."},
	{"aliases", false, "Other names people use for it; searches and lookups by name find them."},
	{"description", false, "A short description in one or more languages, by two-letter language code (en, fr…)."},
	{"props", false, "Typed properties."},
}

// EdgeFields are the fields of an edge, in the order the export writes them.
var EdgeFields = []Field{
	{"from", true, "The id of the node the relation starts from."},
	{"type", true, "The relation type, by its name or its inverse name. Each type joins only some kinds (graph/model.go; the relationTypes query lists them)."},
	{"to", true, "The id of the node the relation points to."},
	{"evidence", true, "Where the relation comes from: at least one source node and a short quote from it."},
}

// EvidenceFields are the fields of one evidence item of an edge, in the
// order the export writes them.
var EvidenceFields = []Field{
	{"source", true, "The id of a node of kind source (an article, a video…) the relation comes from."},
	{"quote", false, "A short quote from the source that supports the relation."},
}

// FieldNames returns the names of fs, in order.
func FieldNames(fs []Field) []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return names
}

// RequiredFields returns the names of the required fields of fs, in order.
func RequiredFields(fs []Field) []string {
	var names []string
	for _, f := range fs {
		if f.Required {
			names = append(names, f.Name)
		}
	}
	return names
}
