// Package seeds embeds the bundled data sets, so a fresh install has data
// with no files at hand: dotScale 2017 and the vocabulary (the registries'
// entities, converted by talkgraph import, and the curated ones).
package seeds

import (
	"embed"
	"io/fs"
	"strings"
)

// FS holds the bundled data sets, one directory each.
//
//go:embed dotscale-2017/*.yaml vocabulary/*.yaml vocabulary/NOTICE vocabulary-curated/*.yaml
var FS embed.FS

// Default is the data set of talks seeded when no path is given.
const Default = "dotscale-2017"

// Vocabulary names the data sets of the vocabulary, seeded beside Default
// unless the user opts out.
var Vocabulary = []string{"vocabulary", "vocabulary-curated"}

// DotScale returns FS with the Default data set alone in it (its
// directory, under the same name): what tests and goldens about dotScale
// seed.
func DotScale() fs.FS { return onlyDir{FS, Default} }

// onlyDir is a file system with one directory of another's.
type onlyDir struct {
	fsys fs.FS
	dir  string
}

func (o onlyDir) in(name string) bool {
	return name == "." || name == o.dir || strings.HasPrefix(name, o.dir+"/")
}

func (o onlyDir) Open(name string) (fs.File, error) {
	if !o.in(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.fsys.Open(name)
}

func (o onlyDir) ReadDir(name string) ([]fs.DirEntry, error) {
	if !o.in(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries, err := fs.ReadDir(o.fsys, name)
	if name != "." {
		return entries, err
	}
	var out []fs.DirEntry
	for _, e := range entries {
		if e.Name() == o.dir {
			out = append(out, e)
		}
	}
	return out, err
}
