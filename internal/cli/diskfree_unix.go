//go:build unix

package cli

import "syscall"

// freeBytes returns the space free for unprivileged writes in the file
// system holding dir, and false when it cannot tell.
func freeBytes(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}
