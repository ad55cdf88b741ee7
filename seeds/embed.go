// Package seeds embeds the bundled data sets, so a fresh install has data
// with no files at hand.
package seeds

import "embed"

// FS holds the bundled data sets, one directory each.
//
//go:embed dotscale-2017/*.yaml
var FS embed.FS

// Default is the data set seeded when no path is given.
const Default = "dotscale-2017"
