package seed

import (
	"fmt"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// TestParserReadsEveryField parses an item with every field of graph's
// table of the seed format set and checks the parser read each one (it
// records the field's position): a field added to the table must be read,
// not only allowed.
func TestParserReadsEveryField(t *testing.T) {
	sample := map[string]string{
		"id": "vault", "kind": "tool", "name": "Vault", "aliases": "[HashiCorp Vault]",
		"description": "{en: A secrets store.}", "props": "{url: 'https://vaultproject.io'}",
		"from": "talk-a", "type": "mentions", "to": "vault",
		"source": "article", "quote": "we use Vault",
	}
	var b strings.Builder
	write := func(fs []graph.Field, indent string, skip string) {
		for i, f := range fs {
			if f.Name == skip {
				continue
			}
			v, ok := sample[f.Name]
			if !ok {
				t.Fatalf("no sample value for the field %q: add one to this test", f.Name)
			}
			lead := indent + "  "
			if i == 0 {
				lead = indent + "- "
			}
			fmt.Fprintf(&b, "%s%s: %s\n", lead, f.Name, v)
		}
	}
	b.WriteString("nodes:\n")
	write(graph.NodeFields, "  ", "")
	b.WriteString("edges:\n")
	write(graph.EdgeFields, "  ", "evidence")
	b.WriteString("    evidence:\n")
	write(graph.EvidenceFields, "      ", "")

	c := &problems{}
	f := parseFile("all.yaml", []byte(b.String()), c)
	if len(c.list) > 0 || len(f.nodes) != 1 || len(f.edges) != 1 {
		t.Fatalf("parse: got %d nodes, %d edges, problems %v, want one of each and none\n%s", len(f.nodes), len(f.edges), c.list, b.String())
	}
	tests := []struct {
		name   string
		it     item
		prefix string
		table  []graph.Field
	}{
		{"node", f.nodes[0], "", graph.NodeFields},
		{"edge", f.edges[0], "", graph.EdgeFields},
		{"evidence", f.edges[0], "evidence.0.", graph.EvidenceFields},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, fd := range tt.table {
				if _, ok := tt.it.pos[tt.prefix+fd.Name]; !ok {
					t.Errorf("field %s%s: got not read, want read (teach the parser the field)", tt.prefix, fd.Name)
				}
			}
		})
	}
}
