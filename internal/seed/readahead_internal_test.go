package seed

import (
	"fmt"
	"testing"
	"testing/fstest"
)

// TestReadAheadInOrder: files come back in the set's order with their own
// problems, a file already parsed comes from the cache, and closing after
// a few files (a seed that stops early) ends the readers.
func TestReadAheadInOrder(t *testing.T) {
	fsys := fstest.MapFS{}
	var names []string
	for i := range 40 {
		name := fmt.Sprintf("f%02d.yaml", i)
		names = append(names, name)
		body := fmt.Sprintf("nodes:\n  - id: n%d\n    kind: concept\n    name: N%d\n", i, i)
		if i%7 == 3 {
			body = "nodes: [\n" // a syntax error: a problem of its own
		}
		fsys["set/"+name] = &fstest.MapFile{Data: []byte(body)}
	}
	s := &Set{Name: "set", FS: fsys, Dir: "set", Display: "set", Files: names}
	cached := make([]*file, len(names))
	cached[5] = &file{name: "from the cache"}
	l := NewLoader(nil)
	ra := l.startReadAhead(s, cached, true)
	for i, name := range names {
		p, ok := ra.next()
		if !ok || p.err != nil {
			t.Fatalf("file %d: got ok %v, err %v", i, ok, p.err)
		}
		switch {
		case i == 5:
			if p.f != cached[5] {
				t.Errorf("file 5: got %q, want the cached file", p.f.name)
			}
		case p.f.name != s.path(name):
			t.Errorf("file %d: got %s, want %s", i, p.f.name, s.path(name))
		case (len(p.c.list) > 0) != (i%7 == 3):
			t.Errorf("file %d: problems %v", i, p.c.list)
		case !p.read || len(p.data) == 0:
			t.Errorf("file %d: its bytes were not kept for the hash", i)
		}
	}
	if _, ok := ra.next(); ok {
		t.Errorf("after the last file: got another")
	}
	ra.close()

	early := l.startReadAhead(s, make([]*file, len(names)), false)
	for range 3 {
		early.next()
	}
	early.close() // must not hang with files queued and readers busy
}
