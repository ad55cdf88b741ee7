package graph

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// maxPatchTalks: a write that changes more talks than this gets a new
// build rather than a patch (a seed, a drop or a large mutation).
const maxPatchTalks = 5000

// talkPatch makes the index of a version from the index of the version it
// was written over, re-reading only the talks the write may have changed:
// the talks it touched, and the talks of the conferences it touched (whose
// year may follow the conference's). Every list and count that changes is
// copied, so the old index, which readers of the old version still use,
// never changes.
type talkPatch struct {
	tx     *Tx
	idx    *talkIndex
	ownNum bool // idx.num is this patch's copy
	edits  map[listKey]*listEdit
	counts map[int]map[int32]int32 // year -> entity -> change
	confs  map[int32]bool          // conferences whose lists changed or that were touched
	talks  listEdit                // talks added and removed
}

// listKey names one list: a table (0 linked, 1 bySpeaker, 2 byConf,
// 3 byTopic, 4 byYear) and the node number (or year) it is of.
type listKey struct {
	table int8
	n     int32
}

// listEdit is what a patch adds to and takes from one list.
type listEdit struct{ add, del []int32 }

// patchTalkIndex returns old patched for a write that touched the nodes in
// touched (their records or relations) to give the transaction's version,
// or a new build when the write changed too many talks (patched false).
func (tx *Tx) patchTalkIndex(old *talkIndex, touched map[string]struct{}) (idx *talkIndex, patched bool, err error) {
	p := &talkPatch{tx: tx, idx: old.clone(tx.ts), edits: map[listKey]*listEdit{},
		counts: map[int]map[int32]int32{}, confs: map[int32]bool{}}
	affected, err := p.touch(old, touched)
	if err != nil {
		return nil, false, err
	}
	if len(affected) > maxPatchTalks {
		idx, err := tx.buildTalkIndex()
		return idx, false, err
	}
	for _, t := range affected {
		if row := old.row(t); row != nil {
			p.apply(t, row, false)
		}
		row, err := p.readRow(t)
		if err != nil {
			return nil, false, err
		}
		p.idx.rows.set(t, row)
		if row != nil {
			p.apply(t, row, true)
		}
		switch was := old.row(t) != nil; {
		case was && row == nil:
			p.talks.del = append(p.talks.del, t)
		case !was && row != nil:
			p.talks.add = append(p.talks.add, t)
		}
	}
	p.finish()
	return p.idx, true, nil
}

// clone returns a copy of the index, at version ver, whose tables can be
// changed without changing idx; the lists they hold are still shared.
func (idx *talkIndex) clone(ver uint64) *talkIndex {
	return &talkIndex{ver: ver, names: slices.Clip(idx.names), num: idx.num,
		kinds: idx.kinds.fork(), rows: idx.rows.fork(), talks: idx.talks,
		linked: idx.linked.fork(), bySpeaker: idx.bySpeaker.fork(),
		byConf: idx.byConf.fork(), byTopic: idx.byTopic.fork(),
		byYear: maps.Clone(idx.byYear), yearCounts: maps.Clone(idx.yearCounts), confs: maps.Clone(idx.confs)}
}

// touch reads the touched nodes' records: their kinds, the conferences'
// names and years. It returns the talks to re-read, in id order.
func (p *talkPatch) touch(old *talkIndex, touched map[string]struct{}) ([]int32, error) {
	set := map[int32]bool{}
	for id := range touched {
		rec, ok, err := p.tx.record(id)
		if err != nil {
			return nil, err
		}
		n, known := p.idx.id(id)
		switch {
		case ok:
			n = p.intern(id, internKind(rec.kind))
			p.idx.kinds.set(n, internKind(rec.kind))
		case known:
			p.idx.kinds.set(n, "")
		default:
			continue
		}
		if old.row(n) != nil || p.idx.kinds.at(n) == KindTalk {
			set[n] = true
		}
		if ok && p.idx.kinds.at(n) == KindConference {
			y, _ := rec.year()
			p.idx.confs[n] = &confInfo{name: string(rec.name), date: string(rec.prop("date")), year: y}
		} else {
			delete(p.idx.confs, n)
		}
		p.confs[n] = true
		for _, t := range list(&old.byConf, n, known) {
			set[t] = true
		}
	}
	out := slices.Collect(maps.Keys(set))
	slices.SortFunc(out, p.idx.cmpNum)
	return out, nil
}

// record reads the record of node id, copied out of the store.
func (tx *Tx) record(id string) (recordView, bool, error) {
	item, err := tx.txn.Get(nodeKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return recordView{}, false, nil
	}
	if err != nil {
		return recordView{}, false, fmt.Errorf("read node %q: %w", id, err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return recordView{}, false, fmt.Errorf("read node %q: %w", id, err)
	}
	rec, err := viewRecord(v)
	if err != nil {
		return recordView{}, false, fmt.Errorf("decode node %q: %w", id, err)
	}
	return rec, true, nil
}

// intern numbers a node new to the index, copying the id table first.
func (p *talkPatch) intern(id string, kind Kind) int32 {
	if n, ok := p.idx.num[id]; ok {
		return n
	}
	if !p.ownNum {
		p.idx.num, p.ownNum = maps.Clone(p.idx.num), true
	}
	n := p.idx.name(id)
	p.idx.kinds.push(kind)
	p.idx.rows.push(nil)
	for _, t := range []*cow[[]int32]{&p.idx.linked, &p.idx.bySpeaker, &p.idx.byConf, &p.idx.byTopic} {
		t.push(nil)
	}
	return n
}

// readRow reads talk t as the transaction sees it, nil when it is no talk.
func (p *talkPatch) readRow(t int32) (*talkRow, error) {
	id := p.idx.names[t]
	rec, ok, err := p.tx.record(id)
	if err != nil || !ok || internKind(rec.kind) != KindTalk {
		return nil, err
	}
	row := &talkRow{lang: string(rec.prop("lang")), track: string(rec.prop("track"))}
	row.ownYear, row.hasOwnYear = rec.year()
	out := prefix(tagOut, id)
	err = p.tx.scanRaw(out, false, func(k, _ []byte) error {
		typ, kind, far, _, ok := splitAdjacent(k[len(out):])
		if !ok || typ == "gave" && kind == KindTalk {
			return nil // a gave relation counts for the talk given
		}
		n := p.intern(string(far), kind)
		row.out = append(row.out, n)
		switch {
		case typ == "part_of" && kind == KindConference:
			row.confs = append(row.confs, n)
		case typ == "mentions" || typ == "about":
			row.topics = append(row.topics, n)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read relations of %q: %w", id, err)
	}
	gave := prefix(tagIn, id, "gave")
	err = p.tx.scanRaw(gave, false, func(k, _ []byte) error {
		if _, kind, far, _, ok := splitAdjacent(k[len(gave)-len("gave")-1:]); ok {
			row.speakers = append(row.speakers, p.intern(string(far), kind))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read speakers of %q: %w", id, err)
	}
	for _, l := range []*[]int32{&row.out, &row.confs, &row.topics, &row.speakers} {
		*l = p.idx.sortNums(*l)
	}
	if err := p.loadConfs(row.confs); err != nil {
		return nil, err
	}
	row.year = p.idx.yearOf(row)
	return row, nil
}

// loadConfs reads the conferences the index does not know yet.
func (p *talkPatch) loadConfs(confs []int32) error {
	for _, c := range confs {
		if p.idx.confs[c] != nil {
			continue
		}
		rec, _, err := p.tx.record(p.idx.names[c])
		if err != nil {
			return err
		}
		y, _ := rec.year()
		p.idx.confs[c] = &confInfo{name: string(rec.name), date: string(rec.prop("date")), year: y}
		p.confs[c] = true
	}
	return nil
}

// apply adds (or takes away) talk t's row to the lists and counts.
func (p *talkPatch) apply(t int32, row *talkRow, add bool) {
	edit := func(table int8, n int32) {
		e := p.edits[listKey{table, n}]
		if e == nil {
			e = &listEdit{}
			p.edits[listKey{table, n}] = e
		}
		if add {
			e.add = append(e.add, t)
		} else {
			e.del = append(e.del, t)
		}
	}
	sign := int32(-1)
	if add {
		sign = 1
	}
	c := p.counts[row.year]
	if c == nil {
		c = map[int32]int32{}
		p.counts[row.year] = c
	}
	for _, n := range row.out {
		edit(0, n)
		c[n] += sign
	}
	for _, n := range row.speakers {
		edit(1, n)
	}
	for _, n := range row.confs {
		edit(2, n)
		p.confs[n] = true
	}
	for _, n := range row.topics {
		edit(3, n)
	}
	if row.year != 0 {
		edit(4, int32(row.year))
	}
}

// finish writes the edited lists and counts into the index.
func (p *talkPatch) finish() {
	idx := p.idx
	for k, e := range p.edits {
		if k.table == 4 {
			if l := idx.mergeNums(idx.byYear[int(k.n)], e); len(l) > 0 {
				idx.byYear[int(k.n)] = l
			} else {
				delete(idx.byYear, int(k.n))
			}
			continue
		}
		table := []*cow[[]int32]{&idx.linked, &idx.bySpeaker, &idx.byConf, &idx.byTopic}[k.table]
		table.set(k.n, idx.mergeNums(table.at(k.n), e))
	}
	for y, delta := range p.counts {
		m := maps.Clone(idx.yearCounts[y])
		if m == nil {
			m = map[int32]int32{}
		}
		for n, d := range delta {
			if m[n] += d; m[n] == 0 {
				delete(m, n)
			}
		}
		if len(m) > 0 {
			idx.yearCounts[y] = m
		} else {
			delete(idx.yearCounts, y)
		}
	}
	for c := range p.confs {
		if len(idx.byConf.at(c)) == 0 {
			delete(idx.confs, c)
		}
	}
	if len(p.talks.add)+len(p.talks.del) > 0 {
		idx.talks = idx.mergeNums(idx.talks, &p.talks)
	}
}

// mergeNums returns a new list: l without e.del, with e.add, in id order.
func (idx *talkIndex) mergeNums(l []int32, e *listEdit) []int32 {
	del := map[int32]bool{}
	for _, n := range e.del {
		del[n] = true
	}
	add := idx.sortNums(slices.Clone(e.add))
	out := make([]int32, 0, len(l)+len(add))
	i := 0
	for _, n := range l {
		if del[n] {
			continue
		}
		for i < len(add) && idx.cmpNum(add[i], n) < 0 {
			out = append(out, add[i])
			i++
		}
		if i < len(add) && add[i] == n {
			i++
		}
		out = append(out, n)
	}
	out = append(out, add[i:]...)
	if len(out) == 0 {
		return nil
	}
	return out
}

// noteKey records the nodes a key written by a mutation belongs to: the
// node of a record, both ends of an adjacency key.
func noteKey(touched map[string]struct{}, k []byte) {
	if len(k) < 2 {
		return
	}
	switch k[0] {
	case tagNode:
		touched[string(k[1:])] = struct{}{}
	case tagOut, tagIn:
		i := bytes.IndexByte(k, sep)
		if i < 0 {
			return
		}
		touched[string(k[1:i])] = struct{}{}
		if _, _, far, _, ok := splitAdjacent(k[i+1:]); ok {
			touched[string(far)] = struct{}{}
		}
	}
}
