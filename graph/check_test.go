package graph_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// problems renders check problems as "field: message", sorted by field
// (CheckNode walks maps, so its order is not fixed).
func problems(ps graph.FieldProblems) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Field + ": " + p.Msg
	}
	sort.Strings(out)
	return out
}

// matches reports whether each got line starts with "field: " and holds
// the snippet of the want line at the same index ("field: snippet").
func matches(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		field, snippet, _ := strings.Cut(want[i], ": ")
		if !strings.HasPrefix(got[i], field+": ") || !strings.Contains(got[i], snippet) {
			return false
		}
	}
	return true
}

func validNode() graph.Node {
	return graph.Node{
		ID: "talk-1", Kind: graph.KindTalk, Name: "A talk", Aliases: []string{"The talk"},
		Description: map[string]string{"en": "About things.", "fr": "À propos de choses."},
		Props:       map[string]string{"date": "2017-04-24", "url": "https://example.com/t", "order": "3", "start": "09:30", "venue": "Paris"},
	}
}

func TestCheckNode(t *testing.T) {
	many := make([]string, graph.MaxAliases+1)
	for i := range many {
		many[i] = fmt.Sprintf("alias %d", i)
	}
	for _, tc := range []struct {
		name   string
		change func(n *graph.Node)
		want   []string // sorted "field: message snippet"
	}{
		{"valid", func(n *graph.Node) {}, nil},
		{"no description or props", func(n *graph.Node) { n.Description, n.Props, n.Aliases = nil, nil, nil }, nil},
		{"empty id", func(n *graph.Node) { n.ID = "" }, []string{"id: id is empty"}},
		{"upper-case id", func(n *graph.Node) { n.ID = "Kafka" }, []string{`id: id "Kafka" is not a slug`}},
		{"id with space", func(n *graph.Node) { n.ID = "a b" }, []string{"id: is not a slug"}},
		{"id with double separator", func(n *graph.Node) { n.ID = "a--b" }, []string{"id: is not a slug"}},
		{"id ending in separator", func(n *graph.Node) { n.ID = "ab-" }, []string{"id: is not a slug"}},
		{"id with NUL", func(n *graph.Node) { n.ID = "a\x00b" }, []string{"id: is not a slug"}},
		{"id too long", func(n *graph.Node) { n.ID = strings.Repeat("a", graph.MaxIDLen+1) }, []string{"id: more than 128"}},
		{"id at the limit", func(n *graph.Node) { n.ID = strings.Repeat("a", graph.MaxIDLen) }, nil},
		{"unknown kind", func(n *graph.Node) { n.Kind = "tools" }, []string{`kind: unknown kind "tools"`}},
		{"empty kind", func(n *graph.Node) { n.Kind = "" }, []string{`kind: unknown kind ""`}},
		{"empty name", func(n *graph.Node) { n.Name = "" }, []string{"name: text is empty"}},
		{"blank name", func(n *graph.Node) { n.Name = " \t " }, []string{"name: text is empty"}},
		{"name not UTF-8", func(n *graph.Node) { n.Name = "caf\xe9" }, []string{"name: not valid UTF-8"}},
		{"name with NUL", func(n *graph.Node) { n.Name = "a\x00b" }, []string{"name: NUL byte"}},
		{"name too long", func(n *graph.Node) { n.Name = strings.Repeat("x", graph.MaxNameLen+1) }, []string{"name: more than 300"}},
		{"empty alias", func(n *graph.Node) { n.Aliases = []string{"ok", ""} }, []string{"aliases.1: text is empty"}},
		{"too many aliases", func(n *graph.Node) { n.Aliases = many }, []string{"aliases: more than 50"}},
		{"bad language", func(n *graph.Node) { n.Description = map[string]string{"eng": "x"} }, []string{"description.eng: not a language code"}},
		{"empty description", func(n *graph.Node) { n.Description = map[string]string{"en": ""} }, []string{"description.en: text is empty"}},
		{"description too long", func(n *graph.Node) { n.Description["fr"] = strings.Repeat("x", graph.MaxTextLen+1) }, []string{"description.fr: more than 8000"}},
		{"unknown property", func(n *graph.Node) { n.Props["colour"] = "red" }, []string{`props.colour: unknown property "colour"`}},
		{"impossible date", func(n *graph.Node) { n.Props["date"] = "2017-02-30" }, []string{`props.date: "2017-02-30" is not a date`}},
		{"date in another format", func(n *graph.Node) { n.Props["published"] = "24/04/2017" }, []string{"props.published: is not a date"}},
		{"relative url", func(n *graph.Node) { n.Props["url"] = "www.example.com/x" }, []string{"props.url: is not an absolute http(s) URL"}},
		{"ftp url", func(n *graph.Node) { n.Props["video"] = "ftp://example.com/v" }, []string{"props.video: is not an absolute http(s) URL"}},
		{"url without host", func(n *graph.Node) { n.Props["url"] = "https:///path" }, []string{"props.url: is not an absolute http(s) URL"}},
		{"int not a number", func(n *graph.Node) { n.Props["edition"] = "five" }, []string{"props.edition: is not a whole number"}},
		{"bad time", func(n *graph.Node) { n.Props["start"] = "25:00" }, []string{"props.start: is not a time of day"}},
		{"text prop too long", func(n *graph.Node) { n.Props["venue"] = strings.Repeat("v", graph.MaxTextLen+1) }, []string{"props.venue: more than 8000"}},
		{"several problems", func(n *graph.Node) { n.ID, n.Kind, n.Name = "", "", "" }, []string{"id: id is empty", "kind: unknown kind", "name: text is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := validNode()
			tc.change(&n)
			ps := graph.CheckNode(&n)
			got := problems(ps)
			if !matches(got, tc.want) {
				t.Errorf("CheckNode: got %q, want %q", got, tc.want)
			}
			if len(ps) > 0 && !errors.Is(ps, graph.ErrInvalid) {
				t.Errorf("errors.Is(problems, ErrInvalid): got false, want true")
			}
		})
	}
}

// kinds answers CheckEdge's questions from a fixed table of ids.
type kinds map[string]graph.Kind

func (k kinds) KindOf(id string) (graph.Kind, bool) {
	kind, ok := k[id]
	return kind, ok
}

func (k kinds) Suggest(id string) string {
	best, bestD := "", 3
	ids := make([]string, 0, len(k))
	for known := range k {
		ids = append(ids, known)
	}
	sort.Strings(ids)
	for _, known := range ids {
		if d := graph.EditDistance(id, known); d < bestD {
			best, bestD = known, d
		}
	}
	return best
}

func TestCheckEdge(t *testing.T) {
	r := kinds{
		"neha": graph.KindPerson, "talk": graph.KindTalk, "kafka": graph.KindTool,
		"report": graph.KindSource, "acme": graph.KindCompany, "streams": graph.KindConcept,
	}
	by := []graph.Evidence{{Source: "report", Quote: "she gave it"}}
	for _, tc := range []struct {
		name string
		edge graph.Edge
		want []string
	}{
		{"valid", graph.Edge{From: "neha", Type: "gave", To: "talk", Evidence: by}, nil},
		{"valid inverse", graph.Edge{From: "talk", Type: "given_by", To: "neha", Evidence: by}, nil},
		{"valid symmetric", graph.Edge{From: "kafka", Type: "related_to", To: "streams", Evidence: by}, nil},
		{"evidence without quote", graph.Edge{From: "acme", Type: "makes", To: "kafka", Evidence: []graph.Evidence{{Source: "report"}}}, nil},
		{"unknown type", graph.Edge{From: "neha", Type: "gives", To: "talk", Evidence: by}, []string{`type: unknown relation type "gives"`}},
		{"empty type", graph.Edge{From: "neha", To: "talk", Evidence: by}, []string{`type: unknown relation type ""`}},
		{"missing from", graph.Edge{Type: "gave", To: "talk", Evidence: by}, []string{"from: missing id"}},
		{"unknown to with suggestion", graph.Edge{From: "neha", Type: "about", To: "kafak", Evidence: by}, []string{`to: unknown id "kafak": did you mean "kafka"?`}},
		{"unknown to", graph.Edge{From: "talk", Type: "about", To: "zeppelin", Evidence: by}, []string{`to: unknown id "zeppelin": define it as a node`}},
		{"kinds not allowed", graph.Edge{From: "kafka", Type: "gave", To: "talk", Evidence: by}, []string{`type: "gave" cannot go from a tool to a talk: it goes from a person to a talk`}},
		{"kinds not allowed by inverse", graph.Edge{From: "talk", Type: "given_by", To: "kafka", Evidence: by}, []string{`type: "given_by" cannot go from a talk to a tool: it goes from a talk to a person`}},
		{"makes from a person", graph.Edge{From: "neha", Type: "makes", To: "kafka", Evidence: by}, []string{`type: "makes" cannot go from a person to a tool: it goes from a company or an organization to a tool`}},
		{"self edge", graph.Edge{From: "kafka", Type: "related_to", To: "kafka", Evidence: by}, []string{`to: the edge joins "kafka" to itself`}},
		{"no evidence", graph.Edge{From: "neha", Type: "gave", To: "talk"}, []string{"evidence: the edge has no evidence"}},
		{"evidence source not a source", graph.Edge{From: "neha", Type: "gave", To: "talk", Evidence: []graph.Evidence{{Source: "neha"}}}, []string{`evidence.0.source: "neha" is a person, not a source`}},
		{"evidence source missing", graph.Edge{From: "neha", Type: "gave", To: "talk", Evidence: []graph.Evidence{{Quote: "q"}}}, []string{"evidence.0.source: missing id"}},
		{"evidence source unknown", graph.Edge{From: "neha", Type: "gave", To: "talk", Evidence: []graph.Evidence{{Source: "reprot"}}}, []string{`evidence.0.source: unknown id "reprot": did you mean "report"?`}},
		{"blank quote", graph.Edge{From: "neha", Type: "gave", To: "talk", Evidence: []graph.Evidence{{Source: "report", Quote: "  "}}}, []string{"evidence.0.quote: text is empty"}},
		{"quote too long", graph.Edge{From: "neha", Type: "gave", To: "talk", Evidence: []graph.Evidence{{Source: "report", Quote: strings.Repeat("q", graph.MaxQuoteLen+1)}}}, []string{"evidence.0.quote: more than 500"}},
		{"second evidence bad", graph.Edge{From: "neha", Type: "gave", To: "talk", Evidence: []graph.Evidence{{Source: "report"}, {Source: "talk"}}}, []string{`evidence.1.source: "talk" is a talk, not a source`}},
		{"several problems", graph.Edge{Type: "gives", To: "nowhere-at-all"}, []string{"evidence: no evidence", "from: missing id", "to: unknown id", "type: unknown relation type"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := graph.CheckEdge(tc.edge, r)
			got := problems(ps)
			if !matches(got, tc.want) {
				t.Errorf("CheckEdge: got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheckID(t *testing.T) {
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{"kafka", true},
		{"dotscale-2017", true},
		{"a.b_c-d", true},
		{"9", true},
		{"", false},
		{"Kafka", false},
		{"-a", false},
		{"a..b", false},
		{"é", false},
		{"a/b", false},
	} {
		t.Run(fmt.Sprintf("%q", tc.id), func(t *testing.T) {
			err := graph.CheckID(tc.id)
			if got := err == nil; got != tc.ok {
				t.Errorf("CheckID(%q): got %v, want ok=%v", tc.id, err, tc.ok)
			}
		})
	}
}
