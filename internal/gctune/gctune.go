// Package gctune sets the garbage collector of a long-running talkgraph
// process: `talkgraph serve` calls it at start, and the server benchmarks
// call it around the talkgraph side only, so both measure the same process.
// It is a process setting, not part of the HTTP server, so it sits apart
// from internal/server and imports only the standard library.
package gctune

import (
	"io/fs"
	"os"
	"path"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
)

// GC settings a server process runs with, chosen by measurement (see
// docs/benchmarks.md): a request allocates much and keeps little, so letting
// the heap grow to five times what is live before collecting (GOGC 400)
// raised throughput markedly in the query benchmarks; the soft memory limit
// keeps that growth bounded. It is a quarter of the machine's memory (or of
// the container's, when lower), and at least DefaultMemoryLimit: a fixed
// 1 GiB let a server of a million talks, whose talk index and search
// dictionary are about that much live, collect without pause.
const (
	DefaultGCPercent   = 400
	DefaultMemoryLimit = 1 << 30
)

// MemoryLimit is the soft memory limit of a server on a machine of machine
// bytes (0: not known): a quarter of it, at least DefaultMemoryLimit.
func MemoryLimit(machine int64) int64 {
	return max(DefaultMemoryLimit, machine/4)
}

// Apply sets DefaultGCPercent and MemoryLimit(MachineMemory()), unless the
// operator set GOGC or GOMEMLIMIT, and returns a function restoring the
// previous settings. It returns no error: the runtime accepts both values.
func Apply() (restore func()) {
	var undo []func()
	if os.Getenv("GOGC") == "" {
		old := debug.SetGCPercent(DefaultGCPercent)
		undo = append(undo, func() { debug.SetGCPercent(old) })
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		old := debug.SetMemoryLimit(MemoryLimit(MachineMemory()))
		undo = append(undo, func() { debug.SetMemoryLimit(old) })
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

// MachineMemory is the memory the process may use: the machine's
// (/proc/meminfo), or its cgroup's limit when lower; 0 when neither can be
// read (not Linux).
func MachineMemory() int64 {
	total := int64(0)
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		total = meminfoTotal(string(b))
	}
	self, _ := os.ReadFile("/proc/self/cgroup")
	if n := cgroupLimit(os.DirFS("/"), string(self)); n > 0 && (total == 0 || n < total) {
		total = n
	}
	return total
}

// cgroupLimit is the lowest memory limit of the process's cgroup and of
// the cgroups above it, read from fsys (the root file system) where
// selfCgroup (/proc/self/cgroup's text) places the process, for cgroup v2
// and v1 alike; 0 when none is set. The process's own cgroup is not
// always the mount's root: a systemd unit's MemoryMax, say, is in
// /sys/fs/cgroup/system.slice/<unit>/memory.max.
func cgroupLimit(fsys fs.FS, selfCgroup string) int64 {
	limit := int64(0)
	for line := range strings.Lines(selfCgroup) {
		f := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(f) != 3 {
			continue
		}
		root, file := "", ""
		switch {
		case f[1] == "": // v2: "0::/path"
			root, file = "sys/fs/cgroup", "memory.max"
		case slices.Contains(strings.Split(f[1], ","), "memory"): // v1: "4:memory:/path"
			root, file = "sys/fs/cgroup/memory", "memory.limit_in_bytes"
		default:
			continue
		}
		for dir := path.Join(root, f[2]); ; dir = path.Dir(dir) {
			b, err := fs.ReadFile(fsys, path.Join(dir, file))
			// "max" (v2) or a number near 2^63 (v1) means no limit.
			if n, perr := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && perr == nil && n > 0 && n < 1<<62 && (limit == 0 || n < limit) {
				limit = n
			}
			if dir == root || !strings.HasPrefix(dir, root+"/") {
				break
			}
		}
	}
	return limit
}

// meminfoTotal reads MemTotal (in kB) from /proc/meminfo's text, in bytes.
func meminfoTotal(meminfo string) int64 {
	for line := range strings.Lines(meminfo) {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
