package graph

import (
	"encoding/binary"
	"errors"
	"sort"
)

// Node records and evidence lists are stored in a small binary form rather
// than JSON: decoding them is most of the cost of a read, and JSON decoding
// was 60% of the time of some queries in a profile.
//
// A node record: uvarint-length-prefixed strings kind, id, name, dataset,
// file; a uvarint line; then counted lists: aliases, descriptions (lang,
// text), props (name, value), maps in key order; last, only for a node that
// several data sets define, the counted list of their names (a record that
// ends before it has one data set, which keeps those records as they were). The kind comes first so
// that kindOf reads it without decoding the rest.
//
// An evidence list: a uvarint count, then for each piece source, quote,
// file and a uvarint line. The data set is in the key.

var errCorrupt = errors.New("corrupt record")

type enc []byte

func (e enc) str(s string) enc { return append(binary.AppendUvarint(e, uint64(len(s))), s...) }
func (e enc) num(n uint64) enc { return binary.AppendUvarint(e, n) }
func (e enc) strs(ss []string) enc {
	e = e.num(uint64(len(ss)))
	for _, s := range ss {
		e = e.str(s)
	}
	return e
}

func (e enc) smap(m map[string]string) enc {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	e = e.num(uint64(len(keys)))
	for _, k := range keys {
		e = e.str(k).str(m[k])
	}
	return e
}

type dec struct {
	b   []byte
	err error
}

func (d *dec) num() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errCorrupt, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) str() string {
	n := d.num()
	if n > uint64(len(d.b)) {
		d.err, d.b = errCorrupt, nil
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *dec) strs() []string {
	n := d.num()
	if n == 0 || n > uint64(len(d.b)) {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *dec) smap() map[string]string {
	n := d.num()
	if n == 0 || n > uint64(len(d.b)) {
		return nil
	}
	m := make(map[string]string, n)
	for i := uint64(0); i < n; i++ {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func encodeNode(n *Node) []byte {
	e := enc(make([]byte, 0, 64+len(n.Name)+len(n.Description["en"])+len(n.Description["fr"])))
	e = e.str(string(n.Kind)).str(n.ID).str(n.Name).str(n.Dataset).str(n.File).num(uint64(max(n.Line, 0)))
	e = e.strs(n.Aliases).smap(n.Description).smap(n.Props)
	if len(n.Datasets) > 1 {
		e = e.strs(n.Datasets)
	}
	return e
}

func decodeNode(b []byte, n *Node) error {
	d := &dec{b: b}
	n.Kind = Kind(d.str())
	n.ID, n.Name, n.Dataset, n.File = d.str(), d.str(), d.str(), d.str()
	n.Line = int(d.num())
	n.Aliases, n.Description, n.Props = d.strs(), d.smap(), d.smap()
	n.Datasets = nil
	if d.err == nil && len(d.b) > 0 {
		n.Datasets = d.strs()
	}
	return d.err
}

// kindOf reads the kind of a node record without decoding the rest.
func kindOf(b []byte) Kind {
	d := &dec{b: b}
	return Kind(d.str())
}

func encodeEvidence(ev []Evidence) []byte {
	e := enc(nil).num(uint64(len(ev)))
	for _, x := range ev {
		e = e.str(x.Source).str(x.Quote).str(x.File).num(uint64(max(x.Line, 0)))
	}
	return e
}

func decodeEvidence(b []byte, dataset string) ([]Evidence, error) {
	d := &dec{b: b}
	n := d.num()
	if n > uint64(len(b)) {
		return nil, errCorrupt
	}
	out := make([]Evidence, n)
	for i := range out {
		out[i] = Evidence{Source: d.str(), Quote: d.str(), File: d.str(), Line: int(d.num()), Dataset: dataset}
	}
	return out, d.err
}

// evidenceCount reads how many pieces an evidence list holds.
func evidenceCount(b []byte) int {
	d := &dec{b: b}
	return int(d.num())
}

// DecodeNode decodes a node record as stored under an "n" key, for tools
// and tests that read the database directly. It returns an error for a
// record that is not one.
func DecodeNode(b []byte) (*Node, error) {
	n := new(Node)
	return n, decodeNode(b, n)
}
