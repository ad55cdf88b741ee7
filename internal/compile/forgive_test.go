package compile_test

import (
	"strings"
	"testing"
)

// TestForgivingSearch: the forgiving search (a dictionary as serve gives
// it) runs compiled with graphql-go's bytes, on questions that reach each
// of its parts — a corrected word, a topic named in another language
// (via), exact, suggest with its arguments, searchInfo, a name not found
// with its closest names. Each answer must hold what shows that part ran,
// so a search that found nothing cannot pass for one that agreed.
func TestForgivingSearch(t *testing.T) {
	p := newPair(t)
	for _, c := range []struct {
		q, holds string
	}{
		{`{ search(text: "obsevability") { corrected via { name } node { id } score } }`, `"corrected":"Observability"`},
		{`{ search(text: "Sicherheit", first: 200) { corrected via { id name } node { id } } }`, `"via":{"id":"security"`},
		{`{ search(text: "obsevability", exact: true) { corrected node { id } } }`, `{"data":{"search":[]}}`},
		{`{ search(text: "observability", kinds: [TALK], exact: false, first: 3) { corrected via { name } node { __typename id } } }`, `"__typename":"Talk"`},
		{`{ suggest(text: "consen") { how node { id name: __typename } match } }`, `"how":"PREFIX"`},
		{`{ suggest(text: "consen", kinds: [CONCEPT], first: 3) { how node { id } match } }`, `"how":"TYPO"`},
		{`{ searchInfo(text: "kafak streams") { suggestion words { text lang count alternatives { term why } } } }`, `"suggestion":"kafka streams"`},
		{`{ searchInfo(text: "kafka") { suggestion words { text count } } }`, `"suggestion":null`},
		{`{ entity(name: "Kafak") { id } }`, `"closest":[`},
		{`{ entity(name: "apache kafka") { id } a: entities(name: "kafka") { id } }`, `"a":[`},
	} {
		a := p.mustCompile(t, "forgiving search", c.q, nil)
		if !strings.Contains(string(a.body), c.holds) {
			t.Errorf("%s\ngot:  %s\nwant it to hold %s", c.q, clip(a.body), c.holds)
		}
	}
}
