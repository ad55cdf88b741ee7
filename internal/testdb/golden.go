package testdb

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the one -update flag of every test binary importing testdb: a
// package defining its own would panic at start with "flag redefined".
var update = flag.Bool("update", false, "rewrite the golden files with what the tests now produce")

// Update reports whether the tests run with -update, for a test whose
// golden output is not one file (a directory of files, say).
func Update() bool { return *update }

// Golden compares got with the file at path (slash-separated, relative to
// the package directory), rewriting the file first under -update. It fails
// the test if the file cannot be read or written, and reports an error if
// the contents differ.
func Golden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	path = filepath.FromSlash(path)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatalf("golden file: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatalf("golden file: %v", err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("golden file: %v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s: got %d bytes that differ from the golden file, want %d bytes (go test -update rewrites it; review the diff)\ngot:\n%s\nwant:\n%s", path, len(got), len(want), got, want)
	}
}
