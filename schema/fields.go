package schema

import (
	"sort"
	"strconv"

	"github.com/graphql-go/graphql"

	"github.com/talkgraph/talkgraph/graph"
)

// hop describes which neighbours a typed field lists: relations of some
// types in one direction, ending at nodes of some kinds (any when empty).
type hop struct {
	dir   graph.Direction
	types []string
	kinds []graph.Kind
}

// neighbours resolves a hop from the source node: the distinct nodes at the
// far end, in relation order.
func (s *Schema) neighbours(p graphql.ResolveParams, h hop) ([]*graph.Node, error) {
	n := nodeOf(p)
	types := h.types
	if len(types) == 0 {
		types = []string{""}
	}
	kinds := h.kinds
	if asked, ok := kindsArg(p.Args); ok {
		kinds = intersectKinds(kinds, asked)
	}
	var out []*graph.Node
	seen := map[string]bool{}
	for _, typ := range types {
		rels, err := s.links(p.Context, n.ID, h.dir, typ)
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			id := r.Other()
			if seen[id] || (kinds != nil && r.OtherKind != "" && !kindIn(r.OtherKind, kinds)) {
				continue
			}
			seen[id] = true
			m, err := s.node(p.Context, id)
			if err != nil {
				return nil, err
			}
			if kinds == nil || kindIn(m.Kind, kinds) {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// kindsArg reads a kinds: argument; ok is false when it was not given.
func kindsArg(args map[string]any) (ks []graph.Kind, ok bool) {
	list, ok := args["kinds"].([]any)
	if !ok {
		return nil, false
	}
	ks = []graph.Kind{}
	for _, k := range list {
		if k, ok := k.(graph.Kind); ok {
			ks = append(ks, k)
		}
	}
	return ks, true
}

// intersectKinds returns the kinds of asked that allowed allows (nil:
// any).
func intersectKinds(allowed, asked []graph.Kind) []graph.Kind {
	if allowed == nil {
		return asked
	}
	out := []graph.Kind{}
	for _, k := range asked {
		if kindIn(k, allowed) {
			out = append(out, k)
		}
	}
	return out
}

// kindsArgConfig is the kinds: argument of a list of nodes of any kind, or
// of relations.
func (s *Schema) kindsArgConfig(what string) *graphql.ArgumentConfig {
	return &graphql.ArgumentConfig{Type: graphql.NewList(graphql.NewNonNull(s.t.kind)), Description: "Only " + what + " of these kinds (every kind when left out)."}
}

func kindIn(k graph.Kind, ks []graph.Kind) bool {
	for _, v := range ks {
		if v == k {
			return true
		}
	}
	return false
}

// list is a field listing the neighbours of a hop; a list of nodes of any
// kind (of is the Node interface) takes kinds:, so that a client gets the
// kind it asks for and no empty objects (mentions(kinds: [TOOL])).
func (s *Schema) list(of graphql.Output, desc string, h hop) *graphql.Field {
	f := &graphql.Field{
		Type:        graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(of))),
		Description: desc,
		Resolve: func(p graphql.ResolveParams) (any, error) {
			return s.neighbours(p, h)
		},
	}
	if of == graphql.Output(s.t.node) {
		f.Args = graphql.FieldConfigArgument{"kinds": s.kindsArgConfig("nodes")}
	}
	return f
}

// talksList lists talks in program order: by their "order" property, then
// id. It takes the filters of the top-level talks (conference, speaker,
// mentioning, track, language, year), which narrow the node's talks. (No
// first: the query guard costs a list that takes one as a page of 100.)
func (s *Schema) talksList(t *types, desc string, h hop) *graphql.Field {
	h.kinds = []graph.Kind{graph.KindTalk}
	f := s.list(t.byKind[graph.KindTalk], desc+" The filters narrow them as those of the top-level talks do.", h)
	f.Args = talkFilterArgs()
	f.Resolve = func(p graphql.ResolveParams) (any, error) {
		ns, err := s.neighbours(p, h)
		if err != nil {
			return nil, err
		}
		if ns, err = s.narrowTalks(p, ns); err != nil {
			return nil, err
		}
		sortTalks(ns)
		return ns, nil
	}
	return f
}

// narrowTalks keeps the talks the filter arguments select.
func (s *Schema) narrowTalks(p graphql.ResolveParams, ns []*graph.Node) ([]*graph.Node, error) {
	f, err := s.talkFilter(p)
	if err != nil || f == (graph.TalkFilter{}) {
		return ns, err
	}
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	err = s.withTx(p.Context, func(tx *graph.Tx) (err error) {
		ids, err = tx.FilterTalks(ids, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	keep := make(map[string]bool, len(ids))
	for _, id := range ids {
		keep[id] = true
	}
	out := ns[:0:0]
	for _, n := range ns {
		if keep[n.ID] {
			out = append(out, n)
		}
	}
	return out, nil
}

func sortTalks(ns []*graph.Node) {
	order := func(n *graph.Node) int {
		if v, err := strconv.Atoi(n.Props["order"]); err == nil {
			return v
		}
		return 1 << 30
	}
	sort.SliceStable(ns, func(i, j int) bool {
		if a, b := order(ns[i]), order(ns[j]); a != b {
			return a < b
		}
		return ns[i].ID < ns[j].ID
	})
}

func textField(name, desc string) *graphql.Field {
	return &graphql.Field{Type: graphql.String, Description: desc, Resolve: prop(name)}
}

var (
	out        = graph.Out
	in         = graph.In
	peopleKind = []graph.Kind{graph.KindPerson}
	toolKind   = []graph.Kind{graph.KindTool}
)

// kindFields are the typed fields of one kind, beyond the Node interface.
func (s *Schema) kindFields(t *types, k graph.Kind) graphql.Fields {
	node := t.node
	person := t.byKind[graph.KindPerson]
	mentionedIn := s.talksList(t, "Talks that mention or are about it.", hop{dir: in})
	url := textField("url", "Web page.")
	switch k {
	case graph.KindTalk:
		return graphql.Fields{
			"title":      {Type: graphql.NewNonNull(graphql.String), Description: "The talk's title (its name).", Resolve: func(p graphql.ResolveParams) (any, error) { return &nodeOf(p).Name, nil }},
			"speakers":   s.list(person, "Who gave the talk.", hop{in, []string{"gave"}, peopleKind}),
			"conference": s.conferenceField(t),
			"mentions":   s.list(node, "Everything the talk mentions or is about.", hop{out, []string{"about", "mentions"}, nil}),
			"about":      s.list(node, "The talk's main subjects.", hop{out, []string{"about"}, nil}),
			"advocates":  s.list(node, "Ideas and tools the talk argues for.", hop{out, []string{"advocates"}, nil}),
			"order":      {Type: graphql.Int, Description: "Place in the conference programme.", Resolve: intProp("order")},
			"start":      textField("start", "Start time, HH:MM."),
			"video":      textField("video", "Recording."),
			"similar":    s.similarField(t),
		}
	case graph.KindPerson:
		return graphql.Fields{
			"talks":     s.talksList(t, "Talks the person gave.", hop{dir: out, types: []string{"gave"}}),
			"worksAt":   s.list(node, "Employers.", hop{out, []string{"works_at"}, nil}),
			"founded":   s.list(node, "Companies and organizations the person founded.", hop{out, []string{"founded"}, nil}),
			"created":   s.list(node, "What the person created.", hop{out, []string{"created"}, nil}),
			"maintains": s.list(node, "What the person maintains.", hop{out, []string{"maintains"}, nil}),
			"url":       url,
		}
	case graph.KindCompany, graph.KindOrganization:
		return graphql.Fields{
			"tools":    s.list(t.byKind[graph.KindTool], "Tools it makes or owns.", hop{out, []string{"makes", "owns", "created", "maintains"}, toolKind}),
			"people":   s.list(person, "People who work at it or founded it.", hop{in, []string{"founded", "works_at"}, peopleKind}),
			"founders": s.list(person, "Who founded it.", hop{in, []string{"founded"}, peopleKind}),
			"owns":     s.list(node, "What it owns.", hop{out, []string{"owns"}, nil}),
			"talks":    mentionedIn,
			"url":      url,
		}
	case graph.KindTool:
		return graphql.Fields{
			"makers":      s.list(node, "Who makes, created or owns it.", hop{in, []string{"makes", "created", "owns"}, nil}),
			"maintainers": s.list(node, "Who maintains it.", hop{in, []string{"maintains"}, nil}),
			"basedOn":     s.list(node, "What it is based on.", hop{out, []string{"based_on"}, nil}),
			"usedBy":      s.list(node, "Who uses it.", hop{in, []string{"uses"}, nil}),
			"talks":       mentionedIn,
			"url":         url,
		}
	case graph.KindConcept:
		return graphql.Fields{
			"talks":   mentionedIn,
			"related": s.list(node, "Related ideas and tools.", hop{dir: graph.Both, types: []string{"related_to"}}),
		}
	case graph.KindBrand:
		return graphql.Fields{
			"makers": s.list(node, "Who makes or owns it.", hop{in, []string{"makes", "owns"}, nil}),
			"talks":  mentionedIn,
			"url":    url,
		}
	case graph.KindPublication:
		return graphql.Fields{
			"authors": s.list(node, "Who wrote or created it.", hop{in, []string{"wrote", "created"}, nil}),
			"talks":   mentionedIn,
			"url":     url,
		}
	case graph.KindConference:
		return graphql.Fields{
			"talks":      s.talksList(t, "The talks, in programme order.", hop{dir: in, types: []string{"part_of"}}),
			"talkCount":  {Type: graphql.NewNonNull(graphql.Int), Description: "How many talks are part of it.", Resolve: s.conferenceTalkCount},
			"date":       textField("date", "Date, YYYY-MM-DD."),
			"venue":      textField("venue", "Where it was held."),
			"city":       textField("city", "City."),
			"edition":    {Type: graphql.Int, Description: "Edition number.", Resolve: intProp("edition")},
			"organizers": s.list(node, "Who organizes it.", hop{in, []string{"organizes"}, nil}),
			"url":        url,
		}
	case graph.KindSource:
		return graphql.Fields{
			"url":       url,
			"lang":      textField("lang", "Language of the document."),
			"author":    textField("author", "Author."),
			"published": textField("published", "Publication date, YYYY-MM-DD."),
		}
	}
	return graphql.Fields{}
}

func (s *Schema) conferenceField(t *types) *graphql.Field {
	h := hop{out, []string{"part_of"}, []graph.Kind{graph.KindConference}}
	return &graphql.Field{
		Type:        t.byKind[graph.KindConference],
		Description: "The conference the talk was given at.",
		Resolve: func(p graphql.ResolveParams) (any, error) {
			ns, err := s.neighbours(p, h)
			if err != nil || len(ns) == 0 {
				return nil, err
			}
			return ns[0], nil
		},
	}
}
