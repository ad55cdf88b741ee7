//go:build unix

package graph

import (
	"os"
	"syscall"
)

// freeBytes returns the space free for unprivileged writes in the file
// system holding dir, and false when it cannot tell.
func FreeSpace(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}

// writable reports whether files can be created in dir: false on a
// read-only mount, even for root.
func writable(dir string) bool {
	const wOK = 2
	return syscall.Access(dir, wOK) == nil
}

// lockDir takes an exclusive advisory lock on directory dir without
// waiting; ok is false when another process holds it.
func lockDir(dir string) (unlock func(), ok bool, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() { f.Close() }, true, nil
}

// allocated returns the bytes of disk a file takes (a sparse file takes
// less than its size).
func allocated(name string) uint64 {
	var st syscall.Stat_t
	if err := syscall.Stat(name, &st); err != nil {
		return 0
	}
	return uint64(st.Blocks) * 512
}
