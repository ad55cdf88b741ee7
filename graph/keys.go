package graph

import (
	"bytes"
)

// The key layout of the store, in one place.
//
// Every key starts with a one-byte tag. Parts are joined by 0x00, which ids
// (see CheckID), kinds, relation types, data set names and index terms never
// hold, so a prefix that ends in 0x00 selects exactly one part's children.
//
//	"!" "version"                          format version (see FormatVersion); written when the
//	                                       database is created, checked by Open
//	"!" "published"                        uint64: the version readers read (see version.go);
//	                                       a writer's last write
//	"d" dataset                            DatasetInfo (JSON): files, counts, seed time, the ids
//	                                       it refers to in other data sets
//	"n" id                                 Node (binary, see codec.go), dataset included
//	"k" kind 0 id                          empty: ids of one kind, in id order
//	"a" folded 0 id                        empty: the folded id, name and each alias of a node
//	                                       (case and accents folded by the Analyzer)
//	"e" from 0 type 0 to 0 dataset         []Evidence (binary) the data set gives for the edge:
//	                                       forward adjacency, "what does X point to" is one scan
//	"r" to 0 type 0 from 0 dataset         the same value: reverse adjacency, "what points to X"
//	                                       is one scan
//	"o" dataset 0 "n" 0 id                 empty: the data set defines the node
//	"o" dataset 0 "e" 0 from 0 type 0 to   empty: the data set asserts the edge
//	"t" lang 0 term 0 id                   posting: uint16 weighted term frequency, uint16 length
//	                                       of the node's text in that language (for BM25)
//	"s" dataset 0 lang                     search statistics of the data set's nodes in lang:
//	                                       uint64 document count, uint64 total length
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
	tagStats    = 's'
	ownNode     = 'n'
	ownEdge     = 'e'
	sep         = 0x00
	versionName = "version"
)

// FormatVersion is the version of the key layout above. Open refuses a
// database written with another version rather than misreading it.
const FormatVersion = 3

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
func outKey(e Edge, dataset string) []byte {
	return key(tagOut, e.From, e.Type, e.To, dataset)
}
func inKey(e Edge, dataset string) []byte {
	return key(tagIn, e.To, e.Type, e.From, dataset)
}
func ownNodeKey(dataset, id string) []byte {
	return key(tagOwn, dataset, string(ownNode), id)
}
func ownEdgeKey(dataset string, e Edge) []byte {
	return key(tagOwn, dataset, string(ownEdge), e.From, e.Type, e.To)
}
func postingKey(lang, term, id string) []byte {
	return key(tagPosting, lang, term, id)
}
func statsKey(dataset, lang string) []byte { return key(tagStats, dataset, lang) }

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
