package export

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// TestSeedFileWritesEveryField writes a node and an edge with every field
// of graph's table of the seed format set, and reads the keys back in
// order: a field added to the table must be written, in the table's order.
func TestSeedFileWritesEveryField(t *testing.T) {
	n := &graph.Node{ID: "vault", Kind: graph.KindTool, Name: "Vault", Aliases: []string{"HashiCorp Vault"},
		Description: map[string]string{"en": "A secrets store."}, Props: map[string]string{"url": "https://vaultproject.io"}}
	e := graph.Edge{From: "talk-a", Type: "mentions", To: "vault",
		Evidence: []graph.Evidence{{Source: "article", Quote: "we use Vault"}}}
	b, err := SeedFile("# test\n", []*graph.Node{n}, []graph.Edge{e})
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("read back: %v\n%s", err, b)
	}
	top := doc.Content[0]
	node := value(t, top, "nodes").Content[0]
	edge := value(t, top, "edges").Content[0]
	tests := []struct {
		name  string
		item  *yaml.Node
		table []graph.Field
	}{
		{"node", node, graph.NodeFields},
		{"edge", edge, graph.EdgeFields},
		{"evidence", value(t, edge, "evidence").Content[0], graph.EvidenceFields},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := strings.Join(keys(tt.item), ","), strings.Join(graph.FieldNames(tt.table), ","); got != want {
				t.Errorf("fields written: got %s, want %s\n%s", got, want, b)
			}
		})
	}
}

// value returns the value of key in mapping m.
func value(t *testing.T, m *yaml.Node, key string) *yaml.Node {
	t.Helper()
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	t.Fatalf("no %q in the written file", key)
	return nil
}

// keys returns the keys of mapping m, in order.
func keys(m *yaml.Node) []string {
	var out []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, m.Content[i].Value)
	}
	return out
}
