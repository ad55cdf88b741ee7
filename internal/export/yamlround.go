package export

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// seedFileSource is a Source that keeps the seed files its data sets were
// seeded from (*graph.Tx does): the YAML export then writes each data set
// back into its own files.
type seedFileSource interface {
	Source
	Datasets() ([]graph.DatasetInfo, error)
	DatasetFiles(set string) ([]graph.SeedFile, error)
	DatasetNode(set, id string) (*graph.Node, error)
}

// roundSet is a data set written back into the files it was seeded from:
// each node and edge in its file and place, as it was written while its
// content is the same, its changed fields rewritten, what was deleted
// left out, what is new added to the file that holds the most of its kind
// (relations: of its start, else of its type). A file is read twice, to
// know what it holds and to write it, so that only one file's layout is in
// memory at a time.
type roundSet struct {
	name  string
	files []graph.SeedFile
	stats []fileStats // by file
	// placed holds, by id and edge key, what the files hold.
	placed map[string]*placed
	// nodes and edges are what the store holds of the data set that
	// differs from its files, by id and by edge key (edges with the set's
	// evidence only).
	nodes map[string]*graph.Node
	edges map[string]graph.Edge
	// newNodes and newEdges are in the store but in none of the files.
	newNodes []*graph.Node
	newEdges []graph.Edge
}

// fileStats is what a file's lists hold, to choose where a new item goes.
type fileStats struct {
	nodes, edges bool           // the file has the list
	kinds        map[string]int // nodes by kind
	from, types  map[string]int // edges by start and by type
	all          int            // edges
}

// placed is an item of the files: a digest of its content, and whether
// the store still holds it.
type placed struct {
	digest [sha256.Size]byte
	held   bool
}

// nodeDigest and edgeDigest digest what a node or an edge says (not where
// it is written, nor how): the same in a file and in the store is the
// same item.
func nodeDigest(n *graph.Node) [sha256.Size]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q %q", n.ID, n.Kind, n.Name, n.Aliases)
	for _, m := range []map[string]string{n.Description, n.Props} {
		for _, k := range sortedKeys(m) {
			fmt.Fprintf(h, " %q=%q", k, m[k])
		}
		h.Write([]byte{0})
	}
	return [sha256.Size]byte(h.Sum(nil))
}

func edgeDigest(evs []graph.Evidence) [sha256.Size]byte {
	h := sha256.New()
	for _, ev := range evs {
		fmt.Fprintf(h, "%q %q\n", ev.Source, ev.Quote)
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// edgeKey names an edge in canonical direction.
func edgeKey(e graph.Edge) string {
	if c, ok := e.Canonical(); ok {
		e = c
	}
	return e.From + "\x00" + e.Type + "\x00" + e.To
}

// roundSets returns the data sets of src that can be written back into
// their files, by name; none when src keeps no files.
func roundSets(src Source) (map[string]*roundSet, error) {
	out := map[string]*roundSet{}
	fs, ok := src.(seedFileSource)
	if !ok {
		return out, nil
	}
	infos, err := fs.Datasets()
	if err != nil {
		return nil, err
	}
	for _, info := range infos {
		files, err := fs.DatasetFiles(info.Name)
		if err != nil {
			return nil, err
		}
		if rs := newRoundSet(info.Name, files); rs != nil {
			out[info.Name] = rs
		}
	}
	return out, nil
}

// newRoundSet reads what the files of a data set hold; nil when it has
// none, or one is not laid out so that it can be patched.
func newRoundSet(name string, files []graph.SeedFile) *roundSet {
	if len(files) == 0 {
		return nil
	}
	rs := &roundSet{name: name, files: files, placed: map[string]*placed{}, nodes: map[string]*graph.Node{}, edges: map[string]graph.Edge{}}
	for _, sf := range files {
		f, ok := readRawFile(sf.Name, sf.Data)
		if !ok {
			return nil
		}
		st := fileStats{kinds: map[string]int{}, from: map[string]int{}, types: map[string]int{}}
		if l := f.lists["nodes"]; l != nil {
			st.nodes = true
			for _, it := range l.items {
				rs.placed[it.node.ID] = &placed{digest: nodeDigest(it.node)}
				st.kinds[string(it.node.Kind)]++
			}
		}
		if l := f.lists["edges"]; l != nil {
			st.edges = true
			for _, it := range l.items {
				rs.placed[edgeKey(*it.edge)] = &placed{digest: edgeDigest(it.edge.Evidence)}
				c, _ := it.edge.Canonical()
				st.from[c.From]++
				st.types[c.Type]++
				st.all++
			}
		}
		rs.stats = append(rs.stats, st)
	}
	return rs
}

// addNode takes the set's definition of a node from the store, kept only
// when its file says something else or holds none.
func (rs *roundSet) addNode(n *graph.Node) {
	p := rs.placed[n.ID]
	switch {
	case p == nil:
		rs.newNodes = append(rs.newNodes, n)
	case nodeDigest(n) != p.digest:
		rs.nodes[n.ID] = n
		fallthrough
	default:
		p.held = true
	}
}

// addEdge takes an edge with the set's evidence from the store, kept only
// when its file says something else or holds none.
func (rs *roundSet) addEdge(e graph.Edge) {
	k := edgeKey(e)
	p := rs.placed[k]
	switch {
	case p == nil:
		rs.newEdges = append(rs.newEdges, e)
	case edgeDigest(e.Evidence) != p.digest:
		rs.edges[k] = e
		fallthrough
	default:
		p.held = true
	}
}

// write adds the set's files to out, and its new items that no file of
// the set holds the like of to add (files written afresh).
func (rs *roundSet) write(out map[string][]byte, add func(set, base, list, item string)) error {
	extra := map[[2]string][]string{} // by file name and list
	for _, n := range rs.newNodes {
		item, err := encodeItem(nodeYAML(n))
		if err != nil {
			return fmt.Errorf("encode node %s: %w", n.ID, err)
		}
		if i := rs.target(func(st fileStats) int { return st.kinds[string(n.Kind)] }, false); i >= 0 {
			k := [2]string{rs.files[i].Name, "nodes"}
			extra[k] = append(extra[k], item)
		} else {
			add(rs.name, rs.freshName(string(n.Kind)), "nodes", item)
		}
	}
	for _, e := range rs.newEdges {
		item, err := encodeItem(edgeYAML(e))
		if err != nil {
			return fmt.Errorf("encode edge %s %s %s: %w", e.From, e.Type, e.To, err)
		}
		if i := rs.edgeTarget(e); i >= 0 {
			k := [2]string{rs.files[i].Name, "edges"}
			extra[k] = append(extra[k], item)
		} else {
			add(rs.name, rs.freshName("edges"), "edges", item)
		}
	}
	for _, sf := range rs.files {
		f, _ := readRawFile(sf.Name, sf.Data)
		b, err := rs.writeFile(f, extra)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", rs.name, f.name, err)
		}
		out[rs.name+"/"+f.name] = b
	}
	return nil
}

// freshName is the base of a new file for items of base: base itself
// unless a file of the set has that name.
func (rs *roundSet) freshName(base string) string {
	for _, f := range rs.files {
		if strings.TrimSuffix(f.Name, ".yaml") == base {
			return base + "-added"
		}
	}
	return base
}

// edgeTarget is the file holding the most edges from e's start, else of
// e's type, else the most edges; -1 when no file holds an edge.
func (rs *roundSet) edgeTarget(e graph.Edge) int {
	for _, count := range []func(fileStats) int{
		func(st fileStats) int { return st.from[e.From] },
		func(st fileStats) int { return st.types[e.Type] },
		func(st fileStats) int { return st.all },
	} {
		if i := rs.target(count, true); i >= 0 {
			return i
		}
	}
	return -1
}

// target is the file (of those with an edges list when edges is set, else
// a nodes list) that count gives the most, the first on a tie; -1 when
// count gives every file none.
func (rs *roundSet) target(count func(fileStats) int, edges bool) int {
	best, most := -1, 0
	for i, st := range rs.stats {
		if (edges && !st.edges) || (!edges && !st.nodes) {
			continue
		}
		if n := count(st); n > most {
			best, most = i, n
		}
	}
	return best
}

// writeFile writes f back: its text as it was, each item as it was or
// patched, deleted items left out with the blank lines around them (their
// comments kept), and the new items of each list after its last item.
func (rs *roundSet) writeFile(f *rawFile, extra map[[2]string][]string) ([]byte, error) {
	var b strings.Builder
	raw := func(sp span) {
		for _, l := range f.lines[sp.from:sp.to] {
			b.WriteString(l)
		}
	}
	kept := map[*rawList]int{} // items written, by list
	strip := false             // drop the blank lines of the next gap
	for i, sg := range f.segs {
		if sg.item == nil {
			if sg.header {
				raw(sg.span)
			}
			continue
		}
		gap := f.segs[i-1]
		text, ok, err := rs.item(f, sg.item)
		if err != nil {
			return nil, err
		}
		switch {
		case !ok && !gap.header && f.hasComment(gap.span):
			writeGap(&b, f, gap.span, strip)
			strip = true
		case !ok:
		default:
			if !gap.header {
				writeGap(&b, f, gap.span, strip || kept[sg.list] == 0)
			}
			b.WriteString(text)
			kept[sg.list]++
			strip = false
		}
		if i == sg.list.last {
			for _, item := range extra[[2]string{f.name, sg.list.key}] {
				item = reindent(item, sg.list.dashCol)
				if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
					b.WriteString("\n")
				}
				if sg.list.blankSep && kept[sg.list] > 0 {
					b.WriteString("\n")
				}
				b.WriteString(item)
				kept[sg.list]++
			}
		}
	}
	return []byte(b.String()), nil
}

// writeGap writes the lines of a gap, without its blank lines when strip
// is set.
func writeGap(b *strings.Builder, f *rawFile, sp span, strip bool) {
	for _, l := range f.lines[sp.from:sp.to] {
		if !strip || !blank(l) {
			b.WriteString(l)
		}
	}
}

// item returns the text of a file's item as the store now holds it: the
// file's own text when nothing changed; ok is false when the store holds
// it no more.
func (rs *roundSet) item(f *rawFile, it *rawItem) (string, bool, error) {
	if it.node != nil {
		if !rs.placed[it.node.ID].held {
			return "", false, nil
		}
		n := rs.nodes[it.node.ID]
		if n == nil || nodeSame(it.node, n) {
			return f.text(it.span), true, nil
		}
		s, err := rs.patchNode(f, it, n)
		return s, true, err
	}
	k := edgeKey(*it.edge)
	if !rs.placed[k].held {
		return "", false, nil
	}
	e, ok := rs.edges[k]
	if !ok || evidenceSame(it.edge.Evidence, e.Evidence) {
		return f.text(it.span), true, nil
	}
	written := graph.Edge{From: it.edge.From, Type: it.edge.Type, To: it.edge.To, Evidence: e.Evidence}
	s, err := rs.patchEdge(f, it, written)
	return s, true, err
}

// text is the lines of sp.
func (f *rawFile) text(sp span) string { return strings.Join(f.lines[sp.from:sp.to], "") }
