// Package gctune sets the garbage collector of a long-running talkgraph
// process: `talkgraph serve` calls it at start, and the server benchmarks
// call it around the talkgraph side only, so both measure the same process.
// It is a process setting, not part of the HTTP server, so it sits apart
// from internal/server and imports only the standard library.
package gctune

import (
	"os"
	"runtime/debug"
)

// GC settings a server process runs with, chosen by measurement (see
// docs/benchmarks.md): a request allocates much and keeps little, so letting
// the heap grow to five times what is live before collecting (GOGC 400)
// raised throughput markedly in the query benchmarks; the soft memory limit
// keeps that growth bounded on a small machine.
const (
	DefaultGCPercent   = 400
	DefaultMemoryLimit = 1 << 30
)

// Apply sets DefaultGCPercent and DefaultMemoryLimit, unless the operator
// set GOGC or GOMEMLIMIT, and returns a function restoring the previous
// settings. It returns no error: the runtime accepts both values.
func Apply() (restore func()) {
	var undo []func()
	if os.Getenv("GOGC") == "" {
		old := debug.SetGCPercent(DefaultGCPercent)
		undo = append(undo, func() { debug.SetGCPercent(old) })
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		old := debug.SetMemoryLimit(DefaultMemoryLimit)
		undo = append(undo, func() { debug.SetMemoryLimit(old) })
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}
