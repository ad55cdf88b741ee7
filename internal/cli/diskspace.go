package cli

import (
	"io/fs"
	"path/filepath"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
)

// checkSpace refuses a seed that would fill the disk before it starts:
// the store checks again as the seed writes, but a refusal up front is
// clearer than one halfway. The need scales with the YAML (see
// graph.SpaceNeeded).
func checkSpace(dbDir string, sets []*seed.Set) error {
	var input int64
	for _, s := range sets {
		for _, f := range s.Files {
			if info, err := fs.Stat(s.FS, filepath.ToSlash(filepath.Join(s.Dir, f))); err == nil {
				input += info.Size()
			}
		}
	}
	return graph.CheckFreeSpace(dbDir, input)
}
