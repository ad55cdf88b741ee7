// Package vocab turns public registries of tools, languages, companies and
// brands into a data set of ordinary seed files: the CNCF landscape
// (landscape.yml), GitHub Linguist's languages.yml and simple-icons'
// simple-icons.json. Each registry lists things in its own shape; vocab
// reads each into Entries, then Build merges the entries of every registry
// into entities: the same thing listed by two registries (Kubernetes,
// Python), or by a registry and a data set already curated (dotScale's
// Kafka), is one entity, with the other names as aliases.
//
// What the data does not say is left out rather than guessed: a
// simple-icons brand stays a brand (not a company or a tool) unless another
// registry or a curated data set says what it is, and a project is made by
// an organisation only when its Crunchbase organisation is an entity.
package vocab

import (
	"errors"
	"fmt"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// Format names a registry format.
type Format string

// The registry formats vocab reads.
const (
	CNCF        Format = "cncf-landscape"
	Linguist    Format = "linguist"
	SimpleIcons Format = "simple-icons"
)

// Formats lists the registry formats in the order help texts show them.
var Formats = []Format{CNCF, Linguist, SimpleIcons}

// registryInfo is what the seed files say of each registry's source node.
var registryInfo = map[Format]struct {
	id, name, url, licence string
}{
	CNCF: {"registry-cncf-landscape", "CNCF Cloud Native Landscape (landscape.yml)",
		"https://github.com/cncf/landscape/blob/master/landscape.yml", "Apache-2.0"},
	Linguist: {"registry-github-linguist", "GitHub Linguist languages (languages.yml)",
		"https://github.com/github-linguist/linguist/blob/main/lib/linguist/languages.yml", "MIT"},
	SimpleIcons: {"registry-simple-icons", "simple-icons brand data (simple-icons.json)",
		"https://github.com/simple-icons/simple-icons/blob/develop/data/simple-icons.json", "CC0-1.0"},
}

// ErrInput marks a registry file that cannot be read or holds wrong data;
// the message names the file, the line and the entry.
var ErrInput = errors.New("bad registry input")

// Entry is one thing a registry lists.
type Entry struct {
	Registry Format
	Line     int // where the entry starts in its file
	// ID is the id the registry gives a namesake of another entry: the
	// entry is a thing of its own, whatever its name.
	ID      string
	Name    string // as the registry writes it
	Aliases []string
	// Kind is what the registry says the thing is; KindBrand when it
	// does not say (simple-icons).
	Kind        graph.Kind
	URL         string // homepage, else repository
	Description string // English, as the registry gives it
	Type        string // a language's type (linguist): "programming language"…
	// Org is the Crunchbase organisation behind the entry (its slug), and
	// Self the organisation the entry is (a CNCF member's own slug).
	Org, Self string
	Topics    []string // the landscape subcategories it is filed under
	// Quote is the entry as the file gives it, in one line: the evidence
	// for the relations the entry states.
	Quote string
}

// Registry is one registry file, read.
type Registry struct {
	Format  Format
	File    string // as messages show it
	URL     string // where the file is published: the source node's url
	Entries []Entry
	// Notes are what the reader ignored or merged, one sentence each
	// (fields it does not know, a project filed twice).
	Notes []string
}

// Problems lists everything wrong with the registry files, one sentence
// each naming the file, line and entry. It wraps ErrInput.
type Problems []string

func (ps Problems) Error() string {
	if len(ps) == 1 {
		return ps[0]
	}
	return fmt.Sprintf("%d problems:\n%s", len(ps), strings.Join(ps, "\n"))
}

// Is makes errors.Is(err, ErrInput) true.
func (ps Problems) Is(target error) bool { return target == ErrInput }

// ParseFormat returns the format named s, or an error listing the formats.
func ParseFormat(s string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// Detect tells a registry file from its content: a YAML document with a
// top-level "landscape" list (CNCF), a YAML mapping of languages with
// "language_id" fields (Linguist), or a JSON list of objects with "title"
// and "hex" (simple-icons). It returns false when the content is none of
// them.
func Detect(data []byte) (Format, bool) {
	head := string(data[:min(len(data), 64<<10)])
	trimmed := strings.TrimLeft(head, "\ufeff \t\r\n")
	switch {
	case strings.HasPrefix(trimmed, "[") || strings.HasPrefix(trimmed, "{"):
		if strings.Contains(head, `"title"`) && strings.Contains(head, `"hex"`) {
			return SimpleIcons, true
		}
	case strings.Contains(head, "\nlandscape:") || strings.HasPrefix(trimmed, "landscape:"):
		return CNCF, true
	case strings.Contains(head, "language_id:") && strings.Contains(head, "tm_scope:"):
		return Linguist, true
	}
	return "", false
}

// Read reads a registry file of format f; name is the file's name as
// messages show it and url where it is published ("" for the registry's
// own address). It returns Problems for an entry without a name, a name
// given twice, a field misspelt, and an error wrapping ErrInput for a file
// that does not parse.
func Read(name string, data []byte, f Format, url string) (*Registry, error) {
	var r *Registry
	var err error
	switch f {
	case CNCF:
		r, err = readCNCF(name, data)
	case Linguist:
		r, err = readLinguist(name, data)
	case SimpleIcons:
		r, err = readSimpleIcons(name, data)
	default:
		return nil, fmt.Errorf("unknown registry format %q", f)
	}
	if err != nil {
		return nil, err
	}
	r.Format, r.File, r.URL = f, name, url
	if r.URL == "" {
		r.URL = registryInfo[f].url
	}
	return r, nil
}

// entryURL is the address of an entry in its registry file, for entries
// with no homepage of their own: the file's address and the entry's line.
func (r *Registry) entryURL(e *Entry) string {
	if strings.Contains(r.URL, "github.com/") && strings.Contains(r.URL, "/blob/") {
		return fmt.Sprintf("%s#L%d", r.URL, e.Line)
	}
	return r.URL
}
