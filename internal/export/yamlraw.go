package export

import (
	"bytes"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// A seed file as it was seeded (graph.SeedFile) is read into a layout: its
// lines cut into segments that cover them all, in order — text (comments,
// blank lines, the "nodes:" and "edges:" keys) and items. Writing every
// segment as it is gives the file back byte for byte; the round trip
// (yamlround.go) writes an item whose content changed from its fields, a
// field that did not change as it was.

// span is the lines [from, to) of a file.
type span struct{ from, to int }

// rawFile is the layout of one seed file.
type rawFile struct {
	name  string
	lines []string // each with its "\n" (but perhaps the last)
	segs  []seg
	lists map[string]*rawList // by key: "nodes", "edges"
}

// seg is a segment: an item, or text; text that holds a list's key is a
// header, never dropped.
type seg struct {
	span
	item   *rawItem
	list   *rawList // the list the item, or the gap before it, belongs to
	header bool
}

// rawList is the "nodes" or "edges" list of a file.
type rawList struct {
	key      string
	dashCol  int  // the column of its items' "-"
	blankSep bool // its items are separated by a blank line
	last     int  // the segment of its last item, -1 when it has none
	items    []*rawItem
}

// rawItem is one node or edge, as written (an edge may use an inverse
// type name), with the spans of its fields when it can be patched field by
// field (a block mapping, a field a line).
type rawItem struct {
	span
	dashCol int
	node    *graph.Node
	edge    *graph.Edge
	fields  []rawField // nil: rewritten whole when it changed
}

// rawField is a field of an item, an entry of a description or props
// mapping, or an element of an evidence list: the lines it takes (after
// the comments and blank lines before it, its gap), its column and its
// parts when they can be patched one by one.
type rawField struct {
	name string
	gap  span
	span
	col   int
	value string         // an entry's text
	ev    graph.Evidence // an evidence element's source and quote
	parts []rawField     // entries or evidence elements; nil: rewritten whole
}

// readRawFile reads the layout of a seed file; ok is false when the file
// is not laid out as the round trip can patch (items not starting with
// "- " on their first field's line, flow-style lists), and the caller
// then writes the data set's items afresh.
func readRawFile(name string, data []byte) (f *rawFile, ok bool) {
	f = &rawFile{name: name, lines: strings.SplitAfter(string(data), "\n"), lists: map[string]*rawList{}}
	if f.lines[len(f.lines)-1] == "" {
		f.lines = f.lines[:len(f.lines)-1]
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return f, len(bytes.TrimSpace(data)) == 0 || err == nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, false
	}
	at := 0 // the first line no segment holds yet
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if v.Kind == yaml.ScalarNode || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) { // "nodes:" or "nodes: []"
			continue
		}
		if v.Kind != yaml.SequenceNode || v.Style&yaml.FlowStyle != 0 || f.lists[k.Value] != nil {
			return nil, false
		}
		end := len(f.lines)
		if i+2 < len(top.Content) {
			end = top.Content[i+2].Line - 1
		}
		l := &rawList{key: k.Value, last: -1}
		f.lists[k.Value] = l
		for j, it := range v.Content {
			ri, ok := f.readItem(it, k.Value, itemEnd(v.Content, j, end))
			if !ok {
				return nil, false
			}
			if ri.from < at {
				return nil, false
			}
			f.segs = append(f.segs, seg{span: span{at, ri.from}, list: l, header: j == 0})
			f.segs = append(f.segs, seg{span: ri.span, item: ri, list: l})
			l.items, l.last, l.dashCol, at = append(l.items, ri), len(f.segs)-1, ri.dashCol, ri.to
			if j > 0 && blank(f.lines[ri.from-1]) {
				l.blankSep = true
			}
		}
	}
	f.segs = append(f.segs, seg{span: span{at, len(f.lines)}, header: true})
	return f, true
}

// itemEnd is the line after item j of a list ending before line end.
func itemEnd(items []*yaml.Node, j, end int) int {
	if j+1 < len(items) {
		return items[j+1].Line - 1
	}
	return end
}

// readItem reads one item of list key (a node or an edge) ending before
// line end.
func (f *rawFile) readItem(n *yaml.Node, key string, end int) (*rawItem, bool) {
	from := n.Line - 1
	line := f.lines[from]
	dash := strings.IndexByte(line, '-')
	if n.Kind != yaml.MappingNode || dash < 0 || strings.TrimSpace(line[:dash]) != "" || n.Column-1 <= dash {
		return nil, false
	}
	it := &rawItem{span: span{from, f.trimEnd(from, end, dash)}, dashCol: dash}
	switch key {
	case "nodes":
		it.node = readNode(n)
	case "edges":
		it.edge = readEdge(n)
	default:
		return nil, false
	}
	it.fields = f.readFields(n, it.span, func(name string, v *yaml.Node, fd *rawField) {
		switch name {
		case "description", "props":
			fd.parts = f.readFields(v, fd.span, func(_ string, v *yaml.Node, e *rawField) { e.value = v.Value })
		case "evidence":
			fd.parts = f.readEvidence(v, fd.span)
		}
	})
	return it, true
}

// readFields returns the spans of the pairs of mapping n, which takes the
// lines of sp, each read further by more; nil when n is not a block
// mapping of a pair a line (it is then written whole when it changes).
func (f *rawFile) readFields(n *yaml.Node, sp span, more func(string, *yaml.Node, *rawField)) []rawField {
	if n.Kind != yaml.MappingNode || n.Style&yaml.FlowStyle != 0 || len(n.Content) == 0 {
		return nil
	}
	var out []rawField
	prevEnd := sp.from
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		start := k.Line - 1
		if start < prevEnd || (i > 0 && start == n.Content[i-2].Line-1) {
			return nil
		}
		end := sp.to
		if i+2 < len(n.Content) {
			end = n.Content[i+2].Line - 1
		}
		fd := rawField{name: k.Value, gap: span{prevEnd, start}, span: span{start, f.trimEnd(start, end, k.Column-1)}, col: k.Column - 1}
		more(k.Value, v, &fd)
		out = append(out, fd)
		prevEnd = fd.to
	}
	return out
}

// readEvidence returns the spans of the elements of an evidence list that
// takes the lines of sp; nil when it is not a block list of block mappings.
func (f *rawFile) readEvidence(n *yaml.Node, sp span) []rawField {
	if n.Kind != yaml.SequenceNode || n.Style&yaml.FlowStyle != 0 || len(n.Content) == 0 {
		return nil
	}
	var out []rawField
	prevEnd := sp.from
	for j, el := range n.Content {
		start := el.Line - 1
		line := f.lines[start]
		dash := strings.IndexByte(line, '-')
		if el.Kind != yaml.MappingNode || el.Style&yaml.FlowStyle != 0 || start < prevEnd || dash < 0 || strings.TrimSpace(line[:dash]) != "" {
			return nil
		}
		end := itemEnd(n.Content, j, sp.to)
		e := rawField{gap: span{prevEnd, start}, span: span{start, f.trimEnd(start, end, dash)}, col: dash, ev: readEvidenceItem(el)}
		out = append(out, e)
		prevEnd = e.to
	}
	return out
}

// trimEnd moves the end of what starts at line from back over the blank
// lines and the comments at col or left of it: they belong to what
// follows.
func (f *rawFile) trimEnd(from, to, col int) int {
	for to-1 > from {
		l := f.lines[to-1]
		if !blank(l) && !(comment(l) && indent(l) <= col) {
			break
		}
		to--
	}
	return to
}

func blank(l string) bool   { return strings.TrimSpace(l) == "" }
func comment(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "#") }
func indent(l string) int   { return len(l) - len(strings.TrimLeft(l, " ")) }

// hasComment reports whether lines sp of f hold a comment.
func (f *rawFile) hasComment(sp span) bool {
	for _, l := range f.lines[sp.from:sp.to] {
		if comment(l) {
			return true
		}
	}
	return false
}

// readNode reads a node's fields as the loader does: each value's text.
func readNode(n *yaml.Node) *graph.Node {
	nd := &graph.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1]
		switch n.Content[i].Value {
		case "id":
			nd.ID = v.Value
		case "kind":
			nd.Kind = graph.Kind(v.Value)
		case "name":
			nd.Name = v.Value
		case "aliases":
			for _, a := range v.Content {
				nd.Aliases = append(nd.Aliases, a.Value)
			}
		case "description":
			nd.Description = readMap(v)
		case "props":
			nd.Props = readMap(v)
		}
	}
	return nd
}

func readMap(n *yaml.Node) map[string]string {
	if len(n.Content) == 0 {
		return nil
	}
	m := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[n.Content[i].Value] = n.Content[i+1].Value
	}
	return m
}

// readEdge reads an edge as written: its type may be an inverse name.
func readEdge(n *yaml.Node) *graph.Edge {
	e := &graph.Edge{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1]
		switch n.Content[i].Value {
		case "from":
			e.From = v.Value
		case "type":
			e.Type = v.Value
		case "to":
			e.To = v.Value
		case "evidence":
			for _, el := range v.Content {
				e.Evidence = append(e.Evidence, readEvidenceItem(el))
			}
		}
	}
	return e
}

func readEvidenceItem(n *yaml.Node) graph.Evidence {
	var ev graph.Evidence
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "source":
			ev.Source = n.Content[i+1].Value
		case "quote":
			ev.Quote = n.Content[i+1].Value
		}
	}
	return ev
}
