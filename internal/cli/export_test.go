package cli_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportFormats exports the embedded data set in every stream format,
// to standard output and to a file.
func TestExportFormats(t *testing.T) {
	want := expectedCounts(t)
	for _, tc := range []struct {
		format string
		check  func(t *testing.T, out string)
	}{
		{"json", func(t *testing.T, out string) {
			var doc struct{ Nodes, Edges []json.RawMessage }
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("decode: got %v, want JSON", err)
			}
			if len(doc.Nodes) != want["nodes"] || len(doc.Edges) != want["edges"] {
				t.Errorf("nodes, edges: got %d, %d, want %d, %d", len(doc.Nodes), len(doc.Edges), want["nodes"], want["edges"])
			}
		}},
		{"ndjson", func(t *testing.T, out string) {
			if got := strings.Count(out, "\n"); got != want["nodes"]+want["edges"] {
				t.Errorf("lines: got %d, want %d", got, want["nodes"]+want["edges"])
			}
		}},
		{"graphml", containsCheck(`<node id="kafka">`, `attr.name="description_fr"`)},
		{"dot", containsCheck(`digraph talkgraph {`, `"kafka" [label="Apache Kafka"`)},
		{"cypher", containsCheck("CREATE CONSTRAINT", "MERGE (n:Entity {id: 'kafka'}) SET n:Tool", ":CREATED]")},
		{"nquads", containsCheck(`<https://talkgraph.example/id/kafka> <https://schema.org/name> "Apache Kafka" .`,
			`<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> .`)},
		{"jsonld", func(t *testing.T, out string) {
			var doc struct {
				Context map[string]any   `json:"@context"`
				Graph   []map[string]any `json:"@graph"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("decode: got %v, want JSON", err)
			}
			if doc.Context["schema"] != "https://schema.org/" || len(doc.Graph) < want["nodes"] {
				t.Errorf("context, node objects: got %v, %d, want schema.org and at least %d", doc.Context, len(doc.Graph), want["nodes"])
			}
		}},
		{"dgraph", containsCheck(`_:kafka <name> "Apache Kafka" .`, `<dgraph.type> "Evidence"`)},
	} {
		t.Run(tc.format+"/stdout", func(t *testing.T) {
			r := runMain(t, "--in-memory", "export", "--format", tc.format)
			if r.code != 0 {
				t.Fatalf("exit status: got %d (%s), want 0", r.code, r.err)
			}
			tc.check(t, r.out)
		})
		t.Run(tc.format+"/file", func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "graph."+tc.format)
			r := runMain(t, "--in-memory", "export", "--format", tc.format, "--out", file)
			if r.code != 0 || !strings.HasPrefix(r.out, "wrote "+file+"\n") {
				t.Fatalf("export: got status %d, stdout %q, stderr %q, want 0 and wrote %s", r.code, r.out, r.err, file)
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, string(b))
		})
	}
}

func containsCheck(parts ...string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		t.Helper()
		for _, p := range parts {
			if !strings.Contains(out, p) {
				t.Errorf("output: got no %q, want it", p)
			}
		}
	}
}

// TestExportDgraphSchema checks where the dgraph export puts its schema
// and the dgraph live command it prints.
func TestExportDgraphSchema(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string // after --format dgraph, with DIR replaced
		schema string   // the file expected, "" for none
		hint   bool     // stderr says how to get the schema
		live   string   // the command printed, "" for none
	}{
		{"beside --out", []string{"--out", "DIR/graph.rdf"}, "DIR/graph.schema", false, "dgraph live -f DIR/graph.rdf -s DIR/graph.schema -U xid\n"},
		{"not .rdf", []string{"--out", "DIR/graph.nq"}, "DIR/graph.schema", false, "dgraph live -f DIR/graph.nq -s DIR/graph.schema -U xid --format=rdf\n"},
		{"--schema", []string{"--out", "DIR/graph.rdf", "--schema", "DIR/dgraph.txt"}, "DIR/dgraph.txt", false, "dgraph live -f DIR/graph.rdf -s DIR/dgraph.txt -U xid\n"},
		{"--schema to stdout", []string{"--schema", "DIR/s"}, "DIR/s", false, ""},
		{"stdout only", nil, "", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"--in-memory", "export", "--format", "dgraph"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "DIR", dir))
			}
			r := runMain(t, args...)
			if r.code != 0 {
				t.Fatalf("exit status: got %d (%s), want 0", r.code, r.err)
			}
			if tc.schema != "" {
				b, err := os.ReadFile(strings.ReplaceAll(tc.schema, "DIR", dir))
				if err != nil || !strings.Contains(string(b), "<xid>: string @index(exact) @upsert .") {
					t.Errorf("schema: got %v and %.40q…, want the Dgraph schema", err, b)
				}
			}
			if got := strings.Contains(r.err, "no Dgraph schema written"); got != tc.hint {
				t.Errorf("hint on stderr: got %v (%q), want %v", got, r.err, tc.hint)
			}
			live := strings.ReplaceAll(tc.live, "DIR", dir)
			if got := strings.Contains(r.out, "\n  dgraph live "); got != (live != "") || !strings.HasSuffix(r.out, live) {
				t.Errorf("stdout: got %.300q, want it to end with %q", r.out, live)
			}
		})
	}
}

// TestExportYAMLThenSeed writes seed files, seeds them into another
// database and checks the replace rules of a second export.
func TestExportYAMLThenSeed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "export")
	db := filepath.Join(t.TempDir(), "db")
	want := expectedCounts(t)
	steps := []struct {
		name string
		args []string
		code int
		out  string // a part of stdout, or of stderr when code != 0
	}{
		{"export", []string{"--in-memory", "export", "--format", "yaml", "--out", dir}, 0, "in 1 data set to " + dir},
		{"seed", []string{"--db", db, "seed", dir}, 0, "dotscale-2017: seeded"},
		{"stats", []string{"--db", db, "stats"}, 0, "data sets"},
		{"again", []string{"--db", db, "export", "--format", "yaml", "--out", dir}, 1, "add --force"},
		{"forced", []string{"--db", db, "export", "--format", "yaml", "--out", dir, "--force"}, 0, "wrote 13 files"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := runMain(t, s.args...)
			text := r.out
			if s.code != 0 {
				text = r.err
			}
			if r.code != s.code || !strings.Contains(text, s.out) {
				t.Fatalf("got status %d, stdout %q, stderr %q, want %d and %q", r.code, r.out, r.err, s.code, s.out)
			}
			if s.name == "stats" {
				got := parseStats(r.out)
				if got["nodes"] != want["nodes"] || got["edges"] != want["edges"] {
					t.Errorf("nodes, edges: got %d, %d, want %d, %d", got["nodes"], got["edges"], want["nodes"], want["edges"])
				}
			}
		})
	}
}

// TestExportRun runs exports past the flag checks: focused ones, by id,
// name or alias, and ones that fail on their input.
func TestExportRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stdout, or in stderr when code != 0
	}{
		{"dot", []string{"--format", "dot", "--focus", "kafka", "--depth", "2"}, 0, `"kafka" [label="Apache Kafka", shape=component, fillcolor="#d9d2e9"`},
		{"depth 0", []string{"--format", "ndjson", "--focus", "kafka", "--depth", "0"}, 0, `{"type":"node","id":"kafka"`},
		{"misspelt", []string{"--format", "json", "--focus", "kafak"}, 1, "did you mean kafka (Apache Kafka)?"},
		{"a name", []string{"--format", "ndjson", "--focus", "Apache Kafka", "--depth", "0"}, 0, `{"type":"node","id":"kafka"`},
		{"an alias in lower case", []string{"--format", "ndjson", "--focus", "kafka", "--depth", "0"}, 0, `{"type":"node","id":"kafka"`},
		{"rdf", []string{"--format", "nquads", "--focus", "Apache Kafka", "--depth", "0", "--base", "https://example.org/kg/"}, 0, `<https://example.org/kg/id/kafka> <https://schema.org/name> "Apache Kafka" .`},
		{"no such directory", []string{"--format", "dgraph", "--out", "/nonexistent-talkgraph-dir/g.rdf"}, 1, "directory /nonexistent-talkgraph-dir does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runMain(t, append([]string{"--in-memory", "export"}, tc.args...)...)
			text := r.out
			if tc.code != 0 {
				text = r.err
			}
			if r.code != tc.code || !strings.Contains(text, tc.want) {
				t.Errorf("got status %d, stdout %.200q, stderr %q, want %d and %q", r.code, r.out, r.err, tc.code, tc.want)
			}
		})
	}
}

func TestExportUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no format", nil, "give --format"},
		{"unknown format", []string{"--format", "csv"}, `unknown format "csv"`},
		{"yaml without --out", []string{"--format", "yaml"}, "--out DIR"},
		{"schema with json", []string{"--format", "json", "--schema", "s"}, "--schema goes with --format dgraph"},
		{"schema with nquads", []string{"--format", "nquads", "--schema", "s"}, "--schema goes with --format dgraph"},
		{"base with dgraph", []string{"--format", "dgraph", "--base", "https://example.org/"}, "--base goes with --format nquads or jsonld"},
		{"relative base", []string{"--format", "nquads", "--base", "kg/"}, "give an absolute IRI"},
		{"base without slash", []string{"--format", "jsonld", "--base", "https://example.org/kg"}, "end it with /"},
		{"force with dot", []string{"--format", "dot", "--force"}, "--force goes with --format yaml"},
		{"depth without focus", []string{"--format", "dot", "--depth", "2"}, "--depth goes with --focus"},
		{"negative depth", []string{"--format", "dot", "--focus", "kafka", "--depth", "-1"}, "0 or more hops"},
		{"schema over the n-quads", []string{"--format", "dgraph", "--out", "g.schema"}, "would overwrite"},
		{"an argument", []string{"--format", "dot", "extra"}, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "db")
			r := runMain(t, append([]string{"--db", db, "export"}, tc.args...)...)
			if r.code != 2 || !strings.Contains(r.err, tc.msg) || !strings.Contains(r.err, "Usage:\n  talkgraph export") {
				t.Errorf("got status %d, stderr %q, want 2, %q and the usage", r.code, r.err, tc.msg)
			}
			if _, err := os.Stat(db); err == nil {
				t.Errorf("database after a usage error: got one, want none created")
			}
		})
	}
}

// TestExportGzip: an --out named *.gz is gzip (dgraph live gunzips
// *.rdf.gz), and the Dgraph schema goes beside it without .rdf.gz.
func TestExportGzip(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "g.rdf.gz")
	r := runMain(t, "--in-memory", "export", "--format", "dgraph", "--out", out)
	if r.code != 0 {
		t.Fatalf("export: exit %d, stderr %q", r.code, r.err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s is not gzip: %v", out, err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || !bytes.Contains(body, []byte("<dgraph.type>")) {
		t.Fatalf("gunzipped: %d bytes, err %v; want Dgraph N-Quads", len(body), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "g.schema")); err != nil {
		t.Errorf("schema beside the data: %v", err)
	}
	if want := "dgraph live -f " + out; !strings.Contains(r.out+r.err, want) {
		t.Errorf("output %q: want the command %q", r.out+r.err, want)
	}
}
