package cli

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/talkgraph/talkgraph/internal/seed"
)

// A seed archive carries data sets to a running server: a zip holding
// manifest.json (each set's name and how its files are shown in messages)
// and, for the i-th set, its .yaml files under i/. The server validates and
// seeds them as `talkgraph seed` would, and its messages name the files as
// the client knows them.
const seedManifest = "manifest.json"

type manifestEntry struct {
	Name    string `json:"name"`
	Display string `json:"display"`
}

// writeSeedZip writes sets as a seed archive to w.
func writeSeedZip(w io.Writer, sets []*seed.Set) error {
	zw := zip.NewWriter(w)
	manifest := make([]manifestEntry, len(sets))
	for i, s := range sets {
		manifest[i] = manifestEntry{Name: s.Name, Display: s.Display}
		for _, name := range s.Files {
			if err := copyIntoZip(zw, s.FS, path.Join(s.Dir, name), path.Join(strconv.Itoa(i), name)); err != nil {
				return fmt.Errorf("pack %s: %w", path.Join(s.Display, name), err)
			}
		}
	}
	mw, err := zw.Create(seedManifest)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(mw).Encode(manifest); err != nil {
		return err
	}
	return zw.Close()
}

func copyIntoZip(zw *zip.Writer, fsys fs.FS, from, to string) error {
	f, err := fsys.Open(from)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := zw.Create(to)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f)
	return err
}

// Bounds of a seed archive: its central directory is read into memory, and
// its files are decompressed as they are validated.
const (
	maxZipFiles = 200_000
	maxZipBytes = 8 << 30
)

// checkZipSize refuses an archive of more files, or more bytes once
// decompressed, than any data set holds (a zip bomb, say), and any entry
// that is neither the manifest nor a data set's file.
func checkZipSize(zr *zip.Reader) error {
	if len(zr.File) > maxZipFiles {
		return fmt.Errorf("the seed archive holds %d files, over the %d a seed takes: seed fewer data sets at once", len(zr.File), maxZipFiles)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		dir, _, _ := strings.Cut(f.Name, "/")
		if _, err := strconv.Atoi(dir); err != nil && f.Name != seedManifest {
			return fmt.Errorf("the seed archive holds %q, which is neither its manifest nor a data set's file", f.Name)
		}
	}
	if total > maxZipBytes {
		return fmt.Errorf("the seed archive holds %d MiB once decompressed, over the %d MiB a seed takes", total>>20, maxZipBytes>>20)
	}
	return nil
}

// readSeedZip returns the data sets of a seed archive. Its errors say what
// is wrong with the archive.
func readSeedZip(r io.ReaderAt, size int64) ([]*seed.Set, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("the upload is not a seed archive: %w", err)
	}
	if err := checkZipSize(zr); err != nil {
		return nil, err
	}
	mf, err := zr.Open(seedManifest)
	if err != nil {
		return nil, fmt.Errorf("the seed archive has no %s", seedManifest)
	}
	defer mf.Close()
	var manifest []manifestEntry
	if err := json.NewDecoder(io.LimitReader(mf, 1<<20)).Decode(&manifest); err != nil {
		return nil, fmt.Errorf("the seed archive's %s: %w", seedManifest, err)
	}
	if len(manifest) == 0 {
		return nil, fmt.Errorf("the seed archive holds no data set")
	}
	sets := make([]*seed.Set, len(manifest))
	for i, m := range manifest {
		dir := strconv.Itoa(i)
		entries, err := fs.ReadDir(zr, dir)
		if err != nil {
			return nil, fmt.Errorf("the seed archive has no files for data set %q", m.Name)
		}
		var files []string
		for _, e := range entries {
			if e.Type().IsRegular() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
				files = append(files, e.Name())
			}
		}
		sets[i] = &seed.Set{Name: m.Name, FS: zr, Dir: dir, Display: m.Display, Files: files}
	}
	return sets, nil
}
