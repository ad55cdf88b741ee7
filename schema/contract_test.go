package schema_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/schema"
)

// run executes q and decodes the result into a generic tree.
func run(t *testing.T, q string) (map[string]any, []map[string]any) {
	t.Helper()
	res := do(mustSchema(t), context.Background(), q, nil)
	b, err := json.Marshal(res)
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

// names collects the "name" (or "title") of each object in a list.
func names(list any, field string) []string {
	var out []string
	for _, it := range list.([]any) {
		out = append(out, it.(map[string]any)[field].(string))
	}
	sort.Strings(out)
	return out
}

// TestDoneQuestions checks the answers the API issue requires, by their
// meaning rather than their bytes.
func TestDoneQuestions(t *testing.T) {
	t.Run("talks mentioning automation", func(t *testing.T) {
		data, errs := run(t, `{ talks(mentioning: "automation") { title speakers { name } } }`)
		if len(errs) > 0 {
			t.Fatalf("errors: %v", errs)
		}
		var speakers []string
		for _, talk := range data["talks"].([]any) {
			speakers = append(speakers, names(talk.(map[string]any)["speakers"], "name")...)
		}
		sort.Strings(speakers)
		if got, want := strings.Join(speakers, ","), "Andrew Shafer,James Cammarata"; got != want {
			t.Errorf("speakers: got %s, want %s", got, want)
		}
	})
	t.Run("hashicorp relations with evidence", func(t *testing.T) {
		data, errs := run(t, `{ entity(name: "hashicorp") { relations { type from { name } to { name } evidence { quote source { id } } } } }`)
		if len(errs) > 0 {
			t.Fatalf("errors: %v", errs)
		}
		seen := map[string]bool{}
		for _, r := range data["entity"].(map[string]any)["relations"].([]any) {
			rel := r.(map[string]any)
			ev := rel["evidence"].([]any)
			if len(ev) == 0 {
				t.Errorf("relation %v has no evidence", rel)
			}
			for _, end := range []string{"from", "to"} {
				seen[rel[end].(map[string]any)["name"].(string)] = true
			}
		}
		for _, want := range []string{"Vagrant", "Terraform", "Consul", "Vault", "Mitchell Hashimoto"} {
			if !seen[want] {
				t.Errorf("got no relation with %s, want one", want)
			}
		}
	})
	t.Run("path from kafka to sre", func(t *testing.T) {
		// The only chains join the two talks through the conference, which
		// says nothing: path refuses it, naming the hub; via takes it.
		data, errs := run(t, `{ path(from: "Kafka", to: "SRE") { hops } }`)
		if len(errs) != 1 || data["path"] != nil {
			t.Fatalf("got %v, errors %v, want a null path and one error", data, errs)
		}
		ext := errs[0]["extensions"].(map[string]any)
		if ext["code"] != "NOT_FOUND" || fmt.Sprint(ext["via"]) != "[dotscale-2017]" || !strings.Contains(errs[0]["message"].(string), "dotScale 2017 (a conference)") {
			t.Errorf("error: got %v, want NOT_FOUND naming dotScale 2017 in message and extensions.via", errs[0])
		}
		data, errs = run(t, `{ path(from: "Kafka", to: "SRE", via: ["dotScale 2017"]) { hops nodes { id } hubs { id } } }`)
		if len(errs) > 0 {
			t.Fatalf("errors: %v", errs)
		}
		p := data["path"].(map[string]any)
		hops := int(p["hops"].(float64))
		nodes := p["nodes"].([]any)
		if hops < 1 || hops > 4 || len(nodes) != hops+1 {
			t.Errorf("got %d hops and %d nodes, want 1..4 hops and one node more", hops, len(nodes))
		}
		if first, last := nodes[0].(map[string]any)["id"], nodes[len(nodes)-1].(map[string]any)["id"]; first != "kafka" || last != "sre" {
			t.Errorf("got path %v → %v, want kafka → sre", first, last)
		}
		if got := fmt.Sprint(p["hubs"]); got != "[map[id:dotscale-2017]]" {
			t.Errorf("hubs: got %s, want dotscale-2017", got)
		}
	})
	t.Run("search automatisation ranks the automation talk first", func(t *testing.T) {
		data, errs := run(t, `{ search(text: "automatisation") { score snippet node { id } } }`)
		if len(errs) > 0 {
			t.Fatalf("errors: %v", errs)
		}
		hits := data["search"].([]any)
		if len(hits) == 0 {
			t.Fatal("got no hits")
		}
		top := hits[0].(map[string]any)
		if got, want := top["node"].(map[string]any)["id"], "talk-keep-calm-and-automate-all-the-things"; got != want {
			t.Errorf("top hit: got %v, want %v", got, want)
		}
		if sn, _ := top["snippet"].(string); !strings.Contains(strings.ToLower(sn), "**l'automatisation**") {
			t.Errorf("snippet: got %q, want the matched word marked", sn)
		}
	})
	t.Run("unknown name is NOT_FOUND with suggestions", func(t *testing.T) {
		_, errs := run(t, `{ entity(name: "Kafak") { id } }`)
		if len(errs) != 1 {
			t.Fatalf("got %d errors, want 1", len(errs))
		}
		ext := errs[0]["extensions"].(map[string]any)
		if got, want := ext["code"], "NOT_FOUND"; got != want {
			t.Errorf("code: got %v, want %v", got, want)
		}
		if got := errs[0]["message"].(string); !strings.Contains(got, "Apache Kafka") {
			t.Errorf("message: got %q, want it to name Apache Kafka", got)
		}
	})
}

// TestRelationsOffset: relations pages like every other list.
func TestRelationsOffset(t *testing.T) {
	s := mustSchema(t)
	page := func(args string) []string {
		t.Helper()
		res := do(s, context.Background(), `{ entity(name: "hashicorp") { relations(`+args+`) { type to { id } } } }`, nil)
		if len(res.Errors) > 0 {
			t.Fatalf("%s: %v", args, res.Errors)
		}
		var out []string
		for _, r := range dataOf(t, res)["entity"].(map[string]any)["relations"].([]any) {
			rel := r.(map[string]any)
			out = append(out, rel["type"].(string)+" "+rel["to"].(map[string]any)["id"].(string))
		}
		return out
	}
	all := page("first: 1000")
	if len(all) < 4 {
		t.Fatalf("got %d relations, want at least 4 to page through", len(all))
	}
	for _, c := range []struct {
		args        string
		first, last int
	}{
		{"first: 2, offset: 1", 1, 3},
		{"offset: 3", 3, len(all)},
		{"first: 2, offset: 1000", len(all), len(all)},
		{"first: 0", 0, 0},
	} {
		t.Run(c.args, func(t *testing.T) {
			got, want := strings.Join(page(c.args), ", "), strings.Join(all[c.first:c.last], ", ")
			if got != want {
				t.Errorf("got [%s], want [%s]", got, want)
			}
		})
	}
	res := do(s, context.Background(), `{ entity(name: "hashicorp") { relations(offset: -1) { type } } }`, nil)
	if got, want := res.Code(), schema.CodeBadUserInput; got != want {
		t.Errorf("offset -1: got code %q, want %q", got, want)
	}
}
