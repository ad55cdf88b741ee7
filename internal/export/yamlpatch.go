package export

// Patching an item whose content changed: only its changed fields are
// rewritten, the rest of its text (comments, quoting, order) kept.

import (
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// nodeSame reports whether the node a file defines is the stored one.
func nodeSame(a, b *graph.Node) bool {
	for _, fd := range graph.NodeFields {
		if !fieldSame(a, b, fd.Name) {
			return false
		}
	}
	return true
}

func fieldSame(a, b *graph.Node, name string) bool {
	switch name {
	case "id":
		return a.ID == b.ID
	case "kind":
		return a.Kind == b.Kind
	case "name":
		return a.Name == b.Name
	case "aliases":
		return slices.Equal(a.Aliases, b.Aliases)
	case "description":
		return maps.Equal(a.Description, b.Description)
	case "props":
		return maps.Equal(a.Props, b.Props)
	}
	panic("export: no comparison for the node field " + name)
}

func evidenceSame(a, b []graph.Evidence) bool {
	return slices.EqualFunc(a, b, func(x, y graph.Evidence) bool { return x.Source == y.Source && x.Quote == y.Quote })
}

// patchNode writes a changed node: each field that did not change as it
// was, a changed one written anew (an entry of its description or props at
// a time), a removed one left out and a new one after the field it
// follows in the format.
func (rs *roundSet) patchNode(f *rawFile, it *rawItem, n *graph.Node) (string, error) {
	if it.fields == nil {
		item, err := encodeItem(nodeYAML(n))
		return reindent(item, it.dashCol), err
	}
	// A field the file lacks goes after the last of its fields that comes
	// before it in the format's order (after the first, when none does).
	order := map[string]int{}
	for i, fd := range graph.NodeFields {
		order[fd.Name] = i
	}
	after := map[int][]string{}
	for _, nf := range graph.NodeFields {
		if nodeField(n, nf.Name) == nil || slices.ContainsFunc(it.fields, func(fd rawField) bool { return fd.name == nf.Name }) {
			continue
		}
		at := 0
		for i, fd := range it.fields {
			if o, ok := order[fd.name]; ok && o < order[nf.Name] {
				at = i
			}
		}
		after[at] = append(after[at], nf.Name)
	}
	var b strings.Builder
	b.WriteString(f.text(span{it.from, it.fields[0].from}))
	for i, fd := range it.fields {
		if err := rs.patchField(&b, f, it, i, n); err != nil {
			return "", err
		}
		for _, name := range after[i] {
			s, err := renderPair(name, nodeField(n, name), fd.col)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
	}
	b.WriteString(f.text(span{it.fields[len(it.fields)-1].to, it.to}))
	return b.String(), nil
}

// patchField writes field i of a node as n now has it.
func (rs *roundSet) patchField(b *strings.Builder, f *rawFile, it *rawItem, i int, n *graph.Node) error {
	fd := it.fields[i]
	v := nodeField(n, fd.name)
	switch {
	case fieldSame(it.node, n, fd.name):
		b.WriteString(f.text(fd.gap) + f.text(fd.span))
	case v == nil:
		if f.hasComment(fd.gap) {
			b.WriteString(f.text(fd.gap))
		}
	case fd.parts != nil && (fd.name == "description" || fd.name == "props"):
		b.WriteString(f.text(fd.gap))
		old, now := it.node.Description, n.Description
		value := func(k, v string, col int) *yaml.Node { return text(v, col+2+len(k)) }
		if fd.name == "props" {
			old, now = it.node.Props, n.Props
			value = func(k, v string, col int) *yaml.Node { return propYAML(k, v, col+2+len(k)) }
		}
		return patchMap(b, f, fd, old, now, value)
	default:
		b.WriteString(f.text(fd.gap))
		s, err := renderPair(fd.name, v, fd.col)
		if err != nil {
			return err
		}
		if i == 0 { // on the item's "- " line
			s = f.lines[fd.from][:fd.col] + s[fd.col:]
		}
		b.WriteString(s)
	}
	return nil
}

// patchMap writes a description or props mapping: its entries that did
// not change as they were, changed ones anew, new ones after the last.
func patchMap(b *strings.Builder, f *rawFile, fd rawField, old, now map[string]string, value func(k, v string, col int) *yaml.Node) error {
	col := fd.parts[0].col
	for j, e := range fd.parts {
		v, ok := now[e.name]
		switch {
		case ok && v == old[e.name]:
			b.WriteString(f.text(e.gap) + f.text(e.span))
		case ok:
			b.WriteString(f.text(e.gap))
			s, err := renderPair(e.name, value(e.name, v, col), col)
			if err != nil {
				return err
			}
			b.WriteString(s)
		case j == 0 || f.hasComment(e.gap): // the first gap holds the field's key
			b.WriteString(f.text(e.gap))
		}
	}
	for _, k := range sortedKeys(now) {
		if _, had := old[k]; !had {
			s, err := renderPair(k, value(k, now[k], col), col)
			if err != nil {
				return err
			}
			b.WriteString(s)
		}
	}
	b.WriteString(f.text(span{fd.parts[len(fd.parts)-1].to, fd.to}))
	return nil
}

// patchEdge writes an edge whose evidence changed: its from, type and to
// as they were, each piece of evidence it kept as it was, new ones anew.
func (rs *roundSet) patchEdge(f *rawFile, it *rawItem, e graph.Edge) (string, error) {
	i := slices.IndexFunc(it.fields, func(fd rawField) bool { return fd.name == "evidence" })
	if i < 0 || it.fields[i].parts == nil {
		if i < 0 || i == 0 {
			item, err := encodeItem(edgeYAML(e))
			return reindent(item, it.dashCol), err
		}
		fd := it.fields[i]
		s, err := renderPair("evidence", edgeField(e, "evidence"), fd.col)
		return f.text(span{it.from, fd.gap.from}) + f.text(fd.gap) + s + f.text(span{fd.to, it.to}), err
	}
	fd := it.fields[i]
	var b strings.Builder
	b.WriteString(f.text(span{it.from, fd.gap.from}) + f.text(fd.gap))
	b.WriteString(f.text(fd.parts[0].gap)) // the "evidence:" key
	next := 0
	for _, ev := range e.Evidence {
		k := slices.IndexFunc(fd.parts[next:], func(p rawField) bool { return evidenceSame([]graph.Evidence{p.ev}, []graph.Evidence{ev}) })
		if k >= 0 {
			p := fd.parts[next+k]
			if next+k > 0 {
				b.WriteString(f.text(p.gap))
			}
			b.WriteString(f.text(p.span))
			next += k + 1
			continue
		}
		s, err := renderAt(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{evidenceYAML(ev)}}, fd.parts[0].col)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	b.WriteString(f.text(span{fd.parts[len(fd.parts)-1].to, it.to}))
	return b.String(), nil
}

// renderPair writes "name: value" at column col.
func renderPair(name string, v *yaml.Node, col int) (string, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	pair(m, name, v)
	return renderAt(m, col)
}

// reindent moves an item encodeItem wrote (its "-" at column 2) to column
// col.
func reindent(item string, col int) string {
	if col == 2 {
		return item
	}
	var b strings.Builder
	for _, l := range strings.SplitAfter(item, "\n") {
		switch {
		case strings.TrimSpace(l) == "":
			b.WriteString(l)
		case col > 2:
			b.WriteString(strings.Repeat(" ", col-2) + l)
		default:
			b.WriteString(l[2-col:])
		}
	}
	return b.String()
}
