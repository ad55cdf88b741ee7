package seed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"path"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// Defaults of a Loader.
const (
	DefaultMaxFileSize = 16 << 20
	// defaultCacheBytes: inputs up to this size are parsed once and kept
	// between passes; larger ones are parsed again in each pass, none kept,
	// so memory stays bounded by the largest file.
	defaultCacheBytes = 16 << 20
)

// Loader validates data sets and seeds them into a store.
type Loader struct {
	// Store is checked for ids and references of data sets already seeded,
	// and written by Seed. It may be nil for Validate.
	Store *graph.Store
	// MaxFileSize refuses bigger files (default DefaultMaxFileSize).
	MaxFileSize int64
	// Force re-seeds a data set even when its files have not changed.
	Force bool
	// Progress, when set, is called as files are read and written, often:
	// the caller decides what to show and when.
	Progress func(Progress)

	cacheBytes int64
}

// Progress reports how far a seed has come: in its phase, Done of Total
// units.
type Progress struct {
	Set string
	// Phase is "validate" (the files read and their nodes checked), "load"
	// (read again, their edges checked and the changes spooled), or
	// "write" (the changes sorted and written).
	Phase       string
	Done, Total int64
	Unit        string // "bytes" (of files) or "keys"
	File, Files int    // in "validate" and "load"
}

// NewLoader returns a Loader with defaults set.
func NewLoader(store *graph.Store) *Loader {
	return &Loader{Store: store, MaxFileSize: DefaultMaxFileSize, cacheBytes: defaultCacheBytes}
}

// plan is what validation learned: the ids each set defines and, for small
// inputs, the parsed files.
type plan struct {
	sets    []*Set
	ids     *idTable
	hashes  map[string]string
	refs    map[string]map[string][]string // set -> other set -> ids
	parsed  map[string]*file               // by display path; nil when not cached
	digests map[string][sha256.Size]byte   // of each file as first read
	// unparsed holds the files that did not parse, which may define ids
	// that other files refer to.
	unparsed map[string]*file
	bytes    int64
	sizes    map[string]int64 // bytes of each set's files, for progress
}

func newPlan(sets []*Set) *plan {
	return &plan{sets: sets, ids: newIDTable(), hashes: map[string]string{}, refs: map[string]map[string][]string{},
		parsed: map[string]*file{}, digests: map[string][sha256.Size]byte{}, unparsed: map[string]*file{}, sizes: map[string]int64{}}
}

// Validate checks the sets against each other and against the data sets
// already in the store, without writing. It returns Problems listing every
// problem found, or another error when a file cannot be read.
func (l *Loader) Validate(ctx context.Context, sets []*Set) error {
	_, err := l.validate(ctx, sets)
	return err
}

func (l *Loader) validate(ctx context.Context, sets []*Set) (*plan, error) {
	pl := newPlan(sets)
	c := &problems{}
	names := map[string]bool{}
	pl.sets = nil
	for _, s := range sets {
		s.checkName(c)
		if names[s.Name] {
			c.add(Pos{File: s.Display}, "data set %s is given twice: give each directory once", s.Name)
			continue
		}
		names[s.Name] = true
		pl.sets = append(pl.sets, s)
	}
	if err := l.passNodes(ctx, pl, c); err != nil {
		return nil, err
	}
	if err := l.passEdges(ctx, pl, c); err != nil {
		return nil, err
	}
	if err := l.checkReferences(ctx, pl, c); err != nil {
		return nil, err
	}
	if len(c.list) > 0 {
		return nil, c.done()
	}
	return pl, nil
}

// eachFile reads and parses every file of s in order, from the cache when
// it holds them, other cores reading ahead (see readahead.go).
func (l *Loader) eachFile(ctx context.Context, pl *plan, s *Set, phase string, c *problems, h hash.Hash, fn func(*file) error) error {
	var done, total int64
	if l.Progress != nil {
		total = pl.setBytes(s)
	}
	keep := pl.small(l.cacheBytes)
	cached := make([]*file, len(s.Files)) // read here, not by the readers: the loop adds to the cache
	for i, name := range s.Files {
		cached[i] = pl.parsed[s.path(name)]
	}
	ra := l.startReadAhead(s, cached, h != nil)
	defer ra.close()
	for i, name := range s.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, _ := ra.next()
		if p.err != nil {
			return p.err
		}
		f, disp := p.f, s.path(name)
		if cached[i] == nil {
			c.list = append(c.list, p.c.list...)
			if h != nil && p.read {
				fmt.Fprintf(h, "%s\x00%d\x00", name, len(p.data))
				h.Write(p.data)
			}
			if pl.bytes += f.size; keep && pl.bytes <= l.cacheBytes {
				pl.parsed[disp] = f
			}
			// A file read again must be the file checked before.
			if d, ok := pl.digests[disp]; ok && d != f.digest {
				return fmt.Errorf("%s changed during the seed: run it again", disp)
			}
			pl.digests[disp] = f.digest
			if f.unparsed {
				pl.unparsed[disp] = f
			}
		}
		if err := fn(f); err != nil {
			return err
		}
		if l.Progress != nil {
			done += f.size
			l.Progress(Progress{Set: s.Name, Phase: phase, Done: done, Total: max(total, done), Unit: "bytes", File: i + 1, Files: len(s.Files)})
		}
	}
	return nil
}

// small reports whether the files of every set fit in budget bytes: a
// larger input keeps none of its files parsed (each parsed file holds
// several times its bytes, and the first 16 MB of a large set held 60 MB
// for the whole seed).
func (pl *plan) small(budget int64) bool {
	var n int64
	for _, s := range pl.sets {
		if n += pl.setBytes(s); n > budget {
			return false
		}
	}
	return true
}

// setBytes returns the bytes of a set's files, as the file system says.
func (pl *plan) setBytes(s *Set) int64 {
	if n, ok := pl.sizes[s.Name]; ok {
		return n
	}
	var n int64
	for _, name := range s.Files {
		if info, err := fs.Stat(s.FS, path.Join(s.Dir, name)); err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
	}
	pl.sizes[s.Name] = n
	return n
}

// watch passes a data set writer's progress on as the "write" phase.
func (l *Loader) watch(w *graph.DatasetWriter, set string) {
	if l.Progress == nil {
		return
	}
	w.Progress = func(p graph.WriteProgress) {
		l.Progress(Progress{Set: set, Phase: "write", Done: p.Done, Total: p.Total, Unit: "keys"})
	}
}

// readFile reads and parses a file, adding its problems to c; it returns
// its bytes when it could read them (read), for the set's hash.
func (l *Loader) readFile(s *Set, name string, c *problems) (f *file, data []byte, read bool, err error) {
	disp := s.path(name)
	p := path.Join(s.Dir, name)
	info, err := fs.Stat(s.FS, p)
	if err != nil {
		return nil, nil, false, fmt.Errorf("read %s: %w", disp, err)
	}
	// Opening a named pipe blocks until something writes to it, and a
	// device may never end: only regular files are opened (a symbolic link
	// to one is followed).
	if !info.Mode().IsRegular() {
		c.addUnreadable(Pos{File: disp}, "%s, not a regular file: a seed file must be a regular file; remove it or rename it so it does not end in .yaml", describeMode(info.Mode()))
		return &file{name: disp}, nil, false, nil
	}
	if max := l.maxFileSize(); info.Size() > max {
		c.addUnreadable(Pos{File: disp}, "file is %d bytes, more than the limit of %d: split it into smaller files", info.Size(), max)
		return &file{name: disp, unparsed: true}, nil, false, nil
	}
	data, err = fs.ReadFile(s.FS, p)
	if err != nil {
		return nil, nil, false, fmt.Errorf("read %s: %w", disp, err)
	}
	f = parseFile(disp, data, c)
	f.base, f.data = name, data
	f.size, f.digest = int64(len(data)), sha256.Sum256(data)
	return f, data, true, nil
}

func (l *Loader) maxFileSize() int64 {
	if l.MaxFileSize > 0 {
		return l.MaxFileSize
	}
	return DefaultMaxFileSize
}

// passNodes checks every node on its own and collects the ids.
func (l *Loader) passNodes(ctx context.Context, pl *plan, c *problems) error {
	for _, s := range pl.sets {
		h := sha256.New()
		err := l.eachFile(ctx, pl, s, "validate", c, h, func(f *file) error {
			for _, it := range f.nodes {
				l.checkNode(ctx, pl, s, it, c)
			}
			return nil
		})
		if err != nil {
			return err
		}
		pl.hashes[s.Name] = hex.EncodeToString(h.Sum(nil))
	}
	return nil
}

func (l *Loader) checkNode(ctx context.Context, pl *plan, s *Set, it item, c *problems) {
	n := it.node
	for _, p := range graph.CheckNode(n) {
		if !it.followsFrom(p.Field) {
			c.add(it.at(p.Field), "%s", p.Msg)
		}
	}
	if n.ID == "" {
		return
	}
	// A node of an unknown kind (reported above) still defines its id, so
	// edges that name it report nothing; no check compares its kind.
	known := n.Kind.Valid()
	if prev, dup := pl.ids.get(n.ID); dup {
		switch {
		case prev.has(s.Name):
			c.add(it.at("id"), "duplicate id %q: it is already defined at %s; rename one or merge them", n.ID, prev.pos)
		case prev.kind != n.Kind && known && prev.kind.Valid():
			c.add(it.at("kind"), "%s is %s here and %s in data set %s (%s): data sets that define the same id must give it one kind; use another id for one of them", n.ID, graph.AKind(n.Kind), graph.AKind(prev.kind), prev.set, prev.pos)
		default:
			pl.ids.addSet(n.ID, s.Name)
		}
		return
	}
	info := idInfo{kind: n.Kind, set: s.Name, pos: it.at("id")}
	if l.Store != nil {
		k, sets, ok, err := l.Store.NodeSets(ctx, n.ID)
		others := pl.outside(sets)
		if err == nil && ok && len(others) > 0 {
			if k != n.Kind && known {
				c.add(it.at("kind"), "%s is %s here and %s in data set %s: data sets that define the same id must give it one kind; use another id, or refer to it instead of defining it", n.ID, graph.AKind(n.Kind), graph.AKind(k), strings.Join(others, ", "))
			}
			info.more = append(info.more, others...)
		}
	}
	pl.ids.put(n.ID, info)
}

// outside returns the sets that are not part of this run.
func (pl *plan) outside(sets []string) []string {
	var out []string
	for _, s := range sets {
		if !pl.inRun(s) {
			out = append(out, s)
		}
	}
	return out
}

func (pl *plan) inRun(set string) bool {
	for _, s := range pl.sets {
		if s.Name == set {
			return true
		}
	}
	return false
}

// describeMode says what kind of file a non-regular mode is.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "it is a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "it is a socket"
	case m&fs.ModeDevice != 0:
		return "it is a device"
	case m.IsDir():
		return "it is a directory"
	default:
		return "it is a special file"
	}
}
