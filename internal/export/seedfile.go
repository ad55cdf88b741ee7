package export

import (
	"fmt"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// SeedFile returns one seed file holding nodes and edges, in the given
// order, each written as the YAML export writes it, after header (comment
// lines, each "# …"). Other commands that write seed files (talkgraph link
// --write) use it so the format is written in one place. It returns an
// encoding error.
func SeedFile(header string, nodes []*graph.Node, edges []graph.Edge) ([]byte, error) {
	var b strings.Builder
	b.WriteString(header)
	if len(nodes) > 0 {
		b.WriteString("nodes:\n")
	}
	for _, n := range nodes {
		item, err := encodeItem(nodeYAML(n))
		if err != nil {
			return nil, fmt.Errorf("encode node %s: %w", n.ID, err)
		}
		b.WriteString(item)
	}
	if len(edges) > 0 {
		b.WriteString("edges:\n")
	}
	for _, e := range edges {
		item, err := encodeItem(edgeYAML(e))
		if err != nil {
			return nil, fmt.Errorf("encode edge %s %s %s: %w", e.From, e.Type, e.To, err)
		}
		b.WriteString(item)
	}
	return []byte(b.String()), nil
}
