package gctune_test

import (
	"fmt"
	"os"
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
		{"nothing set", "", "", gctune.DefaultGCPercent, gctune.MemoryLimit(gctune.MachineMemory())},
		{"GOGC set", "200", "", before, gctune.MemoryLimit(gctune.MachineMemory())},
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

// TestMemoryLimit: a quarter of the machine, never under the default.
func TestMemoryLimit(t *testing.T) {
	tests := []struct {
		machine, want int64
	}{
		{0, gctune.DefaultMemoryLimit},
		{2 << 30, gctune.DefaultMemoryLimit},
		{4 << 30, 1 << 30},
		{24 << 30, 6 << 30},
	}
	for _, tt := range tests {
		if got := gctune.MemoryLimit(tt.machine); got != tt.want {
			t.Errorf("MemoryLimit(%d): got %d, want %d", tt.machine, got, tt.want)
		}
	}
}

// TestMachineMemory: on Linux the machine's memory is known, and no more
// than /proc/meminfo says.
func TestMachineMemory(t *testing.T) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		t.Skip("no /proc/meminfo here")
	}
	got := gctune.MachineMemory()
	if got <= 0 {
		t.Fatalf("MachineMemory: got %d, want > 0 (/proc/meminfo starts %.60q)", got, b)
	}
	var kb int64
	if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err != nil {
		t.Fatalf("read MemTotal: %v", err)
	}
	if got > kb<<10 {
		t.Errorf("MachineMemory: got %d, more than MemTotal %d", got, kb<<10)
	}
}
