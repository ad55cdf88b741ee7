package gctune_test

import (
	"runtime/debug"
	"testing"

	"github.com/talkgraph/talkgraph/internal/gctune"
)

// gcPercent reads the current GOGC setting: the runtime only reports it by
// returning the old value when setting a new one.
func gcPercent() int {
	v := debug.SetGCPercent(100)
	debug.SetGCPercent(v)
	return v
}

// TestApply: the defaults apply unless the operator set the variable, and
// restore puts back what was there before.
func TestApply(t *testing.T) {
	const before = 150
	const limitBefore = 3 << 30
	tests := []struct {
		name             string
		gogc, gomemlimit string
		wantGC           int
		wantLimit        int64
	}{
		{"nothing set", "", "", gctune.DefaultGCPercent, gctune.DefaultMemoryLimit},
		{"GOGC set", "200", "", before, gctune.DefaultMemoryLimit},
		{"GOMEMLIMIT set", "", "2GiB", gctune.DefaultGCPercent, limitBefore},
		{"both set", "200", "2GiB", before, limitBefore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", tt.gogc)
			t.Setenv("GOMEMLIMIT", tt.gomemlimit)
			oldGC := debug.SetGCPercent(before)
			oldLimit := debug.SetMemoryLimit(limitBefore)
			t.Cleanup(func() { debug.SetGCPercent(oldGC); debug.SetMemoryLimit(oldLimit) })

			restore := gctune.Apply()
			if got := gcPercent(); got != tt.wantGC {
				t.Errorf("GC percent: got %d, want %d", got, tt.wantGC)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.wantLimit {
				t.Errorf("memory limit: got %d, want %d", got, tt.wantLimit)
			}
			restore()
			if got := gcPercent(); got != before {
				t.Errorf("GC percent after restore: got %d, want %d", got, before)
			}
			if got := debug.SetMemoryLimit(-1); got != limitBefore {
				t.Errorf("memory limit after restore: got %d, want %d", got, limitBefore)
			}
		})
	}
}
