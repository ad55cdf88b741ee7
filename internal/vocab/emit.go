package vocab

import (
	"fmt"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/importer"
)

// landscapeURL is the address of the landscape's pages, the url of the
// topics made from its subcategories.
const landscapeURL = "https://landscape.cncf.io/"

// graph writes the entities, the registries' source nodes and the
// relations the entries state.
func (b *builder) graph() *importer.Graph {
	g := &importer.Graph{}
	sources := map[Format]string{}
	for _, r := range b.regs {
		info := registryInfo[r.Format]
		sources[r.Format] = info.id
		g.Nodes = append(g.Nodes, &graph.Node{ID: info.id, Kind: graph.KindSource, Name: info.name,
			Description: map[string]string{"en": fmt.Sprintf("A public registry, %s licence; talkgraph import read it from %s.", info.licence, r.File)},
			Props:       map[string]string{"url": r.URL}})
	}
	orgs := b.orgIndex()
	// An organisation of another data set that makes an entity is
	// defined here too, so the data set stands alone.
	for _, e := range b.order {
		for _, en := range e.entries {
			if org := orgs[en.Org]; org != nil && org != e && e.emit {
				org.emit = true
			}
		}
	}
	topics := map[string]*graph.Node{}
	edges := map[string]graph.Edge{}
	unmatched := map[string]bool{}
	for _, e := range b.order {
		if !e.emit || e.dropped {
			continue
		}
		g.Nodes = append(g.Nodes, b.node(e))
		b.report.Kinds[e.kind]++
		for _, en := range e.entries {
			ev := []graph.Evidence{{Source: sources[en.Registry], Quote: en.Quote}}
			if org := orgs[en.Org]; org != nil && org != e && (e.kind == graph.KindTool || e.kind == graph.KindBrand) {
				addEdge(edges, graph.Edge{From: org.id, Type: "makes", To: e.id, Evidence: ev})
			} else if en.Org != "" && org == nil {
				unmatched[en.Org] = true
			}
			for _, t := range en.Topics {
				tn := b.topic(t, topics)
				addEdge(edges, graph.Edge{From: e.id, Type: "about", To: tn.ID, Evidence: ev})
			}
		}
	}
	b.report.Unmatched = len(unmatched)
	for _, t := range topics {
		g.Nodes = append(g.Nodes, t)
		b.report.Kinds[t.Kind]++
	}
	for _, e := range edges {
		g.Edges = append(g.Edges, e)
		if e.Type == "makes" {
			b.report.MadeBy++
		} else {
			b.report.About++
		}
	}
	slices.SortFunc(g.Nodes, func(x, y *graph.Node) int { return strings.Compare(x.ID, y.ID) })
	slices.SortFunc(g.Edges, func(x, y graph.Edge) int { return strings.Compare(x.Key(), y.Key()) })
	return g
}

func addEdge(edges map[string]graph.Edge, e graph.Edge) {
	if _, dup := edges[e.Key()]; !dup {
		edges[e.Key()] = e
	}
}

// node writes an entity; its url is its homepage, else the registry
// entry's address, so every entity has a source.
func (b *builder) node(e *entity) *graph.Node {
	n := &graph.Node{ID: e.id, Kind: e.kind, Name: e.name, Props: map[string]string{}}
	aliases := e.aliases
	if len(aliases) > graph.MaxAliases {
		b.report.Notes = append(b.report.Notes, fmt.Sprintf("%s has %d names: the first %d are kept", e.id, len(aliases), graph.MaxAliases))
		aliases = aliases[:graph.MaxAliases]
	}
	for _, a := range aliases {
		if len(a) <= graph.MaxNameLen {
			n.Aliases = append(n.Aliases, a)
		}
	}
	if e.desc != "" && len(e.desc) <= graph.MaxTextLen {
		n.Description = map[string]string{"en": e.desc}
	}
	url := e.url
	for _, r := range b.regs {
		if url == "" && len(e.entries) > 0 && r.Format == e.entries[0].Registry {
			url = r.entryURL(e.entries[0])
		}
	}
	if url != "" {
		n.Props["url"] = url
	}
	if e.typ != "" {
		n.Props["type"] = e.typ
	}
	return n
}

// orgIndex maps Crunchbase slugs to the organisations they name: a
// member's own slug, else an organisation whose name or alias slugs to it
// (the slug of "Red Hat" is red-hat; Crunchbase makes its slugs so).
func (b *builder) orgIndex() map[string]*entity {
	out := map[string]*entity{}
	for _, e := range b.order {
		for _, s := range e.self {
			if _, taken := out[s]; !taken {
				out[s] = e
			}
		}
	}
	for _, e := range b.order {
		if e.dropped || e.kind != graph.KindCompany && e.kind != graph.KindOrganization {
			continue
		}
		for _, n := range append([]string{e.name, e.id}, e.aliases...) {
			for _, s := range []string{importer.Slug(n), orgKey(importer.Slug(n))} {
				if _, taken := out[s]; s != "" && !taken {
					out[s] = e
				}
			}
		}
	}
	// A slug written with its legal form ("canonical-ltd", "puppet-labs")
	// names the organisation written without it.
	for _, e := range b.order {
		for _, en := range e.entries {
			if _, ok := out[en.Org]; !ok && en.Org != "" {
				if org := out[orgKey(en.Org)]; org != nil {
					out[en.Org] = org
				}
			}
		}
	}
	return out
}

// orgSuffixes are the words of a legal form or of a kind of body that
// Crunchbase slugs and names carry or leave out.
var orgSuffixes = []string{"inc", "ltd", "llc", "gmbh", "ag", "sa", "corp", "corporation", "co", "company",
	"software-foundation", "foundation", "labs", "technologies", "holdings", "group"}

// orgKey removes the legal form from an organisation's slug:
// "apache-software-foundation" and "apache" are one key.
func orgKey(slug string) string {
	for again := true; again; {
		again = false
		for _, sfx := range orgSuffixes {
			if strings.HasSuffix(slug, "-"+sfx) {
				slug, again = strings.TrimSuffix(slug, "-"+sfx), true
			}
		}
	}
	return slug
}

// topic returns the concept a landscape subcategory names: an entity of
// that name when there is one, else a new concept.
func (b *builder) topic(name string, made map[string]*graph.Node) *graph.Node {
	e := b.byKey[fold(name)]
	if e == nil || e.kind != graph.KindConcept {
		e = b.weak[fold(name)] // a topic of another data set, by an alias that is a plain word
	}
	if e != nil && e.kind == graph.KindConcept {
		if n := made[e.id]; n != nil {
			return n
		}
		n := &graph.Node{ID: e.id, Kind: graph.KindConcept, Name: e.name, Props: map[string]string{"url": landscapeURL}}
		made[e.id] = n
		return n
	}
	id := slugName(name)
	if n := made[id]; n != nil {
		return n
	}
	if other := b.byID[id]; other != nil && other.kind != graph.KindConcept {
		id += "-topic"
	}
	n := &graph.Node{ID: id, Kind: graph.KindConcept, Name: name, Props: map[string]string{"url": landscapeURL},
		Description: map[string]string{"en": fmt.Sprintf("A subcategory of the CNCF Cloud Native Landscape: %s.", name)}}
	made[id] = n
	e = &entity{id: id, name: name, kind: graph.KindConcept}
	b.byID[id] = e
	b.index(name, e)
	return n
}
