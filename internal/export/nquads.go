package export

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteNQuads writes src as standard RDF 1.1 N-Quads, every statement in
// the default graph, under DefaultBase; WriteNQuadsBase takes another base.
// It returns the Source's error or the first write error.
func WriteNQuads(w io.Writer, src Source) error { return WriteNQuadsBase(w, src, "") }

// WriteNQuadsBase writes src as standard RDF 1.1 N-Quads with absolute
// IRIs: an entity is base+"id/"+id, typed with schema.org's class for its
// kind and talkgraph's own (base+"ns#Talk"…); names, aliases and
// descriptions are schema:name, schema:alternateName and language-tagged
// schema:description; properties are typed literals (xsd:date,
// xsd:integer, xsd:time) or IRIs (urls). A relation is the triple
// (from, base+"ns#"+type, to), with the schema.org triple that says the
// same where one fits, and each piece of its evidence is an RDF 1.1
// reification of that triple (see rdfEdge). An empty base means
// DefaultBase. It returns an error wrapping graph.ErrInvalid for a base
// CheckBase refuses, the Source's error or the first write error.
func WriteNQuadsBase(w io.Writer, src Source, base string) error {
	if base != "" {
		if err := CheckBase(base); err != nil {
			return err
		}
	}
	v := newVocab(base)
	out := newLines(w)
	if err := out.put("# talkgraph export: RDF 1.1 N-Quads, schema.org terms; talkgraph's ids under <", v.base, "id/>, its terms under <", v.ns(), ">\n"); err != nil {
		return err
	}
	var b strings.Builder
	err := eachStatements(src, v, func(ts []triple) error {
		b.Reset()
		for _, t := range ts {
			b.WriteString("<" + t.s + "> <" + t.p + "> " + nqTerm(t.o) + " .\n")
		}
		return out.put(b.String())
	})
	if err != nil {
		return err
	}
	return out.flush()
}

// nqTerm writes an object in N-Quads syntax.
func nqTerm(o term) string {
	switch {
	case o.iri != "":
		return "<" + o.iri + ">"
	case o.lang != "":
		return nqLiteral(o.value) + "@" + o.lang
	case o.dtype != "":
		return nqLiteral(o.value) + "^^<" + o.dtype + ">"
	}
	return nqLiteral(o.value)
}

// nqLiteral returns s as an N-Quads string literal in canonical N-Triples
// escaping: \" \\ \n \r \t \b \f, and \uXXXX for other control characters;
// everything else is written as UTF-8. The result also reads back through
// Go's strconv.Unquote, which Dgraph's loader uses.
func nqLiteral(s string) string { return quoted(s, '"') }

// quoted returns s between two quote characters, with a backslash escape for
// the backslash, the quote, \n \r \t \b \f, and \uXXXX for other control
// characters and the runes in also: the escaping Cypher and N-Quads share.
func quoted(s string, quote rune, also ...rune) string {
	var b strings.Builder
	b.WriteRune(quote)
	for _, r := range s {
		switch r {
		case quote, '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f || slices.Contains(also, r) {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteRune(quote)
	return b.String()
}
