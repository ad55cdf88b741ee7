//go:build !unix

package cli

import "io/fs"

// dirIdentity is unknown here: the record's directory is not checked.
func dirIdentity(dir string) (dev, ino uint64, ok bool) { return 0, 0, false }

// pidAlive cannot be told here; the server's proof still is checked.
func pidAlive(pid int) bool { return true }

// privateFile checks that the record is a regular file.
func privateFile(st fs.FileInfo, db string) string {
	if !st.Mode().IsRegular() {
		return "it is not a regular file"
	}
	return ""
}

// lockHolder cannot be told here.
func lockHolder(db string) (int, bool) { return 0, false }
