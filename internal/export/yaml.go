package export

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// Limits of one seed file the YAML export writes; the loader refuses files
// over 16 MiB.
const (
	MaxItemsPerFile = 2000
	MaxFileBytes    = 8 << 20
)

// ErrExists is returned by WriteYAML when a data set's directory already
// holds seed files and force is false.
var ErrExists = errors.New("the directory already holds seed files")

// yamlGroup is the items of one file name before it is split in parts.
type yamlGroup struct {
	set, base, list string // list is "nodes" or "edges"
	items           []string
}

// YAMLFiles returns the seed files that hold src, by slash-separated path
// relative to the export directory, one directory per data set.
//
// A data set seeded from files that src keeps (a *graph.Tx keeps them) is
// written back into those files: each node and edge in its file and place,
// byte for byte as it was while its content is the same, a changed one
// with its changed fields written anew (the others, and the comments, as
// they were), a deleted one left out; a node or edge no file holds goes to
// the file that holds the most of its kind (an edge: from the same node,
// else of the same type). So exporting an unchanged database gives its
// files back, and one change a diff of a few lines.
//
// Other data sets (made through the API, or from a Source that keeps no
// files) are written afresh: nodes in <set>/<kind>.yaml, edges in
// <set>/edges.yaml, each split into <name>-001.yaml, <name>-002.yaml… past
// MaxItemsPerFile items or MaxFileBytes bytes, items in id and (from,
// type, to) order and fields in a fixed order, so the same graph always
// gives the same bytes. A node goes to its data set (to each, merged, when
// several define it); an edge goes to every data set whose evidence
// asserts it, with that set's evidence. It returns the Source's error or
// an encoding error.
func YAMLFiles(src Source) (map[string][]byte, error) {
	rounds, err := roundSets(src)
	if err != nil {
		return nil, err
	}
	groups := map[string]*yamlGroup{}
	add := func(set, base, list, item string) {
		k := set + "/" + base
		if groups[k] == nil {
			groups[k] = &yamlGroup{set: set, base: base, list: list}
		}
		groups[k].items = append(groups[k].items, item)
	}
	err = src.EachNode(func(n *graph.Node) error {
		if n.Dataset == "" {
			return fmt.Errorf("node %s belongs to no data set", n.ID)
		}
		sets := n.Datasets // a node several data sets define goes to each
		if len(sets) == 0 {
			sets = []string{n.Dataset}
		}
		var item string
		for _, set := range sets {
			if rs := rounds[set]; rs != nil {
				def, err := setDefinition(src, set, n)
				if err != nil {
					return err
				}
				rs.addNode(def)
				continue
			}
			if item == "" {
				if item, err = encodeItem(nodeYAML(n)); err != nil {
					return fmt.Errorf("encode node %s: %w", n.ID, err)
				}
			}
			add(set, string(n.Kind), "nodes", item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = src.EachEdge(func(e graph.Edge) error {
		for _, part := range bySet(e) {
			if rs := rounds[part.Evidence[0].Dataset]; rs != nil {
				rs.addEdge(part)
			} else if err := addEdge(part, add); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, name := range slices.Sorted(maps.Keys(rounds)) {
		if err := rounds[name].write(files, add); err != nil {
			return nil, err
		}
	}
	for _, g := range groups {
		g.files(files)
	}
	return files, nil
}

// setDefinition returns data set set's own definition of n: n itself
// unless several data sets define it.
func setDefinition(src Source, set string, n *graph.Node) (*graph.Node, error) {
	if len(n.Datasets) <= 1 {
		return n, nil
	}
	def, err := src.(seedFileSource).DatasetNode(set, n.ID)
	if err != nil {
		return nil, fmt.Errorf("node %s of data set %s: %w", n.ID, set, err)
	}
	return def, nil
}

// addEdge encodes the part of an edge one data set asserts.
func addEdge(part graph.Edge, add func(set, base, list, item string)) error {
	if part.Evidence[0].Dataset == "" {
		return fmt.Errorf("edge %s %s %s has evidence of no data set", part.From, part.Type, part.To)
	}
	item, err := encodeItem(edgeYAML(part))
	if err != nil {
		return fmt.Errorf("encode edge %s %s %s: %w", part.From, part.Type, part.To, err)
	}
	add(part.Evidence[0].Dataset, "edges", "edges", item)
	return nil
}

// bySet splits an edge into one edge per data set that asserts it, each
// with that set's evidence in order.
func bySet(e graph.Edge) []graph.Edge {
	var out []graph.Edge
	at := map[string]int{}
	for _, ev := range e.Evidence {
		i, ok := at[ev.Dataset]
		if !ok {
			i = len(out)
			at[ev.Dataset] = i
			out = append(out, graph.Edge{From: e.From, Type: e.Type, To: e.To})
		}
		out[i].Evidence = append(out[i].Evidence, ev)
	}
	return out
}

// files splits the group into files and adds them to out.
func (g *yamlGroup) files(out map[string][]byte) {
	var parts [][]string
	var cur []string
	size := 0
	for _, it := range g.items {
		if len(cur) > 0 && (len(cur) == MaxItemsPerFile || size+len(it) > MaxFileBytes) {
			parts, cur, size = append(parts, cur), nil, 0
		}
		cur, size = append(cur, it), size+len(it)+1
	}
	parts = append(parts, cur)
	for i, items := range parts {
		name := g.base + ".yaml"
		if len(parts) > 1 {
			name = fmt.Sprintf("%s-%03d.yaml", g.base, i+1)
		}
		what := g.base + " nodes"
		if g.list == "edges" {
			what = "Relations"
		}
		head := fmt.Sprintf("# %s of data set %s, written by talkgraph export.\n%s:\n", what, g.set, g.list)
		out[path.Join(g.set, name)] = []byte(head + strings.Join(items, "\n"))
	}
}

// WriteYAML writes YAMLFiles(src) under dir, creating it and one directory
// per data set as needed, and returns the paths written, relative to dir
// and sorted. A data set's directory that already holds .yaml or .yml
// files is refused with ErrExists unless force is set, in which case those
// files are removed first (other files are left alone). It also refuses a
// dir that holds .yaml files itself, since the loader would read it as one
// data set. It returns the Source's error, an encoding error or the file
// system's error.
func WriteYAML(dir string, src Source, force bool) ([]string, error) {
	files, err := YAMLFiles(src)
	if err != nil {
		return nil, err
	}
	sets := map[string]bool{}
	for name := range files {
		sets[strings.SplitN(name, "/", 2)[0]] = true
	}
	if err := prepareDir(dir, slices.Sorted(maps.Keys(sets)), force); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("write seed files: %w", err)
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return nil, fmt.Errorf("write seed files: %w", err)
		}
	}
	return names, nil
}

// prepareDir checks dir and the data set directories in it, removing their
// seed files when force is set.
func prepareDir(dir string, sets []string, force bool) error {
	own, err := seedFiles(dir)
	if err != nil {
		return err
	}
	if len(own) > 0 {
		return fmt.Errorf("%s holds seed files itself (%s): the loader would read it as one data set; export to a directory of data sets", dir, strings.Join(own, ", "))
	}
	var stale []string
	for _, set := range sets {
		d := filepath.Join(dir, set)
		names, err := seedFiles(d)
		if err != nil {
			return err
		}
		for _, n := range names {
			stale = append(stale, filepath.Join(d, n))
		}
	}
	if len(stale) > 0 && !force {
		return fmt.Errorf("%s: %w (%s)", dir, ErrExists, strings.Join(stale, ", "))
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("replace seed files: %w", err)
		}
	}
	return nil
}

// seedFiles lists the .yaml and .yml files in dir; a missing dir has none.
func seedFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}
