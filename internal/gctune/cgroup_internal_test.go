package gctune

import (
	"testing"
	"testing/fstest"
)

// TestCgroupLimit reads the limits where /proc/self/cgroup places the
// process, the lowest of its cgroup and those above it.
func TestCgroupLimit(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s + "\n")} }
	tests := []struct {
		name string
		fs   fstest.MapFS
		self string
		want int64
	}{
		{"v2 namespaced container", fstest.MapFS{"sys/fs/cgroup/memory.max": file("4294967296")}, "0::/\n", 4 << 30},
		{"v2 systemd unit", fstest.MapFS{
			"sys/fs/cgroup/system.slice/talkgraph.service/memory.max": file("2147483648"),
			"sys/fs/cgroup/system.slice/memory.max":                   file("max"),
		}, "0::/system.slice/talkgraph.service\n", 2 << 30},
		{"v2 parent lower", fstest.MapFS{
			"sys/fs/cgroup/a/b/memory.max": file("8589934592"),
			"sys/fs/cgroup/a/memory.max":   file("3221225472"),
		}, "0::/a/b\n", 3 << 30},
		{"v2 no limit", fstest.MapFS{"sys/fs/cgroup/a/memory.max": file("max")}, "0::/a\n", 0},
		{"v1", fstest.MapFS{
			"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": file("1073741824"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes":            file("9223372036854771712"),
		}, "12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n", 1 << 30},
		{"v1 unlimited", fstest.MapFS{
			"sys/fs/cgroup/memory/x/memory.limit_in_bytes": file("9223372036854771712"),
		}, "4:memory:/x\n", 0},
		{"no cgroup file", fstest.MapFS{"sys/fs/cgroup/memory.max": file("4294967296")}, "", 0},
		{"path outside the mount", fstest.MapFS{"sys/fs/cgroup/memory.max": file("4294967296")}, "0::/../../etc\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cgroupLimit(tt.fs, tt.self); got != tt.want {
				t.Errorf("cgroupLimit: got %d, want %d", got, tt.want)
			}
		})
	}
}
