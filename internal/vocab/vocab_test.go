package vocab

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/importer"
)

func readFixture(t *testing.T, name string, f Format) *Registry {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := Detect(data); !ok || got != f {
		t.Fatalf("Detect(%s): got %q, %v, want %q", name, got, ok, f)
	}
	r, err := Read(name, data, f, "")
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return r
}

// known stands for the data sets beside the vocabulary: dotScale's Kafka,
// SQL, Observability and Ansible Tower (alias "Tower"), and a curated
// Apache Software Foundation.
var known = []Known{
	{ID: "kafka", Kind: graph.KindTool, Name: "Apache Kafka", Names: []string{"Apache Kafka", "Kafka"}},
	{ID: "sql", Kind: graph.KindConcept, Name: "SQL", Names: []string{"SQL", "Structured Query Language"}},
	{ID: "observability", Kind: graph.KindConcept, Name: "Observability", Names: []string{"Observability"}},
	{ID: "ansible-tower", Kind: graph.KindTool, Name: "Ansible Tower", Names: []string{"Ansible Tower", "Tower"}},
	{ID: "apache-software-foundation", Kind: graph.KindOrganization, Name: "Apache Software Foundation", Names: []string{"Apache Software Foundation"}},
}

func buildFixtures(t *testing.T) (*importer.Graph, *Report) {
	t.Helper()
	regs := []*Registry{
		readFixture(t, "landscape.yml", CNCF),
		readFixture(t, "languages.yml", Linguist),
		readFixture(t, "simple-icons.json", SimpleIcons),
	}
	return Build(regs, known)
}

func TestBuildMergesRegistries(t *testing.T) {
	g, rep := buildFixtures(t)
	nodes := map[string]*graph.Node{}
	for _, n := range g.Nodes {
		nodes[n.ID] = n
		if n.Kind != graph.KindSource && n.Props["url"] == "" && !slices.ContainsFunc(known, func(k Known) bool { return k.ID == n.ID }) {
			t.Errorf("%s: no url: every entity needs a source", n.ID)
		}
	}
	for _, tc := range []struct {
		id, name string
		kind     graph.Kind
		aliases  []string
	}{
		{"kubernetes", "Kubernetes", graph.KindTool, nil},
		{"go", "Go", graph.KindTool, []string{"golang"}}, // Linguist's alias is the landscape's item "Golang"
		{"kafka", "Apache Kafka", graph.KindTool, nil},   // dotScale's, named as dotScale names it
		{"python", "Python", graph.KindTool, []string{"python3", "py"}},
		{"datadog", "Datadog", graph.KindCompany, nil},                      // a member and its eponymous product
		{"google", "Google", graph.KindCompany, nil},                        // "(member)" is not part of the name
		{"sql", "SQL", graph.KindConcept, nil},                              // Linguist's language joins dotScale's concept
		{"signal", "Signal", graph.KindBrand, []string{"Signal Messenger"}}, // and not "Signal-Messenger", the same folded
		{"spring", "Spring", graph.KindBrand, nil},
		{"spring-creators", "Spring", graph.KindBrand, nil}, // a namesake with a slug of its own
		{"tower-brand", "Tower (brand)", graph.KindBrand, nil},
		{"streaming-messaging", "Streaming & Messaging", graph.KindConcept, nil},
	} {
		n := nodes[tc.id]
		if n == nil {
			t.Errorf("%s: missing", tc.id)
			continue
		}
		if n.Name != tc.name || n.Kind != tc.kind {
			t.Errorf("%s: got %q (%s), want %q (%s)", tc.id, n.Name, n.Kind, tc.name, tc.kind)
		}
		for _, a := range tc.aliases {
			if !slices.Contains(n.Aliases, a) {
				t.Errorf("%s: aliases %q, want %q among them", tc.id, n.Aliases, a)
			}
		}
	}
	for _, id := range []string{"golang", "tower", "tools", "apache-kafka", "python-brand"} {
		if nodes[id] != nil {
			t.Errorf("%s: got a node, want none (merged, or not a topic)", id)
		}
	}
	if got := nodes["python"].Props["type"]; got != "programming language" {
		t.Errorf("python type: got %q, want programming language", got)
	}
	if rep.Kinds[graph.KindBrand] != 4 {
		t.Errorf("brands: got %d, want 4 (Signal, two Springs, Tower)", rep.Kinds[graph.KindBrand])
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, `"Kafka" is listed again`) }) {
		t.Errorf("notes %q: want one on Kafka listed twice", rep.Notes)
	}
}

func TestBuildRelations(t *testing.T) {
	g, _ := buildFixtures(t)
	got := map[string]graph.Edge{}
	for _, e := range g.Edges {
		got[e.From+" "+e.Type+" "+e.To] = e
	}
	for _, want := range []string{
		"cloud-native-computing-foundation makes kubernetes", // a member's own slug
		"google makes go",
		"apache-software-foundation makes kafka", // the slug "apache" without the legal form
		"kafka about streaming-messaging",
		"kafka about observability", // a second path, to a concept another data set holds
		"kubernetes about scheduling-orchestration",
		"datadog about streaming-messaging",
	} {
		e, ok := got[want]
		if !ok {
			t.Errorf("%s: missing", want)
			continue
		}
		if len(e.Evidence) != 1 || e.Evidence[0].Source != "registry-cncf-landscape" || e.Evidence[0].Quote == "" {
			t.Errorf("%s: evidence %+v, want the landscape's entry", want, e.Evidence)
		}
	}
	if _, ok := got["datadog makes datadog"]; ok {
		t.Error("datadog makes datadog: a company does not make itself")
	}
	for k := range got {
		if strings.HasSuffix(k, " tools") {
			t.Errorf("%s: Tools is where the landscape files things, not a topic", k)
		}
	}
}

func TestImportValidates(t *testing.T) {
	regs := []*Registry{readFixture(t, "landscape.yml", CNCF), readFixture(t, "languages.yml", Linguist), readFixture(t, "simple-icons.json", SimpleIcons)}
	files, _, err := Import(context.Background(), regs, "vocabulary", known)
	if err != nil {
		t.Fatal(err)
	}
	notice := string(files[NoticeFile])
	for _, want := range []string{importer.Marker, "Apache License", "Copyright (c) 2017 GitHub, Inc.", "CC0 1.0 Universal"} {
		if !strings.Contains(notice, want) {
			t.Errorf("NOTICE: want %q in it", want)
		}
	}
}

func TestReadProblems(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		f          Format
		data       string
		want       string
	}{
		{"empty name", "landscape.yml", CNCF, "landscape:\n  - name: A\n    subcategories:\n      - name: B\n        items:\n          - name: ''\n            homepage_url: https://x.org\n",
			`landscape.yml:6: an item of A / B has no name: give it one, or remove it`},
		{"misspelt field", "landscape.yml", CNCF, "landscape:\n  - name: A\n    subcategories:\n      - name: B\n        items:\n          - name: X\n            homepage_ur: https://x.org\n",
			`landscape.yml:6: entry "X" has the field "homepage_ur": did you mean "homepage_url"?`},
		{"alias", "landscape.yml", CNCF, "landscape:\n  - name: &a A\n    subcategories: []\n",
			`landscape.yml:2: bad registry input: an anchor or alias`},
		{"no landscape", "landscape.yml", CNCF, "items: []\n",
			`no "landscape" list`},
		{"language twice", "languages.yml", Linguist, "Go:\n  type: programming\n  language_id: 1\nGo:\n  type: programming\n  language_id: 2\n",
			`languages.yml:4: the language "Go" is defined again (first at line 1): keep one`},
		{"language type", "languages.yml", Linguist, "Go:\n  type: programing\n  language_id: 1\n",
			`languages.yml:1: the language "Go" has the type "programing": use programming, data, markup or prose`},
		{"brand twice", "si.json", SimpleIcons, "[\n{\"title\": \"A\", \"hex\": \"000000\"},\n{\"title\": \"A\", \"hex\": \"111111\"}\n]",
			`si.json:3: the brand "A" is listed again (first at line 2): keep one, or give the other brand a slug of its own`},
		{"brand without title", "si.json", SimpleIcons, "[\n{\"title\": \" \", \"hex\": \"000000\"}\n]",
			`si.json:2: an icon has no title: give it one, or remove it`},
		{"brand field typo", "si.json", SimpleIcons, "[\n{\"title\": \"A\", \"hexx\": \"000000\"}\n]",
			`si.json:2: entry "A" has the field "hexx": did you mean "hex"?`},
		{"not a list", "si.json", SimpleIcons, `"icons"`,
			`si.json: bad registry input: neither a list of icons nor an object holding one`},
		{"invalid UTF-8", "languages.yml", Linguist, "Go\xff:\n  type: programming\n",
			`languages.yml: bad registry input: invalid UTF-8`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.file, []byte(tc.data), tc.f, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if !errors.Is(err, ErrInput) {
				t.Errorf("got %v, want it to wrap ErrInput", err)
			}
		})
	}
}

func TestUnknownFieldIsANote(t *testing.T) {
	r, err := Read("si.json", []byte(`[{"title": "A", "hex": "000000", "colour_scheme": "dark"}]`), SimpleIcons, "")
	if err != nil {
		t.Fatal(err)
	}
	want := `si.json: the field "colour_scheme" (first at si.json:1 ("A")) is not one talkgraph reads: ignored`
	if !slices.Contains(r.Notes, want) {
		t.Errorf("notes: got %q, want %q", r.Notes, want)
	}
}
