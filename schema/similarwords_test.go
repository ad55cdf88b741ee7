package schema_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestSimilarWordsAsWritten: the words two talks share come as the talk
// asked about writes them (not stemmed), each found in its text, once
// without regard to case.
func TestSimilarWordsAsWritten(t *testing.T) {
	data, errs := run(t, `{ talk(id: "talk-devops") { name aliases description(lang: "en") fr: description(lang: "fr") similar(first: 3) { talk { id } words } } }`)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	talk := data["talk"].(map[string]any)
	text := fmt.Sprint(talk["name"], talk["aliases"], talk["description"], talk["fr"])
	similar := talk["similar"].([]any)
	if len(similar) == 0 {
		t.Fatal("similar: got none")
	}
	first := similar[0].(map[string]any)
	if got, want := fmt.Sprint(first["words"]), "[Ansible automation automatisation comme outils tools]"; got != want {
		t.Errorf("words shared with %v: got %s, want %s", first["talk"], got, want)
	}
	for _, s := range similar {
		seen := map[string]bool{}
		for _, w := range s.(map[string]any)["words"].([]any) {
			word := w.(string)
			if !strings.Contains(text, word) {
				t.Errorf("word %q: not in the talk's text", word)
			}
			if seen[strings.ToLower(word)] {
				t.Errorf("word %q: twice", word)
			}
			seen[strings.ToLower(word)] = true
		}
	}
}
