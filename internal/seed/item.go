package seed

import (
	"fmt"
	"sort"

	"github.com/talkgraph/talkgraph/graph"
	"go.yaml.in/yaml/v3"
)

// The fields a seed file's items may and must have, from graph's one
// definition of the format.
var (
	nodeFields       = graph.FieldNames(graph.NodeFields)
	nodeRequired     = graph.RequiredFields(graph.NodeFields)
	edgeFields       = graph.FieldNames(graph.EdgeFields)
	edgeRequired     = graph.RequiredFields(graph.EdgeFields)
	evidenceFields   = graph.FieldNames(graph.EvidenceFields)
	evidenceRequired = graph.RequiredFields(graph.EvidenceFields)
)

func newItem(p *parser, n *yaml.Node) item {
	return item{pos: map[string]Pos{"": p.pos(n)}, reported: map[string]bool{}}
}

func (p *parser) node(n *yaml.Node) item {
	it := newItem(p, n)
	it.node = &graph.Node{}
	f := p.mapping(n, "a node", nodeFields, nodeRequired, it)
	nd := it.node
	p.field(f, "id", &nd.ID, it, "id")
	var kind string
	p.field(f, "kind", &kind, it, "kind")
	nd.Kind = graph.Kind(kind)
	p.field(f, "name", &nd.Name, it, "name")
	if v := f["aliases"]; v != nil {
		it.pos["aliases"] = p.pos(v)
		for _, a := range p.list(v, "aliases", it, "aliases") {
			field := fmt.Sprintf("aliases.%d", len(nd.Aliases))
			if s, ok := p.scalar(a, "an alias", it, field); ok {
				it.pos[field] = p.pos(a)
				nd.Aliases = append(nd.Aliases, s)
			}
		}
	}
	nd.Description = p.textMap(f["description"], "description", it)
	nd.Props = p.textMap(f["props"], "props", it)
	return it
}

// field stores the scalar value of a field and its position, under path.
func (p *parser) field(f map[string]*yaml.Node, name string, dst *string, it item, path string) {
	v := f[name]
	if v == nil {
		return
	}
	it.pos[path] = p.pos(v)
	if s, ok := p.scalar(v, fmt.Sprintf("%q", name), it, path); ok {
		*dst = s
	}
}

// textMap reads a mapping of names to single values (descriptions by
// language, properties by name).
func (p *parser) textMap(n *yaml.Node, what string, it item) map[string]string {
	if n == nil {
		return nil
	}
	it.pos[what] = p.pos(n)
	if n.Kind != yaml.MappingNode {
		p.c.add(p.pos(n), "%q must be a mapping (name: value on each line)", what)
		it.report(what)
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := out[k.Value]; dup {
			p.c.add(p.pos(k), "%q appears twice in %s: keep one", k.Value, what)
			continue
		}
		field := what + "." + k.Value
		if s, ok := p.scalar(v, field, it, field); ok {
			out[k.Value] = s
			it.pos[field] = p.pos(v)
		}
	}
	return out
}

func (p *parser) edge(n *yaml.Node) item {
	it := newItem(p, n)
	it.edge = &graph.Edge{}
	f := p.mapping(n, "an edge", edgeFields, edgeRequired, it)
	e := it.edge
	p.field(f, "from", &e.From, it, "from")
	p.field(f, "type", &e.Type, it, "type")
	p.field(f, "to", &e.To, it, "to")
	if v := f["evidence"]; v != nil {
		it.pos["evidence"] = p.pos(v)
		for i, ch := range p.list(v, "evidence", it, "evidence") {
			prefix := fmt.Sprintf("evidence.%d", i)
			it.pos[prefix] = p.pos(ch)
			ef := p.mapping(ch, "evidence", evidenceFields, evidenceRequired, it, prefix)
			var ev graph.Evidence
			p.field(ef, "source", &ev.Source, it, prefix+".source")
			p.field(ef, "quote", &ev.Quote, it, prefix+".quote")
			ev.File, ev.Line = p.file, ch.Line
			e.Evidence = append(e.Evidence, ev)
		}
	}
	return it
}

// suggestField returns ": did you mean X?" for a misspelt field name, and
// X ("" when no field is close).
func suggestField(got string, allowed []string) (string, string) {
	best := graph.Closest(got, allowed)
	if best == "" {
		return ": use " + quoteList(allowed), ""
	}
	return fmt.Sprintf(": did you mean %q?", best), best
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
