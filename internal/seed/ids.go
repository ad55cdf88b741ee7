package seed

import (
	"slices"

	"github.com/talkgraph/talkgraph/graph"
)

// idInfo is what a run knows of an id: its kind, the data set that first
// defines it, and every data set that defines it (of this run, then of the
// store outside it): a node may be shared, a speaker of two conferences.
type idInfo struct {
	kind graph.Kind
	set  string // the first data set that defines it
	pos  Pos
	more []string // the other data sets that define it, when several do
}

// has reports whether data set name defines the id.
func (i idInfo) has(name string) bool {
	return i.set == name || slices.Contains(i.more, name)
}

// sets lists the data sets that define the id.
func (i idInfo) sets() []string {
	if i.set == "" {
		return nil
	}
	return append([]string{i.set}, i.more...)
}

// idTable holds the ids a run defines, compactly: every edge needs every
// id, so the table lives through the run, and at a million talks a run
// defines 1.6 million ids (a map of idInfo held about 300 MB of them).
// Each id also has a number, which packs an edge into a uint64 (see
// edgeSet).
type idTable struct {
	m     map[string]idEntry
	more  map[string][]uint16 // the other sets of an id several define
	files []string            // file names by index
	sets  []string            // data set names by index
	index map[string]uint32   // index of a file or set name (one table each)
	setIx map[string]uint16
	out   map[string]uint32 // numbers of ids outside the run
	next  uint32            // the next number to give
	names []string          // ids by number, made when a message needs them
}

type idEntry struct {
	num, file, line uint32
	col, set        uint16
	kind            uint8
}

func newIDTable() *idTable {
	return &idTable{m: map[string]idEntry{}, more: map[string][]uint16{}, index: map[string]uint32{},
		setIx: map[string]uint16{}, out: map[string]uint32{}}
}

func (t *idTable) fileIndex(name string) uint32 {
	i, ok := t.index[name]
	if !ok {
		i = uint32(len(t.files))
		t.index[name] = i
		t.files = append(t.files, name)
	}
	return i
}

func (t *idTable) setIndex(name string) uint16 {
	i, ok := t.setIx[name]
	if !ok {
		i = uint16(len(t.sets))
		t.setIx[name] = i
		t.sets = append(t.sets, name)
	}
	return i
}

func kindIndex(k graph.Kind) uint8 {
	for i, v := range graph.Kinds {
		if v == k {
			return uint8(i + 1)
		}
	}
	return 0 // not a kind: CheckNode reports it
}

// get returns what the run knows of id.
func (t *idTable) get(id string) (idInfo, bool) {
	e, ok := t.m[id]
	if !ok {
		return idInfo{}, false
	}
	info := idInfo{set: t.sets[e.set], pos: Pos{File: t.files[e.file], Line: int(e.line), Col: int(e.col)}}
	if e.kind > 0 {
		info.kind = graph.Kinds[e.kind-1]
	}
	for _, s := range t.more[id] {
		info.more = append(info.more, t.sets[s])
	}
	return info, true
}

// put records id as info says, the first time the run meets it.
func (t *idTable) put(id string, info idInfo) {
	e := idEntry{num: t.next, file: t.fileIndex(info.pos.File), line: uint32(info.pos.Line),
		col: uint16(min(info.pos.Col, 1<<16-1)), set: t.setIndex(info.set), kind: kindIndex(info.kind)}
	t.m[id] = e
	t.next++
	for _, s := range info.more {
		t.addSet(id, s)
	}
}

// addSet records that data set name defines id too.
func (t *idTable) addSet(id, name string) {
	t.more[id] = append(t.more[id], t.setIndex(name))
}

// num returns the number of id, giving one to an id of the store outside
// the run the first time it is asked.
func (t *idTable) num(id string) uint32 {
	if e, ok := t.m[id]; ok {
		return e.num
	}
	n, ok := t.out[id]
	if !ok {
		n = t.next
		t.out[id] = n
		t.next++
	}
	return n
}

// name returns the id of number n. The first call lists every id by
// number: only a duplicate edge's message needs it.
func (t *idTable) name(n uint32) string {
	if len(t.names) != int(t.next) {
		t.names = make([]string, t.next)
		for id, e := range t.m {
			t.names[e.num] = id
		}
		for id, num := range t.out {
			t.names[num] = id
		}
	}
	return t.names[n]
}

// each calls fn with every id the run defines.
func (t *idTable) each(fn func(id string)) {
	for id := range t.m {
		fn(id)
	}
}
