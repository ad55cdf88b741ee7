package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// dotStyle is how Graphviz draws a kind of node.
type dotStyle struct {
	shape, color string
}

var dotStyles = map[graph.Kind]dotStyle{
	graph.KindConference:   {"doubleoctagon", "#f4cccc"},
	graph.KindTalk:         {"box", "#cfe2f3"},
	graph.KindPerson:       {"ellipse", "#d9ead3"},
	graph.KindCompany:      {"house", "#fff2cc"},
	graph.KindOrganization: {"hexagon", "#fce5cd"},
	graph.KindTool:         {"component", "#d9d2e9"},
	graph.KindConcept:      {"oval", "#ead1dc"},
	graph.KindPublication:  {"tab", "#d0e0e3"},
	graph.KindSource:       {"note", "#eeeeee"},
	graph.KindBrand:        {"cds", "#e2efda"},
}

const dotHead = `digraph talkgraph {
  graph [rankdir=LR, overlap=false, fontname="Helvetica"];
  node [style="rounded,filled", fontname="Helvetica", fontsize=11];
  edge [fontname="Helvetica", fontsize=9, color="#666666"];
`

// WriteDOT writes src as a Graphviz digraph (talkgraph export --format dot
// | dot -Tsvg > graph.svg): nodes labelled with their names, shaped and
// coloured by kind, with the English description as tooltip; edges
// labelled with their relation type, with the first quote of their
// evidence as tooltip; the focus of a Subgraph is drawn bold. It returns
// the Source's error or the first write error.
func WriteDOT(w io.Writer, src Source) error {
	out := newLines(w)
	if err := out.put(dotHead); err != nil {
		return err
	}
	focus := ""
	if g, ok := src.(*Subgraph); ok {
		focus = g.Focus
	}
	err := src.EachNode(func(n *graph.Node) error {
		st, ok := dotStyles[n.Kind]
		if !ok {
			st = dotStyle{"ellipse", "#ffffff"}
		}
		attrs := fmt.Sprintf("label=%s, shape=%s, fillcolor=%s, tooltip=%s",
			dotQuote(n.Name), st.shape, dotQuote(st.color), dotQuote(tooltip(n.Kind, n.Describe("en"))))
		if n.ID == focus {
			attrs += ", penwidth=3"
		}
		return out.put("  ", dotQuote(n.ID), " [", attrs, "];\n")
	})
	if err != nil {
		return err
	}
	err = src.EachEdge(func(e graph.Edge) error {
		attrs := "label=" + dotQuote(e.Type)
		if len(e.Evidence) > 0 && e.Evidence[0].Quote != "" {
			attrs += ", tooltip=" + dotQuote(e.Evidence[0].Quote)
		}
		return out.put("  ", dotQuote(e.From), " -> ", dotQuote(e.To), " [", attrs, "];\n")
	})
	if err != nil {
		return err
	}
	if err := out.put("}\n"); err != nil {
		return err
	}
	return out.flush()
}

func tooltip(k graph.Kind, desc string) string {
	if desc == "" {
		return string(k)
	}
	return string(k) + ": " + desc
}

// dotQuote returns s as a DOT double-quoted string. Graphviz reads escape
// sequences in labels (\n, \l, \N, \G…), so a backslash is doubled and a
// line break written \n; a double quote is escaped; other control
// characters, which Graphviz cannot show, become spaces.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
