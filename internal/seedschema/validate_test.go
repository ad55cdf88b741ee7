package seedschema

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/talkgraph/talkgraph/internal/seed"
)

const (
	// setDir is the embedded data set's directory: what else seeds/ holds
	// is a user's, never read by the tests.
	setDir = "../../seeds/dotscale-2017"
	badDir = "../seed/testdata/bad"
)

// validators compiles the schema twice: as it declares itself (2020-12)
// and as draft-07, the dialect of the YAML language server, with format
// assertions on. Every verdict is checked under both.
func validators(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	out := map[string]*jsonschema.Schema{}
	for name, draft := range map[string]*jsonschema.Draft{"2020-12": nil, "draft-07": jsonschema.Draft7} {
		b, err := JSON()
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("schema is not JSON: %v", err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if draft != nil {
			delete(doc.(map[string]any), "$schema")
			c.DefaultDraft(draft)
		}
		if err := c.AddResource("seed.schema.json", doc); err != nil {
			t.Fatal(err)
		}
		if out[name], err = c.Compile("seed.schema.json"); err != nil {
			t.Fatalf("compile the schema as %s: %v", name, err)
		}
	}
	return out
}

// validate checks a YAML file against every validator and returns the
// verdict they agree on (the error of the 2020-12 one).
func validate(t *testing.T, vs map[string]*jsonschema.Schema, data []byte) error {
	t.Helper()
	v, ok, err := fromYAML(data)
	if err != nil {
		return err
	}
	if !ok {
		return nil // no document: nothing for a schema to check
	}
	errs := map[string]error{}
	for name, s := range vs {
		errs[name] = s.Validate(v)
	}
	if (errs["2020-12"] == nil) != (errs["draft-07"] == nil) {
		t.Fatalf("2020-12 and draft-07 disagree: got %v and %v, want the same verdict", errs["2020-12"], errs["draft-07"])
	}
	return errs["2020-12"]
}

func TestBundledSeedsValid(t *testing.T) {
	vs := validators(t)
	var files []string
	err := filepath.WalkDir(setDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("seed files: got %d (%v), want some", len(files), err)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(setDir, f)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, vs, data); err != nil {
				t.Errorf("got %v, want the file valid", err)
			}
		})
	}
}

func TestBadFixturesRejected(t *testing.T) {
	vs := validators(t)
	tests := []struct {
		fixture string
		at      string // where the error points, as a JSON pointer
	}{
		{"unknown-field", "'/nodes/1'"},
		{"bad-date", "'/nodes/0/props/published'"},
		{"unknown-edge-type", "'/edges/0/type'"},
		{"empty-name", "'/nodes/1/name'"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(badDir, tt.fixture, "nodes.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			err = validate(t, vs, data)
			if err == nil {
				t.Fatalf("got no error, want the fixture rejected at %s", tt.at)
			}
			if !strings.Contains(err.Error(), tt.at) {
				t.Errorf("got %v, want an error at %s", err, tt.at)
			}
		})
	}
}

// baseNodes opens a file with nodes the cases' edges refer to.
const baseNodes = `nodes:
  - {id: src, kind: source, name: A source}
  - {id: talk, kind: talk, name: A talk}
  - {id: ada, kind: person, name: Ada}
`

func withNode(n string) string { return baseNodes + "  - " + n + "\n" }
func withEdge(e string) string { return baseNodes + "edges:\n  - " + e + "\n" }
func withProps(p string) string {
	return withNode("{id: x, kind: conference, name: X, props: {" + p + "}}")
}

// evid is evidence that is valid for any edge between base nodes.
const evid = "evidence: [{source: src, quote: says so}]"

// schemaCase is a seed file, whether it is valid, and, when the schema
// cannot see the problem, why (the loader must still refuse it).
type schemaCase struct {
	name  string
	file  string
	valid bool
	gap   string
}

func TestSchemaAgreesWithLoader(t *testing.T) {
	vs := validators(t)
	tests := append(append(fileCases(), nodeCases()...), append(propCases(), edgeCases()...)...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			schemaErr := validate(t, vs, []byte(tt.file))
			loaderErr := loaderCheck(t, tt.file)
			if tt.gap != "" {
				if loaderErr == nil || schemaErr != nil {
					t.Errorf("gap (%s): got loader %v, schema %v; want the loader alone to refuse", tt.gap, loaderErr, schemaErr)
				}
				return
			}
			if (loaderErr == nil) != tt.valid {
				t.Errorf("loader: got %v, want valid %v", loaderErr, tt.valid)
			}
			if (schemaErr == nil) != tt.valid {
				t.Errorf("schema: got %v, want valid %v", schemaErr, tt.valid)
			}
		})
	}
}

// loaderCheck validates file as the only file of a data set.
func loaderCheck(t *testing.T, file string) error {
	t.Helper()
	fsys := fstest.MapFS{"set/a.yaml": {Data: []byte(file)}}
	sets, err := seed.Discover(fsys, "set", "set")
	if err != nil {
		t.Fatal(err)
	}
	err = seed.NewLoader(nil).Validate(context.Background(), sets)
	var ps seed.Problems
	if err != nil && !errors.As(err, &ps) {
		t.Fatalf("validate: got %v, want problems or nothing", err)
	}
	return err
}

func fileCases() []schemaCase {
	return []schemaCase{
		{name: "base nodes", file: baseNodes, valid: true},
		{name: "empty lists", file: "nodes:\nedges: []\n", valid: true},
		{name: "unknown top-level field", file: "talks: []\n", valid: false},
		{name: "nodes not a list", file: "nodes: {id: x}\n", valid: false},
		{name: "node not a mapping", file: "nodes: [kafka]\n", valid: false},
	}
}
