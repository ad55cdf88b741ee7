package export

import (
	"io"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

const cypherHead = `// talkgraph export for Neo4j 5: cypher-shell -f FILE
// Every node is an :Entity with a label for its kind; ids are unique.
CREATE CONSTRAINT talkgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
`

// WriteCypher writes src as Cypher statements for Neo4j 5, one a line: a
// uniqueness constraint on :Entity(id), then a MERGE per node (labels
// :Entity and its kind, e.g. :Talk; properties id, name, aliases as a list,
// description_<lang>, dataset and the node's properties, ints as integers
// and dates as date()), then a MATCH…MERGE per edge (type in upper snake
// case, e.g. GAVE; properties evidence_sources, evidence_quotes and
// evidence_datasets, lists of the same length). Statements replace the
// properties they set, so loading a newer export updates the graph. It
// returns the Source's error or the first write error.
func WriteCypher(w io.Writer, src Source) error {
	out := newLines(w)
	if err := out.put(cypherHead); err != nil {
		return err
	}
	err := src.EachNode(func(n *graph.Node) error {
		return out.put("MERGE (n:Entity {id: ", cypherString(n.ID), "}) SET n:", cypherLabel(n.Kind),
			", n = ", cypherNodeProps(n), ";\n")
	})
	if err != nil {
		return err
	}
	err = src.EachEdge(func(e graph.Edge) error {
		return out.put("MATCH (a:Entity {id: ", cypherString(e.From), "}) MATCH (b:Entity {id: ", cypherString(e.To),
			"}) MERGE (a)-[r:", cypherRelType(e.Type), "]->(b) SET r = ", cypherEdgeProps(e), ";\n")
	})
	if err != nil {
		return err
	}
	return out.flush()
}

// cypherLabel returns the label of a kind: talk → Talk.
func cypherLabel(k graph.Kind) string {
	s := string(k)
	if s == "" {
		return "Unknown"
	}
	return cypherIdent(strings.ToUpper(s[:1]) + s[1:])
}

// cypherRelType returns the relationship type of an edge type: part_of →
// PART_OF.
func cypherRelType(t string) string { return cypherIdent(strings.ToUpper(t)) }

// cypherIdent returns s bare when it is a plain identifier, else quoted
// with backticks.
func cypherIdent(s string) string {
	for i, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return "`" + strings.ReplaceAll(s, "`", "``") + "`"
		}
	}
	return s
}

func cypherNodeProps(n *graph.Node) string {
	var m cypherMap
	m.add("id", cypherString(n.ID))
	m.add("name", cypherString(n.Name))
	if len(n.Aliases) > 0 {
		m.add("aliases", cypherList(n.Aliases))
	}
	for _, l := range sortedKeys(n.Description) {
		m.add("description_"+l, cypherString(n.Description[l]))
	}
	m.add("dataset", cypherString(n.Dataset))
	for _, p := range sortedKeys(n.Props) {
		m.add(p, cypherProp(p, n.Props[p]))
	}
	return m.String()
}

// cypherProp returns a property value typed as the model declares it: an
// int as an integer, a date as date('YYYY-MM-DD'), anything else a string.
func cypherProp(name, v string) string {
	switch graph.Props[name] {
	case graph.PropInt:
		if isInt(v) {
			return v
		}
	case graph.PropDate:
		return "date(" + cypherString(v) + ")"
	}
	return cypherString(v)
}

func isInt(s string) bool {
	t := strings.TrimPrefix(s, "-")
	if t == "" || len(t) > 18 {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func cypherEdgeProps(e graph.Edge) string {
	var sources, quotes, sets []string
	for _, ev := range e.Evidence {
		sources = append(sources, ev.Source)
		quotes = append(quotes, ev.Quote)
		sets = append(sets, ev.Dataset)
	}
	var m cypherMap
	m.add("evidence_sources", cypherList(sources))
	m.add("evidence_quotes", cypherList(quotes))
	m.add("evidence_datasets", cypherList(sets))
	return m.String()
}

// cypherMap builds a map literal; every key is quoted with backticks, so
// words Cypher reserves (order, start…) are safe as property names.
type cypherMap struct{ parts []string }

func (m *cypherMap) add(key, value string) {
	m.parts = append(m.parts, "`"+strings.ReplaceAll(key, "`", "``")+"`: "+value)
}

func (m *cypherMap) String() string { return "{" + strings.Join(m.parts, ", ") + "}" }

func cypherList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = cypherString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// cypherString returns s as a single-quoted Cypher string literal: a
// backslash and a quote are escaped, and so is every control character
// (\n, \t… or \uXXXX), so a statement stays on one line.
func cypherString(s string) string {
	// U+2028 and U+2029 end a line for some Cypher tools.
	return quoted(s, '\'', 0x2028, 0x2029)
}
