package export_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

func TestJSON(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := testdb.SeededFrom(t, c.fsys, c.display)
			tx := testdb.Begin(t, store)
			out := render(t, export.JSON, tx)
			var doc struct {
				Nodes []*graph.Node `json:"nodes"`
				Edges []graph.Edge  `json:"edges"`
			}
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("decode: got %v, want a JSON document", err)
			}
			nodes, edges := contents(t, tx)
			if !reflect.DeepEqual(doc.Nodes, nodes) {
				t.Errorf("nodes: got %d that differ from the store, want the store's %d", len(doc.Nodes), len(nodes))
			}
			if !reflect.DeepEqual(doc.Edges, edges) {
				t.Errorf("edges: got %d that differ from the store, want the store's %d", len(doc.Edges), len(edges))
			}
			st, err := store.Stats(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := [3]int{len(doc.Nodes), len(doc.Edges), evidenceCount(doc.Edges)}
			if want := [3]int{st.Nodes, st.Edges, st.Evidence}; got != want {
				t.Errorf("nodes, edges, evidence: got %v, want %v (the store's stats)", got, want)
			}
		})
	}
}

func TestNDJSON(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			nodes, edges := contents(t, tx)
			sc := bufio.NewScanner(bytes.NewReader(render(t, export.NDJSON, tx)))
			sc.Buffer(nil, 1<<20)
			var gotNodes []*graph.Node
			var gotEdges []graph.Edge
			for line := 1; sc.Scan(); line++ {
				var rec struct {
					Type     string `json:"type"`
					Relation string `json:"relation"`
				}
				if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
					t.Fatalf("line %d: got %v, want one JSON object", line, err)
				}
				switch {
				case rec.Type == "node" && len(gotEdges) == 0:
					var n graph.Node
					mustDecode(t, sc.Bytes(), &n)
					gotNodes = append(gotNodes, &n)
				case rec.Type == "edge":
					var e graph.Edge
					mustDecode(t, sc.Bytes(), &e)
					e.Type = rec.Relation
					gotEdges = append(gotEdges, e)
				default:
					t.Fatalf("line %d: got type %q, want node (before every edge) or edge", line, rec.Type)
				}
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotNodes, nodes) {
				t.Errorf("nodes: got %d that differ from the store, want the store's %d", len(gotNodes), len(nodes))
			}
			if !reflect.DeepEqual(gotEdges, edges) {
				t.Errorf("edges: got %d that differ from the store, want the store's %d", len(gotEdges), len(edges))
			}
		})
	}
}

func mustDecode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
