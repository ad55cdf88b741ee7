package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/seedschema"
)

func TestSeedSchema(t *testing.T) {
	want, err := seedschema.JSON()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		file    string // where the schema should be written; "" for stdout
		wantErr string
	}{
		{name: "stdout", args: nil},
		{name: "out file", args: []string{"--out", filepath.Join(dir, "seed.schema.json")}, file: filepath.Join(dir, "seed.schema.json")},
		{name: "out in a missing directory", args: []string{"--out", filepath.Join(dir, "no", "s.json")}, wantErr: "write the seed schema"},
		{name: "argument", args: []string{"seeds/"}, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := execute(t, append([]string{"seed-schema"}, tt.args...)...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []byte(out)
			if tt.file != "" {
				if out != "" {
					t.Errorf("stdout: got %d bytes, want none with --out", len(out))
				}
				if got, err = os.ReadFile(tt.file); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("schema: got %d bytes, want the %d of seedschema.JSON", len(got), len(want))
			}
			var doc map[string]any
			if err := json.Unmarshal(got, &doc); err != nil {
				t.Fatalf("schema is not JSON: %v", err)
			}
			if got, want := doc["$schema"], seedschema.Draft; got != want {
				t.Errorf("$schema: got %v, want %v", got, want)
			}
		})
	}
}
