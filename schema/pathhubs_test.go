package schema_test

import (
	"fmt"
	"testing"
)

// TestPathAvoidsHubs: path goes around conferences and nodes of more than
// hubRelations relations, tells of a shorter path through them, and takes
// it when via names them.
func TestPathAvoidsHubs(t *testing.T) {
	ids := func(list any) string {
		var out []string
		for _, n := range list.([]any) {
			out = append(out, n.(map[string]any)["id"].(string))
		}
		return fmt.Sprint(out)
	}
	for _, tc := range []struct {
		name, query                   string
		wantNodes, wantHubs, wantCode string
		wantShorter                   string // its nodes, "" for none
	}{
		{"around the conference, nothing shorter", `{ path(from: "Kafka", to: "Zipkin") { nodes { id } hubs { id } shorterThroughHubs { nodes { id } } } }`,
			"[kafka talk-rise-of-real-time logging talk-observability-3-ways zipkin]", "[]", "", ""},
		// The talk of Kafka has 11 relations.
		{"a node of more relations than hubRelations is a hub", `{ path(from: "Kafka", to: "Zipkin", hubRelations: 10) { nodes { id } } }`,
			"", "", "NOT_FOUND", ""},
		{"via takes the hub", `{ path(from: "Kafka", to: "Zipkin", hubRelations: 10, via: ["The rise of real time"]) { nodes { id } hubs { id } shorterThroughHubs { nodes { id } } } }`,
			"[kafka talk-rise-of-real-time logging talk-observability-3-ways zipkin]", "[talk-rise-of-real-time]", "", ""},
		{"a shorter path through the conference is told of", `{ path(from: "Andrew Shafer", to: "Marco Slot") { hops nodes { id } hubs { id } shorterThroughHubs { nodes { id } hubs { id } } } }`,
			"?", "[]", "", "[andrew-shafer talk-devops dotscale-2017 talk-scaling-out-postgresql marco-slot]"},
		{"an end may be a hub", `{ path(from: "dotScale 2017", to: "talk-devops") { nodes { id } hubs { id } } }`,
			"[dotscale-2017 talk-devops]", "[]", "", ""},
		{"hubRelations below 1", `{ path(from: "Kafka", to: "Zipkin", hubRelations: 0) { hops } }`, "", "", "BAD_USER_INPUT", ""},
		{"an unknown via", `{ path(from: "Kafka", to: "Zipkin", via: ["nowhere-at-all"]) { hops } }`, "", "", "NOT_FOUND", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, errs := run(t, tc.query)
			if tc.wantCode != "" {
				if len(errs) != 1 || errs[0]["extensions"].(map[string]any)["code"] != tc.wantCode {
					t.Fatalf("errors: got %v, want one %s", errs, tc.wantCode)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			p, _ := data["path"].(map[string]any)
			if p == nil {
				t.Fatalf("path: got null, want %s", tc.wantNodes)
			}
			if got := ids(p["nodes"]); tc.wantNodes != "?" && got != tc.wantNodes {
				t.Errorf("nodes: got %s, want %s", got, tc.wantNodes)
			}
			if got := ids(p["hubs"]); got != tc.wantHubs {
				t.Errorf("hubs: got %s, want %s", got, tc.wantHubs)
			}
			sh, _ := p["shorterThroughHubs"].(map[string]any)
			switch {
			case tc.wantShorter == "" && sh != nil:
				t.Errorf("shorterThroughHubs: got %v, want null", sh)
			case tc.wantShorter != "" && (sh == nil || ids(sh["nodes"]) != tc.wantShorter):
				t.Errorf("shorterThroughHubs: got %v, want the nodes %s", sh, tc.wantShorter)
			}
		})
	}
}
