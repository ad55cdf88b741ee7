// Package importer turns a published conference programme (frab schedule
// XML, frab or pretalx schedule JSON, Sessionize "All data" JSON) into one
// data set of ordinary seed files, checked by the seed loader's validation
// before anything is written.
//
// What becomes what: the conference is a conference node, every event a
// talk part_of it, every person a person who gave it, and the file itself a
// source node that every edge's evidence points to, with the title or the
// persons line as its quote. Ids are stable slugs, so the same file always
// gives the same bytes.
package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Format names an input format.
type Format string

// The formats Import reads.
const (
	FrabXML    Format = "frab-xml"
	FrabJSON   Format = "frab-json"
	Sessionize Format = "sessionize"
)

// Formats lists the formats in the order help texts show them.
var Formats = []Format{FrabXML, FrabJSON, Sessionize}

// MaxFileSize caps an input file: the largest real programmes (a CCC
// congress, FOSDEM) are a few MB, and the whole file is held in memory.
const MaxFileSize = 32 << 20

// MaxDepth caps the nesting of elements (XML) or of objects and arrays
// (JSON): a schedule needs about ten levels, and the decoders recurse.
const MaxDepth = 64

// ErrInput marks a problem with an input file (it cannot be read, or its
// content is wrong); its message names the file and the place.
var ErrInput = errors.New("bad input")

// ParseFormat returns the format named s, or an error listing the formats.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", s, FormatList())
}

// FormatList returns the format names joined by ", ".
func FormatList() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// Detect tells the format from the content: XML whose root is <schedule>,
// JSON with a "schedule" object (frab/pretalx) or with "sessions" and
// "speakers" lists (Sessionize). It returns an error wrapping ErrInput when
// the content is none of these.
func Detect(name string, data []byte) (Format, error) {
	s := bytes.TrimLeft(data, "\ufeff \t\r\n")
	switch {
	case bytes.HasPrefix(s, []byte("<")):
		return FrabXML, nil
	case bytes.HasPrefix(s, []byte("{")):
		head := s[:min(len(s), 4096)]
		if bytes.Contains(head, []byte(`"schedule"`)) {
			return FrabJSON, nil
		}
		if bytes.Contains(data, []byte(`"sessions"`)) && bytes.Contains(data, []byte(`"speakers"`)) {
			return Sessionize, nil
		}
		return "", fmt.Errorf("%s: %w: a JSON object with neither a \"schedule\" object (frab, pretalx) nor \"sessions\" and \"speakers\" lists (Sessionize): give a schedule export, or name the format with --format", name, ErrInput)
	case bytes.HasPrefix(s, []byte("[")):
		return "", fmt.Errorf("%s: %w: a JSON list, not a schedule: for Sessionize, export the \"All data\" view (an object with sessions, speakers, categories, rooms)", name, ErrInput)
	}
	return "", fmt.Errorf("%s: %w: neither XML nor JSON: give a schedule.xml, schedule.json or Sessionize \"All data\" export", name, ErrInput)
}

// ReadFile reads an input file, refusing one over MaxFileSize. It reads a
// MiB at a time, and returns an error wrapping ErrInterrupted when ctx
// ends.
func ReadFile(ctx context.Context, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: %w: a directory; give the programme file", path, ErrInput)
	} else if err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	tooBig := fmt.Errorf("%s: %w: the file is over %d MiB, the import's limit: split the programme by day, or check it is a schedule", path, ErrInput, MaxFileSize>>20)
	if size > MaxFileSize {
		return nil, tooBig
	}
	data := make([]byte, 0, size+1)
	for {
		if err := interrupted(ctx); err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):min(cap(data), len(data)+1<<20)])
		data = data[:len(data)+n]
		if len(data) > MaxFileSize {
			return nil, tooBig
		}
		if errors.Is(err, io.EOF) {
			return data, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
}

// Parse reads a programme of format f (Detect's when f is ""). name is the
// file's name as messages show it. It returns an error wrapping ErrInput
// that names the place (line, or JSON path) of what is wrong, a file past
// the caps (MaxEvents, MaxPersonsPerEvent, MaxPersons, MaxListItems)
// included, and one wrapping ErrInterrupted when ctx ends.
func Parse(ctx context.Context, name string, data []byte, f Format) (*Programme, error) {
	if f == "" {
		var err error
		if f, err = Detect(name, data); err != nil {
			return nil, err
		}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte order mark some editors write
	if off := invalidUTF8(data); off >= 0 {
		line, col := lineCol(data, off)
		return nil, fmt.Errorf("%s:%d:%d: %w: invalid UTF-8: save the file as UTF-8", name, line, col, ErrInput)
	}
	var p *Programme
	var err error
	switch f {
	case FrabXML:
		p, err = parseFrabXML(ctx, name, data)
	case FrabJSON:
		p, err = parseFrabJSON(ctx, name, data)
	case Sessionize:
		p, err = parseSessionize(ctx, name, data)
	default:
		return nil, fmt.Errorf("unknown format %q: use one of %s", f, FormatList())
	}
	if err != nil {
		return nil, err
	}
	p.Format, p.File = f, filepath.Base(name)
	return p, nil
}
