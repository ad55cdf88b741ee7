package graph_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// world is a random graph of talks and what it holds, for brute-force
// answers: conferences of several years (one without a date), talks with
// and without their own date, language and track, speakers, and mentions
// with a long tail, some asserted by two data sets.
type world struct {
	nodes []graph.Node
	main  []graph.Edge
	extra []graph.Edge // a second data set, re-asserting some edges
	byID  map[string]graph.Node
	edges map[string]graph.Edge // distinct (from, type, to)
}

func randomWorld(seed uint64, talks int) *world {
	r := rand.New(rand.NewPCG(seed, 2))
	w := &world{byID: map[string]graph.Node{}, edges: map[string]graph.Edge{}}
	add := func(n graph.Node) { w.nodes = append(w.nodes, n); w.byID[n.ID] = n }
	edge := func(from, typ, to string) {
		e := graph.Edge{From: from, Type: typ, To: to, Evidence: []graph.Evidence{{Source: "src", Quote: "q"}}}
		if _, dup := w.edges[e.Key()]; dup {
			return
		}
		w.edges[e.Key()] = e
		w.main = append(w.main, e)
		if r.IntN(10) == 0 {
			w.extra = append(w.extra, e)
		}
	}
	add(graph.Node{ID: "src", Kind: graph.KindSource, Name: "Source"})
	for c := range 6 {
		props := map[string]string{}
		switch c % 3 {
		case 0:
			props["date"] = fmt.Sprintf("%d-0%d-1%d", 2015+c%4, 1+c, c)
		case 1:
			props["year"] = strconv.Itoa(2015 + c%4)
		}
		add(graph.Node{ID: fmt.Sprintf("conf-%d", c), Kind: graph.KindConference, Name: fmt.Sprintf("Conf %c", 'F'-c), Props: props})
	}
	kinds := []graph.Kind{graph.KindConcept, graph.KindTool, graph.KindCompany, graph.KindPublication}
	for e := range 40 {
		add(graph.Node{ID: fmt.Sprintf("ent-%02d", e), Kind: kinds[e%len(kinds)], Name: fmt.Sprintf("Entity %c", 'a'+e%7)})
	}
	for p := range 50 {
		add(graph.Node{ID: fmt.Sprintf("p-%02d", p), Kind: graph.KindPerson, Name: fmt.Sprintf("Person %d", p)})
		edge(fmt.Sprintf("p-%02d", p), "works_at", fmt.Sprintf("ent-%02d", 2+4*(p%10)))
	}
	vocab := []string{"latency", "stream", "cache", "queue", "graph", "proxy", "shard", "raft"}
	for t := range talks {
		id := fmt.Sprintf("talk-%03d", t)
		props := map[string]string{}
		if r.IntN(4) == 0 {
			props["date"] = fmt.Sprintf("%d-05-01", 2014+r.IntN(6))
		}
		if l := r.IntN(3); l > 0 {
			props["lang"] = []string{"", "en", "FR"}[l]
		}
		if r.IntN(2) == 0 {
			props["track"] = []string{"Ops", "ops", "Data"}[r.IntN(3)]
		}
		words := []string{vocab[r.IntN(len(vocab))], vocab[r.IntN(len(vocab))], "rare" + strconv.Itoa(r.IntN(talks/3))}
		add(graph.Node{ID: id, Kind: graph.KindTalk, Name: "Talk " + words[0], Props: props,
			Description: map[string]string{"en": strings.Join(words, " "), "fr": words[1]}})
		for range r.IntN(3) {
			edge(fmt.Sprintf("conf-%d", r.IntN(6)), "has_part", id)
		}
		for range 1 + r.IntN(2) {
			edge(fmt.Sprintf("p-%02d", r.IntN(50)), "gave", id)
		}
		for range r.IntN(6) {
			to := fmt.Sprintf("ent-%02d", min(39, int(r.ExpFloat64()*8)))
			edge(id, []string{"mentions", "about", "advocates", "mentions"}[r.IntN(4)], to)
		}
	}
	for i := range w.main {
		w.main[i], _ = w.main[i].Canonical()
	}
	for i := range w.extra {
		w.extra[i], _ = w.extra[i].Canonical()
	}
	w.edges = map[string]graph.Edge{}
	for _, e := range w.main {
		w.edges[e.Key()] = e
	}
	return w
}

func (w *world) store(tb testing.TB) *graph.Store {
	s := testdb.OpenDir(tb, tb.TempDir())
	seedSet(tb, s, "main", w.nodes, w.main, nil)
	seedSet(tb, s, "extra", nil, w.extra, nil)
	return s
}

// talkYear is a talk's year as the documentation defines it.
func (w *world) talkYear(id string) int {
	if y := yearOf(w.byID[id]); y != 0 {
		return y
	}
	for _, c := range w.out(id, "part_of") {
		if y := yearOf(w.byID[c]); y != 0 {
			return y
		}
	}
	return 0
}

func yearOf(n graph.Node) int {
	if d := n.Props["date"]; d != "" {
		y, _ := strconv.Atoi(d[:4])
		return y
	}
	y, _ := strconv.Atoi(n.Props["year"])
	return y
}

// out returns the sorted far ends of id's outgoing edges of type typ ("" any).
func (w *world) out(id, typ string) []string {
	var ids []string
	for _, e := range w.edges {
		if e.From == id && (typ == "" || e.Type == typ) {
			ids = append(ids, e.To)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func (w *world) talkIDs() []string {
	var ids []string
	for _, n := range w.nodes {
		if n.Kind == graph.KindTalk {
			ids = append(ids, n.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func (w *world) selects(id string, f graph.TalkFilter) bool {
	n := w.byID[id]
	in := func(list []string, x string) bool { return x == "" || slices.Contains(list, x) }
	speakers := []string{}
	for _, e := range w.edges {
		if e.Type == "gave" && e.To == id {
			speakers = append(speakers, e.From)
		}
	}
	return in(w.out(id, "part_of"), f.Conference) && in(speakers, f.Speaker) && in(w.out(id, ""), f.Mentioning) &&
		(f.Language == "" || strings.EqualFold(n.Props["lang"], f.Language)) &&
		(f.Track == "" || strings.EqualFold(n.Props["track"], f.Track)) &&
		(f.Year == 0 || w.talkYear(id) == f.Year)
}

func filters() []graph.TalkFilter {
	return []graph.TalkFilter{
		{}, {Conference: "conf-1"}, {Speaker: "p-03"}, {Mentioning: "ent-00"}, {Mentioning: "ent-00", Conference: "conf-2"},
		{Mentioning: "ent-01", Year: 2016}, {Year: 2017}, {Language: "fr"}, {Track: "OPS"}, {Track: "ops", Language: "en", Year: 2015},
		{Mentioning: "conf-3"}, {Mentioning: "nobody"}, {Speaker: "p-07", Mentioning: "ent-02"},
	}
}

func (w *world) topics(f graph.TalkFilter, kinds []graph.Kind, limit int) []graph.TopicCount {
	if kinds == nil {
		kinds = graph.DefaultTopicKinds
	}
	counts := map[string]int{}
	for _, id := range w.talkIDs() {
		if !w.selects(id, f) {
			continue
		}
		for _, to := range w.out(id, "") {
			if slices.Contains(kinds, w.byID[to].Kind) {
				counts[to]++
			}
		}
	}
	out := []graph.TopicCount{}
	for id, n := range counts {
		out = append(out, graph.TopicCount{ID: id, Talks: n})
	}
	slices.SortFunc(out, func(a, b graph.TopicCount) int {
		return cmp.Or(b.Talks-a.Talks, strings.Compare(strings.ToLower(w.byID[a.ID].Name), strings.ToLower(w.byID[b.ID].Name)), strings.Compare(a.ID, b.ID))
	})
	return out[:min(limit, len(out))]
}

func (w *world) trend(entity string, by graph.TrendBy) []graph.TrendPoint {
	counts := map[string]int{}
	for _, id := range w.talkIDs() {
		if !slices.Contains(w.out(id, ""), entity) {
			continue
		}
		confs := w.out(id, "part_of")
		switch {
		case by == graph.ByYear && w.talkYear(id) != 0:
			counts[strconv.Itoa(w.talkYear(id))]++
		case by == graph.ByConference && len(confs) > 0:
			for _, c := range confs {
				counts[c]++
			}
		default:
			counts[graph.Unknown]++
		}
	}
	var keys []string
	for k := range counts {
		if k != graph.Unknown {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		if by == graph.ByYear {
			return strings.Compare(a, b)
		}
		ca, cb := w.byID[a], w.byID[b]
		return cmp.Or(yearOf(ca)-yearOf(cb), strings.Compare(ca.Props["date"], cb.Props["date"]), strings.Compare(ca.Name, cb.Name), strings.Compare(a, b))
	})
	out := []graph.TrendPoint{}
	for _, k := range keys {
		label := k
		if by == graph.ByConference {
			label = w.byID[k].Name
		}
		out = append(out, graph.TrendPoint{Label: label, Talks: counts[k]})
	}
	if n := counts[graph.Unknown]; n > 0 {
		out = append(out, graph.TrendPoint{Label: graph.Unknown, Talks: n})
	}
	return out
}

// similar scores every other talk as Similar documents: shared topics, then
// speakers, then words (PlainAnalyzer's, per language, names in every
// language), each adding ln(1 + talks/df), a word half that, words that
// more than 256 nodes hold left out.
func (w *world) similar(id string, limit int) []graph.SimilarTalk {
	talks := w.talkIDs()
	type feat struct {
		id   string
		word bool
		has  func(string) bool
	}
	var feats []feat
	for _, to := range w.out(id, "") {
		e := func(t string) bool {
			_, m := w.edges[t+"\x00mentions\x00"+to]
			_, a := w.edges[t+"\x00about\x00"+to]
			return m || a
		}
		if e(id) {
			feats = append(feats, feat{to, false, e})
		}
	}
	var speakers []string
	for _, e := range w.edges {
		if e.Type == "gave" && e.To == id {
			speakers = append(speakers, e.From)
		}
	}
	slices.Sort(speakers)
	for _, p := range speakers {
		feats = append(feats, feat{p, false, func(t string) bool { _, ok := w.edges[p+"\x00gave\x00"+t]; return ok }})
	}
	for _, lang := range []string{"en", "fr"} {
		terms := w.terms(id, lang)
		for _, term := range terms {
			df := 0
			for _, n := range w.nodes {
				if slices.Contains(w.terms(n.ID, lang), term) {
					df++
				}
			}
			if df <= 256 {
				feats = append(feats, feat{term, true, func(t string) bool { return slices.Contains(w.terms(t, lang), term) }})
			}
		}
	}
	found := map[string]*graph.SimilarTalk{}
	weights := make([]float64, len(feats))
	words := 0.0
	for i, f := range feats {
		df := 0
		for _, t := range talks {
			if f.has(t) {
				df++
			}
		}
		weights[i] = math.Log(1 + float64(len(talks))/float64(df))
		if f.word {
			weights[i] *= 0.5
			words += weights[i]
		}
	}
	for i, f := range feats {
		wt := weights[i]
		if !f.word {
			wt += words // an entity weighs all the words together too
		}
		for _, t := range talks {
			if t == id || !f.has(t) {
				continue
			}
			if found[t] == nil {
				found[t] = &graph.SimilarTalk{ID: t}
			}
			found[t].Score += wt
			if f.word {
				found[t].Words = append(found[t].Words, f.id)
			} else {
				found[t].Shared = append(found[t].Shared, f.id)
			}
		}
	}
	var out []graph.SimilarTalk
	for _, s := range found {
		slices.Sort(s.Words)
		s.Words = slices.Compact(s.Words)
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b graph.SimilarTalk) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
	})
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// terms are the sorted distinct index terms of node id in lang.
func (w *world) terms(id, lang string) []string {
	n := w.byID[id]
	text := strings.Join(append([]string{n.Name, n.Description[lang]}, n.Aliases...), " ")
	var out []string
	for _, t := range (graph.PlainAnalyzer{}).Tokens(lang, text) {
		out = append(out, t.Term)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
