//go:build linux

package graph

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// residentTables drops from the process's resident memory the pages of
// the tables a new database has written (see seedrebuild.go). Badger maps
// every table it writes and keeps it mapped, so a seed's resident size
// grew with the database it wrote (750 MB of mapped tables at 200,000
// talks) though nothing reads them again: their pages are the page
// cache's, counted in the process's RSS as long as they are mapped in.
// madvise(MADV_DONTNEED) on a shared file mapping takes them out of the
// process, the data staying in the file and the page cache (a dirty page
// is written back as any other), and a later read maps it in again.
//
// Only tables seen at the previous call are dropped: those are written,
// synced and open, and Badger unmaps a table only when the database
// closes (the new database runs no compaction), so the range is never
// someone else's by the time it is dropped.
type residentTables struct {
	dir  string
	seen map[string]bool
}

func newResidentTables(dir string) *residentTables {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs // the maps name files by their absolute paths
	}
	return &residentTables{dir: dir + string(os.PathSeparator), seen: map[string]bool{}}
}

func (r *residentTables) drop() {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	now := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.HasPrefix(fields[5], r.dir) || !strings.HasSuffix(fields[5], ".sst") {
			continue
		}
		path := fields[5]
		now[path] = true
		if !r.seen[path] {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if !ok || err1 != nil || err2 != nil || end <= start {
			continue
		}
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED)
	}
	r.seen = now
}
