package gen

import (
	"fmt"
	"strings"
)

var (
	enWords = strings.Fields(`scaling distributed systems latency throughput streaming storage
		observability tracing metrics logging automation deployment pipelines reliability incidents
		consensus replication partitioning caching queues databases indexes compilers builds testing
		security secrets identity networks containers orchestration schedulers serverless functions
		monitoring alerting capacity planning migrations performance profiling memory garbage collection`)
	frWords = strings.Fields(`passage à l'échelle systèmes distribués latence débit flux stockage
		observabilité traçage métriques journaux automatisation déploiement chaînes fiabilité incidents
		consensus réplication partitionnement cache files bases de données index compilateurs tests
		sécurité secrets identité réseaux conteneurs orchestration ordonnanceurs fonctions surveillance
		alertes capacité migrations performance profilage mémoire ramasse-miettes`)
	firstNames = strings.Fields(`Ada Alan Barbara Brian Camille Chloé Dan Elena François Grace Hélène
		Hugo Ines Jean Julia Karl Léa Linus Margaret Marie Nadia Olivier Pierre Rachel Sophie Thomas Zoé`)
	lastNames = strings.Fields(`Martin Bernard Dubois Durand Lefèvre Moreau Laurent Simon Michel Garcia
		Smith Johnson Brown Taylor Anderson Thomas Jackson White Harris Clark Lewis Walker Young King`)
)

// sentence returns n words drawn from words, capitalised and ended.
func (g *generator) sentence(words []string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[g.rng.IntN(len(words))]
	}
	s := strings.Join(parts, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// text returns a description of a few sentences, 30 to 70 words.
func (g *generator) text(words []string) string {
	var b []string
	for n := 3 + g.rng.IntN(4); n > 0; n-- {
		b = append(b, g.sentence(words, 8+g.rng.IntN(10)))
	}
	return strings.Join(b, " ")
}

func (g *generator) person(i int) string {
	return fmt.Sprintf("%s %s %d", firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)], i)
}

func sourceID(e int) string  { return fmt.Sprintf("src-edition-%d", e) }
func editionID(e int) string { return fmt.Sprintf("conf-%d", e) }
func talkID(t int) string    { return fmt.Sprintf("talk-%d", t) }
func personID(p int) string  { return fmt.Sprintf("person-%d", p) }
func companyID(c int) string { return fmt.Sprintf("company-%d", c) }
func toolID(t int) string    { return fmt.Sprintf("tool-%d", t) }
func conceptID(c int) string { return fmt.Sprintf("concept-%d", c) }

func (g *generator) writeSources(dir string) error {
	return g.chunks(dir, "sources", g.sz.editions, func(f *file, e int) {
		f.node(sourceID(e), "source", fmt.Sprintf("Programme of edition %d", e), nil,
			"The published programme of a synthetic conference edition.", "Le programme publié d'une édition de conférence synthétique.",
			"url", fmt.Sprintf("https://example.org/editions/%d", e), "lang", "en")
	})
}

func (g *generator) writeCompanies(dir string) error {
	return g.chunks(dir, "companies", g.sz.companies, func(f *file, c int) {
		f.node(companyID(c), "company", fmt.Sprintf("Company %d", c), []string{fmt.Sprintf("Co%d", c)}, g.text(enWords), g.text(frWords))
	})
}

func (g *generator) writeTools(dir string) error {
	return g.chunks(dir, "tools", g.sz.tools, func(f *file, t int) {
		f.node(toolID(t), "tool", fmt.Sprintf("Tool %d", t), []string{fmt.Sprintf("T%d", t)}, g.text(enWords), g.text(frWords))
	})
}

func (g *generator) writeConcepts(dir string) error {
	return g.chunks(dir, "concepts", g.sz.concepts, func(f *file, c int) {
		w := enWords[c%len(enWords)]
		f.node(conceptID(c), "concept", fmt.Sprintf("%s %d", strings.ToUpper(w[:1])+w[1:], c), nil, g.text(enWords), g.text(frWords))
	})
}

func (g *generator) writePeople(dir string) error {
	return g.chunks(dir, "people", g.sz.people, func(f *file, p int) {
		f.node(personID(p), "person", g.person(p), nil, g.text(enWords), g.text(frWords))
	})
}
