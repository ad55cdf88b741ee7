package seed_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/talkgraph/talkgraph/internal/seed"
)

// typoBase is a valid data set of one file that uses every field of the
// format; each case of TestTypoNamesItsCause misspells one thing in it.
const typoBase = `nodes:
  - id: fjordsoft
    kind: company
    name: Fjordsoft
    aliases: [Fjord]
    description:
      en: A company of the fjords.
    props:
      url: https://fjordsoft.example
  - id: fjordctl
    kind: tool
    name: fjordctl
  - id: talk-fjord
    kind: talk
    name: Fjords at scale
    props:
      date: 2024-05-02
  - id: blog
    kind: source
    name: The Fjordsoft blog
edges:
  - from: fjordsoft
    type: makes
    to: fjordctl
    evidence:
      - source: blog
        quote: Fjordsoft makes fjordctl, our command-line tool.
  - from: talk-fjord
    type: mentions
    to: fjordctl
    evidence:
      - source: blog
        quote: The talk shows fjordctl at work.
`

// TestTypoNamesItsCause: a typo anywhere in a seed file is one problem,
// the typo itself, with what was meant; nothing that follows from it (an
// edge to a node whose field was misspelt, kinds an unknown kind may not
// join, a missing field that was only misspelt) is reported besides.
func TestTypoNamesItsCause(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to string // the typo: the first from in typoBase becomes to
		want     string
	}{
		{"nodes key", "nodes:", "nodse:", `1:1: unknown field "nodse" in the file: did you mean "nodes"?`},
		{"edges key", "edges:", "egdes:", `21:1: unknown field "egdes" in the file: did you mean "edges"?`},
		{"id key", "- id: fjordctl", "- di: fjordctl", `10:5: unknown field "di" in a node: did you mean "id"?`},
		{"kind key", "kind: tool", "knid: tool", `11:5: unknown field "knid" in a node: did you mean "kind"?`},
		{"name key", "name: Fjordsoft", "nmae: Fjordsoft", `4:5: unknown field "nmae" in a node: did you mean "name"?`},
		{"aliases key", "aliases:", "alias:", `5:5: unknown field "alias" in a node: did you mean "aliases"?`},
		{"description key", "description:", "descripton:", `6:5: unknown field "descripton" in a node: did you mean "description"?`},
		{"props key", "props:\n      url", "prop:\n      url", `8:5: unknown field "prop" in a node: did you mean "props"?`},
		{"kind", "kind: tool", "kind: tol", `11:11: unknown kind "tol": did you mean "tool"?`},
		{"kind in capitals", "kind: company", "kind: Company", `3:11: unknown kind "Company": did you mean "company"?`},
		{"kind of a source", "kind: source", "kind: sorce", `19:11: unknown kind "sorce": did you mean "source"?`},
		{"language", "en: A company", "eng: A company", `7:12: "eng" is not a language code: use a two-letter code such as en or fr`},
		{"property", "url: https", "ulr: https", `9:12: unknown property "ulr": did you mean "url"?`},
		{"url", "https://fjordsoft", "htps://fjordsoft", `9:12: "htps://fjordsoft.example" is not an absolute http(s) URL: write it as https://host/path`},
		{"date", "2024-05-02", "2024-5-02", `17:13: "2024-5-02" is not a date: write it as YYYY-MM-DD`},
		{"from key", "from: fjordsoft", "frm: fjordsoft", `22:5: unknown field "frm" in an edge: did you mean "from"?`},
		{"type key", "type: makes", "tpye: makes", `23:5: unknown field "tpye" in an edge: did you mean "type"?`},
		{"to key", "to: fjordctl", "ot: fjordctl", `24:5: unknown field "ot" in an edge: did you mean "to"?`},
		{"evidence key", "evidence:", "evidnce:", `25:5: unknown field "evidnce" in an edge: did you mean "evidence"?`},
		{"source key", "- source: blog", "- sorce: blog", `26:9: unknown field "sorce" in evidence: did you mean "source"?`},
		{"quote key", "quote: Fjordsoft", "qoute: Fjordsoft", `27:9: unknown field "qoute" in evidence: did you mean "quote"?`},
		{"type", "type: makes", "type: make", `23:11: unknown relation type "make": did you mean "makes"?`},
		{"type in the singular", "type: mentions", "type: mention", `29:11: unknown relation type "mention": did you mean "mentions"?`},
		{"from", "from: fjordsoft", "from: fjordsfot", `22:11: unknown id "fjordsfot": did you mean "fjordsoft"?`},
		{"to", "to: fjordctl", "to: fjordclt", `24:9: unknown id "fjordclt": did you mean "fjordctl"?`},
		{"source", "- source: blog", "- source: blgo", `26:17: unknown id "blgo": did you mean "blog"?`},
		{"a list for a value", "name: Fjordsoft", "name: [Fjordsoft]", `4:11: "name" must be a single value`},
		{"a value for a list", "evidence:\n      - source: blog\n        quote: Fjordsoft makes", "evidence: blog\n    # quote: Fjordsoft makes", `25:15: "evidence" must be a list (items starting with "- ")`},
		{"a missing field", "    name: The Fjordsoft blog\n", "", `18:5: a node has no "name" field: add it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(typoBase, tc.from) {
				t.Fatalf("typo %q: not in the base file", tc.from)
			}
			text := strings.Replace(typoBase, tc.from, tc.to, 1)
			fsys := fstest.MapFS{"fjord/nodes.yaml": {Data: []byte(text)}}
			sets, err := seed.Discover(fsys, "fjord", "fjord")
			if err != nil {
				t.Fatal(err)
			}
			got := problemLines(t, seed.NewLoader(nil).Validate(context.Background(), sets))
			want := []string{"fjord/nodes.yaml:" + tc.want}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\ngot  %q\nwant %q", got, want)
			}
		})
	}
}

// TestTypoBaseValid: without a typo the base file is valid, so each case's
// one problem is its typo.
func TestTypoBaseValid(t *testing.T) {
	fsys := fstest.MapFS{"fjord/nodes.yaml": {Data: []byte(typoBase)}}
	sets, err := seed.Discover(fsys, "fjord", "fjord")
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.NewLoader(nil).Validate(context.Background(), sets); err != nil {
		t.Errorf("Validate: got %v, want nil", err)
	}
}
