package vocab

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/importer"
	"github.com/talkgraph/talkgraph/internal/textindex"
	"github.com/talkgraph/talkgraph/internal/words"
)

// Known is an entity another data set defines (dotScale, the curated
// vocabulary): a registry entry of one of its names is that entity, and
// takes its id, kind and name.
type Known struct {
	ID    string
	Kind  graph.Kind
	Name  string
	Names []string // its name and aliases
}

// Report says what Build made.
type Report struct {
	Kinds     map[graph.Kind]int // entities written, by kind
	Merged    int                // entries folded into an entity of another registry
	Matched   int                // entities that are an entity of another data set
	MadeBy    int                // "made_by" relations
	About     int                // "about" relations
	Unmatched int                // Crunchbase organisations that are no entity: no relation
	Notes     []string           // what was merged, kept apart or ignored, one sentence each
}

// entity is what Build makes of the entries of one thing.
type entity struct {
	id, name, url, desc, typ string
	kind                     graph.Kind
	aliases                  []string
	known                    bool     // defined by another data set: id, kind and name fixed
	self                     []string // the Crunchbase slugs it is
	entries                  []*Entry
	emit                     bool // an entry is folded into it
	dropped                  bool // absorbed into another entity
}

type builder struct {
	regs  []*Registry
	known []Known
	byKey map[string]*entity
	// knownKeys are every name and alias of the known entities: a new
	// entity may not take one, or a lookup that found the known entity
	// would find two (dotScale's "Tower" is Ansible Tower, not a brand).
	knownKeys map[string]bool
	// weak holds the other aliases of known entities: ordinary words
	// ("Oracle"), matched only by an entry of the same definite kind.
	weak   map[string]*entity
	byID   map[string]*entity
	order  []*entity
	report *Report
}

var folder = sync.OnceValue(textindex.MustNew)

// fold folds case and accents as name lookups do, but keeps the symbols
// that tell languages apart ("C", "C++", "C#" and "F*" are four).
func fold(s string) string {
	var sym []byte
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("+#*!@&", s[i]) >= 0 {
			sym = append(sym, s[i])
		}
	}
	f := folder().Fold(s)
	if len(sym) > 0 {
		f += "\x00" + string(sym)
	}
	return f
}

// Build merges the registries' entries into one data set's graph: an
// entity per thing, its registries' other names as aliases, a source node
// per registry, "made_by" relations from the Crunchbase organisations
// that are entities and "about" relations to the landscape's
// subcategories, each with the registry entry as evidence. An entry whose
// name is a known entity's name or alias becomes that entity.
func Build(regs []*Registry, known []Known) (*importer.Graph, *Report) {
	b := &builder{regs: regs, known: known, byKey: map[string]*entity{}, byID: map[string]*entity{},
		knownKeys: map[string]bool{}, weak: map[string]*entity{}, report: &Report{Kinds: map[graph.Kind]int{}}}
	for _, k := range known {
		e := &entity{id: k.ID, name: k.Name, kind: k.Kind, known: true}
		b.byID[k.ID] = e
		b.order = append(b.order, e)
		b.index(k.Name, e)
		for _, n := range k.Names {
			b.knownKeys[fold(n)] = true
			if n != k.Name && distinctive(n) {
				b.index(n, e)
			} else if _, taken := b.weak[fold(n)]; !taken {
				b.weak[fold(n)] = e
			}
		}
	}
	// Entries that say what they are come first, so a brand of the same
	// name joins them rather than the other way round; members before
	// projects, so a member's eponymous product joins the member.
	var entries []*Entry
	for _, r := range regs {
		for i := range r.Entries {
			entries = append(entries, &r.Entries[i])
		}
		b.report.Notes = append(b.report.Notes, r.Notes...)
	}
	slices.SortStableFunc(entries, func(x, y *Entry) int { return cmp.Compare(rank(x), rank(y)) })
	for _, e := range entries {
		b.add(e)
	}
	return b.graph(), b.report
}

// rank orders entries: organisations, then tools, then brands.
func rank(e *Entry) int {
	switch e.Kind {
	case graph.KindCompany, graph.KindOrganization:
		return 0
	case graph.KindBrand:
		return 2
	}
	return 1
}

func (b *builder) index(name string, e *entity) {
	if k := fold(name); k != "" {
		if _, taken := b.byKey[k]; !taken {
			b.byKey[k] = e
		}
	}
}

// add folds an entry into the entity it names, or makes a new one.
func (b *builder) add(en *Entry) {
	if en.ID != "" {
		e := &entity{id: en.ID, name: en.Name, kind: en.Kind}
		for i := 2; b.byID[e.id] != nil; i++ {
			e.id = fmt.Sprintf("%s-%d", en.ID, i)
		}
		b.byID[e.id] = e
		b.order = append(b.order, e)
		b.fold(e, en)
		return
	}
	if e := b.match(en); e != nil {
		if ok, why := compatible(e, en); ok {
			b.fold(e, en)
			return
		} else if why != "" {
			b.report.Notes = append(b.report.Notes, fmt.Sprintf("%s:%d: %q is %s there but %s %s is %s: %s; kept apart as %s",
				en.fileOf(b), en.Line, en.Name, article(en.Kind), e.source(), e.id, article(e.kind), why, b.newID(en)))
		}
	}
	e := &entity{id: b.newID(en), name: en.Name, kind: en.Kind}
	if b.knownKeys[fold(en.Name)] || en.Registry == Linguist && b.byKey[fold(en.Name)] != nil {
		e.name = qualified(en)
		b.report.Notes = append(b.report.Notes, fmt.Sprintf("%s:%d: %q names another thing already: named %q", en.fileOf(b), en.Line, en.Name, e.name))
	}
	b.byID[e.id] = e
	b.order = append(b.order, e)
	b.index(e.name, e)
	b.fold(e, en)
}

// qualified names an entry apart from a namesake of another data set, by
// what its registry says of it: "SQL (language)", "Tower (git-tower.com)".
func qualified(en *Entry) string {
	switch {
	case en.Registry == Linguist:
		return en.Name + " (language)"
	case host(en.URL) != "":
		return en.Name + " (" + host(en.URL) + ")"
	}
	return en.Name + " (" + string(en.Kind) + ")"
}

// distinctive reports whether an alias is precise enough to find an
// entity by: several words, or one word of three letters or more that is
// not an ordinary English word ("Kafka" is, "Tower" is not).
func distinctive(name string) bool {
	f := folder().Fold(name)
	if strings.Contains(f, " ") {
		return true
	}
	return utf8.RuneCountInString(f) >= 3 && !words.Ordinary("en", f)
}

// match returns the entity an entry names: by its name, or, for a brand
// written with its maker's name ("Apache Kafka"), by the name of a
// project that maker makes.
func (b *builder) match(en *Entry) *entity {
	if slices.Contains(apart[en.Registry], en.Name) {
		return nil
	}
	if e := b.byKey[fold(en.Name)]; e != nil {
		// A brand is a product's or a company's name: a concept is it only
		// by its own name ("Bluetooth"), not by an alias ("Serverless",
		// dotScale's alias of serverless computing, is a framework's brand).
		if en.Kind == graph.KindBrand && e.kind == graph.KindConcept && fold(e.name) != fold(en.Name) {
			return nil
		}
		return e
	}
	if e := b.weak[fold(en.Name)]; e != nil && e.kind == en.Kind {
		return e
	}
	if en.Kind != graph.KindBrand {
		return nil
	}
	first, rest, ok := strings.Cut(fold(en.Name), " ")
	if !ok {
		return nil
	}
	if e := b.byKey[rest]; e != nil {
		for _, x := range e.entries {
			if x.Org != "" && strings.ReplaceAll(x.Org, "-", " ") == first {
				return e
			}
		}
	}
	return nil
}

// apart lists registry entries that are other things than the entities of
// their name: simple-icons' "CCC" is the China Compulsory Certificate, not
// the Chaos Computer Club the curated set names so.
var apart = map[Format][]string{
	SimpleIcons: {"CCC"},
}

// compatible reports whether an entry can be folded into e, and why not.
func compatible(e *entity, en *Entry) (bool, string) {
	switch {
	case e.kind == en.Kind || en.Kind == graph.KindBrand:
		return true, ""
	case e.kind == graph.KindBrand && !e.known:
		e.kind = en.Kind
		return true, ""
	case en.Kind == graph.KindTool && (e.kind == graph.KindCompany || e.kind == graph.KindOrganization) && slices.Contains(e.self, en.Org):
		return true, "" // a company's eponymous product: the company
	case e.known && en.Registry == Linguist && e.kind == graph.KindConcept:
		return true, "" // a language another data set holds as a concept (SQL)
	case e.known:
		return false, "another data set says what it is"
	}
	return false, "the two registries disagree"
}

// fold adds what an entry says to e.
func (b *builder) fold(e *entity, en *Entry) {
	if len(e.entries) > 0 {
		b.report.Merged++
	}
	if e.known && !e.emit {
		b.report.Matched++
	}
	e.emit = true
	e.entries = append(e.entries, en)
	for i, n := range append([]string{en.Name}, en.Aliases...) {
		if !b.addAlias(e, n) {
			continue
		}
		if i == 0 || distinctive(n) {
			if o := b.byKey[fold(n)]; o != nil && o != e && b.absorb(e, o) {
				continue
			}
			b.index(n, e)
		}
	}
	if en.Self != "" && !slices.Contains(e.self, en.Self) {
		e.self = append(e.self, en.Self)
	}
	e.url = cmp.Or(e.url, en.URL)
	e.desc = cmp.Or(e.desc, en.Description)
	e.typ = cmp.Or(e.typ, en.Type)
}

// addAlias adds n to e's aliases unless e has that name already, or it is
// another data set's name for another thing (it would make that name
// ambiguous). It reports whether n was added.
func (b *builder) addAlias(e *entity, n string) bool {
	if fold(n) == fold(e.name) || slices.ContainsFunc(e.aliases, func(a string) bool { return fold(a) == fold(n) }) {
		return false
	}
	if !e.known && b.knownKeys[fold(n)] {
		return false
	}
	e.aliases = append(e.aliases, n)
	return true
}

// absorb folds o into e when an entry of e names o by an alias: CNCF's
// "Golang" is Linguist's Go, whose alias it is. Only an entity of the
// same kind that no other data set defines is absorbed.
func (b *builder) absorb(e, o *entity) bool {
	if o.known || o.kind != e.kind || slices.ContainsFunc(o.entries, func(x *Entry) bool { return x.ID != "" }) {
		return false
	}
	o.dropped = true
	delete(b.byID, o.id)
	for k, v := range b.byKey {
		if v == o {
			b.byKey[k] = e
		}
	}
	for _, en := range o.entries {
		e.entries = append(e.entries, en)
		for _, n := range append([]string{en.Name}, en.Aliases...) {
			b.addAlias(e, n)
		}
		e.url = cmp.Or(e.url, en.URL)
		e.desc = cmp.Or(e.desc, en.Description)
		e.typ = cmp.Or(e.typ, en.Type)
		if en.Self != "" && !slices.Contains(e.self, en.Self) {
			e.self = append(e.self, en.Self)
		}
	}
	b.report.Merged++
	return true
}

// newID makes an entry's id: the slug of its name ("C++" is cpp, "C#"
// csharp, ".NET" dotnet), with the registry's word after it when that id
// is taken.
func (b *builder) newID(en *Entry) string {
	base := slugName(en.Name)
	if base == "" {
		base = string(en.Kind) + "-" + importer.PersonID(en.Name)
	}
	id := base
	// An id is a name too (lookups find a node by its id): it may not be
	// another data set's name for another thing.
	for i := 1; b.byID[id] != nil || b.knownKeys[fold(id)]; i++ {
		id = fmt.Sprintf("%s-%s", base, suffix(en))
		if i > 1 {
			id = fmt.Sprintf("%s-%s-%d", base, suffix(en), i)
		}
	}
	return id
}

func suffix(en *Entry) string {
	switch en.Registry {
	case Linguist:
		return "language"
	case SimpleIcons:
		return "brand"
	}
	return string(en.Kind)
}

var slugReplacer = strings.NewReplacer("++", "pp", "+", " plus ", "#", "sharp", "@", " at ")

func slugName(name string) string {
	s := slugReplacer.Replace(strings.TrimSpace(name))
	if strings.HasPrefix(s, ".") {
		s = "dot" + s[1:]
	}
	id := importer.Slug(s)
	if len(id) > graph.MaxIDLen {
		id = strings.TrimRight(id[:graph.MaxIDLen], "-")
	}
	return id
}

// article returns "a tool", "an organization".
func article(k graph.Kind) string {
	if strings.IndexByte("aeiou", string(k)[0]) >= 0 {
		return "an " + string(k)
	}
	return "a " + string(k)
}

func (e *entity) source() string {
	if e.known {
		return "another data set's"
	}
	return fmt.Sprintf("%s:%d's", e.entries[0].Registry, e.entries[0].Line)
}

func (en *Entry) fileOf(b *builder) string {
	for _, r := range b.regs {
		if r.Format == en.Registry {
			return r.File
		}
	}
	return string(en.Registry)
}
