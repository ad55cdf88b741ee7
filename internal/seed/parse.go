package seed

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/talkgraph/talkgraph/graph"
	"go.yaml.in/yaml/v3"
)

// item is a node or an edge read from a file, with the place of each field
// so a graph.FieldProblem's field can be reported where it stands.
type item struct {
	node *graph.Node
	edge *graph.Edge
	pos  map[string]Pos // by field path, "" for the item itself
	// reported holds the field paths ("" for the whole item) whose problem
	// the parser already reported: a later check of the item drops what
	// follows from it (an empty name after "name: [a, b]"), so each
	// mistake is reported once, by its cause.
	reported map[string]bool
}

func (it item) at(field string) Pos {
	for f := field; ; {
		if p, ok := it.pos[f]; ok {
			return p
		}
		i := bytes.LastIndexByte([]byte(f), '.')
		if i < 0 {
			return it.pos[""]
		}
		f = f[:i]
	}
}

// report marks field as reported.
func (it item) report(field string) {
	if it.reported != nil {
		it.reported[field] = true
	}
}

// followsFrom reports whether a problem of field follows from one the
// parser reported: of the field, of a field it is part of, or of the item.
func (it item) followsFrom(field string) bool {
	if it.reported[""] {
		return true
	}
	for f := field; f != ""; {
		if it.reported[f] {
			return true
		}
		i := strings.LastIndexByte(f, '.')
		if i < 0 {
			return false
		}
		f = f[:i]
	}
	return false
}

// file is one parsed seed file.
type file struct {
	name   string // as shown: the data set's Display and base
	base   string // the file's name in the data set's directory
	data   []byte // the bytes parsed, kept with the data set (graph.SeedFile)
	size   int64
	digest [sha256.Size]byte // of the bytes parsed
	nodes  []item
	edges  []item
	// unparsed is set when the file could not be read as YAML; raw then
	// holds its bytes (nil when it was not read at all).
	unparsed bool
	raw      []byte
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseFile reads one seed file into items, reporting every problem it can
// find without looking at other files.
func parseFile(name string, data []byte, c *problems) *file {
	f := &file{name: name}
	unparsed := func(p Pos, format string, a ...any) *file {
		c.addUnreadable(p, format, a...)
		f.unparsed, f.raw = true, data
		return f
	}
	if i := invalidUTF8(data); i >= 0 {
		line, col := lineCol(data, i)
		return unparsed(Pos{name, line, col}, "invalid UTF-8: save the file as UTF-8")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return f // an empty file holds nothing
		}
		return unparsed(yamlErrPos(name, err), "%s: fix the YAML syntax", yamlMsg(err))
	}
	// A syntax error further down is reported alone: what comes before it
	// may be cut short, so its problems would mislead.
	var second yaml.Node
	if err := dec.Decode(&second); err == nil {
		c.add(Pos{name, second.Line, second.Column}, "a second YAML document starts here: keep one document per file (split it into two files)")
	} else if !errors.Is(err, io.EOF) {
		return unparsed(yamlErrPos(name, err), "%s: fix the YAML syntax", yamlMsg(err))
	}
	if refuseAnchors(name, &doc, c) {
		return f
	}
	p := parser{file: name, c: c}
	p.top(f, doc.Content[0])
	return f
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func lineCol(b []byte, off int) (int, int) {
	line := 1 + bytes.Count(b[:off], []byte{'\n'})
	start := bytes.LastIndexByte(b[:off], '\n') + 1
	return line, utf8.RuneCount(b[start:off]) + 1
}

func yamlErrPos(name string, err error) Pos {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Pos{name, n, 1}
	}
	return Pos{name, 1, 1} // yaml names no line for an error on the first
}

func yamlMsg(err error) string {
	msg := err.Error()
	msg = regexp.MustCompile(`^yaml: (line \d+: )?`).ReplaceAllString(msg, "")
	return msg
}

// refuseAnchors reports anchors and aliases: seed files are data, and an
// alias can make a small file expand into a huge one.
func refuseAnchors(name string, n *yaml.Node, c *problems) bool {
	found := false
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Anchor != "" || n.Kind == yaml.AliasNode {
			c.add(Pos{name, n.Line, n.Column}, "anchors and aliases are not allowed in seed files: write the value out")
			found = true
			return
		}
		for _, ch := range n.Content {
			walk(ch)
		}
	}
	walk(n)
	return found
}

// parser turns the YAML tree of one file into items.
type parser struct {
	file string
	c    *problems
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{p.file, n.Line, n.Column} }

// top reads the file's items. An item with a problem is kept, as far as it
// could be read, so that what refers to it finds it: a node whose name is
// misspelt still defines its id, and the edges that name it report nothing.
// Nothing is written while any problem stands.
func (p *parser) top(f *file, n *yaml.Node) {
	fields := p.mapping(n, "the file", []string{"nodes", "edges"}, nil, item{})
	if v, ok := fields["nodes"]; ok {
		for _, ch := range p.list(v, "nodes", item{}, "") {
			f.nodes = append(f.nodes, p.node(ch))
		}
	}
	if v, ok := fields["edges"]; ok {
		for _, ch := range p.list(v, "edges", item{}, "") {
			f.edges = append(f.edges, p.edge(ch))
		}
	}
}

// mapping checks that n is a mapping whose keys are all in allowed and
// required ones are present, and returns the values by key. A key that is
// not allowed is reported with the allowed key closest to it; when that key
// is not given, the value is read as its (so "nmae: Fjordsoft" is one
// problem, not also a node without a name that every edge to it trips on).
// Problems are marked reported in it, under prefix.
func (p *parser) mapping(n *yaml.Node, what string, allowed, required []string, it item, prefix ...string) map[string]*yaml.Node {
	at := func(field string) string {
		if len(prefix) > 0 {
			return prefix[0] + "." + field
		}
		return field
	}
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		p.c.add(p.pos(n), "%s must be a mapping of %s", what, quoteList(allowed))
		if len(prefix) > 0 {
			it.report(prefix[0])
		} else {
			it.report("")
		}
		return out
	}
	given := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		given[n.Content[i].Value] = true
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !contains(allowed, k.Value):
			hint, guess := suggestField(k.Value, allowed)
			p.c.add(p.pos(k), "unknown field %q in %s%s", k.Value, what, hint)
			if guess != "" && !given[guess] {
				given[guess] = true
				out[guess] = v
			}
		case out[k.Value] != nil:
			p.c.add(p.pos(k), "field %q appears twice in %s: keep one", k.Value, what)
		default:
			out[k.Value] = v
		}
	}
	for _, r := range required {
		if out[r] == nil {
			p.c.add(p.pos(n), "%s has no %q field: add it", what, r)
			it.report(at(r))
		}
	}
	return out
}

// list returns the items of a list, reporting anything else as a problem
// of field.
func (p *parser) list(n *yaml.Node, what string, it item, field string) []*yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.c.add(p.pos(n), "%q must be a list (items starting with \"- \")", what)
		it.report(field)
		return nil
	}
	return n.Content
}

// scalar returns the text of a scalar value, reporting anything else as a
// problem of field.
func (p *parser) scalar(n *yaml.Node, what string, it item, field string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.c.add(p.pos(n), "%s must be a single value", what)
		it.report(field)
		return "", false
	}
	return n.Value, true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	var b bytes.Buffer
	for i, s := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}
