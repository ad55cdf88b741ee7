package importer_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/importer"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fixtures are the fictional programmes of testdata/input, one per format;
// the three share speakers, and testdata/people.yaml merges and splits some.
var fixtures = []struct {
	set, file  string
	conference string
}{
	{"techconf-2025", "techconf-2025.xml", ""},
	{"datenfest-2024", "datenfest-2024.json", ""},
	{"cloudsummit-2025", "cloudsummit-2025.json", "CloudSummit 2025"},
}

func people(t testing.TB) *importer.People {
	t.Helper()
	p, err := importer.ReadPeople(filepath.Join("testdata", "people.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func importFixture(t testing.TB, set, file, conference string) map[string][]byte {
	t.Helper()
	name := filepath.Join("testdata", "input", file)
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := importer.Import(context.Background(), []importer.Input{{Name: name, Data: data}}, "", set,
		importer.Options{Conference: conference, People: people(t)})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGolden imports each fixture and compares the seed files with
// testdata/golden/<set>/ (go test -run Golden -update rewrites them).
func TestGolden(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.set, func(t *testing.T) {
			files := importFixture(t, fx.set, fx.file, fx.conference)
			dir := filepath.Join("testdata", "golden", fx.set)
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				if err := importer.WriteDir(context.Background(), dir, files); err != nil {
					t.Fatal(err)
				}
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if got, want := slices.Sorted(maps.Keys(files)), names; !slices.Equal(got, want) {
				t.Fatalf("files: got %v, want %v", got, want)
			}
			for _, n := range names {
				want, err := os.ReadFile(filepath.Join(dir, n))
				if err != nil {
					t.Fatal(err)
				}
				if got := files[n]; !bytes.Equal(got, want) {
					t.Errorf("%s differs from the golden file (-update rewrites it):\ngot:\n%s\nwant:\n%s", n, got, want)
				}
			}
		})
	}
}

// TestDeterministic imports each fixture twice: the bytes must be the same.
func TestDeterministic(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.set, func(t *testing.T) {
			a := importFixture(t, fx.set, fx.file, fx.conference)
			b := importFixture(t, fx.set, fx.file, fx.conference)
			if !maps.EqualFunc(a, b, bytes.Equal) {
				t.Errorf("two imports of %s differ", fx.file)
			}
		})
	}
}

const xmlHead = "<?xml version=\"1.0\"?>\n<schedule>\n<conference><acronym>bad</acronym><title>Bad Conf</title></conference>\n"

func xmlEvent(id, title, persons string) string {
	return `<event id="` + id + `"><date>2025-01-02T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration><title>` +
		title + `</title><persons>` + persons + `</persons></event>`
}

func xmlDoc(events ...string) string {
	return xmlHead + `<day date="2025-01-02"><room name="A">` + "\n" + strings.Join(events, "\n") + "\n</room></day>\n</schedule>\n"
}

// TestBadInput checks that each kind of bad file is refused with a message
// naming its place and what is wrong.
func TestBadInput(t *testing.T) {
	deepJSON := `{"schedule": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}"
	deepXML := xmlHead + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</schedule>"
	cases := []struct {
		name, data string
		conference string
		want       []string
	}{
		{"broken xml", xmlHead + "<day>\n<room>\n</day>\n</schedule>", "", []string{"in.txt:6:", "XML syntax error"}},
		{"dtd", "<?xml version=\"1.0\"?>\n<!DOCTYPE schedule [<!ENTITY a \"aaaa\">]>\n<schedule/>", "", []string{"in.txt:2:", "DTD"}},
		{"undeclared entity", xmlHead + "<day>\n&bomb;</day></schedule>", "", []string{"in.txt:5:", "entity"}},
		{"deep xml", deepXML, "", []string{"in.txt:4:", "nested more than 64"}},
		{"deep json", deepJSON, "", []string{"in.txt:1:", "nested more than 64", "$.schedule"}},
		{"broken json", "{\"schedule\": {\n\"conference\": {\"title\": \"x\",}\n}}", "", []string{"in.txt:2:", "JSON syntax error"}},
		{"wrong json type", `{"schedule": {"conference": {"title": "x", "days": 5}}}`, "", []string{"$.schedule.conference.days", "a JSON number"}},
		{"invalid utf-8", xmlHead + "<day>\n\xff</day></schedule>", "", []string{"in.txt:5:1:", "invalid UTF-8"}},
		{"not a schedule", "hello", "", []string{"neither XML nor JSON"}},
		{"wrong root", "<?xml version=\"1.0\"?>\n<html></html>", "", []string{"root element is <html>"}},
		{"event without title", xmlDoc(xmlEvent("1", "", "<person>A B</person>")), "", []string{`event "1" (line 5) has no title`}},
		{"person without name", xmlDoc(xmlEvent("1", "Talk", "<person id=\"3\"></person>")), "", []string{`event "1" "Talk" (line 5)`, "person without a name"}},
		{"duplicate event ids", xmlDoc(xmlEvent("1", "One", ""), xmlEvent("1", "Two", "")), "", []string{`event "1" "Two" (line 6) has the same id as the event at line 5`}},
		{"bad date", xmlDoc(strings.Replace(xmlEvent("7", "Talk", ""), "2025-01-02T10", "2025-13-45T10", 1)), "", []string{`event "7" "Talk" (line 5) has the date "2025-13-45T10:00:00+01:00"`}},
		{"latin-1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<schedule/>", "", []string{"in.txt:1:", "encoding other than UTF-8"}},
		{"no events", xmlHead + "</schedule>", "", []string{"in.txt: the file holds no events"}},
		{"bad duration", xmlDoc(strings.Replace(xmlEvent("8", "Talk", ""), "00:30", "half an hour", 1)), "", []string{`event "8" "Talk" (line 5) has the duration "half an hour"`}},
		{"ids that slug the same", xmlDoc(xmlEvent("A1", "One", ""), xmlEvent("a1", "Two", "")), "", []string{`event "a1" "Two" (line 6) makes the id bad-a1, which the talk "One" has already`}},
		{"sessionize without conference", `{"sessions": [], "speakers": []}`, "", []string{"names no conference", "--conference"}},
		{"sessionize unknown speaker", `{"sessions": [{"id": "5", "title": "T", "speakers": ["x"]}], "speakers": []}`, "C", []string{`event "5" "T" ($.sessions[0]) lists the speaker id "x"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := importer.Import(context.Background(), []importer.Input{{Name: "in.txt", Data: []byte(c.data)}}, "", "bad",
				importer.Options{Conference: c.conference})
			if err == nil {
				t.Fatal("got no error")
			}
			if !errors.Is(err, importer.ErrInput) {
				t.Errorf("got %v, which is not ErrInput", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestReadFileCap: a file over MaxFileSize is refused before it is parsed.
func TestReadFileCap(t *testing.T) {
	for _, c := range []struct {
		name string
		size int64
		ok   bool
	}{
		{"at the cap", importer.MaxFileSize, true},
		{"over the cap", importer.MaxFileSize + 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "schedule.xml")
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(c.size); err != nil { // sparse: no disk used
				t.Fatal(err)
			}
			f.Close()
			data, err := importer.ReadFile(context.Background(), p)
			if c.ok && (err != nil || int64(len(data)) != c.size) {
				t.Errorf("ReadFile: got %d bytes, %v; want %d bytes", len(data), err, c.size)
			}
			if !c.ok && (err == nil || !strings.Contains(err.Error(), "over 32 MiB")) {
				t.Errorf("ReadFile: got %v, want the size refusal", err)
			}
		})
	}
}

// TestPeopleFile checks the people file's refusals, each naming the place.
func TestPeopleFile(t *testing.T) {
	for _, c := range []struct {
		name, body, want string
	}{
		{"unknown field", "same:\n  - name: A B\n    nmes: [C]\n", "line 3: field nmes not found"},
		{"name in two entries", "same:\n  - name: A B\n  - name: C D\n    names: [a b]\n", `"a b" is in two same entries (a-b and c-d)`},
		{"bad id", "same:\n  - name: A B\n    id: Not A Slug\n", `same entry "A B": id "Not A Slug" is not a slug`},
		{"distinct without conference", "distinct:\n  - name: A B\n    id: a-b-2\n", "distinct entry 1 needs a name and a conference"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "people.yaml")
			if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := importer.ReadPeople(p)
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, importer.ErrInput) {
				t.Errorf("ReadPeople: got %v, want an ErrInput containing %q", err, c.want)
			}
		})
	}
}

// TestPersonID: ids fold case, accents and spacing; a name in another
// script gets a stable hashed id that folding agrees on too.
func TestPersonID(t *testing.T) {
	cyrillic := importer.PersonID("Дмитрий Орлов")
	for _, c := range []struct {
		name, want string
	}{
		{"Ada Müller", "ada-muller"},
		{"  ADA   MÜLLER ", "ada-muller"},
		{"Tomás O'Kafor-Ñúñez", "tomas-o-kafor-nunez"},
		{"Straße Ørsted", "strasse-orsted"},
		{"ДМИТРИЙ  ОРЛОВ", cyrillic},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := importer.PersonID(c.name); got != c.want {
				t.Errorf("PersonID(%q): got %q, want %q", c.name, got, c.want)
			}
		})
	}
	if !strings.HasPrefix(cyrillic, "person-") || cyrillic == importer.PersonID("Дмитрий Орлова") {
		t.Errorf("PersonID of a Cyrillic name: got %q, want person- and a hash that tells names apart", cyrillic)
	}
}

// TestSeveralFiles: a programme split in two files makes one data set with
// one source per file; an event the files give differently is refused.
func TestSeveralFiles(t *testing.T) {
	day1 := xmlDoc(xmlEvent("1", "One", "<person>Ada Müller</person>"))
	day2 := xmlDoc(xmlEvent("2", "Two", "<person>Ada Müller</person>"))
	other := xmlDoc(xmlEvent("1", "Another one", ""))
	for _, c := range []struct {
		name   string
		files  []string
		want   []string // in the files
		reject string
	}{
		{"two days", []string{day1, day2}, []string{"id: bad-programme-day1", "id: bad-programme-day2", "id: bad-1", "id: bad-2", "id: ada-muller"}, ""},
		{"an event given twice, differently", []string{day1, other}, nil, "talk bad-1 is given differently by two of the files"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var in []importer.Input
			for i, f := range c.files {
				in = append(in, importer.Input{Name: fmt.Sprintf("day%d.xml", i+1), Data: []byte(f)})
			}
			files, _, err := importer.Import(context.Background(), in, "", "bad", importer.Options{})
			if c.reject != "" {
				if err == nil || !strings.Contains(err.Error(), c.reject) {
					t.Errorf("Import: got %v, want an error containing %q", err, c.reject)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var all []byte
			for _, n := range slices.Sorted(maps.Keys(files)) {
				all = append(all, files[n]...)
			}
			for _, w := range c.want {
				if !bytes.Contains(all, []byte(w)) {
					t.Errorf("files: want %q in them:\n%s", w, all)
				}
			}
		})
	}
}

// TestWriteDirReplaces: a second import replaces the first whole (a file
// the new one lacks goes) and leaves nothing beside the directory.
func TestWriteDirReplaces(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "conf")
	head := "# talk nodes of data set conf, " + "written by talkgraph import from x.xml.\n"
	first := map[string][]byte{"talk.yaml": []byte(head + "nodes:\n"), "person.yaml": []byte(head + "nodes:\n")}
	second := map[string][]byte{"talk.yaml": []byte(head + "nodes: []\n")}
	for _, files := range []map[string][]byte{first, second} {
		if err := importer.WriteDir(context.Background(), dir, files); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "talk.yaml" {
		t.Errorf("files: got %v, want [talk.yaml]", entries)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "talk.yaml")); !bytes.Equal(got, second["talk.yaml"]) {
		t.Errorf("talk.yaml: got %q, want the second import's", got)
	}
	if left, _ := os.ReadDir(parent); len(left) != 1 {
		t.Errorf("beside the directory: got %v, want only it", left)
	}
}
