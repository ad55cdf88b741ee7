package schema_test

import (
	"encoding/json"
	"testing"
)

// TestTypedTwoHops: lists of nodes of any kind and relations take kinds:,
// so a two-hop question gets what it asks for and no empty objects; the
// talks of a node take the filters of the top-level talks.
func TestTypedTwoHops(t *testing.T) {
	for _, tc := range []struct {
		name, query, want string
	}{
		{"tools the talks mention, and the companies that make them",
			`{ conference(id: "dotscale-2017") { talks(mentioning: "Ansible") { mentions(kinds: [TOOL]) { ... on Tool { id makers(kinds: [COMPANY]) { id } } } } } }`,
			`{"conference":{"talks":[{"mentions":[{"id":"ansible","makers":[{"id":"red-hat"}]},{"id":"puppet","makers":[]}]},` +
				`{"mentions":[{"id":"ansible","makers":[{"id":"red-hat"}]},{"id":"ansible-playbook","makers":[]},{"id":"ansible-tower","makers":[{"id":"red-hat"}]},{"id":"sudo","makers":[]}]}]}}`},
		{"makers of every kind, then of one",
			`{ tool(id: "kafka") { all: makers { id } people: makers(kinds: [PERSON]) { id } companies: makers(kinds: [COMPANY]) { id } } }`,
			`{"tool":{"all":[{"id":"neha-narkhede"}],"people":[{"id":"neha-narkhede"}],"companies":[]}}`},
		{"several kinds, and none",
			`{ talk(id: "talk-devops") { mentions(kinds: [CONCEPT, TOOL]) { kind } none: mentions(kinds: []) { id } } }`,
			// The talk also mentions a publication, the SRE book.
			`{"talk":{"mentions":[{"kind":"CONCEPT"},{"kind":"CONCEPT"},{"kind":"CONCEPT"},{"kind":"TOOL"},{"kind":"TOOL"}],"none":[]}}`},
		{"relations and their count by the other end's kind",
			`{ entity(name: "hashicorp") { relationCount(kinds: [TOOL]) relations(kinds: [PERSON]) { type from { id } } } }`,
			`{"entity":{"relationCount":4,"relations":[{"type":"founded","from":{"id":"armon-dadgar"}},{"type":"founded","from":{"id":"mitchell-hashimoto"}}]}}`},
		{"a tool's talks of a conference, in a language",
			`{ tool(id: "kafka") { talks(conference: "dotScale 2017", language: "EN") { id } other: talks(year: 2016) { id } } }`,
			`{"tool":{"talks":[{"id":"talk-rise-of-real-time"}],"other":[]}}`},
		{"a conference's talks mentioning a concept",
			`{ conference(id: "dotscale-2017") { talks(mentioning: "automation") { id } } }`,
			`{"conference":{"talks":[{"id":"talk-devops"},{"id":"talk-keep-calm-and-automate-all-the-things"}]}}`},
		{"a speaker's talks",
			`{ person(id: "neha-narkhede") { talks(mentioning: "kafka") { id } none: talks(speaker: "adrian-cole") { id } } }`,
			`{"person":{"talks":[{"id":"talk-rise-of-real-time"}],"none":[]}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, errs := run(t, tc.query)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			got, _ := json.Marshal(data)
			var want any
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			w, _ := json.Marshal(want)
			if string(got) != string(w) {
				t.Errorf("got  %s\nwant %s", got, w)
			}
		})
	}
	t.Run("an unknown name in a filter below the top", func(t *testing.T) {
		_, errs := run(t, `{ tool(id: "kafka") { talks(conference: "dotscale-2071") { id } } }`)
		if len(errs) != 1 || errs[0]["extensions"].(map[string]any)["code"] != "NOT_FOUND" {
			t.Errorf("errors: got %v, want one NOT_FOUND", errs)
		}
	})
}
