package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/seed"
)

// Marker is in the first line of every file an import writes (after "# "):
// a directory holding only such files may be replaced by the next import.
const Marker = "written by talkgraph import"

// ErrNotEmpty is returned by WriteDir when the directory holds files that
// an import did not write.
var ErrNotEmpty = errors.New("the directory holds files an import did not write")

// graphSource lets the seed-YAML writer of internal/export read a Graph,
// stopping when ctx ends.
type graphSource struct {
	ctx context.Context
	g   *Graph
	set string
}

func (s graphSource) EachNode(fn func(*graph.Node) error) error {
	for _, n := range s.g.Nodes {
		if err := interrupted(s.ctx); err != nil {
			return err
		}
		c := *n
		c.Dataset = s.set
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (s graphSource) EachEdge(fn func(graph.Edge) error) error {
	for _, e := range s.g.Edges {
		if err := interrupted(s.ctx); err != nil {
			return err
		}
		e.Evidence = slices.Clone(e.Evidence)
		for i := range e.Evidence {
			e.Evidence[i].Dataset = s.set
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Files returns the seed files of g as data set set, by file name:
// conference.yaml, talk.yaml, person.yaml, source.yaml and edges.yaml, split
// as the YAML export splits them. from names the input in each file's
// first line. It returns an encoding error, or one wrapping ErrInterrupted
// when ctx ends.
func Files(ctx context.Context, g *Graph, set, from string) (map[string][]byte, error) {
	all, err := export.YAMLFiles(graphSource{ctx, g, set})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(all))
	for name, data := range all {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		line = bytes.Replace(line, []byte("written by talkgraph export."), []byte(Marker+" from "+from+"."), 1)
		out[path.Base(name)] = append(append(line, '\n'), rest...)
	}
	return out, nil
}

// Validate checks files as data set set with the seed loader, in memory,
// as `talkgraph validate` would check them on disk. It returns
// seed.Problems naming the file and line of each problem.
func Validate(ctx context.Context, set string, files map[string][]byte) error {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	s := &seed.Set{Name: set, FS: fsys, Dir: ".", Display: set, Files: slices.Sorted(maps.Keys(files))}
	return seed.NewLoader(nil).Validate(ctx, []*seed.Set{s})
}

// WriteDir writes files into dir, replacing it whole: into a temporary
// directory beside it first, then swapped with dir in one step on Linux
// (renamed into place elsewhere), so dir never holds half an import. A dir
// that holds anything but files an import wrote is refused with
// ErrNotEmpty, untouched. What a killed import left beside dir is removed
// first. It returns the file system's error, or one wrapping
// ErrInterrupted when ctx ends before dir is replaced: dir is then as it
// was, and neither the temporary directory nor a parent WriteDir made is
// left.
func WriteDir(ctx context.Context, dir string, files map[string][]byte) (err error) {
	exists, err := checkOut(dir)
	if err != nil {
		return err
	}
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	made, err := mkdirAll(parent)
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			removeMade(made)
		}
	}()
	if err := removeLeftovers(parent, base); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".import-")
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	if err := writeFiles(ctx, tmp, files); err != nil {
		if ierr := interrupted(ctx); ierr != nil {
			return ierr
		}
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if err := interrupted(ctx); err != nil {
		return err
	}
	if !exists {
		return os.Rename(tmp, dir)
	}
	if err := exchange(tmp, dir); err == nil {
		return nil // tmp now holds the old files, removed on return
	}
	// Without an atomic exchange (another system, another file system), a
	// crash between the two renames leaves the old files in a directory
	// beside dir, named .<dir>.import-….old, which the next WriteDir puts
	// back.
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("replace %s: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.Rename(old, dir)
		return fmt.Errorf("replace %s: %w", dir, err)
	}
	return os.RemoveAll(old)
}

// removeLeftovers removes the temporary directories a killed import of
// base left in parent, and puts back the old files of one killed between
// its two renames (where renames cannot exchange).
func removeLeftovers(parent, base string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	prefix := "." + base + ".import-"
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if strings.HasSuffix(e.Name(), ".old") {
			if _, err := os.Lstat(filepath.Join(parent, base)); errors.Is(err, os.ErrNotExist) {
				if err := os.Rename(p, filepath.Join(parent, base)); err != nil {
					return err
				}
				continue
			}
		}
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// mkdirAll makes dir and its missing parents, and returns those it made,
// innermost first.
func mkdirAll(dir string) ([]string, error) {
	var made []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		}
		made = append(made, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	return made, os.MkdirAll(dir, 0o755)
}

// removeMade removes the directories mkdirAll made, if still empty.
func removeMade(made []string) {
	for _, d := range made {
		if os.Remove(d) != nil {
			return
		}
	}
}

func writeFiles(ctx context.Context, dir string, files map[string][]byte) error {
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := interrupted(ctx); err != nil {
			return err
		}
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(files[name])
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkOut reports whether dir exists, and refuses one holding anything
// but files an import wrote.
func checkOut(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("--out %s: %w", dir, err)
	}
	var foreign []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !importedFile(filepath.Join(dir, e.Name())) {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) > 0 {
		slices.Sort(foreign)
		return true, fmt.Errorf("--out %s: %w (%s): give a new or empty directory, or the one an earlier import of this programme wrote", dir, ErrNotEmpty, strings.Join(foreign, ", "))
	}
	return true, nil
}

// importedFile reports whether the first line of the file carries marker.
func importedFile(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := f.Read(head)
	line, _, _ := bytes.Cut(head[:n], []byte("\n"))
	return bytes.HasPrefix(line, []byte("# ")) && bytes.Contains(line, []byte(Marker))
}
