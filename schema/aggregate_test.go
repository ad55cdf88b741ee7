package schema_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/talkgraph/talkgraph/schema"
)

// ask executes q on s and decodes the answer; it fails the test on errors.
func ask(t *testing.T, s *schema.Schema, q string) map[string]any {
	t.Helper()
	data, errs := askErr(t, s, q)
	if len(errs) > 0 {
		t.Fatalf("%s: errors: %v", q, errs)
	}
	return data
}

func askErr(t *testing.T, s *schema.Schema, q string) (map[string]any, []map[string]any) {
	t.Helper()
	b, err := json.Marshal(do(s, context.Background(), q, nil))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data   map[string]any   `json:"data"`
		Errors []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out.Data, out.Errors
}

func num(v any) int { f, _ := v.(float64); return int(f) }

func list(v any) []map[string]any {
	var out []map[string]any
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// TestAggregatesOnDotScale checks the answers issue 15 asks for on the
// embedded data set, against what the other fields of the API list.
func TestAggregatesOnDotScale(t *testing.T) {
	s := mustSchema(t)
	t.Run("talkCount equals the length of talks", func(t *testing.T) {
		for _, args := range []string{`mentioning: "automation"`, `conference: "dotScale 2017"`, `speaker: "Neha Narkhede"`,
			`year: 2017`, `year: 2016`, `language: "EN"`, `mentioning: "kafka", conference: "dotscale-2017", year: 2017`} {
			data := ask(t, s, fmt.Sprintf(`{ talkCount(%s) talks(%s) { id } }`, args, args))
			if got, want := num(data["talkCount"]), len(data["talks"].([]any)); got != want {
				t.Errorf("%s: talkCount %d, talks lists %d", args, got, want)
			}
		}
		data := ask(t, s, `{ talkCount(mentioning: "automation") }`)
		if got := num(data["talkCount"]); got != 2 {
			t.Errorf("talkCount(mentioning: automation): got %d, want 2 (the two automation talks)", got)
		}
	})
	t.Run("relationCount equals the number of relations", func(t *testing.T) {
		data := ask(t, s, `{ nodes: tools(first: 1000) { id relationCount relations(first: 1000) { type } out: relationCount(direction: OUT) o: relations(direction: OUT, first: 1000) { type } m: relationCount(type: "mentioned_in") mi: relations(type: "mentioned_in", first: 1000) { type } } }`)
		for _, n := range list(data["nodes"]) {
			for count, rels := range map[string]string{"relationCount": "relations", "out": "o", "m": "mi"} {
				if got, want := num(n[count]), len(n[rels].([]any)); got != want {
					t.Errorf("%s %s: got %d, want %d", n["id"], count, got, want)
				}
			}
		}
	})
	t.Run("topics of dotScale 2017 rank by talkCount", func(t *testing.T) {
		topics := list(ask(t, s, `{ topics(conference: "dotScale 2017", first: 1000) { node { id name } talks } }`)["topics"])
		if len(topics) == 0 {
			t.Fatal("no topics")
		}
		for i, tc := range topics {
			id := tc["node"].(map[string]any)["id"].(string)
			n := num(ask(t, s, fmt.Sprintf(`{ talkCount(mentioning: %q, conference: "dotScale 2017") }`, id))["talkCount"])
			if got := num(tc["talks"]); got != n {
				t.Errorf("%s: topics says %d talks, talkCount %d", id, got, n)
			}
			if i > 0 && num(topics[i-1]["talks"]) < num(tc["talks"]) {
				t.Errorf("%s ranks after one with fewer talks", id)
			}
		}
		var listed []string
		for _, tc := range topics {
			listed = append(listed, tc["node"].(map[string]any)["id"].(string))
		}
		for _, talk := range list(ask(t, s, `{ talks(conference: "dotScale 2017") { about { id kind } } }`)["talks"]) {
			for _, about := range list(talk["about"]) {
				if k := about["kind"]; (k == "CONCEPT" || k == "TOOL" || k == "COMPANY") && !slices.Contains(listed, about["id"].(string)) {
					t.Errorf("%s, what a talk is about, is not in topics", about["id"])
				}
			}
		}
	})
	t.Run("trend of Kafka by year", func(t *testing.T) {
		got, _ := json.Marshal(ask(t, s, `{ trend(entity: "Kafka", by: YEAR) { label talks } }`)["trend"])
		if want := `[{"label":"2017","talks":1}]`; string(got) != want {
			t.Errorf("got %s, want %s", got, want)
		}
	})
	t.Run("conferences carry their talk count", func(t *testing.T) {
		for _, c := range list(ask(t, s, `{ conferences { name talkCount talks { id } } }`)["conferences"]) {
			if got, want := num(c["talkCount"]), len(c["talks"].([]any)); got != want {
				t.Errorf("%s: talkCount %d, talks %d", c["name"], got, want)
			}
		}
	})
	t.Run("the automation talks are each other's most similar", func(t *testing.T) {
		for a, b := range map[string]string{"talk-devops": "Keep calm and automate all the things", "talk-keep-calm-and-automate-all-the-things": "DevOps"} {
			sim := list(ask(t, s, fmt.Sprintf(`{ talk(id: %q) { similar(first: 3) { talk { title } score shared { id kind } } } }`, a))["talk"].(map[string]any)["similar"])
			if len(sim) == 0 {
				t.Fatalf("%s: no similar talks", a)
			}
			if got := sim[0]["talk"].(map[string]any)["title"]; got != b {
				t.Errorf("%s: most similar is %q, want %q", a, got, b)
			}
			var concepts []string
			for _, n := range list(sim[0]["shared"]) {
				if n["kind"] == "CONCEPT" {
					concepts = append(concepts, n["id"].(string))
				}
			}
			if !slices.Contains(concepts, "automation") {
				t.Errorf("%s: shared concepts %v, want automation among them", a, concepts)
			}
		}
	})
}

// TestAggregateBadInput: each mistake is one clear error with its code.
func TestAggregateBadInput(t *testing.T) {
	s := mustSchema(t)
	for _, c := range []struct{ name, query, code string }{
		{"negative year", `{ talkCount(year: -3) }`, schema.CodeBadUserInput},
		{"unknown entity", `{ trend(entity: "kafak") { label } }`, schema.CodeNotFound},
		{"unknown conference", `{ topics(conference: "dotscale 2071") { talks } }`, schema.CodeNotFound},
		{"too many similar", `{ talk(id: "talk-devops") { similar(first: 5000) { score } } }`, schema.CodeLimitExceeded}, // refused by the guard before it runs,
		{"unknown relation type", `{ entity(name: "kafka") { relationCount(type: "mentionz") } }`, schema.CodeBadUserInput},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs := askErr(t, s, c.query)
			if len(errs) != 1 {
				t.Fatalf("errors: got %v, want one", errs)
			}
			ext, _ := errs[0]["extensions"].(map[string]any)
			if got := ext["code"]; got != c.code {
				t.Errorf("code: got %v, want %s (%v)", got, c.code, errs[0]["message"])
			}
		})
	}
}
