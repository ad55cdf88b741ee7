package seed

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// Set is one data set: a directory of .yaml files.
type Set struct {
	Name    string
	FS      fs.FS
	Dir     string   // the directory inside FS
	Display string   // how file names are shown: Display/file.yaml
	Files   []string // .yaml file names in Dir, sorted
}

func (s *Set) path(file string) string { return path.Join(s.Display, file) }

// Discover finds the data sets at dir in fsys: dir itself when it holds
// .yaml files, else each sub-directory that does. display is how dir is
// shown in messages. It returns an error naming dir when it holds neither.
func Discover(fsys fs.FS, dir, display string) ([]*Set, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: give a data set directory (one holding .yaml files) or a directory of them", display, err)
	}
	if files := yamlFiles(entries); len(files) > 0 {
		return []*Set{{Name: path.Base(path.Clean(display)), FS: fsys, Dir: dir, Display: display, Files: files}}, nil
	}
	var sets []*Set
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub, err := fs.ReadDir(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Join(display, e.Name()), err)
		}
		if files := yamlFiles(sub); len(files) > 0 {
			sets = append(sets, &Set{Name: e.Name(), FS: fsys, Dir: path.Join(dir, e.Name()), Display: path.Join(display, e.Name()), Files: files})
		}
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("%s holds no .yaml seed files: give a data set directory or a directory of them", display)
	}
	return sets, nil
}

// OneSet is the data set name whose files are at dir in fsys, shown as
// display: the .yaml names of dir, as Discover lists them (a name that is
// not a regular file included, for the loader to refuse). It returns an
// error naming display when dir holds none, so that nothing, not even an
// empty data set, replaces what the database holds under that name.
func OneSet(fsys fs.FS, dir, name, display string) (*Set, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	files := yamlFiles(entries)
	if len(files) == 0 {
		return nil, fmt.Errorf("%s holds no .yaml seed files: data set %s is left as it is; give its files (or drop it with talkgraph drop %s)", display, name, name)
	}
	return &Set{Name: name, FS: fsys, Dir: dir, Display: display, Files: files}, nil
}

func yamlFiles(entries []fs.DirEntry) []string {
	var files []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			files = append(files, e.Name())
		}
	}
	sort.Strings(files)
	return files
}

// checkName refuses a data set name that cannot be a key part.
func (s *Set) checkName(c *problems) {
	if err := graph.CheckID(s.Name); err != nil {
		c.add(Pos{File: s.Display}, "data set name: %v (rename the directory)", err)
	}
}
