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
	"slices"
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
	// unreadable marks a file that could not be parsed at all (YAML syntax,
	// invalid UTF-8, too large, not a regular file): the cause of any other
	// problem, it comes first.
	unreadable bool
}

func (p Problem) String() string { return p.Pos.String() + ": " + p.Msg }

// Problems is the error of a seed validation that failed: every problem found
// (graph.FieldProblems placed at their file:line:column, and problems of the
// files themselves), in file, line and column order. Nothing was written.
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

// sort puts the problems in order: files that could not be read first,
// then by file, line and column. A problem found twice (a file parsed again
// in a later pass) is kept once.
func (ps *Problems) sort() {
	sort.SliceStable(*ps, func(i, j int) bool {
		a, b := (*ps)[i], (*ps)[j]
		if a.unreadable != b.unreadable {
			return a.unreadable
		}
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
	*ps = slices.Compact(*ps)
}

// problems collects problems as they are found.
type problems struct {
	list Problems
	// hidden counts, by file that did not parse, the references to unknown
	// ids not reported because that file may define them.
	hidden map[string]int
}

func (c *problems) add(p Pos, format string, a ...any) {
	c.list = append(c.list, Problem{Pos: p, Msg: fmt.Sprintf(format, a...)})
}

// addUnreadable adds the problem that keeps a whole file from being read.
func (c *problems) addUnreadable(p Pos, format string, a ...any) {
	c.list = append(c.list, Problem{Pos: p, Msg: fmt.Sprintf(format, a...), unreadable: true})
}

// hide counts a reference to an unknown id that file may define.
func (c *problems) hide(file string) {
	if c.hidden == nil {
		c.hidden = map[string]int{}
	}
	c.hidden[file]++
}

// done returns the problems in order, each unreadable file's problem
// saying how many references it hid.
func (c *problems) done() Problems {
	for i, p := range c.list {
		if n := c.hidden[p.Pos.File]; n > 0 && p.unreadable {
			c.list[i].Msg += fmt.Sprintf(" (%d references to ids not found elsewhere are not reported: this file may define them; validate again once it parses)", n)
			delete(c.hidden, p.Pos.File)
		}
	}
	c.list.sort()
	return c.list
}
