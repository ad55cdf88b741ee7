package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/talkgraph/talkgraph/internal/seed"
)

// A seed needs room for its keys (about four times the YAML, measured on
// generated data sets) plus Badger's memtable and value log headroom.
const (
	seedSpaceFactor   = 4
	seedSpaceHeadroom = 256 << 20
)

// checkSpace refuses a seed that would fill the disk: Badger detects a full
// disk only when a write fails, in the middle of the seed.
func checkSpace(dbDir string, sets []*seed.Set) error {
	dir := dbDir
	for {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	free, ok := freeBytes(dir)
	if !ok {
		return nil
	}
	var input int64
	for _, s := range sets {
		for _, f := range s.Files {
			if info, err := fs.Stat(s.FS, filepath.ToSlash(filepath.Join(s.Dir, f))); err == nil {
				input += info.Size()
			}
		}
	}
	need := uint64(input)*seedSpaceFactor + seedSpaceHeadroom
	if free < need {
		return fmt.Errorf("not enough free space for this seed in %s: %d MiB free, about %d MiB needed; free some space or use --db on another disk", dir, free>>20, need>>20)
	}
	return nil
}
