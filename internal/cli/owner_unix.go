//go:build unix

package cli

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// dirIdentity returns the device and inode of the directory dir.
func dirIdentity(dir string) (dev, ino uint64, ok bool) {
	st, err := os.Stat(dir)
	if err != nil {
		return 0, 0, false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return uint64(sys.Dev), uint64(sys.Ino), true
}

// pidAlive reports whether process pid exists (signal 0 reaches it, or it
// belongs to another user).
func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}

// privateFile says why the record st cannot be trusted, or "": it must be
// a regular file of this user or of the database directory's owner, that
// no one else may read or write.
func privateFile(st fs.FileInfo, db string) string {
	if !st.Mode().IsRegular() {
		return "it is not a regular file"
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Sprintf("others may read or write it (mode %v); a server writes it for its owner alone", st.Mode().Perm())
	}
	owner := st.Sys().(*syscall.Stat_t).Uid
	if owner == uint32(os.Getuid()) {
		return ""
	}
	if dst, err := os.Stat(db); err == nil && dst.Sys().(*syscall.Stat_t).Uid == owner {
		return ""
	}
	return fmt.Sprintf("it belongs to user %d, neither you nor the database's owner", owner)
}

// lockHolder returns the process that holds the database's lock (Badger
// flocks its directory) as /proc/locks tells it, and whether it could tell.
func lockHolder(db string) (int, bool) {
	dev, ino, ok := dirIdentity(db)
	if !ok {
		return 0, false
	}
	f, err := os.Open("/proc/locks")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	// The kernel prints the device as major:minor in hex (glibc's
	// gnu_dev_major and gnu_dev_minor of st_dev).
	major := (dev>>8)&0xfff | (dev>>32)&0xfffff000
	minor := dev&0xff | (dev>>12)&0xffffff00
	want := fmt.Sprintf("%02x:%02x:%d", major, minor, ino)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 1: FLOCK  ADVISORY  WRITE 13171 fe:00:10100760 0 EOF
		fields := strings.Fields(sc.Text())
		if len(fields) >= 6 && fields[1] == "FLOCK" && fields[3] == "WRITE" && fields[5] == want {
			pid, err := strconv.Atoi(fields[4])
			return pid, err == nil && pid > 0
		}
	}
	return 0, false
}
