package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/talkgraph/talkgraph/graph"
)

// WriteJSON writes src as one JSON document, {"nodes": [...], "edges":
// [...]}, one node or edge a line, each with every field of graph.Node and
// graph.Edge (evidence included, each piece naming its data set). It
// returns the Source's error or the first write error.
func WriteJSON(w io.Writer, src Source) error {
	out := newLines(w)
	if err := out.put(`{"nodes":[`); err != nil {
		return err
	}
	sep := "\n"
	err := src.EachNode(func(n *graph.Node) error {
		b, err := marshal(n)
		if err != nil {
			return fmt.Errorf("encode node %s: %w", n.ID, err)
		}
		err, sep = out.put(sep, b), ",\n"
		return err
	})
	if err != nil {
		return err
	}
	if err := out.put("\n],\"edges\":["); err != nil {
		return err
	}
	sep = "\n"
	err = src.EachEdge(func(e graph.Edge) error {
		b, err := marshal(e)
		if err != nil {
			return fmt.Errorf("encode edge %s %s %s: %w", e.From, e.Type, e.To, err)
		}
		err, sep = out.put(sep, b), ",\n"
		return err
	})
	if err != nil {
		return err
	}
	if err := out.put("\n]}\n"); err != nil {
		return err
	}
	return out.flush()
}

// ndNode and ndEdge are the records of NDJSON. An edge's relation type is
// "relation", since "type" says what the record is.
type ndNode struct {
	Type string `json:"type"`
	*graph.Node
}

type ndEdge struct {
	Type     string           `json:"type"`
	From     string           `json:"from"`
	Relation string           `json:"relation"`
	To       string           `json:"to"`
	Evidence []graph.Evidence `json:"evidence"`
}

// WriteNDJSON writes src as newline-delimited JSON: one object a line,
// every node ({"type":"node", ...the fields of graph.Node}) then every edge
// ({"type":"edge", "from", "relation", "to", "evidence"}). It returns the
// Source's error or the first write error.
func WriteNDJSON(w io.Writer, src Source) error {
	out := newLines(w)
	err := src.EachNode(func(n *graph.Node) error {
		b, err := marshal(ndNode{Type: "node", Node: n})
		if err != nil {
			return fmt.Errorf("encode node %s: %w", n.ID, err)
		}
		return out.put(b, "\n")
	})
	if err != nil {
		return err
	}
	err = src.EachEdge(func(e graph.Edge) error {
		b, err := marshal(ndEdge{Type: "edge", From: e.From, Relation: e.Type, To: e.To, Evidence: e.Evidence})
		if err != nil {
			return fmt.Errorf("encode edge %s %s %s: %w", e.From, e.Type, e.To, err)
		}
		return out.put(b, "\n")
	})
	if err != nil {
		return err
	}
	return out.flush()
}

// marshal encodes v on one line without escaping <, > and &.
func marshal(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte{'\n'})), nil
}
