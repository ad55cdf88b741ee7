// Package seed reads data sets of YAML seed files, validates them before any
// write, and loads them into a graph.Store.
//
// A data set is a directory of .yaml files; its name is the directory's
// name. Each file is one YAML document, a mapping with a "nodes" list and an
// "edges" list (either may be absent). Files refer to each other, and to data
// sets already stored, by id.
package seed

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a place in a seed file.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Problem is one thing wrong with the input, at a place.
type Problem struct {
	Pos Pos
	Msg string
}

func (p Problem) String() string { return p.Pos.String() + ": " + p.Msg }

// Problems is the error of a validation that failed: every problem found, in
// file, line and column order. Nothing was written.
type Problems []Problem

func (ps Problems) Error() string {
	if len(ps) == 1 {
		return ps[0].String()
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problems:\n%s", len(ps), strings.Join(lines, "\n"))
}

func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Pos, ps[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// problems collects problems as they are found.
type problems struct{ list Problems }

func (c *problems) add(p Pos, format string, a ...any) {
	c.list = append(c.list, Problem{p, fmt.Sprintf(format, a...)})
}
