package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// postMutation sends one mutation with the token and returns the error code
// of its first error, or "" when it succeeded.
func postMutation(t *testing.T, base, token, q string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": q})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var answer struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &answer); err != nil {
		t.Fatalf("%s: answer %q: %v", q, b, err)
	}
	if len(answer.Errors) == 0 {
		return ""
	}
	return answer.Errors[0].Extensions.Code
}

// runCLI runs the command line as Main does and returns its exit status and
// what it printed.
func runCLI(args ...string) (int, string) {
	var out bytes.Buffer
	code := Main(args, &IO{In: strings.NewReader(""), Out: &out, Err: &out})
	return code, out.String()
}

// TestAPIEditsExportAndSeed edits the graph through the API as issue 12 did
// (a source cited as evidence turned into a tool, then deleted; relations
// and entities removed), then exports it as YAML: the files must validate
// and seed into a fresh database.
func TestAPIEditsExportAndSeed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	const token = "edit-token"
	srv, err := startServe(t, db, "--write-token", token)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name, query, wantCode string
	}{
		{"add a source", `mutation { upsertEntity(input: {id: "src-x", kind: SOURCE, name: "Source X"}) { id } }`, ""},
		{"add a concept", `mutation { upsertEntity(input: {id: "api-idea", kind: CONCEPT, name: "An idea"}) { id } }`, ""},
		{"cite the source", `mutation { addRelation(input: {from: "kafka", type: "related_to", to: "api-idea", evidence: [{source: "src-x", quote: "x"}]}) { type } }`, ""},
		{"cite it again", `mutation { addRelation(input: {from: "stream-processing", type: "related_to", to: "api-idea", evidence: [{source: "src-x", quote: "y"}]}) { type } }`, ""},
		{"turn the cited source into a tool", `mutation { upsertEntity(input: {id: "src-x", kind: TOOL, name: "Source X"}) { id } }`, "CONFLICT"},
		{"delete the cited source", `mutation { deleteEntity(id: "src-x") }`, "CONFLICT"},
		{"remove one citing relation", `mutation { removeRelation(from: "kafka", type: "related_to", to: "api-idea") }`, ""},
		{"delete a cited dotScale source", `mutation { deleteEntity(id: "article-dotscale-2017-fr") }`, "CONFLICT"},
		{"delete a dotScale concept", `mutation { deleteEntity(id: "batch-processing") }`, ""},
	}
	for _, s := range steps {
		if got := postMutation(t, srv.url, token, s.query); got != s.wantCode {
			t.Fatalf("%s: error code got %q, want %q", s.name, got, s.wantCode)
		}
	}
	if err := srv.shutdown(t); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export")
	fresh := filepath.Join(t.TempDir(), "fresh")
	for _, args := range [][]string{
		{"--db", db, "export", "--format", "yaml", "--out", out},
		{"validate", out},
		{"--db", fresh, "seed", out},
	} {
		if code, text := runCLI(args...); code != 0 {
			t.Fatalf("%v: got status %d, want 0; output:\n%s", args, code, text)
		}
	}
}
