package importer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// Who is who. A person is the person another data set defines when the
// programme gives them the same id there (a pretalx code holds across the
// events of one pretalx: "Julien" in 2024 and "Julien Palard" in 2025, one
// code, are one person); else the person of the same full name (two words
// or more) anywhere; a one-word name ("Julien", "ruedi") is a person of
// its own conference only; namesakes one file gives two ids stay two
// persons. The people file overrides all of this. Placeholders ("TBA",
// "Vous / You") are no persons.

// KnownPerson is a person another data set defines.
type KnownPerson struct {
	ID           string
	Names        []string // name and aliases
	ProgrammeIDs []string // the programme ids its data sets record
}

// Known is what other data sets define that an import joins: persons,
// and entities a track may name.
type Known struct {
	Persons  []KnownPerson
	Entities map[string]KnownEntity // by folded name or alias, for tracks
	byRef    map[string]string
	byName   map[string]string
}

func (k *Known) index() {
	if k == nil || k.byRef != nil {
		return
	}
	k.byRef, k.byName = map[string]string{}, map[string]string{}
	for _, p := range k.Persons {
		for _, r := range p.ProgrammeIDs {
			k.byRef[r] = p.ID
		}
		for _, n := range p.Names {
			if f := foldAccents(n); fullName(f) {
				k.byName[f] = p.ID
			}
		}
	}
}

// programmeIDsProp is the person property that records the ids programmes
// give a person, space-separated: "pretalx:pretalx.c3voc.de:SCD9VJ".
const programmeIDsProp = "programme_ids"

// fullName reports whether a folded name has two words or more.
func fullName(folded string) bool { return len(strings.Fields(folded)) >= 2 }

// placeholders are the folded names programmes give where a person is not
// known yet, or is everyone.
var placeholders = []string{"tba", "tbd", "tbc", "tba tba", "n n", "nn", "n a", "na", "speaker", "speakers",
	"speaker tba", "various", "various speakers", "vous", "you", "vous you", "you vous", "anonymous", "anon",
	"guest", "guests", "team", "staff", "orga", "organizers", "organisers", "someone", "somebody", "unknown",
	"none", "todo", "xxx", "name", "surprise", "surprise speaker", "to be announced", "to be determined", "all", "everyone"}

// isPlaceholder reports whether a name stands for no one in particular.
func isPlaceholder(name string) bool {
	f := foldAccents(name)
	return f == "" || slices.Contains(placeholders, f)
}

// personIDs gives the persons of one import their ids.
type personIDs struct {
	known   *Known
	conf    string
	byRef   map[string]string   // scoped ref -> id, in this import
	refsOf  map[string][]string // id -> the scoped refs it took
	report  *Report
	counted map[string]bool
}

func newPersonIDs(known *Known, conf string, r *Report) *personIDs {
	if known == nil {
		known = &Known{}
	}
	known.index()
	return &personIDs{known: known, conf: conf, byRef: map[string]string{}, refsOf: map[string][]string{}, report: r, counted: map[string]bool{}}
}

// scoped returns a person's ref as the property records it: a pretalx code
// or a frab id with the site they hold on, a guid or a Sessionize id alone.
func scoped(r Ref, instance, conf string) string {
	switch r.Scheme {
	case "":
		return ""
	case "pretalx", "frab":
		return r.Scheme + ":" + firstOf(instance, conf) + ":" + r.Value
	}
	return r.Scheme + ":" + r.Value
}

// id returns the id of a person named name with the scoped refs refs, the
// name the node gets and its aliases. It returns an error naming the
// people file's entry that merges two persons the programme tells apart.
func (pi *personIDs) id(name string, refs []string, people *People) (string, string, []string, error) {
	if id, display, aliases, ok := people.resolve(name, pi.conf); ok {
		if other, clash := pi.clash(id, refs); clash {
			return "", "", nil, fmt.Errorf("the people file makes %q the person %s, whom the programme gives the id %s, but it gives %s to that person elsewhere: the programme tells two persons apart; fix the people file's entry for %s", name, id, strings.Join(refs, " "), other, id)
		}
		return pi.take(id, refs), display, aliases, nil
	}
	for _, ref := range refs {
		if id, ok := pi.byRef[ref]; ok {
			return pi.take(id, refs), name, nil, nil
		}
	}
	for _, ref := range refs {
		if id, ok := pi.known.byRef[ref]; ok {
			pi.count(id, &pi.report.ByProgrammeID)
			return pi.take(id, refs), name, nil, nil
		}
	}
	f := foldAccents(name)
	if !fullName(f) {
		return pi.take(PersonID(name)+"-"+pi.conf, refs), name, nil, nil // one word: of this conference only
	}
	id := PersonID(name)
	if _, clash := pi.clash(id, refs); clash {
		last := refs[0]
		return pi.take(id+"-"+Slug(last[strings.LastIndex(last, ":")+1:]), refs), name, nil, nil // a namesake the programme tells apart
	}
	if kid, ok := pi.known.byName[f]; ok && kid == id {
		pi.count(id, &pi.report.ByName)
	}
	return pi.take(id, refs), name, nil, nil
}

// clash returns a ref id has taken that names another person of the same
// site than refs do.
func (pi *personIDs) clash(id string, refs []string) (string, bool) {
	for _, have := range pi.refsOf[id] {
		for _, ref := range refs {
			if have != ref && sameSite(have, ref) && !slices.Contains(refs, have) {
				return have, true
			}
		}
	}
	return "", false
}

func (pi *personIDs) take(id string, refs []string) string {
	for _, ref := range refs {
		pi.byRef[ref] = id
		if !slices.Contains(pi.refsOf[id], ref) {
			pi.refsOf[id] = append(pi.refsOf[id], ref)
		}
	}
	return id
}

func (pi *personIDs) count(id string, n *int) {
	if !pi.counted[id] {
		pi.counted[id] = true
		*n++
	}
}

// persons adds the people who gave talk; the persons line, as the file
// gives it, is the evidence. Placeholders are left out.
func (b *builder) persons(ev *Event, talk string) {
	var ps []Person
	for i, p := range ev.Persons {
		p.Name = b.line(ev, fmt.Sprintf("name of person %d", i+1), p.Name, graph.MaxNameLen)
		switch {
		case p.Name == "":
			b.fail(ev, "lists a person without a name: give each person a name, or remove the empty entry")
			return
		case isPlaceholder(p.Name):
			if !slices.Contains(b.report.Placeholders, p.Name) {
				b.report.Placeholders = append(b.report.Placeholders, p.Name)
			}
			continue
		}
		ps = append(ps, p)
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	quote := clip(strings.Join(names, ", "), graph.MaxQuoteLen)
	for _, p := range ps {
		var refs []string
		for _, r := range p.Refs {
			refs = append(refs, scoped(r, b.p.Instance, b.conf))
		}
		id, display, aliases, err := b.ids.id(p.Name, refs, b.o.People)
		if err != nil {
			b.fail(ev, "%v", err)
			continue
		}
		if id == "" {
			b.fail(ev, "has the person %q, whose name makes no id: add them to the people file's same: list with an id", p.Name)
			continue
		}
		n, ok := b.nodes[id]
		if !ok {
			n = &graph.Node{ID: id, Kind: graph.KindPerson, Name: display, Aliases: aliases, Props: map[string]string{}}
			b.nodes[id] = n
			b.report.Persons++
		} else if n.Kind != graph.KindPerson {
			b.fail(ev, "has the person %q, whose id %s is already the id of a %s: give the person another id in the people file", p.Name, id, n.Kind)
			continue
		}
		b.addPersonFacts(ev, n, p, refs)
		b.edge(id, "gave", talk, quote)
	}
}

// addPersonFacts records on n another spelling, the programme's id, the
// biography (in its language, detected, else the talk's) and the tag line.
func (b *builder) addPersonFacts(ev *Event, n *graph.Node, p Person, refs []string) {
	if p.Name != n.Name && !slices.Contains(n.Aliases, p.Name) && len(n.Aliases) < graph.MaxAliases {
		n.Aliases = append(n.Aliases, p.Name)
		slices.Sort(n.Aliases)
	}
	have := strings.Fields(n.Props[programmeIDsProp])
	for _, ref := range refs {
		if !slices.Contains(have, ref) {
			have = append(have, ref)
		}
	}
	if len(have) > 0 {
		slices.Sort(have)
		n.Props[programmeIDsProp] = strings.Join(have, " ")
	}
	if tl := b.line(ev, "tag line of "+p.Name, p.TagLine, graph.MaxNameLen); tl != "" && n.Props["role"] == "" {
		n.Props["role"] = tl
	}
	if strings.TrimSpace(p.Bio) == "" || len(n.Description) > 0 {
		return
	}
	bio := clip(dropControls(plainText(cutBytes(p.Bio, MaxRawText))), graph.MaxTextLen)
	if bio == "" {
		return
	}
	lang, ok := textindex.DetectLanguage(bio)
	if ok {
		b.report.BioLangs[lang]++
	} else {
		lang = b.talkLang(ev)
		b.report.BioFallback++
	}
	n.Description = map[string]string{lang: bio}
}

// talkLang is the language of an event's texts: the file's, else --lang.
func (b *builder) talkLang(ev *Event) string {
	if l, ok := langCode(ev.Lang); ok {
		return l
	}
	return b.o.Lang
}

// host returns a URL's host, lower-cased: the site whose ids a programme
// gives.
func host(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	return strings.ToLower(u)
}

// sameSite reports whether two scoped refs are ids of one site (a scheme
// and an instance), where two ids are two persons.
func sameSite(a, b string) bool {
	return a[:strings.LastIndex(a, ":")] == b[:strings.LastIndex(b, ":")]
}
