package schema_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
)

// TestEntityAndEntitiesAgree: entity(name:) chooses among exactly what
// entities(name:) lists: a name that lists none is NOT_FOUND (never a
// longer name that holds it as a word), one is that entity, several are
// one of them or AMBIGUOUS.
func TestEntityAndEntitiesAgree(t *testing.T) {
	s := mustSchema(t)
	for _, name := range []string{
		"Kafka", "kafka", "APACHE KAFKA", "DevOps", "devops", "talk-devops", "SRE",
		"david mazieres", "mazieres", "narkhede", "real time", "calm", "Les", "scaling",
		"The Stellar Consensus Protocol", "stellar", "", "  ", "zzz",
	} {
		res := do(s, context.Background(), `query($n: String!) { entity(name: $n) { id } entities(name: $n) { id } }`, map[string]any{"n": name})
		var data struct {
			Entity   *struct{ ID string }  `json:"entity"`
			Entities []struct{ ID string } `json:"entities"`
		}
		b, _ := json.Marshal(dataOf(t, res)) // a compiled plan writes JSON without Result.Data
		if err := json.Unmarshal(b, &data); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		var ids []string
		for _, e := range data.Entities {
			ids = append(ids, e.ID)
		}
		code := ""
		if len(res.Errors) > 0 {
			code = res.Errors[0].Code()
		}
		switch {
		case len(ids) == 0 && (data.Entity != nil || code != "NOT_FOUND"):
			t.Errorf("%q: entities lists none, entity got %v (%q), want NOT_FOUND", name, data.Entity, code)
		case len(ids) == 1 && (data.Entity == nil || data.Entity.ID != ids[0]):
			t.Errorf("%q: entities lists %v, entity got %v (%q)", name, ids, data.Entity, code)
		case len(ids) > 1 && data.Entity == nil && code != "AMBIGUOUS":
			t.Errorf("%q: entities lists %v, entity got an error %q, want one of them or AMBIGUOUS", name, ids, code)
		case len(ids) > 1 && data.Entity != nil && !slices.Contains(ids, data.Entity.ID):
			t.Errorf("%q: entities lists %v, entity got %s, not among them", name, ids, data.Entity.ID)
		}
	}
}
