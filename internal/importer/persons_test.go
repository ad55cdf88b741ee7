package importer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/importer"
)

// pretalx writes a pretalx schedule JSON of one room whose events are
// given as "id|title|track|person:code:bio;person:code:bio".
func pretalx(acronym string, events ...string) []byte {
	var evs []string
	for _, e := range events {
		f := strings.Split(e, "|")
		var persons []string
		for _, p := range strings.Split(f[3], ";") {
			if p == "" {
				continue
			}
			pf := strings.SplitN(p+"::", ":", 3)
			persons = append(persons, fmt.Sprintf(`{"code": %q, "public_name": %q, "biography": %q}`, pf[1], pf[0], strings.TrimSuffix(pf[2], ":")))
		}
		evs = append(evs, fmt.Sprintf(`{"id": %s, "guid": "", "date": "2025-05-01T10:00:00+02:00", "start": "10:00", "duration": "00:30",
			"room": "Salle A", "title": %q, "track": %q, "type": "Talk", "language": "fr", "abstract": "Un résumé.", "description": "",
			"persons": [%s]}`, f[0], f[1], f[2], strings.Join(persons, ",")))
	}
	return []byte(fmt.Sprintf(`{"schedule": {"url": "https://pretalx.example.org/%s/schedule/", "version": "1",
		"conference": {"acronym": %q, "title": %q, "start": "2025-05-01", "end": "2025-05-01", "time_zone_name": "Europe/Paris",
		"days": [{"index": 1, "date": "2025-05-01", "rooms": {"Salle A": [%s], "Salle B": []}}]}}}`,
		acronym, acronym, acronym, strings.Join(evs, ",")))
}

// persons imports a programme and returns its person nodes by id and its
// report.
func persons(t *testing.T, data []byte, o importer.Options) (map[string]graph.Node, *importer.Report, map[string][]byte) {
	t.Helper()
	files, rep, err := importer.Import(context.Background(), []importer.Input{{Name: "schedule.json", Data: data}}, "", "set", o)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]graph.Node{}
	var doc struct {
		Nodes []struct {
			ID, Kind, Name string
			Aliases        []string
			Description    map[string]string
			Props          map[string]string
		}
	}
	if err := yaml.Unmarshal(files["person.yaml"], &doc); err != nil {
		t.Fatal(err)
	}
	for _, n := range doc.Nodes {
		out[n.ID] = graph.Node{ID: n.ID, Kind: graph.Kind(n.Kind), Name: n.Name, Aliases: n.Aliases, Description: n.Description, Props: n.Props}
	}
	return out, rep, files
}

func TestPersonsByProgrammeIDs(t *testing.T) {
	got, rep, _ := persons(t, pretalx("pyfr-2025",
		"1|Async|Web|Julien Palard:JP1:Julien Palard est développeur Python et travaille pour une association à Paris depuis des années.",
		"2|Typing|Web|Julien P.:JP1",       // another spelling, the same code: the same person
		"3|Packaging|Web|Marie Durand:MD1", // namesakes the programme tells apart
		"4|Tests|Web|Marie Durand:MD2",
		"5|Lightning|Web|Vous / You:;TBA:", // placeholders: no one
		"6|Docs|Web|ruedi:RU1",             // one word: a person of this conference
	), importer.Options{})
	for _, want := range []string{"julien-palard", "marie-durand", "marie-durand-md2", "ruedi-pyfr-2025"} {
		if _, ok := got[want]; !ok {
			t.Errorf("person %s: missing (got %v)", want, keys(got))
		}
	}
	if len(got) != 4 {
		t.Errorf("persons: got %d %v, want 4 (no placeholder, one Julien)", len(got), keys(got))
	}
	if a := got["julien-palard"].Aliases; len(a) != 1 || a[0] != "Julien P." {
		t.Errorf("julien-palard aliases: got %q, want the other spelling", a)
	}
	if d := got["julien-palard"].Description["fr"]; !strings.HasPrefix(d, "Julien Palard est") {
		t.Errorf("julien-palard biography: got %q, want it in French", got["julien-palard"].Description)
	}
	if p := got["julien-palard"].Props["programme_ids"]; p != "pretalx:pretalx.example.org:JP1" {
		t.Errorf("programme_ids: got %q", p)
	}
	if strings.Join(rep.Placeholders, ",") != "Vous / You,TBA" {
		t.Errorf("placeholders: got %q", rep.Placeholders)
	}
}

func TestPersonsAcrossProgrammes(t *testing.T) {
	// 2024 gave "Julien" the code JP1, and another "Julien" elsewhere.
	known := &importer.Known{Persons: []importer.KnownPerson{
		{ID: "julien-pyfr-2024", Names: []string{"Julien"}, ProgrammeIDs: []string{"pretalx:pretalx.example.org:JP1"}},
		{ID: "marie-durand", Names: []string{"Marie Durand"}},
	}}
	got, rep, _ := persons(t, pretalx("pyfr-2025",
		"1|Async|Web|Julien Palard:JP1",
		"2|Tests|Web|Julien:OTHER",
		"3|Packaging|Web|Marie Durand:MD1",
	), importer.Options{Known: known})
	for _, want := range []string{"julien-pyfr-2024", "julien-pyfr-2025", "marie-durand"} {
		if _, ok := got[want]; !ok {
			t.Errorf("person %s: missing (got %v)", want, keys(got))
		}
	}
	if rep.ByProgrammeID != 1 || rep.ByName != 1 {
		t.Errorf("report: got %d by programme id, %d by name, want 1 and 1", rep.ByProgrammeID, rep.ByName)
	}
}

func TestPeopleFileContradictsProgramme(t *testing.T) {
	p := &importer.People{Same: []importer.SameEntry{{ID: "marie-durand", Name: "Marie Durand", Names: []string{"M. Durand"}}}}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	_, _, err := importer.Import(context.Background(), []importer.Input{{Name: "schedule.json", Data: pretalx("pyfr-2025",
		"1|Packaging|Web|Marie Durand:MD1",
		"2|Tests|Web|M. Durand:MD2",
	)}}, "", "set", importer.Options{People: p})
	if err == nil || !strings.Contains(err.Error(), "the people file makes \"M. Durand\" the person marie-durand, whom the programme gives the id pretalx:pretalx.example.org:MD2") {
		t.Fatalf("got %v, want the people file's entry named as contradicting the programme's ids", err)
	}
}

func TestTracksAsTopics(t *testing.T) {
	known := &importer.Known{Entities: map[string]importer.KnownEntity{
		"security": {ID: "security", Kind: graph.KindConcept, Name: "Security"},
	}}
	tracks := &importer.Tracks{
		Same:     []importer.SameEntry{{Name: "Web", Names: []string{"Web & Frontend"}}},
		Channels: []string{"Hallway"},
	}
	if err := tracks.Check(); err != nil {
		t.Fatal(err)
	}
	_, rep, files := persons(t, pretalx("pyfr-2025",
		"1|Locks|Security|A B:1",
		"2|CSS|Web & Frontend|C D:2",
		"3|HTML|Web|E F:3",
		"4|Chat|Hallway|G H:4",
		"5|Stream|Main Stage TV|I J:5",
	), importer.Options{Known: known, Tracks: tracks})
	edges := string(files["edges.yaml"])
	for _, want := range []string{"from: pyfr-2025-1\n    type: about\n    to: security", "from: pyfr-2025-2\n    type: about\n    to: web", "from: pyfr-2025-3\n    type: about\n    to: web"} {
		if !strings.Contains(edges, want) {
			t.Errorf("edges: want %q", want)
		}
	}
	if strings.Contains(edges, "to: hallway") || strings.Contains(edges, "main-stage") {
		t.Errorf("edges: channels became topics:\n%s", edges)
	}
	if got := strings.Join(rep.Channels, ","); got != "Hallway,Main Stage TV" {
		t.Errorf("channels: got %q", got)
	}
}

func keys(m map[string]graph.Node) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
