package link

import (
	"fmt"
	"maps"
	"slices"

	"github.com/talkgraph/talkgraph/graph"
)

// Conference context: an entity surely named by at least this many other
// talks of a conference, and this share of them, is of the conference's
// context (at a Python conference, Python is).
const (
	confMinTalks = 3
	confMinShare = 0.03
)

// found is what the first pass keeps of one talk.
type found struct {
	id    string
	conf  string
	known map[string]bool // entities the talk is already related to
	sure  map[string]Proposal
	maybe []Proposal // matches that need a context, in text order
	link  bool       // proposals are wanted for it (Options.Talks)
}

// Link proposes mentions for the talks tx holds (those opts.Talks keeps)
// against the index's entities. A first pass finds the sure matches of
// every talk, which make the conferences' contexts; a second keeps the
// matches whose context holds their family.
func (ix *Index) Link(tx *graph.Tx, opts Options) ([]Proposal, error) {
	ids, err := tx.IDs(graph.KindTalk, 0, -1)
	if err != nil {
		return nil, err
	}
	talks := make([]*found, 0, len(ids))
	perConf := map[string]map[string]int{} // conference -> entity -> talks
	confTalks := map[string]int{}
	for _, id := range ids {
		t, err := ix.firstPass(tx, id, opts)
		if err != nil {
			return nil, err
		}
		talks = append(talks, t)
		confTalks[t.conf]++
		if perConf[t.conf] == nil {
			perConf[t.conf] = map[string]int{}
		}
		for e := range t.sure {
			perConf[t.conf][e]++
		}
	}
	out, err := ix.linkPersons(tx, opts)
	if err != nil {
		return nil, err
	}
	for _, t := range talks {
		if !t.link {
			continue
		}
		ctx := ix.context(t, perConf[t.conf], confTalks[t.conf])
		for _, p := range t.sure {
			out = append(out, p)
		}
		out = append(out, ix.resolve(t, ctx)...)
	}
	sortProposals(out)
	return out, nil
}

// linkPersons proposes the employers of the persons tx holds (those
// opts.Talks keeps).
func (ix *Index) linkPersons(tx *graph.Tx, opts Options) ([]Proposal, error) {
	ids, err := tx.IDs(graph.KindPerson, 0, -1)
	if err != nil {
		return nil, err
	}
	var out []Proposal
	for _, id := range ids {
		n, err := tx.Node(id)
		if err != nil {
			return nil, err
		}
		if opts.Talks != nil && !opts.Talks(n) || len(n.Description) == 0 && n.Props["role"] == "" {
			continue
		}
		t := &found{id: id, known: map[string]bool{}, sure: map[string]Proposal{}}
		rels, err := tx.Relations(id, graph.Out, "works_at", -1)
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if stated(r, opts) {
				t.known[r.Other()] = true
			}
		}
		ix.employers(t, n)
		for _, p := range t.sure {
			out = append(out, p)
		}
	}
	return out, nil
}

// stated reports whether a relation has evidence not derived from earlier
// proposals.
func stated(r graph.Relation, opts Options) bool {
	for _, ev := range r.Evidence {
		if opts.Derived == nil || !opts.Derived(ev) {
			return true
		}
	}
	return false
}

// firstPass reads a talk: its conference, what it is related to, and its
// matches, sure or needing a context.
func (ix *Index) firstPass(tx *graph.Tx, id string, opts Options) (*found, error) {
	n, err := tx.Node(id)
	if err != nil {
		return nil, err
	}
	t := &found{id: id, known: map[string]bool{}, sure: map[string]Proposal{}, link: opts.Talks == nil || opts.Talks(n)}
	rels, err := tx.Relations(id, graph.Both, "", -1)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if r.Type == "part_of" && r.OtherKind == graph.KindConference {
			t.conf = r.Other()
		}
		if stated(r, opts) {
			t.known[r.Other()] = true
		}
	}
	for _, f := range fields(n) {
		ix.scan(t, f)
	}
	return t, nil
}

// fields returns a talk's texts: its title in its language, each
// description in its own.
func fields(n *graph.Node) []field {
	lang := n.Props["lang"]
	if lang == "" {
		lang = "en"
	}
	out := []field{{name: "name", lang: lang, text: n.Name, title: true}}
	for _, l := range slices.Sorted(maps.Keys(n.Description)) {
		if d := n.Description[l]; d != "" {
			out = append(out, field{name: "description." + l, lang: l, text: d})
		}
	}
	return out
}

// scan adds a field's matches to t.
func (ix *Index) scan(t *found, f field) {
	ws := splitWords(ix.an, f.text)
	ms := ix.find(f, ws)
	covered := map[int]bool{}
	for _, m := range ms {
		for i := m.first; i <= m.last; i++ {
			covered[i] = true
		}
	}
	for _, m := range ms {
		e := m.n.ent.id
		if t.known[e] {
			continue
		}
		v := ix.judge(f, ws, m, covered)
		if v == no {
			continue
		}
		start, end := ws[m.first].start, ws[m.last].end
		p := Proposal{Talk: t.id, Entity: e, Type: "mentions", Field: f.name, Offset: start, Text: f.text[start:end], Sentence: sentence(f.text, start, end)}
		switch _, done := t.sure[e]; {
		case done:
		case v == sure:
			t.sure[e] = p
		default:
			t.maybe = append(t.maybe, p)
		}
	}
}

// context returns the family keys of what a talk surely speaks of: its
// sure matches, its stated relations and its conference's context.
func (ix *Index) context(t *found, conf map[string]int, confTalks int) map[string]bool {
	keys := map[string]bool{}
	add := func(id string) {
		keys["id:"+id] = true
		if e := ix.ents[id]; e != nil {
			for _, k := range e.fam {
				keys[k] = true
			}
		}
	}
	for id := range t.sure {
		add(id)
	}
	for id := range t.known {
		add(id)
	}
	if t.conf == "" {
		return keys // no conference: no conference context
	}
	for id, n := range conf {
		if _, own := t.sure[id]; own {
			n-- // the talk's own mention is not its conference's
		}
		if n >= confMinTalks && float64(n) >= confMinShare*float64(confTalks) {
			keys["id:"+id] = true
		}
	}
	return keys
}

// resolve keeps the matches needing a context whose entity is of the
// family of what the talk surely speaks of, or of another such match (a
// list of programming languages tells each other apart); of the entities
// a shared name may mean, only the one the context chooses.
func (ix *Index) resolve(t *found, ctx map[string]bool) []Proposal {
	inCtx := func(e *entity, keys map[string]bool) bool {
		if keys["id:"+e.id] {
			return true
		}
		for _, k := range e.fam {
			if keys[k] {
				return true
			}
		}
		return false
	}
	// Matches of other families, surely written as names, lend each other
	// a context.
	peers := map[string]bool{}
	for _, p := range t.maybe {
		if !startsUpper(p.Text) {
			continue // only names written as names lend each other a context
		}
		if e := ix.ents[p.Entity]; e != nil {
			for _, k := range e.fam {
				if !peers[k] && seenTwice(t.maybe, k, ix) {
					peers[k] = true
				}
			}
		}
	}
	chosen := map[string]Proposal{}
	var places []string // in text order
	byPlace := map[string][]Proposal{}
	for _, p := range t.maybe {
		key := fmt.Sprintf("%s@%d", p.Field, p.Offset)
		if byPlace[key] == nil {
			places = append(places, key)
		}
		byPlace[key] = append(byPlace[key], p)
	}
	for _, key := range places {
		ps := byPlace[key]
		var ok []Proposal
		for _, p := range ps {
			if e := ix.ents[p.Entity]; e != nil && (inCtx(e, ctx) || inCtx(e, peers)) {
				ok = append(ok, p)
			}
		}
		if len(ok) == 1 {
			if _, done := chosen[ok[0].Entity]; !done {
				if _, sure := t.sure[ok[0].Entity]; !sure {
					chosen[ok[0].Entity] = ok[0]
				}
			}
		}
	}
	return slices.Collect(maps.Values(chosen))
}

// seenTwice reports whether two different entities among the matches
// needing a context share the family key k.
func seenTwice(maybe []Proposal, k string, ix *Index) bool {
	var first string
	for _, p := range maybe {
		e := ix.ents[p.Entity]
		if e == nil || !startsUpper(p.Text) || !slices.Contains(e.fam, k) {
			continue
		}
		if first == "" {
			first = p.Entity
		} else if p.Entity != first {
			return true
		}
	}
	return false
}
