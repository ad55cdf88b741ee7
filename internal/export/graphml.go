package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

const graphmlHead = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
`

// WriteGraphML writes src as GraphML 1.0 (Gephi, Cytoscape desktop,
// networkx, yEd). Node ids are talkgraph ids; an edge's id is
// "from:type:to", which no other edge shares. Nodes carry label (the name,
// which Gephi shows), kind, name, aliases (a JSON list), description_<lang>
// for every language present (en and fr always declared), dataset and one
// attribute per property; edges carry label and type (the relation type),
// evidence (a JSON list of {source, quote, dataset}), and quote and source
// (those of the first piece of evidence). Characters XML 1.0 cannot hold
// (control characters other than tab and newline) become U+FFFD. It returns
// the Source's error or the first write error.
func WriteGraphML(w io.Writer, src Source) error {
	langs, err := languages(src)
	if err != nil {
		return err
	}
	out := newLines(w)
	if err := out.put(graphmlHead, graphmlKeys(langs), "  <graph id=\"talkgraph\" edgedefault=\"directed\">\n"); err != nil {
		return err
	}
	if err := src.EachNode(func(n *graph.Node) error { return out.put(graphmlNode(n, langs)) }); err != nil {
		return err
	}
	err = src.EachEdge(func(e graph.Edge) error {
		s, err := graphmlEdge(e)
		if err != nil {
			return err
		}
		return out.put(s)
	})
	if err != nil {
		return err
	}
	if err := out.put("  </graph>\n</graphml>\n"); err != nil {
		return err
	}
	return out.flush()
}

// languages returns the description languages of src, en and fr always
// among them, sorted.
func languages(src Source) ([]string, error) {
	set := map[string]bool{"en": true, "fr": true}
	err := src.EachNode(func(n *graph.Node) error {
		for l := range n.Description {
			set[l] = true
		}
		return nil
	})
	return slices.Sorted(maps.Keys(set)), err
}

// graphmlKeys declares the attributes. Key ids start with n_ or e_ so that
// a node and an edge attribute of the same name do not clash.
func graphmlKeys(langs []string) string {
	var b strings.Builder
	key := func(id, on, name, typ string) {
		fmt.Fprintf(&b, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n", id, on, name, typ)
	}
	for _, k := range []string{"label", "kind", "name", "aliases"} {
		key("n_"+k, "node", k, "string")
	}
	for _, l := range langs {
		key("n_description_"+l, "node", "description_"+l, "string")
	}
	key("n_dataset", "node", "dataset", "string")
	for _, p := range slices.Sorted(maps.Keys(graph.Props)) {
		typ := "string"
		if graph.Props[p] == graph.PropInt {
			typ = "long"
		}
		key("n_"+p, "node", p, typ)
	}
	for _, k := range []string{"label", "type", "evidence", "quote", "source"} {
		key("e_"+k, "edge", k, "string")
	}
	return b.String()
}

func graphmlNode(n *graph.Node, langs []string) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "    <node id=\"%s\">\n", xmlText(n.ID))
	data(&b, "n_label", n.Name)
	data(&b, "n_kind", string(n.Kind))
	data(&b, "n_name", n.Name)
	if len(n.Aliases) > 0 {
		a, _ := marshal(n.Aliases)
		data(&b, "n_aliases", a)
	}
	for _, l := range langs {
		data(&b, "n_description_"+l, n.Description[l])
	}
	data(&b, "n_dataset", n.Dataset)
	for _, p := range sortedKeys(n.Props) {
		data(&b, "n_"+p, n.Props[p])
	}
	b.WriteString("    </node>\n")
	return b.String()
}

// evidenceRecord is one piece of evidence as the GraphML evidence attribute
// lists it.
type evidenceRecord struct {
	Source  string `json:"source"`
	Quote   string `json:"quote,omitempty"`
	Dataset string `json:"dataset"`
}

func graphmlEdge(e graph.Edge) (string, error) {
	recs := make([]evidenceRecord, len(e.Evidence))
	for i, ev := range e.Evidence {
		recs[i] = evidenceRecord{ev.Source, ev.Quote, ev.Dataset}
	}
	js, err := marshal(recs)
	if err != nil {
		return "", fmt.Errorf("encode evidence of %s %s %s: %w", e.From, e.Type, e.To, err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n",
		xmlText(e.From+":"+e.Type+":"+e.To), xmlText(e.From), xmlText(e.To))
	data(&b, "e_label", e.Type)
	data(&b, "e_type", e.Type)
	data(&b, "e_evidence", js)
	if len(e.Evidence) > 0 {
		data(&b, "e_quote", e.Evidence[0].Quote)
		data(&b, "e_source", e.Evidence[0].Source)
	}
	b.WriteString("    </edge>\n")
	return b.String(), nil
}

// data writes one <data> element, or nothing for an empty value.
func data(b *bytes.Buffer, key, value string) {
	if value == "" {
		return
	}
	fmt.Fprintf(b, "      <data key=\"%s\">%s</data>\n", key, xmlText(value))
}

// xmlText escapes s for XML text and attribute values: & < > " ' and tab,
// newline and carriage return as character references; characters XML
// cannot hold become U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}
