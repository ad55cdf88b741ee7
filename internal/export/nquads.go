package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// XSD datatypes of typed literals; Dgraph reads them as int and datetime.
const (
	xsdInteger = "<http://www.w3.org/2001/XMLSchema#integer>"
	xsdDate    = "<http://www.w3.org/2001/XMLSchema#date>"
)

const nquadsHead = `# talkgraph export: N-Quads for Dgraph (dgraph live -f FILE -s SCHEMA -U xid)
`

// WriteNQuads writes src as N-Quads in Dgraph's dialect: bare predicate
// names such as <name>, and no graph label (Dgraph reads the fourth term as
// a namespace). A node is the blank node _:<id> with <dgraph.type> (its kind
// capitalised, e.g. "Talk"), <xid> (its id), <kind>, <name>, <alias> (one
// triple each), <description> ("…"@en, "…"@fr), <dataset> and one predicate
// per property (ints as xsd:integer, dates as xsd:date). An edge is the
// triple _:<from> <type> _:<to>. Its evidence is reified, since Dgraph's
// facets hold one scalar each and are not N-Quads: each piece is a node
// _:Evidence-<hash> of type "Evidence" with <evidence.relation>,
// <evidence.from>, <evidence.to>, <evidence.source> (uids), <evidence.quote>
// and <evidence.dataset>. WriteDgraphSchema writes the matching schema. It
// returns the Source's error or the first write error.
func WriteNQuads(w io.Writer, src Source) error {
	out := newLines(w)
	if err := out.put(nquadsHead); err != nil {
		return err
	}
	if err := src.EachNode(func(n *graph.Node) error { return out.put(nquadsNode(n)) }); err != nil {
		return err
	}
	if err := src.EachEdge(func(e graph.Edge) error { return out.put(nquadsEdge(e)) }); err != nil {
		return err
	}
	return out.flush()
}

// quads collects the lines of one subject.
type quads struct {
	b    strings.Builder
	subj string
}

func (q *quads) add(pred, object string) {
	q.b.WriteString(q.subj + " <" + pred + "> " + object + " .\n")
}

func nquadsNode(n *graph.Node) string {
	q := quads{subj: blankNode(n.ID)}
	q.add("dgraph.type", nqLiteral(dgraphType(n.Kind)))
	q.add("xid", nqLiteral(n.ID))
	q.add("kind", nqLiteral(string(n.Kind)))
	q.add("name", nqLiteral(n.Name))
	for _, a := range n.Aliases {
		q.add("alias", nqLiteral(a))
	}
	for _, l := range sortedKeys(n.Description) {
		q.add("description", nqLiteral(n.Description[l])+"@"+l)
	}
	q.add("dataset", nqLiteral(n.Dataset))
	for _, p := range sortedKeys(n.Props) {
		q.add(p, nqProp(p, n.Props[p]))
	}
	return q.b.String()
}

func nqProp(name, v string) string {
	switch graph.Props[name] {
	case graph.PropInt:
		if isInt(v) {
			return nqLiteral(v) + "^^" + xsdInteger
		}
	case graph.PropDate:
		return nqLiteral(v) + "^^" + xsdDate
	}
	return nqLiteral(v)
}

func nquadsEdge(e graph.Edge) string {
	var b strings.Builder
	b.WriteString(blankNode(e.From) + " <" + e.Type + "> " + blankNode(e.To) + " .\n")
	seen := map[string]int{}
	for _, ev := range e.Evidence {
		id := evidenceID(e, ev, seen)
		q := quads{subj: "_:" + id}
		q.add("dgraph.type", nqLiteral("Evidence"))
		q.add("evidence.relation", nqLiteral(e.Type))
		q.add("evidence.from", blankNode(e.From))
		q.add("evidence.to", blankNode(e.To))
		q.add("evidence.source", blankNode(ev.Source))
		if ev.Quote != "" {
			q.add("evidence.quote", nqLiteral(ev.Quote))
		}
		q.add("evidence.dataset", nqLiteral(ev.Dataset))
		b.WriteString(q.b.String())
	}
	return b.String()
}

// evidenceID names a piece of evidence after its content, so it keeps its
// name from one export to the next; seen tells identical pieces apart.
func evidenceID(e graph.Edge, ev graph.Evidence, seen map[string]int) string {
	h := sha256.Sum256([]byte(strings.Join([]string{e.From, e.Type, e.To, ev.Dataset, ev.Source, ev.Quote}, "\x00")))
	id := hex.EncodeToString(h[:8])
	seen[id]++
	if n := seen[id]; n > 1 {
		return fmt.Sprintf("Evidence-%s-%d", id, n)
	}
	return "Evidence-" + id
}

// dgraphType returns the Dgraph type of a kind: talk → Talk.
func dgraphType(k graph.Kind) string {
	s := string(k)
	if s == "" {
		return "Unknown"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// blankNode returns the blank node of an id: _:<id>. Ids are slugs, which
// are valid blank node labels; anything else (never stored, but cheap to
// guard) is hex-encoded behind an upper-case prefix no slug has.
func blankNode(id string) string {
	if graph.CheckID(id) == nil {
		return "_:" + id
	}
	return "_:X-" + hex.EncodeToString([]byte(id))
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
