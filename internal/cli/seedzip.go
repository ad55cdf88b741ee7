package cli

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

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
	// Opening a named pipe blocks until something writes to it: only
	// regular files are sent (a link to one is followed), as the loader
	// reads only those.
	if info, err := fs.Stat(fsys, from); err != nil {
		return err
	} else if !info.Mode().IsRegular() {
		return fmt.Errorf("not a regular file (%v): a seed file must be a regular file; remove it or rename it so it does not end in .yaml", info.Mode().Type())
	}
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

// Bounds of a seed archive, checked from its directory before any file is
// read: past them the upload is refused (413). A file's declared size is
// what the zip reader lets through, so the sizes cannot lie.
const (
	maxZipSets  = 1000    // data sets
	maxZipFiles = 20_000  // entries
	maxZipBytes = 2 << 30 // bytes once decompressed, in all
	maxZipRatio = 100     // how many times an entry may expand…
	zipRatioMin = 1 << 20 // …once past this size: YAML compresses about 5 to 20 times
	maxDisplay  = 4096    // bytes of a data set's name as messages show it
)

// errZipTooLarge marks an archive past the bounds.
var errZipTooLarge = errors.New("the seed archive is too large")

// checkZipSize refuses an archive of more files, data sets or bytes once
// decompressed than a seed takes (a zip bomb, say), before reading any of
// it, with an error wrapping errZipTooLarge; and any entry that is neither
// the manifest nor a file of a data set's directory. It returns how many
// data sets the directories name (the highest i of an "i/" directory, plus
// one).
func checkZipSize(zr *zip.Reader) (int, error) {
	if len(zr.File) > maxZipFiles {
		return 0, fmt.Errorf("%w: it holds %d files, over the %d a seed takes: seed fewer data sets at once", errZipTooLarge, len(zr.File), maxZipFiles)
	}
	var total uint64
	dirs, sets := map[int]bool{}, 0
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > zipRatioMin && f.UncompressedSize64/maxZipRatio > f.CompressedSize64 {
			return 0, fmt.Errorf("%w: %s expands %d times (%d MiB): no seed file compresses that well; is it a zip bomb?", errZipTooLarge, strconv.Quote(f.Name), f.UncompressedSize64/max(1, f.CompressedSize64), f.UncompressedSize64>>20)
		}
		if f.Name == seedManifest {
			continue
		}
		i, ok := setEntry(f.Name)
		if !ok {
			return 0, fmt.Errorf("the seed archive holds %s, which is neither its manifest nor a file of a data set's directory", strconv.Quote(f.Name))
		}
		sets = max(sets, i+1)
		if dirs[i] = true; len(dirs) > maxZipSets {
			return 0, fmt.Errorf("%w: it holds over %d data sets, the most a seed takes: seed them in several runs", errZipTooLarge, maxZipSets)
		}
	}
	if total > maxZipBytes {
		return 0, fmt.Errorf("%w: it holds %d MiB once decompressed, over the %d MiB a seed takes: seed fewer data sets at once, or with the server stopped", errZipTooLarge, total>>20, maxZipBytes>>20)
	}
	return sets, nil
}

// setEntry returns i of an entry "i/name" (a file) or "i/" (the directory).
func setEntry(name string) (int, bool) {
	dir, base, ok := strings.Cut(name, "/")
	i, err := strconv.Atoi(dir)
	if !ok || err != nil || i < 0 || strconv.Itoa(i) != dir {
		return 0, false
	}
	return i, base == "" || fs.ValidPath(base) && !strings.ContainsAny(base, "/\\")
}

// readSeedZip returns the data sets of a seed archive, each listed as a
// local seed lists a directory (seed.OneSet): a data set with no .yaml file
// is refused, never seeded empty. Its errors say what is wrong with the
// archive; one past the bounds wraps errZipTooLarge.
func readSeedZip(r io.ReaderAt, size int64) ([]*seed.Set, error) {
	if err := checkZipDirectory(r, size); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("the upload is not a seed archive: %w", err)
	}
	dirs, err := checkZipSize(zr)
	if err != nil {
		return nil, err
	}
	manifest, err := readManifest(zr)
	if err != nil {
		return nil, err
	}
	if dirs > len(manifest) {
		return nil, fmt.Errorf("the seed archive holds files under %d/, and its manifest names %d data sets: each file must be of one of them", dirs-1, len(manifest))
	}
	sets := make([]*seed.Set, len(manifest))
	for i, m := range manifest {
		if sets[i], err = seed.OneSet(zr, strconv.Itoa(i), m.Name, m.Display); err != nil {
			return nil, err
		}
	}
	return sets, nil
}

func readManifest(zr *zip.Reader) ([]manifestEntry, error) {
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
	if len(manifest) > maxZipSets {
		return nil, fmt.Errorf("%w: it names %d data sets, over the %d a seed takes: seed them in several runs", errZipTooLarge, len(manifest), maxZipSets)
	}
	for i, m := range manifest {
		if m.Display == "" || len(m.Display) > maxDisplay || !utf8.ValidString(m.Display) {
			return nil, fmt.Errorf("the seed archive's %s: data set %d has no name to show in messages, or one over %d bytes", seedManifest, i, maxDisplay)
		}
	}
	return manifest, nil
}

// checkZipDirectory reads the end record of a zip archive and refuses one
// whose directory lists more than maxZipFiles entries before the zip
// reader allocates them all. An archive with more than 65,535 entries
// (zip64) is over that bound anyway.
func checkZipDirectory(r io.ReaderAt, size int64) error {
	const endLen, endSig = 22, "PK\x05\x06"
	tail := make([]byte, min(size, endLen+65535))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the upload: %w", err)
	}
	i := bytes.LastIndex(tail, []byte(endSig))
	if i < 0 || len(tail)-i < endLen {
		return fmt.Errorf("the upload is not a seed archive: it has no zip directory")
	}
	if n := binary.LittleEndian.Uint16(tail[i+10:]); n > maxZipFiles {
		return fmt.Errorf("%w: it holds %d files, over the %d a seed takes: seed fewer data sets at once", errZipTooLarge, n, maxZipFiles)
	}
	return nil
}
