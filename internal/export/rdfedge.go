package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// schemaRelation is a schema.org property that says what a relation type
// says, between the kinds schema.org's domain and range allow (nil: any).
// reverse: the schema.org statement runs from the relation's target to its
// start (a person gave a talk: the talk's performer is the person).
type schemaRelation struct {
	typ, prop string
	reverse   bool
	from, to  []graph.Kind
}

var (
	events = []graph.Kind{graph.KindTalk, graph.KindConference}
	works  = []graph.Kind{graph.KindTool, graph.KindPublication, graph.KindSource}
	orgs   = []graph.Kind{graph.KindCompany, graph.KindOrganization}
)

// schemaRelations lists the relation types schema.org can say. The others
// (uses, implements, inspired_by, advocates, related_to, owns,
// open_sourced_as) have no schema.org property with that meaning and are
// written as talkgraph's terms only.
var schemaRelations = []schemaRelation{
	{typ: "gave", prop: "performer", reverse: true},
	{typ: "part_of", prop: "superEvent", from: events, to: events},
	{typ: "part_of", prop: "isPartOf", from: works, to: works},
	{typ: "mentions", prop: "mentions", from: works},
	{typ: "about", prop: "about"},
	{typ: "works_at", prop: "worksFor"},
	{typ: "founded", prop: "founder", reverse: true, to: orgs},
	{typ: "created", prop: "creator", reverse: true, to: works},
	{typ: "maintains", prop: "maintainer", reverse: true, to: works},
	{typ: "makes", prop: "producer", reverse: true},
	{typ: "organizes", prop: "organizer", reverse: true},
	{typ: "wrote", prop: "author", reverse: true},
	{typ: "based_on", prop: "isBasedOn", from: works},
}

func kindFits(k graph.Kind, ks []graph.Kind) bool { return ks == nil || slices.Contains(ks, k) }

// rdfEdge returns the statements of one relation: the talkgraph triple
// (from, type, to), the schema.org triple that says the same where one
// fits, and each piece of evidence as an RDF 1.1 reification of the
// talkgraph triple (an rdf:Statement with its source, quote and data set).
// kinds holds the kinds of the relation's ends.
func (v vocab) rdfEdge(e graph.Edge, kinds map[string]graph.Kind) []triple {
	s, p, o := v.entity(e.From), v.term(e.Type), v.entity(e.To)
	ts := []triple{{s, p, iri(o)}}
	for _, r := range schemaRelations {
		if r.typ != e.Type || !kindFits(kinds[e.From], r.from) || !kindFits(kinds[e.To], r.to) {
			continue
		}
		if r.reverse {
			ts = append(ts, triple{o, nsSchema + r.prop, iri(s)})
		} else {
			ts = append(ts, triple{s, nsSchema + r.prop, iri(o)})
		}
	}
	seen := map[string]int{}
	for _, ev := range e.Evidence {
		id := v.base + "evidence/" + evidenceHash(e, ev, seen)
		ts = append(ts,
			triple{id, rdfType, iri(nsRDF + "Statement")},
			triple{id, rdfType, iri(v.term("Evidence"))},
			triple{id, nsRDF + "subject", iri(s)},
			triple{id, nsRDF + "predicate", iri(p)},
			triple{id, nsRDF + "object", iri(o)},
			triple{id, v.term("source"), iri(v.entity(ev.Source))})
		if ev.Quote != "" {
			ts = append(ts, triple{id, v.term("quote"), plain(ev.Quote)})
		}
		ts = append(ts, triple{id, v.term("dataset"), plain(ev.Dataset)})
	}
	return ts
}

// evidenceHash names a piece of evidence after its content, so it keeps its
// name from one export to the next (a Dgraph reload finds it again); seen
// tells identical pieces of one edge apart.
func evidenceHash(e graph.Edge, ev graph.Evidence, seen map[string]int) string {
	h := sha256.Sum256([]byte(strings.Join([]string{e.From, e.Type, e.To, ev.Dataset, ev.Source, ev.Quote}, "\x00")))
	id := hex.EncodeToString(h[:8])
	seen[id]++
	if n := seen[id]; n > 1 {
		return fmt.Sprintf("%s-%d", id, n)
	}
	return id
}

// eachStatements calls fn with the statements of each node of src, then
// of each relation. It returns the Source's error or fn's.
func eachStatements(src Source, v vocab, fn func([]triple) error) error {
	kinds := map[string]graph.Kind{}
	err := src.EachNode(func(n *graph.Node) error {
		kinds[n.ID] = n.Kind
		return fn(v.rdfNode(n))
	})
	if err != nil {
		return err
	}
	return src.EachEdge(func(e graph.Edge) error { return fn(v.rdfEdge(e, kinds)) })
}
