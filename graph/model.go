package graph

import (
	"fmt"
	"regexp"
	"sort"
)

// Kind is the kind of a node.
type Kind string

// The kinds of node the graph holds. Organization covers non-commercial
// bodies (a foundation, a government agency); Publication covers books, blog
// posts and papers that talks cite but that are not evidence themselves.
// Brand is a name a registry lists as a brand (simple-icons) without
// saying whether it is a company, a product or a protocol: kept as what
// the data says rather than guessed.
const (
	KindConference   Kind = "conference"
	KindTalk         Kind = "talk"
	KindPerson       Kind = "person"
	KindCompany      Kind = "company"
	KindOrganization Kind = "organization"
	KindTool         Kind = "tool"
	KindConcept      Kind = "concept"
	KindPublication  Kind = "publication"
	KindSource       Kind = "source"
	KindBrand        Kind = "brand"
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{KindConference, KindTalk, KindPerson, KindCompany, KindOrganization, KindTool, KindConcept, KindPublication, KindSource, KindBrand}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// PropType is the type of a node property value.
type PropType string

// Property value types. Values are stored as strings in their canonical form
// (dates as YYYY-MM-DD, ints in base 10, urls absolute).
const (
	PropText PropType = "text"
	PropDate PropType = "date"
	PropURL  PropType = "url"
	PropInt  PropType = "int"
	PropTime PropType = "time"
)

// Props declares every property a node may carry and its type; a property
// not listed here is refused so that typos never reach the store.
var Props = map[string]PropType{
	"date":      PropDate,
	"published": PropDate,
	"url":       PropURL,
	"video":     PropURL,
	"venue":     PropText,
	"city":      PropText,
	"country":   PropText,
	"edition":   PropInt,
	"order":     PropInt,
	"year":      PropInt,
	"start":     PropTime,
	"lang":      PropText,
	"author":    PropText,
	"role":      PropText,
	// programme_ids are the ids programmes give a person, with the site
	// they hold on ("pretalx:pretalx.c3voc.de:SCD9VJ"), space-separated:
	// an import knows the person again by them.
	"programme_ids": PropText,
	"subtitle":      PropText,
	"method":        PropText,
	// open_sourced is the year a tool's source was first published: sources
	// such as the dotScale article give the year, rarely the day.
	"open_sourced": PropInt,
	"end":          PropDate,
	"timezone":     PropText,
	"duration":     PropInt,
	"room":         PropText,
	"track":        PropText,
	"type":         PropText,
	"licence":      PropText,
}

// EdgeType describes one relation type: its inverse name and which kinds of
// node it may join. An empty From or To list allows any kind.
type EdgeType struct {
	Name    string
	Inverse string
	From    []Kind
	To      []Kind
}

var (
	people   = []Kind{KindPerson}
	orgs     = []Kind{KindCompany, KindOrganization}
	makers   = []Kind{KindPerson, KindCompany, KindOrganization}
	talkish  = []Kind{KindTalk, KindSource, KindPublication}
	anything []Kind
)

// EdgeTypes is the closed set of relation types, in canonical direction.
// The store keeps every edge under its canonical name and answers queries
// in either direction under the forward or the inverse name.
var EdgeTypes = []EdgeType{
	{Name: "gave", Inverse: "given_by", From: people, To: []Kind{KindTalk}},
	{Name: "part_of", Inverse: "has_part", From: []Kind{KindTalk, KindConference, KindTool}, To: []Kind{KindConference, KindTool}},
	{Name: "mentions", Inverse: "mentioned_in", From: talkish, To: anything},
	{Name: "about", Inverse: "subject_of", From: []Kind{KindTalk, KindSource, KindPublication, KindTool, KindCompany, KindOrganization, KindBrand}, To: anything},
	{Name: "works_at", Inverse: "employs", From: people, To: orgs},
	{Name: "founded", Inverse: "founded_by", From: makers, To: []Kind{KindCompany, KindOrganization, KindConference}},
	{Name: "created", Inverse: "created_by", From: makers, To: []Kind{KindTool, KindConcept, KindPublication, KindConference}},
	{Name: "maintains", Inverse: "maintained_by", From: makers, To: []Kind{KindTool, KindPublication}},
	{Name: "makes", Inverse: "made_by", From: orgs, To: []Kind{KindTool, KindBrand}},
	{Name: "owns", Inverse: "owned_by", From: makers, To: []Kind{KindTool, KindCompany, KindPublication}},
	{Name: "organizes", Inverse: "organized_by", From: makers, To: []Kind{KindConference}},
	{Name: "wrote", Inverse: "written_by", From: makers, To: []Kind{KindPublication, KindSource}},
	{Name: "based_on", Inverse: "basis_of", From: []Kind{KindTool, KindConcept}, To: []Kind{KindTool, KindConcept}},
	{Name: "open_sourced_as", Inverse: "open_source_version_of", From: []Kind{KindTool}, To: []Kind{KindTool}},
	{Name: "uses", Inverse: "used_by", From: []Kind{KindPerson, KindCompany, KindOrganization, KindTool, KindTalk}, To: []Kind{KindTool, KindConcept}},
	{Name: "implements", Inverse: "implemented_by", From: []Kind{KindTool}, To: []Kind{KindConcept}},
	{Name: "inspired_by", Inverse: "inspired", From: anything, To: anything},
	{Name: "advocates", Inverse: "advocated_by", From: []Kind{KindTalk, KindPerson, KindPublication}, To: []Kind{KindConcept, KindTool, KindPublication}},
	{Name: "related_to", Inverse: "related_to", From: anything, To: anything},
}

var edgeByName = func() map[string]edgeName {
	m := make(map[string]edgeName, 2*len(EdgeTypes))
	for i := range EdgeTypes {
		t := &EdgeTypes[i]
		m[t.Name] = edgeName{t, false}
		if t.Inverse != t.Name {
			m[t.Inverse] = edgeName{t, true}
		}
	}
	return m
}()

type edgeName struct {
	t       *EdgeType
	inverse bool
}

// LookupEdgeType resolves a forward or inverse relation name. It returns the
// canonical type and whether name was the inverse, or false when unknown.
func LookupEdgeType(name string) (t *EdgeType, inverse bool, ok bool) {
	e, ok := edgeByName[name]
	if !ok {
		return nil, false, false
	}
	return e.t, e.inverse, true
}

// EdgeTypeNames lists every forward and inverse name, sorted.
func EdgeTypeNames() []string {
	names := make([]string, 0, len(edgeByName))
	for n := range edgeByName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Allows reports whether the type may join a node of kind from to one of kind to.
func (t *EdgeType) Allows(from, to Kind) bool {
	return kindIn(from, t.From) && kindIn(to, t.To)
}

func kindIn(k Kind, ks []Kind) bool {
	if len(ks) == 0 {
		return true
	}
	for _, v := range ks {
		if v == k {
			return true
		}
	}
	return false
}

// MaxIDLen bounds ids so keys stay short and unambiguous.
const MaxIDLen = 128

var idPattern = regexp.MustCompile(`^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`)

// CheckID returns an error when id is not a slug: lower-case ASCII letters
// and digits joined by single '-', '_' or '.', at most MaxIDLen bytes. The
// key layout relies on ids never holding a 0x00 byte.
func CheckID(id string) error {
	if id == "" {
		return fmt.Errorf("id is empty")
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("id %q is %d bytes long, more than %d", id, len(id), MaxIDLen)
	}
	if !idPattern.MatchString(id) {
		return fmt.Errorf("id %q is not a slug: use lower-case letters, digits and single '-', '_' or '.' between them", id)
	}
	return nil
}

// Node is an entity of the graph.
type Node struct {
	ID          string            `json:"id"`
	Kind        Kind              `json:"kind"`
	Name        string            `json:"name"`
	Aliases     []string          `json:"aliases,omitempty"`
	Description map[string]string `json:"description,omitempty"` // by language code
	Props       map[string]string `json:"props,omitempty"`
	Dataset     string            `json:"dataset"`
	// Datasets lists, in name order, the data sets that define the node
	// when there are several (a speaker of two imported conferences); then
	// Dataset is the first of them. Nil for a node of one data set.
	Datasets []string `json:"datasets,omitempty"`
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
}

// Describe returns the description in lang, falling back to English, then to
// any language in alphabetical order, then to "".
func (n *Node) Describe(lang string) string {
	if d, ok := n.Description[lang]; ok && d != "" {
		return d
	}
	if d, ok := n.Description["en"]; ok && d != "" {
		return d
	}
	langs := make([]string, 0, len(n.Description))
	for l := range n.Description {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		if d := n.Description[l]; d != "" {
			return d
		}
	}
	return ""
}

// Evidence supports an edge: the source node it comes from and a short quote,
// with the seed file and line that asserted it when known.
type Evidence struct {
	Source  string `json:"source"`
	Quote   string `json:"quote,omitempty"`
	Dataset string `json:"dataset"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
}

// Edge is a directed, typed relation in canonical direction.
type Edge struct {
	From     string     `json:"from"`
	Type     string     `json:"type"`
	To       string     `json:"to"`
	Evidence []Evidence `json:"evidence"`
}

// Canonical returns e turned to its canonical direction when e.Type is an
// inverse name, and false when the type is unknown.
func (e Edge) Canonical() (Edge, bool) {
	t, inv, ok := LookupEdgeType(e.Type)
	if !ok {
		return e, false
	}
	if inv {
		e.From, e.To = e.To, e.From
	}
	e.Type = t.Name
	return e, true
}

// Key identifies an edge by its endpoints and canonical type.
func (e Edge) Key() string { return e.From + "\x00" + e.Type + "\x00" + e.To }

// Direction selects edges by their direction relative to a node.
type Direction int

// Directions.
const (
	Out Direction = 1 << iota
	In
	Both = Out | In
)

// flip swaps Out and In.
func (d Direction) flip() Direction {
	var f Direction
	if d&Out != 0 {
		f |= In
	}
	if d&In != 0 {
		f |= Out
	}
	return f
}

// Relation is an edge seen from one of its nodes.
type Relation struct {
	Edge
	// Dir is Out when the node is Edge.From, In when it is Edge.To.
	Dir Direction
	// OtherKind is the kind of the node at the far end.
	OtherKind Kind
}

// Other returns the node at the far end from the node the relation was read from.
func (r Relation) Other() string {
	if r.Dir == In {
		return r.From
	}
	return r.To
}

// Name returns the relation's name as seen from the node it was read from:
// the forward name outward, the inverse name inward.
func (r Relation) Name() string {
	if r.Dir == In {
		t, _, _ := LookupEdgeType(r.Type)
		return t.Inverse
	}
	return r.Type
}
