package export

import (
	"encoding/hex"
	"io"
	"path/filepath"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// UpsertPredicate is the predicate dgraph live -U stores each blank node's
// label in ("_:kafka") and looks nodes up by on the next load. WriteDgraph
// never writes it: a value of its own would replace the label, and the next
// load would find nothing and create every node again.
const UpsertPredicate = "xid"

const dgraphHead = `# talkgraph export: N-Quads in Dgraph's dialect (talkgraph export --format dgraph --out FILE.rdf prints the dgraph live command)
`

// WriteDgraph writes src as N-Quads in Dgraph's dialect: bare predicate
// names such as <name>, and no graph label (Dgraph reads the fourth term as
// a namespace). A node is the blank node _:<id> with <dgraph.type> (its kind
// capitalised, e.g. "Talk"), <id>, <kind>, <name>, <alias> (one triple
// each), <description> (untagged, in English or else the first language,
// so that a plain description answers in DQL, then "…"@en, "…"@fr),
// <dataset> and one predicate per property (ints as xsd:integer, dates as
// xsd:date). An edge is the triple _:<from> <type> _:<to>. Its evidence is
// reified, since Dgraph's facets hold one scalar each and are not N-Quads:
// each piece is a node _:Evidence-<hash> of type "Evidence" with
// <evidence.relation>, <evidence.from>, <evidence.to>, <evidence.source>
// (uids), <evidence.quote> and <evidence.dataset>. Blank node labels depend
// on the content only, so that dgraph live -U xid (see DgraphLiveCommand)
// finds every node again on a reload. WriteDgraphSchema writes the matching
// schema. It returns the Source's error or the first write error.
func WriteDgraph(w io.Writer, src Source) error {
	out := newLines(w)
	if err := out.put(dgraphHead); err != nil {
		return err
	}
	if err := src.EachNode(func(n *graph.Node) error { return out.put(dgraphNode(n)) }); err != nil {
		return err
	}
	if err := src.EachEdge(func(e graph.Edge) error { return out.put(dgraphEdge(e)) }); err != nil {
		return err
	}
	return out.flush()
}

// DgraphLiveCommand returns the dgraph live command that loads the N-Quads
// in data with the schema in schema, as many times as wanted: -U xid makes
// each load find the nodes of the previous one. Dgraph tells the format by
// the extension (.rdf, .rdf.gz); for any other name the command says
// --format=rdf.
func DgraphLiveCommand(data, schema string) string {
	cmd := "dgraph live -f " + shellQuote(data) + " -s " + shellQuote(schema) + " -U " + UpsertPredicate
	if !strings.HasSuffix(data, ".rdf") && !strings.HasSuffix(data, ".rdf.gz") {
		cmd += " --format=rdf"
	}
	return cmd
}

// shellQuote returns s as one word of a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:+=@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// DgraphSchemaPath returns where the schema of the N-Quads at data goes by
// default: beside it, with the extension .schema (graph.rdf → graph.schema,
// graph.rdf.gz → graph.schema).
func DgraphSchemaPath(data string) string {
	data = strings.TrimSuffix(data, ".gz")
	return strings.TrimSuffix(data, filepath.Ext(data)) + ".schema"
}

// quads collects the lines of one subject.
type quads struct {
	b    strings.Builder
	subj string
}

func (q *quads) add(pred, object string) {
	q.b.WriteString(q.subj + " <" + pred + "> " + object + " .\n")
}

func dgraphNode(n *graph.Node) string {
	q := quads{subj: blankNode(n.ID)}
	q.add("dgraph.type", nqLiteral(dgraphType(n.Kind)))
	q.add("id", nqLiteral(n.ID))
	q.add("kind", nqLiteral(string(n.Kind)))
	q.add("name", nqLiteral(n.Name))
	for _, a := range n.Aliases {
		q.add("alias", nqLiteral(a))
	}
	if d := n.Describe("en"); d != "" {
		q.add("description", nqLiteral(d))
	}
	for _, l := range sortedKeys(n.Description) {
		q.add("description", nqLiteral(n.Description[l])+"@"+l)
	}
	q.add("dataset", nqLiteral(n.Dataset))
	for _, p := range sortedKeys(n.Props) {
		q.add(p, dgraphProp(p, n.Props[p]))
	}
	return q.b.String()
}

func dgraphProp(name, v string) string {
	switch graph.Props[name] {
	case graph.PropInt:
		if isInt(v) {
			return nqLiteral(v) + "^^<" + xsdInteger + ">"
		}
	case graph.PropDate:
		return nqLiteral(v) + "^^<" + xsdDate + ">"
	}
	return nqLiteral(v)
}

func dgraphEdge(e graph.Edge) string {
	var b strings.Builder
	b.WriteString(blankNode(e.From) + " <" + e.Type + "> " + blankNode(e.To) + " .\n")
	seen := map[string]int{}
	for _, ev := range e.Evidence {
		q := quads{subj: "_:Evidence-" + evidenceHash(e, ev, seen)}
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

// blankNode returns the blank node of an id: _:<id>. Ids are slugs, which
// are valid blank node labels; anything else (never stored, but cheap to
// guard) is hex-encoded behind an upper-case prefix no slug has.
func blankNode(id string) string {
	if graph.CheckID(id) == nil {
		return "_:" + id
	}
	return "_:X-" + hex.EncodeToString([]byte(id))
}

// dgraphType returns the Dgraph type of a kind: talk → Talk.
func dgraphType(k graph.Kind) string {
	s := string(k)
	if s == "" {
		return "Unknown"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
