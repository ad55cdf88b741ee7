package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// Programme is what a reader took from a file, before any id is made.
type Programme struct {
	Format Format
	File   string // the file's base name
	URL    string // where the programme is published, when the file says
	// Instance is the host of the programme's site (pretalx.c3voc.de): the
	// ids it gives persons hold across its events, not beyond.
	Instance   string
	Conference Conference
	Events     []Event
}

// Conference is the programme's conference.
type Conference struct {
	Acronym, Title string
	Start, End     string // YYYY-MM-DD, or ""
	TimeZone, URL  string
}

// Event is one entry of the programme.
type Event struct {
	ID                              string // the file's id of the event
	Where                           string // where it stands: "line 40" or a JSON path
	Title                           string
	Sub                             string
	Text                            []string // abstract, description: raw, stripped later
	Lang                            string   // as the file gives it
	Date                            string   // YYYY-MM-DD
	Start                           string   // HH:MM
	Duration                        string   // HH:MM, H:MM, HH:MM:SS or minutes, as the file gives it
	Room, Track, Type, URL, Licence string
	Video                           string // a recording's url
	Persons                         []Person
	Service                         bool   // a break, lunch…: not a talk
	Bad                             string // what the reader found wrong, or ""
}

// Person is one person an event lists, as the file gives them.
type Person struct {
	Name string
	// Refs are the file's ids of the person: Scheme "pretalx" (a
	// speaker's code, the same across the events of one pretalx), "frab" (a
	// person id of one frab), "guid" (unique everywhere) or "sessionize".
	Refs    []Ref
	Bio     string // a biography, raw (Markdown or HTML, as the file gives it)
	TagLine string // Sessionize's line under the name: role and employer
}

// Ref is an id a programme gives a person.
type Ref struct{ Scheme, Value string }

// Options are the choices of one import.
type Options struct {
	// Conference names the conference (Sessionize names none); for the
	// other formats it replaces the file's title.
	Conference string
	// Lang is the language of texts whose language the file does not give.
	Lang string
	// People maps names to person ids (see People).
	People *People
	// Known are the persons and entities of other data sets: a person the
	// programme gives the same id, or of the same full name, is that
	// person; a track named like an entity is about that entity.
	Known *Known
	// Tracks maps track names to topics (see Tracks).
	Tracks *Tracks
	// Warn, when set, is told each thing the import changed to fit the
	// store (a text cut to its cap, control characters removed, a url too
	// long to keep), one sentence naming the event.
	Warn func(msg string)

	fileInID bool // the source's id names the file
}

// ProgrammeErrors lists everything wrong with a programme, one sentence each, each
// naming the event. It wraps ErrInput.
type ProgrammeErrors []string

func (ps ProgrammeErrors) Error() string {
	if len(ps) == 1 {
		return ps[0]
	}
	return fmt.Sprintf("%d problems:\n%s", len(ps), strings.Join(ps, "\n"))
}

// Is makes errors.Is(err, ErrInput) true.
func (ps ProgrammeErrors) Is(target error) bool { return target == ErrInput }

// Graph is a data set's content: nodes in id order, edges in (from, type,
// to) order.
type Graph struct {
	Nodes []*graph.Node
	Edges []graph.Edge
	// Report says what Build made of the programme's people and tracks.
	Report *Report
}

// Build maps a programme onto nodes and edges. It returns ProgrammeErrors for what
// makes the data wrong: no conference name, events without titles or with
// a duplicate id, persons without names, dates that do not parse; and an
// error wrapping ErrInterrupted when ctx ends. A text past the store's caps
// is cut, and o.Warn told.
func Build(ctx context.Context, p *Programme, o Options) (*Graph, error) {
	b := &builder{p: p, o: o, nodes: map[string]*graph.Node{}, edges: map[string]*graph.Edge{}, report: newReport()}
	if o.Lang == "" {
		b.o.Lang = "en"
	}
	b.conference()
	b.p.Instance = host(firstOf(p.URL, p.Conference.URL))
	b.ids = newPersonIDs(o.Known, b.conf, b.report)
	b.tracks = &trackTopics{file: o.Tracks, b: b, made: map[string]string{}, rooms: roomTracks(p.Events)}
	if o.Known != nil {
		b.tracks.known = o.Known.Entities
	}
	if len(p.Events) == 0 {
		b.probs = append(b.probs, fmt.Sprintf("%s: the file holds no events: check it is the programme, and that --format (%s) names its format", p.File, p.Format))
	}
	if len(b.probs) > 0 {
		return nil, b.probs
	}
	seen := map[string]string{}
	for i := range p.Events {
		if err := interrupted(ctx); err != nil {
			return nil, err
		}
		ev := &p.Events[i]
		if ev.Service {
			continue
		}
		if prev, dup := seen[ev.ID]; dup {
			b.fail(ev, "has the same id as the event at %s: event ids must be unique; fix the file", prev)
			continue
		}
		seen[ev.ID] = ev.Where
		b.talk(ev)
	}
	if len(b.probs) > 0 {
		return nil, b.probs
	}
	return b.graph(), nil
}

type builder struct {
	p      *Programme
	o      Options
	conf   string // the conference's id
	source string // the source node's id
	nodes  map[string]*graph.Node
	edges  map[string]*graph.Edge
	probs  ProgrammeErrors
	report *Report
	ids    *personIDs
	tracks *trackTopics
}

func (b *builder) fail(ev *Event, format string, a ...any) {
	what := fmt.Sprintf("%s: event %q (%s) ", b.p.File, ev.ID, ev.Where)
	if ev.Title != "" {
		what = fmt.Sprintf("%s: event %q %q (%s) ", b.p.File, ev.ID, clip(ev.Title, 60), ev.Where)
	}
	b.probs = append(b.probs, what+fmt.Sprintf(format, a...))
}

func (b *builder) conference() {
	c := b.p.Conference
	name := firstOf(b.o.Conference, c.Title, c.Acronym)
	if name == "" {
		b.probs = append(b.probs, fmt.Sprintf("%s: the file names no conference (no title, no acronym): give its name with --conference", b.p.File))
		return
	}
	b.conf = Slug(firstOf(c.Acronym, name))
	if b.conf == "" {
		b.conf = "conference-" + shortHash(name)
	}
	n := &graph.Node{ID: b.conf, Kind: graph.KindConference, Name: b.line(nil, "conference's name", name, graph.MaxNameLen), Props: map[string]string{}}
	if c.Acronym != "" && !strings.EqualFold(c.Acronym, name) {
		n.Aliases = []string{c.Acronym}
	}
	b.date(n, "date", c.Start, "the conference's start")
	b.date(n, "end", c.End, "the conference's end")
	if d := n.Props["date"]; d != "" {
		n.Props["year"] = d[:4]
	}
	b.prop(nil, n, "timezone", c.TimeZone)
	b.url(nil, n, "url", c.URL)
	b.nodes[n.ID] = n
	b.source = b.conf + "-programme"
	if b.o.fileInID { // one data set of several files: one source each
		b.source = joinID(b.source, firstOf(Slug(strings.TrimSuffix(b.p.File, filepath.Ext(b.p.File))), shortHash(b.p.File)))
	}
	src := &graph.Node{ID: b.source, Kind: graph.KindSource, Name: b.line(nil, "programme's url", firstOf(b.p.URL, b.p.File), graph.MaxNameLen), Props: map[string]string{}}
	b.url(nil, src, "url", b.p.URL)
	b.nodes[src.ID] = src
}

// date sets a date property from a file's date, reporting one that does not
// parse.
func (b *builder) date(n *graph.Node, prop, v, what string) {
	if v == "" {
		return
	}
	d, err := parseDate(v)
	if err != nil {
		b.probs = append(b.probs, fmt.Sprintf("%s: %s %q is not a date: write it as YYYY-MM-DD", b.p.File, what, v))
		return
	}
	n.Props[prop] = d
}

func (b *builder) talk(ev *Event) {
	if ev.Bad != "" {
		b.fail(ev, "%s", ev.Bad)
		return
	}
	title := b.line(ev, "title", ev.Title, graph.MaxNameLen)
	if title == "" {
		b.fail(ev, "has no title: give it one, or remove the event")
		return
	}
	slug := Slug(ev.ID)
	if slug == "" {
		b.fail(ev, "has no id: give every event an id (the talk's id is made from it)")
		return
	}
	n := &graph.Node{ID: joinID(b.conf, slug), Kind: graph.KindTalk, Name: title, Props: map[string]string{}}
	if prev, dup := b.nodes[n.ID]; dup {
		b.fail(ev, "makes the id %s, which the %s %q has already: give the events ids that differ by more than case or punctuation", n.ID, prev.Kind, prev.Name)
		return
	}
	lang, known := langCode(ev.Lang)
	if !known {
		lang = b.o.Lang
	} else {
		n.Props["lang"] = lang
	}
	if d := b.text(ev, ev.Text); d != "" {
		n.Description = map[string]string{lang: d}
	}
	if msg := when(ev, n.Props); msg != "" {
		b.fail(ev, "%s", msg)
		return
	}
	b.prop(ev, n, "subtitle", ev.Sub)
	b.prop(ev, n, "room", ev.Room)
	b.prop(ev, n, "track", ev.Track)
	if t := b.tracks.topic(ev, ev.Track); t != "" {
		b.edge(n.ID, "about", t, clip("Track: "+cleanLine(ev.Track), graph.MaxQuoteLen))
	}
	b.prop(ev, n, "type", ev.Type)
	b.prop(ev, n, "licence", ev.Licence)
	b.url(ev, n, "url", ev.URL)
	b.url(ev, n, "video", ev.Video)
	b.nodes[n.ID] = n
	b.edge(n.ID, "part_of", b.conf, clip(title, graph.MaxQuoteLen))
	b.persons(ev, n.ID)
}

// when sets the date, start and duration of an event's talk, and returns
// what does not parse, or "".
func when(ev *Event, props map[string]string) string {
	if ev.Date != "" {
		d, err := parseDate(ev.Date)
		if err != nil {
			return fmt.Sprintf("has the date %q, which does not parse: write it as YYYY-MM-DD or an ISO 8601 date and time", ev.Date)
		}
		props["date"] = d
	}
	if ev.Start != "" {
		if !validClock(ev.Start) {
			return fmt.Sprintf("has the start %q, which does not parse: write it as HH:MM", ev.Start)
		}
		props["start"] = ev.Start
	}
	if strings.TrimSpace(ev.Duration) != "" {
		m := parseDuration(ev.Duration)
		if m < 0 {
			return fmt.Sprintf("has the duration %q, which does not parse: write it as HH:MM", ev.Duration)
		}
		props["duration"] = strconv.Itoa(m)
	}
	return ""
}

func (b *builder) edge(from, typ, to, quote string) {
	e := graph.Edge{From: from, Type: typ, To: to, Evidence: []graph.Evidence{{Source: b.source, Quote: quote}}}
	if _, dup := b.edges[e.Key()]; !dup {
		b.edges[e.Key()] = &e
	}
}

func (b *builder) graph() *Graph {
	g := &Graph{}
	for _, n := range b.nodes {
		if len(n.Props) == 0 {
			n.Props = nil
		}
		g.Nodes = append(g.Nodes, n)
	}
	sort.Slice(g.Nodes, func(i, j int) bool { return g.Nodes[i].ID < g.Nodes[j].ID })
	for _, e := range b.edges {
		g.Edges = append(g.Edges, *e)
	}
	sort.Slice(g.Edges, func(i, j int) bool { return g.Edges[i].Key() < g.Edges[j].Key() })
	g.Report = b.report
	return g
}

// firstRaw returns the first of ss that holds more than white space, as
// it is: the builder cleans it, and tells what it removed.
func firstRaw(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s = cleanLine(s); s != "" {
			return s
		}
	}
	return ""
}
