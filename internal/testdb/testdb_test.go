package testdb

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// recorder is a testing.TB that keeps the failures of the helper under
// test instead of failing the test that runs it.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// golden runs Golden on a recorder in its own goroutine, as a test's
// Fatalf ends it, and returns the failures it reported.
func golden(t *testing.T, path string, got []byte) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Golden(r, path, got)
	}()
	<-done
	return r.failures
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name       string
		stored     string // "" for no file
		got        string
		update     bool
		wantFail   bool
		wantStored string
	}{
		{"same", "a\n", "a\n", false, false, "a\n"},
		{"different", "a\n", "b\n", false, true, "a\n"},
		{"missing", "", "a\n", false, true, ""},
		{"update rewrites", "a\n", "b\n", true, false, "b\n"},
		{"update creates", "", "b\n", true, false, "b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "out.golden")
			if tt.stored != "" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(tt.stored), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			old := *update
			*update = tt.update
			t.Cleanup(func() { *update = old })

			failures := golden(t, filepath.ToSlash(path), []byte(tt.got))
			if got := len(failures) > 0; got != tt.wantFail {
				t.Errorf("failed: got %v (%q), want %v", got, failures, tt.wantFail)
			}
			stored, _ := os.ReadFile(path)
			if string(stored) != tt.wantStored {
				t.Errorf("file after: got %q, want %q", stored, tt.wantStored)
			}
		})
	}
}

// TestDump: two stores seeded the same way dump the same keys but the data
// set record, which holds the seed time, and the publish counter is left
// out.
func TestDump(t *testing.T) {
	a, b := Seeded(t), Seeded(t)
	got, want := Dump(t, a), Dump(t, b)
	delete(got, "ddotscale-2017")
	delete(want, "ddotscale-2017")
	if len(got) == 0 {
		t.Fatal("dump: got no keys, want the data set's")
	}
	if _, ok := got["!published"]; ok {
		t.Error("dump: got the publish counter, want it left out")
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("key %q: got %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("keys: got %d, want %d", len(got), len(want))
	}
}
