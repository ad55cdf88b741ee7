package gen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Marker is the file gen leaves in a directory it wrote, listing the files
// it wrote there; it does not end in .yaml, so it is no seed file.
const Marker = ".talkgraph-gen"

// ErrNotGenerated: the output directory holds files gen did not write.
var ErrNotGenerated = errors.New("directory holds files gen did not write")

// Replace writes the data set into dir as Write does, but whole or not at
// all: into a new directory beside dir, renamed into place once complete.
// dir must be absent, empty, or a directory written by gen before (it then
// replaces it, so two data sets are never mixed); otherwise it returns an
// error wrapping ErrNotGenerated that names the files and changes nothing.
func Replace(dir string, c Config) error {
	old, err := ownedFiles(dir)
	if err != nil {
		return err
	}
	parent := filepath.Dir(filepath.Clean(dir))
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".gen-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone once renamed; the leftovers of a failure otherwise
	if err := Write(tmp, c); err != nil {
		return err
	}
	if err := writeMarker(tmp); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if old == nil {
		// os.Rename does not replace a directory, even an empty one.
		if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return os.Rename(tmp, dir)
	}
	// The old one is renamed aside, not deleted, until the new one is in place.
	aside := tmp + ".old"
	if err := os.Rename(dir, aside); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return errors.Join(err, os.Rename(aside, dir))
	}
	return os.RemoveAll(aside)
}

// ownedFiles returns the files of dir when gen may replace it: nil when dir
// is absent or empty, its files when gen wrote all of them. It returns
// ErrNotGenerated otherwise.
func ownedFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0:
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	listed := map[string]bool{}
	if b, err := os.ReadFile(filepath.Join(dir, Marker)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				listed[l] = true
			}
		}
	}
	var names, foreign []string
	for _, e := range entries {
		names = append(names, e.Name())
		if e.Name() != Marker && (!listed[e.Name()] || !e.Type().IsRegular()) {
			foreign = append(foreign, e.Name())
		}
	}
	if len(listed) == 0 || len(foreign) > 0 {
		if len(foreign) == 0 {
			foreign = names
		}
		slices.Sort(foreign)
		if len(foreign) > 5 {
			foreign = append(foreign[:5], "…")
		}
		return nil, fmt.Errorf("%s: %w (%s): give a new or empty directory, or one gen wrote before", dir, ErrNotGenerated, strings.Join(foreign, ", "))
	}
	return names, nil
}

// writeMarker lists the files of dir in its marker.
func writeMarker(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# written by talkgraph gen, which replaces these files whole on its next run into this directory\n")
	for _, e := range entries {
		b.WriteString(e.Name() + "\n")
	}
	return os.WriteFile(filepath.Join(dir, Marker), []byte(b.String()), 0o644)
}
