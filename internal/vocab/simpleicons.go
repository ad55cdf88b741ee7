package vocab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/talkgraph/talkgraph/graph"
)

// simple-icons' data/simple-icons.json: a list of brands (older releases
// wrap it as {"icons": [...]}), each with a title, a colour, the source of
// its icon and other names: "aka" (also known as), "loc" (the name in a
// language) and "old" (former names). "dup" lists other icons of the brand
// under other names — other things — and is not read. simple-icons does
// not say what a brand is.

var simpleIconsFields = []string{"title", "hex", "source", "guidelines", "license", "aliases", "slug"}

type simpleIcon struct {
	Title   string `json:"title"`
	Slug    string `json:"slug"`
	Source  string `json:"source"`
	Aliases struct {
		AKA []string          `json:"aka"`
		Loc map[string]string `json:"loc"`
		Old []string          `json:"old"`
	} `json:"aliases"`
}

func readSimpleIcons(name string, data []byte) (*Registry, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s: %w: invalid UTF-8: give the registry file as published", name, ErrInput)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := openIconList(dec); err != nil {
		return nil, fmt.Errorf("%s: %w: %v: give simple-icons' data/simple-icons.json", name, ErrInput, err)
	}
	r := &Registry{}
	var probs Problems
	fc := newFieldCheck(name, simpleIconsFields, &probs)
	seen := map[string]int{}
	for dec.More() {
		line := lineAt(data, dec.InputOffset())
		var raw map[string]json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%s:%d: %w: %v", name, line, ErrInput, err)
		}
		var icon simpleIcon
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &icon); err != nil {
			return nil, fmt.Errorf("%s:%d: %w: %v", name, line, ErrInput, err)
		}
		title := strings.TrimSpace(icon.Title)
		fc.check(line, title, sortedStrings(mapsKeys(raw)))
		if title == "" {
			probs = append(probs, fmt.Sprintf("%s:%d: an icon has no title: give it one, or remove it", name, line))
			continue
		}
		key := fold(title) + "\x00" + icon.Slug
		if first, dup := seen[key]; dup {
			probs = append(probs, fmt.Sprintf("%s:%d: the brand %q is listed again (first at line %d): keep one, or give the other brand a slug of its own", name, line, title, first))
			continue
		}
		seen[key] = line
		e := Entry{Registry: SimpleIcons, Line: line, Name: title, Kind: graph.KindBrand}
		if _, namesake := seen[fold(title)+"\x00"]; namesake && icon.Slug != "" {
			// Another brand of the same name ("Spring" and spring_creators):
			// its own entity, named by its slug.
			e.ID = strings.ReplaceAll(icon.Slug, "_", "-")
		}
		others := append(slices.Clone(icon.Aliases.AKA), icon.Aliases.Old...)
		for _, l := range sortedStrings(mapsKeys(icon.Aliases.Loc)) {
			others = append(others, icon.Aliases.Loc[l])
		}
		for _, a := range others {
			a = strings.TrimSpace(a)
			if a != "" && fold(a) != fold(title) && !slices.Contains(e.Aliases, a) {
				e.Aliases = append(e.Aliases, a)
			}
		}
		e.Quote = oneLine("title: "+title, orEmpty("aka: ", strings.Join(icon.Aliases.AKA, ", ")), "source: "+icon.Source)
		r.Entries = append(r.Entries, e)
	}
	r.Notes = fc.notes()
	if len(probs) > 0 {
		return nil, probs
	}
	if len(r.Entries) == 0 {
		return nil, fmt.Errorf("%s: %w: the file lists no icons", name, ErrInput)
	}
	return r, nil
}

// openIconList reads up to the first icon: "[" or `{"icons": [`.
func openIconList(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == json.Delim('[') {
		return nil
	}
	if tok != json.Delim('{') {
		return errors.New("neither a list of icons nor an object holding one")
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		if key == "icons" {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			if tok != json.Delim('[') {
				return errors.New(`"icons" is not a list`)
			}
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return io.ErrUnexpectedEOF
}

// lineAt returns the line of the first non-space byte at or after off.
func lineAt(data []byte, off int64) int {
	i := int(min(off, int64(len(data))))
	for i < len(data) && bytes.IndexByte([]byte(" \t\r\n,"), data[i]) >= 0 {
		i++
	}
	return 1 + bytes.Count(data[:i], []byte{'\n'})
}
