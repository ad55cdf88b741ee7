package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/talkgraph/talkgraph/internal/importer"
)

// persons returns n <person> elements (XML) or person objects (JSON).
func xmlPersons(n, from int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<person>P%d</person>", from+i)
	}
	return b.String()
}

func jsonPersons(n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = fmt.Sprintf(`{"public_name": "P%d"}`, i)
	}
	return strings.Join(ps, ",")
}

// frabJSON is a frab schedule JSON of the events given (JSON objects).
func frabJSON(events ...string) string {
	return `{"schedule": {"conference": {"acronym": "bad", "title": "Bad Conf", "days": [{"date": "2025-01-02", "rooms": {"A": [` +
		strings.Join(events, ",\n") + `]}}]}}}`
}

func jsonEvent(id string, persons int) string {
	return fmt.Sprintf(`{"id": %q, "title": "T%s", "date": "2025-01-02", "start": "10:00", "duration": "00:30", "persons": [%s]}`, id, id, jsonPersons(persons))
}

func repeat(n int, f func(i int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// TestCaps: a file past a cap is refused, naming the place and the cap;
// one at the caps is read.
func TestCaps(t *testing.T) {
	sessions := func(n, speakers int) string {
		ids := repeat(speakers, func(i int) string { return fmt.Sprintf("%q", fmt.Sprint("s", i)) })
		return `{"sessions": [` + strings.Join(repeat(n, func(i int) string {
			return fmt.Sprintf(`{"id": "%d", "title": "T", "speakers": [%s]}`, i, strings.Join(ids, ","))
		}), ",") + `], "speakers": []}`
	}
	cases := []struct {
		name, data string
		want       []string // nil: accepted
	}{
		{"xml: persons at the cap", xmlDoc(xmlEvent("1", "T", xmlPersons(importer.MaxPersonsPerEvent, 0))), nil},
		{"xml: persons per event", xmlDoc(xmlEvent("1", "T", xmlPersons(importer.MaxPersonsPerEvent+1, 0))), []string{"in.txt:5:", `event "1"`, "more than 100 persons"}},
		{"xml: events at the cap", xmlDoc(repeat(importer.MaxEvents, func(i int) string { return xmlEvent(fmt.Sprint(i), "T", "") })...), nil},
		{"xml: events", xmlDoc(repeat(importer.MaxEvents+1, func(i int) string { return xmlEvent(fmt.Sprint(i), "T", "") })...), []string{"in.txt:20005:", "more than 20000 events"}},
		{"xml: persons in all", xmlDoc(repeat(importer.MaxPersons/importer.MaxPersonsPerEvent+1, func(i int) string {
			return xmlEvent(fmt.Sprint(i), "T", xmlPersons(importer.MaxPersonsPerEvent, i*importer.MaxPersonsPerEvent))
		})...), []string{"in.txt:505:", "more than 50000 persons in all"}},
		{"json: persons at the cap", frabJSON(jsonEvent("1", importer.MaxPersonsPerEvent)), nil},
		{"json: persons per event", frabJSON(jsonEvent("1", importer.MaxPersonsPerEvent+1)), []string{`$.schedule.conference.days[0].rooms.A[0].persons[100]`, "more than 100 persons"}},
		{"json: events", frabJSON(repeat(importer.MaxEvents+1, func(i int) string { return jsonEvent(fmt.Sprint(i), 0) })...), []string{"in.txt:20001:", "rooms.A[20000]", "more than 20000 events"}},
		{"json: persons in all", frabJSON(repeat(importer.MaxPersons/importer.MaxPersonsPerEvent+1, func(i int) string {
			return jsonEvent(fmt.Sprint(i), importer.MaxPersonsPerEvent)
		})...), []string{"rooms.A[500].persons[0]", "more than 50000 persons in all"}},
		{"json: list items", `{"schedule": {"junk": [` + strings.Repeat("0,", importer.MaxListItems) + `0]}}`, []string{"$.schedule.junk[1000000]", "more than 1000000 items"}},
		{"sessionize: speakers per session", sessions(1, importer.MaxPersonsPerEvent+1), []string{"$.sessions[0].speakers[100]", "more than 100 persons"}},
		{"sessionize: sessions", sessions(importer.MaxEvents+1, 0), []string{"$.sessions[20000]", "more than 20000 events"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := importer.Parse(context.Background(), "in.txt", []byte(c.data), "")
			if c.want == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(p.Events) == 0 {
					t.Errorf("Parse: got no events")
				}
				return
			}
			if err == nil || !errors.Is(err, importer.ErrInput) {
				t.Fatalf("Parse: got %v, want an ErrInput", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestCutsWarn: a text past the store's caps is cut, and a control
// character removed, each with a warning naming the event; the import
// goes on and validates.
func TestCutsWarn(t *testing.T) {
	big := strings.Repeat("word ", 200_000) // 1 MB
	cases := []struct {
		name  string
		event string
		want  []string // in the warning
		file  string   // in the seed files
	}{
		{"title", xmlEvent("1", big, "<person>Ada</person>"), []string{`event "1" "word word`, "the title is 999999 bytes long, more than the store's 300: cut to 300"}, "word word word"},
		{"abstract", strings.Replace(xmlEvent("2", "Talk", ""), "<title>", "<abstract>"+big+"</abstract><title>", 1), []string{`event "2" "Talk" (line 5)`, "the abstract and description (1000000 bytes in the file) are longer than the store's 8000 bytes of text: cut"}, " …"},
		{"person's name", xmlEvent("3", "Talk", "<person>"+big[:2000]+"</person>"), []string{`event "3" "Talk"`, "the name of person 1 is 1999 bytes long, more than the store's 300: cut to 300"}, "kind: person"},
		{"nul in a name", frabJSON(`{"id": "4", "title": "Talk", "persons": [{"public_name": "Ada\u0000 Lovelace"}]}`), []string{`event "4" "Talk"`, "the name of person 1 holds control characters, which were removed"}, "name: Ada Lovelace"},
		{"escape in a title", frabJSON(`{"id": "5", "title": "Talk\u001b[31m", "persons": []}`), []string{`event "5"`, "the title holds control characters, which were removed"}, "name: Talk[31m"},
		{"room", strings.Replace(xmlEvent("6", "Talk", ""), "<title>", "<room>"+big[:9000]+"</room><title>", 1), []string{`event "6" "Talk"`, "the room is 8999 bytes long, more than the store's 8000: cut to 8000"}, "room: >-"},
		{"url", strings.Replace(xmlEvent("7", "Talk", ""), "<title>", "<url>https://example.org/"+strings.Repeat("a", 9000)+"</url><title>", 1), []string{`event "7" "Talk"`, "the url (9020 bytes) is not a url the store keeps"}, "name: Talk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := c.event
			if !strings.HasPrefix(data, "{") {
				data = xmlDoc(c.event)
			}
			var warnings []string
			files, _, err := importer.Import(context.Background(), []importer.Input{{Name: "in.txt", Data: []byte(data)}}, "", "bad",
				importer.Options{Warn: func(m string) { warnings = append(warnings, m) }})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if len(warnings) != 1 {
				t.Fatalf("warnings: got %q, want one", warnings)
			}
			for _, w := range c.want {
				if !strings.Contains(warnings[0], w) {
					t.Errorf("warning: got %q, want it to contain %q", warnings[0], w)
				}
			}
			var all []byte
			for _, n := range slices.Sorted(maps.Keys(files)) {
				all = append(all, files[n]...)
			}
			if !bytes.Contains(all, []byte(c.file)) {
				t.Errorf("files: want %q in them", c.file)
			}
			if bytes.ContainsAny(all, "\x00\x1b") {
				t.Errorf("files hold a control character")
			}
		})
	}
}

// countdown is a context whose Err turns to Canceled at its n-th call:
// run with n = 0, 1, 2… it cancels an import at each place it looks.
type countdown struct {
	context.Context
	left atomic.Int64
}

func newCountdown(n int64) *countdown {
	c := &countdown{Context: context.Background()}
	c.left.Store(n)
	return c
}

func (c *countdown) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestInterruptedAtEveryStage cancels an import of each fixture at every
// place it looks at its context, in turn: each must stop with
// ErrInterrupted and write nothing; then WriteDir likewise, which must
// leave --out as it was (absent, or an earlier import) and nothing beside.
func TestInterruptedAtEveryStage(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.set, func(t *testing.T) {
			name := filepath.Join("testdata", "input", fx.file)
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			in := []importer.Input{{Name: name, Data: data}}
			o := importer.Options{Conference: fx.conference, People: people(t)}
			var files map[string][]byte
			n := int64(0)
			for ; ; n++ {
				files, _, err = importer.Import(newCountdown(n), in, "", fx.set, o)
				if err == nil {
					break
				}
				if !errors.Is(err, importer.ErrInterrupted) || !errors.Is(err, context.Canceled) {
					t.Fatalf("cancelled at look %d: got %v, want ErrInterrupted", n, err)
				}
			}
			if n < 20 {
				t.Errorf("the import looked at its context %d times, want one per event and stage at least", n)
			}
			parent := t.TempDir()
			out := filepath.Join(parent, "sub", fx.set)
			for n = 0; ; n++ {
				err := importer.WriteDir(newCountdown(n), out, files)
				if err == nil {
					break
				}
				if !errors.Is(err, importer.ErrInterrupted) {
					t.Fatalf("WriteDir cancelled at look %d: got %v, want ErrInterrupted", n, err)
				}
				if left, _ := os.ReadDir(parent); len(left) != 0 {
					t.Fatalf("WriteDir cancelled at look %d: left %v", n, left)
				}
			}
			before := dirHash(t, out)
			head := "# talk nodes of data set conf, written by talkgraph import from x.xml.\n"
			other := map[string][]byte{"talk.yaml": []byte(head)}
			for m := int64(0); ; m++ {
				err := importer.WriteDir(newCountdown(m), out, other)
				if err == nil {
					break
				}
				if !errors.Is(err, importer.ErrInterrupted) {
					t.Fatalf("second WriteDir cancelled at look %d: got %v", m, err)
				}
				if got := dirHash(t, out); got != before {
					t.Fatalf("second WriteDir cancelled at look %d changed --out", m)
				}
				if left, _ := os.ReadDir(filepath.Dir(out)); len(left) != 1 {
					t.Fatalf("second WriteDir cancelled at look %d: left %v beside --out", m, left)
				}
			}
		})
	}
}

func dirHash(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %x\n", e.Name(), len(data), data)
	}
	return b.String()
}

// TestLeftoversOfAKilledImport: the temporary directory a killed import
// leaves beside --out is removed by the next import.
func TestLeftoversOfAKilledImport(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "conf")
	left := filepath.Join(parent, ".conf.import-123")
	if err := os.MkdirAll(left, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(left, "talk.yaml"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	head := "# talk nodes of data set conf, written by talkgraph import from x.xml.\n"
	if err := importer.WriteDir(context.Background(), out, map[string][]byte{"talk.yaml": []byte(head)}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "conf" {
		t.Errorf("beside --out: got %v, want only conf", entries)
	}
}

// TestLongIDs: an event id that would make a talk id longer than the store
// allows gets a hashed one instead of failing validation.
func TestLongIDs(t *testing.T) {
	id := strings.Repeat("x", 120)
	data := strings.Replace(xmlDoc(xmlEvent(id, "Talk", "")), "<acronym>bad</acronym>", "<acronym>"+strings.Repeat("c", 60)+"</acronym>", 1)
	files, _, err := importer.Import(context.Background(), []importer.Input{{Name: "in.xml", Data: []byte(data)}}, "", "bad", importer.Options{})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if !bytes.Contains(files["talk.yaml"], []byte("id: "+strings.Repeat("c", 60)+"-")) {
		t.Errorf("talk.yaml: want the talk's id under the conference's:\n%s", files["talk.yaml"])
	}
}
