package vocab

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// GitHub Linguist's languages.yml: a mapping from each language's name to
// its fields (type, aliases, extensions…). Linguist's aliases are the
// names code fences and searches use ("golang", "py"); those of two
// letters or more are kept.

var linguistFields = []string{
	"type", "color", "extensions", "filenames", "tm_scope", "ace_mode", "language_id", "aliases",
	"codemirror_mode", "codemirror_mime_type", "interpreters", "group", "wrap", "fs_name", "searchable",
}

// linguistTypes says what each linguist type is, for the type property.
var linguistTypes = map[string]string{
	"programming": "programming language",
	"data":        "data format",
	"markup":      "markup language",
	"prose":       "prose format",
}

func readLinguist(name string, data []byte) (*Registry, error) {
	root, err := parseYAML(name, data)
	if err != nil {
		return nil, err
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: %w: not a mapping of languages: give Linguist's lib/linguist/languages.yml", name, ErrInput)
	}
	r := &Registry{}
	var probs Problems
	fc := newFieldCheck(name, linguistFields, &probs)
	seen := map[string]int{}
	for _, kv := range pairs(root) {
		lang, body := strings.TrimSpace(kv[0].Value), kv[1]
		var fields []string
		for _, f := range pairs(body) {
			fields = append(fields, f[0].Value)
		}
		fc.check(kv[0].Line, lang, fields)
		if lang == "" {
			probs = append(probs, fmt.Sprintf("%s:%d: a language has an empty name: give it one, or remove it", name, kv[0].Line))
			continue
		}
		if first, dup := seen[fold(lang)]; dup {
			probs = append(probs, fmt.Sprintf("%s:%d: the language %q is defined again (first at line %d): keep one", name, kv[0].Line, lang, first))
			continue
		}
		seen[fold(lang)] = kv[0].Line
		typ := str(body, "type")
		e := Entry{Registry: Linguist, Line: kv[0].Line, Name: lang, Kind: graph.KindTool, Type: linguistTypes[typ]}
		if e.Type == "" {
			probs = append(probs, fmt.Sprintf("%s:%d: the language %q has the type %q: use programming, data, markup or prose", name, kv[0].Line, lang, typ))
			continue
		}
		for _, a := range strs(body, "aliases") {
			if utf8.RuneCountInString(a) >= 2 && fold(a) != fold(lang) {
				e.Aliases = append(e.Aliases, a)
			}
		}
		exts := strs(body, "extensions")
		e.Quote = oneLine(lang+": type "+typ, orEmpty("extensions ", strings.Join(exts[:min(len(exts), 5)], ", ")))
		r.Entries = append(r.Entries, e)
	}
	r.Notes = fc.notes()
	if len(probs) > 0 {
		return nil, probs
	}
	if len(r.Entries) == 0 {
		return nil, fmt.Errorf("%s: %w: the file lists no languages", name, ErrInput)
	}
	return r, nil
}
