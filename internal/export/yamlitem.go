package export

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// yamlWidth is the line length folded text is wrapped at, as in the
// hand-written seed files.
const yamlWidth = 80

// nodeYAML writes n's fields in the order of graph.NodeFields, leaving out
// the empty optional ones.
func nodeYAML(n *graph.Node) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range graph.NodeFields {
		if v := nodeField(n, f.Name); v != nil {
			pair(m, f.Name, v)
		}
	}
	return m
}

// nodeField is the YAML of one field of n, nil when n has none. A field of
// graph's table it does not know panics: the export must not drop a field
// of the format silently (the package's tests export every field).
func nodeField(n *graph.Node, name string) *yaml.Node {
	switch name {
	case "id":
		return str(n.ID)
	case "kind":
		return str(string(n.Kind))
	case "name":
		return text(n.Name, 10)
	case "aliases":
		return aliasesYAML(n.Aliases)
	case "description":
		return mapYAML(n.Description, func(l, v string) *yaml.Node { return text(v, 8+len(l)) })
	case "props":
		return mapYAML(n.Props, func(k, v string) *yaml.Node { return propYAML(k, v, 8+len(k)) })
	}
	panic("export: no YAML for the node field " + name)
}

func aliasesYAML(aliases []string) *yaml.Node {
	if len(aliases) == 0 {
		return nil
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	width := 13 // "    aliases: [" and "]"
	for _, a := range aliases {
		seq.Content = append(seq.Content, str(a))
		width += utf8.RuneCountInString(a) + 2
	}
	if width > yamlWidth {
		seq.Style = 0 // one alias a line
	}
	return seq
}

// mapYAML writes m in key order, each value by value; nil when m is empty.
func mapYAML(m map[string]string, value func(k, v string) *yaml.Node) *yaml.Node {
	if len(m) == 0 {
		return nil
	}
	out := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range sortedKeys(m) {
		pair(out, k, value(k, m[k]))
	}
	return out
}

// edgeYAML writes e's fields in the order of graph.EdgeFields.
func edgeYAML(e graph.Edge) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range graph.EdgeFields {
		pair(m, f.Name, edgeField(e, f.Name))
	}
	return m
}

// edgeField is the YAML of one field of e; like nodeField, it panics on a
// field it does not know.
func edgeField(e graph.Edge, name string) *yaml.Node {
	switch name {
	case "from":
		return str(e.From)
	case "type":
		return str(e.Type)
	case "to":
		return str(e.To)
	case "evidence":
		evs := &yaml.Node{Kind: yaml.SequenceNode}
		for _, ev := range e.Evidence {
			evs.Content = append(evs.Content, evidenceYAML(ev))
		}
		return evs
	}
	panic("export: no YAML for the edge field " + name)
}

// evidenceYAML writes ev's fields in the order of graph.EvidenceFields,
// leaving out an empty quote.
func evidenceYAML(ev graph.Evidence) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range graph.EvidenceFields {
		switch f.Name {
		case "source":
			pair(m, f.Name, str(ev.Source))
		case "quote":
			if ev.Quote != "" {
				pair(m, f.Name, text(ev.Quote, 15))
			}
		default:
			panic("export: no YAML for the evidence field " + f.Name)
		}
	}
	return m
}

func pair(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

// str is a string scalar: plain when YAML reads it back as the same
// string, else quoted (the encoder decides).
func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// text is str written folded (>-) when it would pass yamlWidth starting at
// column col and folding keeps it exact; encodeItem then wraps it.
func text(s string, col int) *yaml.Node {
	n := str(s)
	if col+utf8.RuneCountInString(s) > yamlWidth && foldable(s) {
		n.Style = yaml.FoldedStyle
	}
	return n
}

// foldable reports whether s survives folding: one line of printable text,
// words separated by single spaces.
func foldable(s string) bool {
	if strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		if r != ' ' && (!unicode.IsPrint(r) || unicode.IsSpace(r)) {
			return false
		}
	}
	return true
}

var (
	intValue  = regexp.MustCompile(`^-?[0-9]+$`)
	dateValue = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	timeValue = regexp.MustCompile(`^[0-9]{2}:[0-9]{2}$`)
)

// propYAML writes ints, dates and times plain (order: 1, date: 2017-04-24),
// as in the hand-written files; the loader reads a scalar's text whatever
// YAML type it resolves to.
func propYAML(name, v string, col int) *yaml.Node {
	var plain bool
	switch graph.Props[name] {
	case graph.PropInt:
		plain = intValue.MatchString(v)
	case graph.PropDate:
		plain = dateValue.MatchString(v)
	case graph.PropTime:
		plain = timeValue.MatchString(v)
	case graph.PropURL:
		return str(v)
	default:
		return text(v, col)
	}
	if !plain {
		return str(v)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: v}
}

// encodeItem encodes one list item, indented to sit under "nodes:" or
// "edges:", with folded text wrapped.
func encodeItem(item *yaml.Node) (string, error) {
	return renderAt(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}}, 2)
}

// renderAt encodes v (a list or a mapping) as block YAML starting at
// column col, with folded text wrapped.
func renderAt(v *yaml.Node, col int) (string, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	out := wrapFolded(b.String(), yamlWidth-col)
	pad := strings.Repeat(" ", col)
	var ind strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		if line != "" && line != "\n" {
			ind.WriteString(pad)
		}
		ind.WriteString(line)
	}
	return ind.String(), nil
}

// wrapFolded wraps the one-line content of each folded scalar (a line
// ending in ">-" followed by a more indented line) at width, breaking
// at single spaces, which folding turns back into spaces. The result is
// kept only when it reads back as the same value as doc; otherwise doc is
// returned as it is.
func wrapFolded(doc string, width int) string {
	lines := strings.Split(doc, "\n")
	var out []string
	changed := false
	for i := 0; i < len(lines); i++ {
		out = append(out, lines[i])
		if !strings.HasSuffix(lines[i], ">-") || i+1 >= len(lines) {
			continue
		}
		next := lines[i+1]
		indent := len(next) - len(strings.TrimLeft(next, " "))
		if indent <= len(lines[i])-len(strings.TrimLeft(lines[i], " ")) || utf8.RuneCountInString(next) <= width {
			continue
		}
		out = append(out, wrapLine(next[indent:], strings.Repeat(" ", indent), width)...)
		changed = true
		i++
	}
	if !changed {
		return doc
	}
	wrapped := strings.Join(out, "\n")
	var a, b any
	if yaml.Unmarshal([]byte(doc), &a) != nil || yaml.Unmarshal([]byte(wrapped), &b) != nil || !reflect.DeepEqual(a, b) {
		return doc
	}
	return wrapped
}

// wrapLine breaks s at spaces into lines of at most width characters with
// the given indent, counted in characters; a word longer than that stands
// on its own line.
func wrapLine(s, indent string, width int) []string {
	var lines []string
	cur := indent
	for _, w := range strings.Split(s, " ") {
		switch {
		case cur == indent:
			cur += w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > width:
			lines = append(lines, cur)
			cur = indent + w
		default:
			cur += " " + w
		}
	}
	return append(lines, cur)
}
