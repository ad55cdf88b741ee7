package seedschema

import (
	"bytes"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

var update = flag.Bool("update", false, "rewrite seeds/seed.schema.json")

const schemaFile = "../../seeds/seed.schema.json"

func TestSchemaFileUpToDate(t *testing.T) {
	want, err := JSON()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(schemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatalf("read %s: %v (go test ./internal/seedschema -update writes it)", schemaFile, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: got %d bytes that differ from the generated %d, want them equal: run go test ./internal/seedschema -update", schemaFile, len(got), len(want))
	}
}

// TestSlugPatternIsGraphs reads graph's idPattern from its source: graph
// does not export it, and the schema must not hold a copy that drifts.
func TestSlugPatternIsGraphs(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../../graph/model.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "idPattern" || len(vs.Values) != 1 {
			return true
		}
		if call, ok := vs.Values[0].(*ast.CallExpr); ok && len(call.Args) == 1 {
			if lit, ok := call.Args[0].(*ast.BasicLit); ok {
				got, _ = strconv.Unquote(lit.Value)
			}
		}
		return false
	})
	if got != slugPattern {
		t.Errorf("graph's idPattern: got %q, want %q (update slugPattern)", got, slugPattern)
	}
}

// TestFieldsAreGraphs checks that each object of the schema has the fields
// of graph's table of the seed format (which internal/seed's parser reads
// too), in its order, with its required ones and its docs.
func TestFieldsAreGraphs(t *testing.T) {
	s := build()
	tests := []struct {
		name  string
		def   string
		table []graph.Field
	}{
		{"node", "node", graph.NodeFields},
		{"edge", "edge", graph.EdgeFields},
		{"evidence", "evidence", graph.EvidenceFields},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := s.Defs[tt.def]
			if got, want := strings.Join(names(d.Properties), ","), strings.Join(graph.FieldNames(tt.table), ","); got != want {
				t.Errorf("fields: got %s, want %s", got, want)
			}
			if got, want := strings.Join(d.Required, ","), strings.Join(graph.RequiredFields(tt.table), ","); got != want || want == "" {
				t.Errorf("required: got %s, want %s", got, want)
			}
			for i, f := range tt.table {
				if got := d.Properties[i].s.Description; !strings.HasPrefix(got, strings.TrimSuffix(f.Doc, ".")) {
					t.Errorf("%s's description: got %q, want it to start with graph's doc %q", f.Name, got, f.Doc)
				}
			}
		})
	}
}

// names returns the property names in order.
func names(ps props) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.name
	}
	return out
}

func TestEveryPropTypeKnown(t *testing.T) {
	known := map[graph.PropType]bool{graph.PropText: true, graph.PropDate: true, graph.PropURL: true, graph.PropInt: true, graph.PropTime: true}
	for name, typ := range graph.Props {
		if !known[typ] {
			t.Errorf("props.%s: got type %q, want one propSchema handles (teach it the new type)", name, typ)
		}
	}
}

// TestPatternsMatchGraphChecks runs each pattern and graph's check on the
// same values; RE2 and ECMA-262 agree on these patterns.
func TestPatternsMatchGraphChecks(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		valid   func(string) bool
		values  []string
	}{
		{"slug", slugPattern, func(s string) bool { return graph.CheckID(s) == nil },
			[]string{"kafka", "a.b_c-d", "2017", "Kafka", "a--b", "-a", "a-", "a b", "é", ""}},
		{"date", datePattern, propValid("date"),
			[]string{"2017-04-24", "2016-02-29", "2017-02-28", "2017-02-30", "2017-04-31", "2017-13-01", "2017-00-10", "2017-4-24", "17-04-24", "0000-01-01"}},
		{"time", timePattern, propValid("start"),
			[]string{"09:30", "9:30", "0:00", "23:59", "24:00", "9:3", "09:60", "930", "09:30:00"}},
		{"int", intPattern, propValid("year"),
			[]string{"2017", "+7", "-7", "007", "7.0", "1e3", "0x10", "1_000", " 7", ""}},
		{"url", urlPattern, propValid("url"),
			[]string{"https://a.io", "http://a.io/x?y#z", "HTTPS://a.io", "ftp://a.io", "https:///x", "https://", "a.io", "//a.io"}},
		{"text", textPattern, func(s string) bool {
			return graph.CheckNode(&graph.Node{ID: "x", Kind: graph.KindTool, Name: s}) == nil
		},
			[]string{"Kafka", " a ", "\ta\n", "", "  ", "\n\t", "a\x00b"}},
	}
	for _, tt := range tests {
		re := regexp.MustCompile(tt.pattern)
		for _, v := range tt.values {
			t.Run(tt.name+"/"+strconv.Quote(v), func(t *testing.T) {
				if got, want := re.MatchString(v), tt.valid(v); got != want {
					t.Errorf("pattern matches %q: got %v, want %v (graph's check)", v, got, want)
				}
			})
		}
	}
}

// propValid reports whether graph accepts v as the value of property name.
func propValid(name string) func(string) bool {
	return func(v string) bool {
		n := &graph.Node{ID: "x", Kind: graph.KindTool, Name: "X", Props: map[string]string{name: v}}
		return graph.CheckNode(n) == nil
	}
}
