package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportBounds: what an import cuts is told on stderr, event by event
// (the first 20, then a count); a programme past a cap is refused and
// writes nothing; a control character from the file reaches the terminal
// escaped.
func TestImportBounds(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	event := func(id int, title, persons string) string {
		return fmt.Sprintf(`<event id="%d"><date>2025-01-02T10:00:00+01:00</date><title>%s</title><persons>%s</persons></event>`, id, title, persons)
	}
	doc := func(events ...string) string {
		return "<?xml version=\"1.0\"?>\n<schedule><conference><acronym>b</acronym><title>B</title></conference>\n<day date=\"2025-01-02\"><room name=\"A\">\n" +
			strings.Join(events, "\n") + "\n</room></day></schedule>\n"
	}
	long := strings.Repeat("long title ", 100)
	var cut []string
	for i := range 25 {
		cut = append(cut, event(i, long, ""))
	}
	crowd := strings.Repeat("<person>Someone</person>", 101)
	cases := []struct {
		name, file string
		code       int
		want       []string
		notWant    string
		written    bool
	}{
		{"a title cut", write("one.xml", doc(event(1, long, ""))), 0,
			[]string{`warning: one.xml: event "1" "long title`, "the title is 1099 bytes long, more than the store's 300: cut to 300"}, "more like these", true},
		{"many cuts", write("many.xml", doc(cut...)), 0, []string{`event "19"`, "warning: and 5 more like these"}, `event "20"`, true},
		{"too many persons", write("crowd.xml", doc(event(1, "T", crowd))), 1, []string{"crowd.xml:4:", `event "1": the event lists more than 100 persons`}, "", false},
		{"escape from the file", write("esc.json", `{"schedule": {"conference": {"title": "x", "days": [{"rooms": {"A\u001b[2J": [{"id": 1, "title": {"x": 1}}]}}]}}}`), 1,
			[]string{`rooms.A\x1b[2J[0]`}, "\x1b", false},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprint("out", i))
			r := runMain(t, "import", c.file, "--out", out)
			if r.code != c.code {
				t.Fatalf("exit: got %d, want %d (%s)", r.code, c.code, r.err)
			}
			for _, w := range c.want {
				if !strings.Contains(r.err, w) {
					t.Errorf("stderr: got %q, want it to contain %q", r.err, w)
				}
			}
			if c.notWant != "" && strings.Contains(r.err, c.notWant) {
				t.Errorf("stderr: got %q, want no %q", r.err, c.notWant)
			}
			if _, err := os.Stat(out); (err == nil) != c.written {
				t.Errorf("--out: got %v, want written %v", err, c.written)
			}
		})
	}
}
