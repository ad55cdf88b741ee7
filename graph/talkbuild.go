package graph

import (
	"bytes"
	"fmt"
	"strconv"
)

// buildTalkIndex builds the index of the transaction's version from one
// scan of the node records and one key-only scan of the forward adjacency.
// Nodes are numbered in the order of the first scan, which is id order, so
// numbers compare as their ids do and the lists come out of the scans
// already in order. Rows and lists are cut from large shared blocks rather
// than allocated one by one.
func (tx *Tx) buildTalkIndex() (*talkIndex, error) {
	b := &talkBuild{idx: &talkIndex{ver: tx.ts, num: map[string]int32{}, byYear: map[int][]int32{},
		yearCounts: map[int]map[int32]int32{}, confs: map[int32]*confInfo{}}, allConfs: map[int32]*confInfo{}}
	if err := tx.scanRaw([]byte{tagNode}, true, b.node); err != nil {
		return nil, fmt.Errorf("index talks: %w", err)
	}
	b.grow()
	if err := tx.scanRaw([]byte{tagOut}, false, b.edge); err != nil {
		return nil, fmt.Errorf("index talks' relations: %w", err)
	}
	b.endTalk()
	b.speakers()
	b.years()
	idx := b.idx
	idx.kinds, idx.rows = cowOf(b.kinds), cowOf(b.rows)
	idx.linked, idx.bySpeaker, idx.byConf, idx.byTopic = cowOf(b.linked), cowOf(b.bySpeaker), cowOf(b.byConf), cowOf(b.byTopic)
	return idx, nil
}

// talkBuild is the state of one build.
type talkBuild struct {
	idx   *talkIndex
	kinds []Kind
	rows  []*talkRow
	// The talks of each node, as talkIndex's tables.
	linked, bySpeaker, byConf, byTopic [][]int32
	rowSlab                            []talkRow
	lists                              int32Slab
	allConfs                           map[int32]*confInfo
	// The talk whose relations the adjacency scan is reading.
	from    []byte
	fromRow *talkRow
	fromNum int32
	out     []int32
	confs   []int32
	topics  []int32
	gave    [][2]int32 // (person, talk), in key order
}

// node numbers one node record and keeps what the index needs of talks and
// conferences.
func (b *talkBuild) node(k, v []byte) error {
	idx := b.idx
	rec, err := viewRecord(v)
	if err != nil {
		return fmt.Errorf("decode node %q: %w", k[1:], err)
	}
	n := b.intern(string(k[1:]), internKind(rec.kind))
	switch b.kinds[n] {
	case KindTalk:
		if len(b.rowSlab) == cap(b.rowSlab) {
			b.rowSlab = make([]talkRow, 0, 4096)
		}
		b.rowSlab = append(b.rowSlab, talkRow{})
		row := &b.rowSlab[len(b.rowSlab)-1]
		row.lang, row.track = string(rec.prop("lang")), string(rec.prop("track"))
		row.ownYear, row.hasOwnYear = rec.year()
		b.rows[n] = row
		idx.talks = append(idx.talks, n)
	case KindConference:
		y, _ := rec.year()
		b.allConfs[n] = &confInfo{name: string(rec.name), date: string(rec.prop("date")), year: y}
	}
	return nil
}

// intern returns the number of id, numbering it (with its kind) when new.
func (b *talkBuild) intern(id string, kind Kind) int32 {
	if n, ok := b.idx.num[id]; ok {
		return n
	}
	n := b.idx.name(id)
	b.kinds = append(b.kinds, kind)
	b.rows = append(b.rows, nil)
	if b.linked != nil {
		for _, t := range []*[][]int32{&b.linked, &b.bySpeaker, &b.byConf, &b.byTopic} {
			*t = append(*t, nil)
		}
	}
	return n
}

// name numbers a new node id.
func (idx *talkIndex) name(id string) int32 {
	n := int32(len(idx.names))
	idx.num[id] = n
	idx.names = append(idx.names, id)
	return n
}

// grow sizes the tables of lists once every node is numbered.
func (b *talkBuild) grow() {
	n := len(b.idx.names)
	b.linked, b.bySpeaker, b.byConf, b.byTopic = make([][]int32, n), make([][]int32, n), make([][]int32, n), make([][]int32, n)
}

// edge reads one forward adjacency key: a talk's own relation, or a gave
// relation that points at a talk.
func (b *talkBuild) edge(k, _ []byte) error {
	i := bytes.IndexByte(k, sep)
	if i < 0 {
		return nil
	}
	typ, kind, farID, _, ok := splitAdjacent(k[i+1:])
	if !ok {
		return nil
	}
	if !bytes.Equal(k[1:i], b.from) {
		b.endTalk()
		b.from = append(b.from[:0], k[1:i]...)
		b.fromNum = b.number(b.from, "")
		b.fromRow = b.rows[b.fromNum]
	}
	if typ == "gave" && kind == KindTalk {
		far := b.number(farID, kind)
		if b.rows[far] != nil && (len(b.gave) == 0 || b.gave[len(b.gave)-1] != [2]int32{b.fromNum, far}) {
			b.gave = append(b.gave, [2]int32{b.fromNum, far})
		}
		return nil
	}
	if b.fromRow == nil {
		return nil
	}
	far := b.number(farID, kind)
	b.out = append(b.out, far)
	addLast(b.linked, far, b.fromNum)
	switch {
	case typ == "part_of" && kind == KindConference:
		b.confs = append(b.confs, far)
		addLast(b.byConf, far, b.fromNum)
	case typ == "mentions" || typ == "about":
		b.topics = append(b.topics, far)
		addLast(b.byTopic, far, b.fromNum)
	}
	return nil
}

// number returns the number of a node an adjacency key names. Every such
// node has a record, so this numbers nothing new unless the database is
// inconsistent; then the tables grow and lists are sorted by id.
func (b *talkBuild) number(id []byte, kind Kind) int32 {
	if n, ok := b.idx.num[string(id)]; ok {
		return n
	}
	return b.intern(string(id), kind)
}

// addLast appends talk t to the list of n unless it is already last: the
// scan meets a talk's relations together, so that is the only repeat.
func addLast(table [][]int32, n, t int32) {
	if l := table[n]; len(l) == 0 || l[len(l)-1] != t {
		table[n] = append(l, t)
	}
}

// endTalk stores the relations read for the current talk.
func (b *talkBuild) endTalk() {
	if row := b.fromRow; row != nil {
		row.out = b.lists.keep(b.idx.sortNums(b.out))
		row.confs = b.lists.keep(b.idx.sortNums(b.confs))
		row.topics = b.lists.keep(b.idx.sortNums(b.topics))
	}
	b.out, b.confs, b.topics, b.fromRow = b.out[:0], b.confs[:0], b.topics[:0], nil
}

// speakers fills each talk's speakers and each speaker's talks from the
// gave relations, which come grouped by speaker and in id order.
func (b *talkBuild) speakers() {
	idx := b.idx
	for i := 0; i < len(b.gave); {
		j := i
		for j < len(b.gave) && b.gave[j][0] == b.gave[i][0] {
			j++
		}
		talks := make([]int32, 0, j-i)
		for _, g := range b.gave[i:j] {
			talks = append(talks, g[1])
		}
		b.bySpeaker[b.gave[i][0]] = b.lists.keep(idx.sortNums(talks))
		i = j
	}
	for _, g := range b.gave {
		row := b.rows[g[1]]
		row.speakers = append(row.speakers, g[0])
	}
	for _, t := range idx.talks {
		if row := b.rows[t]; len(row.speakers) > 1 {
			row.speakers = idx.sortNums(row.speakers)
		}
	}
}

// years gives each talk its year (its own, else that of the first of its
// conferences, in id order, that has one), and counts each entity's talks
// per year.
func (b *talkBuild) years() {
	idx := b.idx
	for _, t := range idx.talks {
		row := b.rows[t]
		for _, c := range row.confs {
			idx.confs[c] = b.allConfs[c]
		}
		row.year = idx.yearOf(row)
		if row.year != 0 {
			idx.byYear[row.year] = append(idx.byYear[row.year], t)
		}
	}
	dense := map[int][]int32{}
	for _, t := range idx.talks {
		row := b.rows[t]
		d := dense[row.year]
		if d == nil {
			d = make([]int32, len(idx.names))
			dense[row.year] = d
		}
		for _, e := range row.out {
			d[e]++
		}
	}
	for y, d := range dense {
		m := map[int32]int32{}
		for e, n := range d {
			if n > 0 {
				m[int32(e)] = n
			}
		}
		if len(m) > 0 {
			idx.yearCounts[y] = m
		}
	}
}

// yearOf returns a talk's year from its own and its conferences'.
func (idx *talkIndex) yearOf(row *talkRow) int {
	if row.hasOwnYear {
		return row.ownYear
	}
	for _, c := range row.confs {
		if ci := idx.confs[c]; ci != nil && ci.year != 0 {
			return ci.year
		}
	}
	return 0
}

// int32Slab hands out lists cut from large blocks.
type int32Slab struct{ buf []int32 }

// keep returns a copy of l whose capacity ends with it, so that an append
// to it copies rather than writing over the next list.
func (s *int32Slab) keep(l []int32) []int32 {
	if len(l) == 0 {
		return nil
	}
	if cap(s.buf)-len(s.buf) < len(l) {
		s.buf = make([]int32, 0, max(1<<16, len(l)))
	}
	start := len(s.buf)
	s.buf = append(s.buf, l...)
	return s.buf[start:len(s.buf):len(s.buf)]
}

// recordView is what the index reads of a node record, as slices of it.
type recordView struct {
	kind, name []byte
	props      [][2][]byte
}

// viewRecord reads a node record's kind, name and properties, skipping
// the rest (descriptions are most of a talk's record) and copying nothing.
func viewRecord(v []byte) (recordView, error) {
	d := &dec{b: v}
	var r recordView
	r.kind = d.bytes()
	d.skip(1) // id
	r.name = d.bytes()
	d.skip(2)                // data set, file
	d.num()                  // line
	d.skip(int(d.num()))     // aliases
	d.skip(2 * int(d.num())) // description: language, text
	for n := d.num(); n > 0 && d.err == nil; n-- {
		k := d.bytes()
		r.props = append(r.props, [2][]byte{k, d.bytes()})
	}
	return r, d.err
}

func (r recordView) prop(name string) []byte {
	for _, p := range r.props {
		if string(p[0]) == name {
			return p[1]
		}
	}
	return nil
}

// year returns the year a node's date or year property gives (see
// yearText), and whether it gives one.
func (r recordView) year() (int, bool) {
	t := r.prop("year")
	if d := r.prop("date"); len(d) >= 4 {
		t = d[:4]
	}
	y, err := strconv.Atoi(string(t))
	return y, err == nil
}

// bytes reads a string without copying it.
func (d *dec) bytes() []byte {
	l := d.num()
	if l > uint64(len(d.b)) {
		d.err, d.b = errCorrupt, nil
		return nil
	}
	s := d.b[:l:l]
	d.b = d.b[l:]
	return s
}

// skip passes over n strings.
func (d *dec) skip(n int) {
	for ; n > 0 && d.err == nil; n-- {
		d.bytes()
	}
}
