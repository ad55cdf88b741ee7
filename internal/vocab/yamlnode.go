package vocab

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// parseYAML reads a registry's YAML into nodes, refusing what a registry
// never needs and a hostile file could use: invalid UTF-8, anchors and
// aliases (which expand), a second document.
func parseYAML(name string, data []byte) (*yaml.Node, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s: %w: invalid UTF-8: give the registry file as published", name, ErrInput)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", name, ErrInput, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var bad *yaml.Node
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if bad != nil {
			return
		}
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			bad = n
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	if bad != nil {
		return nil, fmt.Errorf("%s:%d: %w: an anchor or alias: registry files write their values out", name, bad.Line, ErrInput)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: %w: the file is empty", name, ErrInput)
	}
	return doc.Content[0], nil
}

// pairs returns a mapping node's keys and values, in order; nil when n is
// not a mapping.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([][2]*yaml.Node, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	return out
}

// value returns the value of key in mapping n, or nil.
func value(n *yaml.Node, key string) *yaml.Node {
	for _, kv := range pairs(n) {
		if kv[0].Value == key {
			return kv[1]
		}
	}
	return nil
}

// str returns the scalar value of key in n, trimmed, or "".
func str(n *yaml.Node, key string) string {
	v := value(n, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// strs returns the scalar items of the list under key in n.
func strs(n *yaml.Node, key string) []string {
	v := value(n, key)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, c := range v.Content {
		if c.Kind == yaml.ScalarNode && strings.TrimSpace(c.Value) != "" {
			out = append(out, strings.TrimSpace(c.Value))
		}
	}
	return out
}

// fieldCheck sorts the fields of entries into the known, the misspelt
// (within two edits of a known field: a problem, for a typo would lose
// data silently) and the unknown (a note, once per field: a newer
// registry may add fields talkgraph does not read).
type fieldCheck struct {
	file    string
	known   []string
	probs   *Problems
	unknown map[string]string // field -> the first entry that has it
}

func newFieldCheck(file string, known []string, probs *Problems) *fieldCheck {
	return &fieldCheck{file: file, known: known, probs: probs, unknown: map[string]string{}}
}

// check looks at the fields of one entry, named entry, at line.
func (fc *fieldCheck) check(line int, entry string, fields []string) {
	for _, f := range fields {
		if slices.Contains(fc.known, f) {
			continue
		}
		if near := nearest(f, fc.known); near != "" {
			*fc.probs = append(*fc.probs, fmt.Sprintf("%s:%d: entry %q has the field %q: did you mean %q? (fix the file, or rename the field)", fc.file, line, entry, f, near))
			continue
		}
		if _, seen := fc.unknown[f]; !seen {
			fc.unknown[f] = fmt.Sprintf("%s:%d (%q)", fc.file, line, entry)
		}
	}
}

// notes returns a sentence per unknown field.
func (fc *fieldCheck) notes() []string {
	var out []string
	for _, f := range sortedStrings(mapsKeys(fc.unknown)) {
		out = append(out, fmt.Sprintf("%s: the field %q (first at %s) is not one talkgraph reads: ignored", fc.file, f, fc.unknown[f]))
	}
	return out
}

// nearest returns the known field within two edits of f, or "".
func nearest(f string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := graph.EditDistance(f, k); d < bestD && d > 0 {
			best, bestD = k, d
		}
	}
	return best
}

func mapsKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// oneLine joins the parts of an entry's quote, cut to the quote limit.
func oneLine(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			kept = append(kept, p)
		}
	}
	q := strings.Join(kept, "; ")
	if len(q) > graph.MaxQuoteLen {
		q = q[:graph.MaxQuoteLen-3]
		for !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
		q += "…"
	}
	return q
}

func sortedStrings(s []string) []string {
	slices.Sort(s)
	return s
}
