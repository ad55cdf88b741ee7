package gen

import "fmt"

// writeEditions writes one file per conference edition: the edition, its
// talks, and the talks' edges (speaker, edition, mentions), and the edges of
// the speakers, tools and companies it introduces.
func (g *generator) writeEditions(dir string) error {
	per := (g.sz.talks + g.sz.editions - 1) / g.sz.editions
	for e := 0; e < g.sz.editions; e++ {
		f, err := create(dir, fmt.Sprintf("edition-%04d.yaml", e))
		if err != nil {
			return err
		}
		first, last := e*per, min(g.sz.talks, (e+1)*per)
		f.printf("nodes:\n")
		f.node(editionID(e), "conference", fmt.Sprintf("Synthetic Conf %d", e), nil, g.text(enWords), g.text(frWords),
			"date", fmt.Sprintf("%04d-%02d-%02d", 2010+e%15, 1+e%12, 1+e%28), "edition", fmt.Sprint(e+1), "city", "Paris")
		for t := first; t < last; t++ {
			f.node(talkID(t), "talk", fmt.Sprintf("Talk %d: %s", t, g.sentence(enWords, 4)), nil, g.text(enWords), g.text(frWords),
				"order", fmt.Sprint(t-first+1))
		}
		f.printf("edges:\n")
		for t := first; t < last; t++ {
			g.talkEdges(f, e, t)
		}
		if err := f.close(); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) talkEdges(f *file, e, t int) {
	src := sourceID(e)
	q := fmt.Sprintf("talk %d", t)
	speaker := t % g.sz.people
	f.edge(personID(speaker), "gave", talkID(t), src, q)
	f.edge(talkID(t), "part_of", editionID(e), src, q)
	seen := map[string]bool{}
	for n := 1 + g.rng.IntN(5); n > 0; n-- {
		id := conceptID(int(g.mentionZipf.Uint64()))
		if !seen[id] {
			seen[id] = true
			f.edge(talkID(t), "mentions", id, src, q)
		}
	}
	if id := toolID(int(g.toolZipf.Uint64())); !seen[id] {
		f.edge(talkID(t), "mentions", id, src, q)
	}
	// Each speaker's first talk says where they work; each tool's first
	// appearance says who makes it.
	if t < g.sz.people {
		f.edge(personID(speaker), "works_at", companyID(speaker%g.sz.companies), src, q)
	}
	if t < g.sz.tools {
		f.edge(companyID(t%g.sz.companies), "makes", toolID(t), src, q)
	}
}
