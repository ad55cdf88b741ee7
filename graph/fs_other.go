//go:build !unix

package graph

import "os"

// FreeSpace cannot tell the free space on this system.
func FreeSpace(string) (uint64, bool) { return 0, false }

func writable(string) bool { return true }

// lockDir cannot lock on this system: restores are not serialised.
func lockDir(string) (func(), bool, error) { return func() {}, true, nil }

func allocated(name string) uint64 {
	st, err := os.Stat(name)
	if err != nil {
		return 0
	}
	return uint64(st.Size())
}
