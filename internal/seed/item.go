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

func (p *parser) node(n *yaml.Node) (item, bool) {
	it := item{node: &graph.Node{}, pos: map[string]Pos{"": p.pos(n)}}
	before := len(p.c.list)
	f := p.mapping(n, "a node", nodeFields, nodeRequired)
	nd := it.node
	p.field(f, "id", &nd.ID, it.pos)
	var kind string
	p.field(f, "kind", &kind, it.pos)
	nd.Kind = graph.Kind(kind)
	p.field(f, "name", &nd.Name, it.pos)
	if v := f["aliases"]; v != nil {
		it.pos["aliases"] = p.pos(v)
		for _, a := range p.list(v, "aliases") {
			if s, ok := p.scalar(a, "an alias"); ok {
				it.pos[fmt.Sprintf("aliases.%d", len(nd.Aliases))] = p.pos(a)
				nd.Aliases = append(nd.Aliases, s)
			}
		}
	}
	nd.Description = p.textMap(f["description"], "description", it.pos)
	nd.Props = p.textMap(f["props"], "props", it.pos)
	return it, len(p.c.list) == before
}

// field stores the scalar value of a field and its position.
func (p *parser) field(f map[string]*yaml.Node, name string, dst *string, pos map[string]Pos) {
	p.fieldAt(f, name, dst, pos, name)
}

// fieldAt is field with the position recorded under path.
func (p *parser) fieldAt(f map[string]*yaml.Node, name string, dst *string, pos map[string]Pos, path string) {
	v := f[name]
	if v == nil {
		return
	}
	pos[path] = p.pos(v)
	if s, ok := p.scalar(v, fmt.Sprintf("%q", name)); ok {
		*dst = s
	}
}

// textMap reads a mapping of names to single values (descriptions by
// language, properties by name).
func (p *parser) textMap(n *yaml.Node, what string, pos map[string]Pos) map[string]string {
	if n == nil {
		return nil
	}
	pos[what] = p.pos(n)
	if n.Kind != yaml.MappingNode {
		p.c.add(p.pos(n), "%q must be a mapping (name: value on each line)", what)
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := out[k.Value]; dup {
			p.c.add(p.pos(k), "%q appears twice in %s: keep one", k.Value, what)
			continue
		}
		if s, ok := p.scalar(v, fmt.Sprintf("%s.%s", what, k.Value)); ok {
			out[k.Value] = s
			pos[what+"."+k.Value] = p.pos(v)
		}
	}
	return out
}

func (p *parser) edge(n *yaml.Node) (item, bool) {
	it := item{edge: &graph.Edge{}, pos: map[string]Pos{"": p.pos(n)}}
	before := len(p.c.list)
	f := p.mapping(n, "an edge", edgeFields, edgeRequired)
	e := it.edge
	p.field(f, "from", &e.From, it.pos)
	p.field(f, "type", &e.Type, it.pos)
	p.field(f, "to", &e.To, it.pos)
	if v := f["evidence"]; v != nil {
		it.pos["evidence"] = p.pos(v)
		for i, ch := range p.list(v, "evidence") {
			prefix := fmt.Sprintf("evidence.%d", i)
			it.pos[prefix] = p.pos(ch)
			ef := p.mapping(ch, "evidence", evidenceFields, evidenceRequired)
			var ev graph.Evidence
			p.fieldAt(ef, "source", &ev.Source, it.pos, prefix+".source")
			p.fieldAt(ef, "quote", &ev.Quote, it.pos, prefix+".quote")
			ev.File, ev.Line = p.file, ch.Line
			e.Evidence = append(e.Evidence, ev)
		}
	}
	return it, len(p.c.list) == before
}

// suggestField returns ": did you mean X?" for a misspelt field name, and
// X ("" when no field is close).
func suggestField(got string, allowed []string) (string, string) {
	best, bestD := "", 3
	for _, a := range allowed {
		if d := graph.EditDistance(got, a); d < bestD {
			best, bestD = a, d
		}
	}
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
