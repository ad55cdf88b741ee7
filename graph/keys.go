package graph

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// The key layout of the store, in one place.
//
// Every key starts with a one-byte tag. Parts are joined by 0x00, which ids
// (see CheckID), kinds, relation types, data set names and index terms never
// hold, so a prefix that ends in 0x00 selects exactly one part's children.
// Only a posting key has binary numbers in it, at a fixed place after its
// term's separator.
//
//	"!" "version"                          format version (see FormatVersion); written when the
//	                                       database is created, checked by Open
//	"!" "analyzer"                         the Name of the text analysis the postings, document
//	                                       frequencies and alias keys were made with; written
//	                                       when the database is created, checked by Open
//	                                       (see analyzerdb.go)
//	"!" "id"                               the database's identity, 32 hex digits: written when
//	                                       the database is created (see dbid.go)
//	"!" "published"                        uint64: the version readers read (see version.go);
//	                                       a writer's last write
//	"d" dataset                            DatasetInfo (JSON): files, counts, seed time, the ids
//	                                       it refers to in other data sets
//	"n" id                                 Node (binary, see codec.go), data set(s) included
//	"k" kind 0 id                          empty: ids of one kind, in id order
//	"a" folded 0 id                        empty: the folded id, name and each alias of a node
//	                                       (case and accents folded by the Analyzer)
//	"e" from 0 type 0 tokind 0 to 0 dataset
//	                                       []Evidence (binary) the data set gives for the edge:
//	                                       forward adjacency, "what does X point to" is one scan,
//	                                       "which talks does X point to by type T" one narrower one
//	"r" to 0 type 0 fromkind 0 from 0 dataset
//	                                       the same value: reverse adjacency, "what points to X"
//	"g" id 0 dataset                       uint32: how many edges (out and in) the data set gives
//	                                       the node: path search expands the cheaper side first
//	"o" dataset 0 "n" 0 id                 the data set defines the node: empty while it alone
//	                                       does; when several data sets define it, the set's own
//	                                       definition (a Node record), and "n" id holds the merge
//	                                       with Datasets listing them (see shared.go)
//	"o" dataset 0 "e" 0 from 0 type 0 to   fromkind 0 tokind: the data set asserts the edge (the
//	                                       kinds rebuild its adjacency keys when it is removed)
//	"t" lang 0 term 0 tf len id            empty: a posting, impact-ordered: tf is 0xFFFF minus
//	                                       the weighted term frequency and len the length of the
//	                                       node's text in lang, both 2 bytes big-endian, so a
//	                                       term's postings come by frequency, most first, then
//	                                       shortest text first: the order of their BM25 scores
//	                                       within one frequency (see rank.go)
//	"p" lang 0 term 0 block                the same postings packed: block is a uint32 (4 bytes
//	                                       big-endian), a node number shifted right by blockBits;
//	                                       the value, 6 bytes a posting in number order: the
//	                                       number's low bits, the weighted term frequency and the
//	                                       text length, 2 bytes each. A search reads a term's
//	                                       postings a block, not a key, at a time. Derived from
//	                                       the "t" keys, which every writer changes through
//	                                       postingOps (see blocks.go)
//	"x" id                                 uint32: the node's number in posting blocks, given when
//	                                       it is first indexed and never given to another node
//	"X" number                             the id of the node of a number (4 bytes big-endian)
//	"!" "nums"                             uint32: the next node number to give
//	"f" dataset 0 lang 0 term              uint32: how many of the data set's nodes hold term in
//	                                       lang (document frequency, for BM25's idf)
//	"s" dataset 0 lang                     search statistics of the data set's nodes in lang:
//	                                       uint64 document count, uint64 total length
//	"v" dataset 0 source                   uint32: how many of the data set's edges cite source
//	                                       in their evidence: a source cited anywhere keeps its
//	                                       kind and cannot be deleted, and a data set refers to
//	                                       another's source only while this count is above zero
//	"y" dataset 0 file 0 part              the bytes of one seed file of the data set as it was
//	                                       seeded, in parts of up to 64 KiB (part: 6 decimal
//	                                       digits): the YAML export writes each node and edge back
//	                                       into its file, with its comments (see seedfiles.go)
//
// Kinds stored in adjacency keys are the kinds of the nodes when the edge was
// written: a node that has relations keeps its kind (UpsertNode and the
// data set writer refuse the change while another data set's relations point at it).
//
// An edge is stored once per data set that asserts it, so removing a data set
// deletes its keys without rewriting another set's evidence; readers merge the
// adjacent keys of one (from, type, to) into a single Relation.
const (
	tagMeta     = '!'
	tagDataset  = 'd'
	tagNode     = 'n'
	tagKind     = 'k'
	tagAlias    = 'a'
	tagOut      = 'e'
	tagIn       = 'r'
	tagOwn      = 'o'
	tagPosting  = 't'
	tagDF       = 'f'
	tagDegree   = 'g'
	tagStats    = 's'
	tagCite     = 'v'
	tagBlock    = 'p'
	tagNum      = 'x'
	tagNumID    = 'X'
	tagFile     = 'y'
	ownNode     = 'n'
	ownEdge     = 'e'
	sep         = 0x00
	versionName = "version"
)

// FormatVersion is the version of the key layout above. Open refuses a
// database written with another version rather than misreading it.
// Version 5: descriptions are indexed in their own languages (not only the
// store's Languages), the analysis is recorded ("!" "analyzer"), and each
// data set counts the evidence citing each source ("v" keys).
// Version 6: postings are packed in blocks by node number ("p", "x", "X").
const FormatVersion = 6

func key(tag byte, parts ...string) []byte {
	n := 1
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, tag)
	for i, p := range parts {
		if i > 0 {
			b = append(b, sep)
		}
		b = append(b, p...)
	}
	return b
}

// prefix returns the key of parts followed by a separator, selecting every
// key whose next part follows.
func prefix(tag byte, parts ...string) []byte {
	return append(key(tag, parts...), sep)
}

func versionKey() []byte               { return key(tagMeta, versionName) }
func datasetKey(name string) []byte    { return key(tagDataset, name) }
func nodeKey(id string) []byte         { return key(tagNode, id) }
func kindKey(k Kind, id string) []byte { return key(tagKind, string(k), id) }
func aliasKey(folded, id string) []byte {
	return key(tagAlias, folded, id)
}
func outKey(e Edge, to Kind, dataset string) []byte {
	return key(tagOut, e.From, e.Type, string(to), e.To, dataset)
}
func inKey(e Edge, from Kind, dataset string) []byte {
	return key(tagIn, e.To, e.Type, string(from), e.From, dataset)
}
func degreeKey(id, dataset string) []byte { return key(tagDegree, id, dataset) }
func ownNodeKey(dataset, id string) []byte {
	return key(tagOwn, dataset, string(ownNode), id)
}
func ownEdgeKey(dataset string, e Edge) []byte {
	return key(tagOwn, dataset, string(ownEdge), e.From, e.Type, e.To)
}
func ownEdgeValue(from, to Kind) []byte {
	return append(append([]byte(from), sep), to...)
}

// parseOwnEdgeValue reads the kinds an own-edge key's value holds.
func parseOwnEdgeValue(v []byte) (from, to Kind) {
	i := bytes.IndexByte(v, sep)
	if i < 0 {
		return "", ""
	}
	return Kind(v[:i]), Kind(v[i+1:])
}

// postingKey is the key of a posting: see the layout above.
func postingKey(lang, term string, tf, length int, id string) []byte {
	b := prefix(tagPosting, lang, term)
	b = binary.BigEndian.AppendUint16(b, uint16(maxUint16-min(tf, maxUint16)))
	b = binary.BigEndian.AppendUint16(b, uint16(min(length, maxUint16)))
	return append(b, id...)
}

// parsePosting reads the frequency, length and id of a posting key whose
// term prefix p is known.
func parsePosting(p, k []byte) (tf, length int, id string, ok bool) {
	if len(k) < len(p)+4 {
		return 0, 0, "", false
	}
	s := k[len(p):]
	return maxUint16 - int(binary.BigEndian.Uint16(s)), int(binary.BigEndian.Uint16(s[2:])), string(s[4:]), true
}

func dfKey(dataset, lang, term string) []byte { return key(tagDF, dataset, lang, term) }
func statsKey(dataset, lang string) []byte    { return key(tagStats, dataset, lang) }
func citeKey(dataset, source string) []byte   { return key(tagCite, dataset, source) }
func fileKey(dataset, file string, part int) []byte {
	return key(tagFile, dataset, file, fmt.Sprintf("%06d", part))
}

// parts splits a key after its tag into its parts.
func parts(k []byte) []string {
	ps := bytes.Split(k[1:], []byte{sep})
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// lastPart returns the part after the last separator.
func lastPart(k []byte) string {
	i := bytes.LastIndexByte(k, sep)
	return string(k[i+1:])
}

// splitAdjacent splits what follows "e" near 0 (or "r" near 0) in an
// adjacency key: type 0 kind 0 far 0 dataset. Reading lists of thousands of
// keys, it allocates only the far end's id: type and kind come from closed
// sets (see intern).
func splitAdjacent(rest []byte) (typ string, kind Kind, far, dataset []byte, ok bool) {
	var f [4][]byte
	for i := 0; i < 3; i++ {
		j := bytes.IndexByte(rest, sep)
		if j < 0 {
			return "", "", nil, nil, false
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	f[3] = rest
	return internType(f[0]), internKind(f[1]), f[2], f[3], true
}

var (
	typeNames = func() map[string]string {
		m := map[string]string{}
		for _, t := range EdgeTypes {
			m[t.Name] = t.Name
		}
		return m
	}()
	kindNames = func() map[string]Kind {
		m := map[string]Kind{}
		for _, k := range Kinds {
			m[string(k)] = k
		}
		return m
	}()
)

// internType and internKind return the shared string of a type or kind
// name (the map lookup of string(b) does not allocate).
func internType(b []byte) string {
	if t, ok := typeNames[string(b)]; ok {
		return t
	}
	return string(b)
}

func internKind(b []byte) Kind {
	if k, ok := kindNames[string(b)]; ok {
		return k
	}
	return Kind(b)
}
