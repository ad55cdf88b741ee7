package export

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// DefaultBase is the base IRI of talkgraph's own ids and terms when none is
// given. The .example domain is reserved (RFC 2606) and never resolves: a
// publisher gives a base it controls (talkgraph export --base).
const DefaultBase = "https://talkgraph.example/"

// Namespaces of the standard vocabularies the RDF writers use. schema.org
// has published its terms under https since version 12; its JSON-LD context
// still maps to http, which is why the inline context here names it.
const (
	nsRDF    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsXSD    = "http://www.w3.org/2001/XMLSchema#"
	nsSchema = "https://schema.org/"
)

// Datatypes of typed literals, and rdf:type.
const (
	xsdDate    = nsXSD + "date"
	xsdInteger = nsXSD + "integer"
	xsdTime    = nsXSD + "time"
	xsdAnyURI  = nsXSD + "anyURI"
	rdfType    = nsRDF + "type"
)

// CheckBase returns an error wrapping graph.ErrInvalid when base cannot be
// the base of the exported IRIs: it must be an absolute IRI with no space
// or character N-Quads forbids in an IRI, no query or fragment (the terms
// add their own #), ending in /.
func CheckBase(base string) error {
	u, err := url.Parse(base)
	switch {
	case err != nil || u.Scheme == "":
		return fmt.Errorf("base %q: %w: give an absolute IRI such as %s", base, graph.ErrInvalid, DefaultBase)
	case strings.ContainsAny(base, " <>\"{}|^`\\") || strings.ContainsFunc(base, func(r rune) bool { return r <= 0x20 }):
		return fmt.Errorf("base %q: %w: an IRI holds no space or <>\"{}|^`\\ character", base, graph.ErrInvalid)
	case strings.ContainsAny(base, "?#"):
		return fmt.Errorf("base %q: %w: leave out ? and #: talkgraph's terms add their own # to it", base, graph.ErrInvalid)
	case !strings.HasSuffix(base, "/"):
		return fmt.Errorf("base %q: %w: end it with / so that ids and terms append to it as paths", base, graph.ErrInvalid)
	}
	return nil
}

// vocab names talkgraph's entities and terms under one base: an entity is
// base+"id/"+id, a term base+"ns#"+name, a piece of evidence
// base+"evidence/"+hash.
type vocab struct{ base string }

func newVocab(base string) vocab {
	if base == "" {
		base = DefaultBase
	}
	return vocab{base: base}
}

func (v vocab) ns() string { return v.base + "ns#" }

func (v vocab) entity(id string) string {
	if graph.CheckID(id) == nil {
		return v.base + "id/" + id
	}
	return v.base + "id/" + url.PathEscape(id)
}

func (v vocab) term(name string) string { return v.ns() + name }

// term is an RDF term: an IRI when iri is set, otherwise a literal with its
// lexical form, and a language tag or a datatype (none: xsd:string).
type term struct {
	iri, value, lang, dtype string
}

func iri(s string) term          { return term{iri: s} }
func plain(s string) term        { return term{value: s} }
func typed(s, dtype string) term { return term{value: s, dtype: dtype} }

// triple is one statement; subject and predicate are IRIs.
type triple struct {
	s, p string
	o    term
}

// kindTypes are the schema.org classes of each kind. A company is also an
// Organization, so that a reader without RDFS inference finds it there.
var kindTypes = map[graph.Kind][]string{
	graph.KindConference:   {"Event"},
	graph.KindTalk:         {"Event"},
	graph.KindPerson:       {"Person"},
	graph.KindCompany:      {"Organization", "Corporation"},
	graph.KindOrganization: {"Organization"},
	graph.KindTool:         {"SoftwareApplication"},
	graph.KindConcept:      {"DefinedTerm"},
	graph.KindPublication:  {"CreativeWork"},
	graph.KindSource:       {"CreativeWork"},
	graph.KindBrand:        {"Brand"},
}

// className returns talkgraph's class of a kind: talk → Talk.
func className(k graph.Kind) string { return dgraphType(k) }

// rdfNode returns the statements of one node, in a stable order.
func (v vocab) rdfNode(n *graph.Node) []triple {
	s := v.entity(n.ID)
	ts := []triple{{s, rdfType, iri(v.term(className(n.Kind)))}}
	for _, c := range kindTypes[n.Kind] {
		ts = append(ts, triple{s, rdfType, iri(nsSchema + c)})
	}
	ts = append(ts,
		triple{s, nsSchema + "identifier", plain(n.ID)},
		triple{s, nsSchema + "name", plain(n.Name)})
	for _, a := range n.Aliases {
		ts = append(ts, triple{s, nsSchema + "alternateName", plain(a)})
	}
	for _, l := range sortedKeys(n.Description) {
		ts = append(ts, triple{s, nsSchema + "description", term{value: n.Description[l], lang: l}})
	}
	ts = append(ts, triple{s, v.term("dataset"), plain(n.Dataset)})
	for _, p := range sortedKeys(n.Props) {
		pred, obj := v.rdfProp(n.Kind, p, n.Props[p])
		ts = append(ts, triple{s, pred, obj})
	}
	return ts
}

// propTerms are the schema.org properties that fit a talkgraph property;
// the others are talkgraph terms of the same name. On an event (a talk, a
// conference), date is schema:startDate and video schema:recordedIn (the
// work that recorded it: schema:video belongs to creative works).
var propTerms = map[string]string{
	"published": "datePublished",
	"url":       "url",
	"video":     "video",
	"venue":     "location",
	"lang":      "inLanguage",
	"role":      "jobTitle",
}

// rdfProp returns the predicate and object of a property: dates as
// xsd:date, ints as xsd:integer, times as xsd:time, urls as IRIs (or
// xsd:anyURI literals when they are no valid IRI), the rest as strings.
func (v vocab) rdfProp(k graph.Kind, name, value string) (string, term) {
	pred := v.term(name)
	event := k == graph.KindTalk || k == graph.KindConference
	switch t, ok := propTerms[name]; {
	case event && name == "date":
		pred = nsSchema + "startDate"
	case event && name == "video":
		pred = nsSchema + "recordedIn"
	case ok:
		pred = nsSchema + t
	}
	switch graph.Props[name] {
	case graph.PropDate:
		return pred, typed(value, xsdDate)
	case graph.PropInt:
		if isInt(value) {
			return pred, typed(value, xsdInteger)
		}
	case graph.PropTime:
		if len(value) == len("15:04") {
			return pred, typed(value+":00", xsdTime)
		}
	case graph.PropURL:
		if validIRI(value) {
			return pred, iri(value)
		}
		return pred, typed(value, xsdAnyURI)
	}
	return pred, plain(value)
}

// validIRI reports whether s can be written as an absolute IRIREF.
func validIRI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" &&
		!strings.ContainsAny(s, "<>\"{}|^`\\") && !strings.ContainsFunc(s, func(r rune) bool { return r <= 0x20 })
}
