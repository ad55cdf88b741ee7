//go:build linux

package graph

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestResidentTablesDropKeepsData: dropping a mapped table's pages takes
// them out of the process's memory, keeps what was written through the
// mapping (dirty, never synced) in the file, and a read maps it in again;
// a table seen for the first time is left alone.
func TestResidentTablesDropKeepsData(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "000001.sst")
	const size = 1 << 20
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(m)
	want := bytes.Repeat([]byte("talkgraph"), size/9+1)[:size]
	copy(m, want)
	// resident returns the kB of the mapping in the process's memory, as
	// /proc/self/smaps says (not mincore, which tells the page cache).
	resident := func() int {
		b, err := os.ReadFile("/proc/self/smaps")
		if err != nil {
			t.Skip("no /proc/self/smaps")
		}
		in := false
		for _, line := range strings.Split(string(b), "\n") {
			fields := strings.Fields(line)
			switch {
			case len(fields) >= 6 && strings.Contains(fields[0], "-"):
				in = fields[5] == name
			case in && len(fields) >= 2 && fields[0] == "Rss:":
				n, _ := strconv.Atoi(fields[1])
				return n
			}
		}
		t.Fatalf("%s: not mapped", name)
		return 0
	}
	t.Chdir(filepath.Dir(dir)) // the store may be given a relative path
	r := newResidentTables(filepath.Base(dir))
	r.drop()
	if n := resident(); n == 0 {
		t.Fatalf("after a first look: nothing resident, want the table left alone")
	}
	r.drop()
	if n := resident(); n != 0 {
		t.Errorf("after a drop: %d kB resident, want none", n)
	}
	if !bytes.Equal(m, want) {
		t.Errorf("read through the mapping after a drop: the data differs")
	}
	if err := syscall.Munmap(m); err != nil {
		t.Fatal(err)
	}
	m = nil
	got, err := os.ReadFile(name)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("the file after a drop and unmap: differs (%v)", err)
	}
}
