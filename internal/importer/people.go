package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// People is a curator's mapping file (people.yaml): by default a person's
// id is their folded full name, so the same name at two conferences is one
// person. "same" entries merge several spellings into one person; "distinct"
// entries give a person of one conference an id of their own, splitting two
// people who share a name.
//
//	same:
//	  - id: jane-doe             # optional: the slug of name by default
//	    name: Jane Doe           # the name the person node gets
//	    names: [J. Doe, Jane Doé] # other spellings programmes use (its aliases)
//	distinct:
//	  - name: Alex Kim
//	    conference: gocamp24     # the conference's id in the import
//	    id: alex-kim-gocamp
type People struct {
	Same     []SameEntry     `yaml:"same"`
	Distinct []DistinctEntry `yaml:"distinct"`

	byName map[string]int // folded name -> index in Same
}

// SameEntry merges spellings of one person.
type SameEntry struct {
	ID    string   `yaml:"id"`
	Name  string   `yaml:"name"`
	Names []string `yaml:"names"`
}

// DistinctEntry gives the person of one name at one conference an id.
type DistinctEntry struct {
	Name       string `yaml:"name"`
	Conference string `yaml:"conference"`
	ID         string `yaml:"id"`
}

// ReadPeople reads and checks a mapping file. It returns an error wrapping
// ErrInput naming the file and line of what is wrong.
func ReadPeople(path string) (*People, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read people file: %w", err)
	}
	var p People
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w: %s: use the fields same (id, name, names) and distinct (name, conference, id)", path, ErrInput, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := p.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", path, ErrInput, err)
	}
	return &p, nil
}

// Check checks the file's entries and indexes them; ReadPeople calls it. It
// returns an error naming the entry that is wrong.
func (p *People) Check() error {
	p.byName = map[string]int{}
	for i := range p.Same {
		e := &p.Same[i]
		if strings.TrimSpace(e.Name) == "" {
			return fmt.Errorf("same entry %d has no name: give the name the person goes by", i+1)
		}
		if e.ID == "" {
			e.ID = PersonID(e.Name)
		}
		if err := graph.CheckID(e.ID); err != nil {
			return fmt.Errorf("same entry %q: %w", e.Name, err)
		}
		for _, n := range append([]string{e.Name}, e.Names...) {
			f := foldAccents(n)
			if j, dup := p.byName[f]; dup && j != i {
				return fmt.Errorf("the name %q is in two same entries (%s and %s): keep it in one", n, p.Same[j].ID, e.ID)
			}
			p.byName[f] = i
		}
	}
	for i, d := range p.Distinct {
		if strings.TrimSpace(d.Name) == "" || d.Conference == "" {
			return fmt.Errorf("distinct entry %d needs a name and a conference (the conference's id)", i+1)
		}
		if err := graph.CheckID(d.ID); err != nil {
			return fmt.Errorf("distinct entry %q: %w", d.Name, err)
		}
	}
	return nil
}

// resolve returns what the people file says of the person called name at
// conference conf: their id, the name their node gets and its aliases, and
// false when the file says nothing of them (or there is no file).
func (p *People) resolve(name, conf string) (id, display string, aliases []string, ok bool) {
	if p == nil {
		return "", "", nil, false
	}
	f := foldAccents(name)
	for _, d := range p.Distinct {
		if d.Conference == conf && foldAccents(d.Name) == f {
			return d.ID, name, nil, true
		}
	}
	if _, found := p.byName[f]; found {
		id, display, aliases = p.Resolve(name, conf)
		return id, display, aliases, true
	}
	return "", "", nil, false
}

// Resolve returns the id of the person called name at conference conf, the
// name their node gets and its aliases.
func (p *People) Resolve(name, conf string) (id, display string, aliases []string) {
	if p == nil {
		return PersonID(name), name, nil
	}
	f := foldAccents(name)
	for _, d := range p.Distinct {
		if d.Conference == conf && foldAccents(d.Name) == f {
			return d.ID, name, nil
		}
	}
	if i, ok := p.byName[f]; ok {
		e := p.Same[i]
		for _, n := range e.Names {
			if n != e.Name && !slices.Contains(aliases, n) {
				aliases = append(aliases, n)
			}
		}
		slices.Sort(aliases)
		return e.ID, e.Name, aliases
	}
	return PersonID(name), name, nil
}
