// Package seeds embeds the bundled data sets, so a fresh install has data
// with no files at hand: dotScale 2017 and the vocabulary (the registries'
// entities, converted by talkgraph import, and the curated ones).
package seeds

import (
	"embed"
	"io/fs"
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

// DotScale returns the Default data set alone, as a directory holding its
// files: what tests and goldens about dotScale seed.
func DotScale() fs.FS {
	sub, err := fs.Sub(FS, Default)
	if err != nil {
		panic(err) // the embed pattern names the directory
	}
	return sub
}
