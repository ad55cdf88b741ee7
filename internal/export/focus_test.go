package export_test

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// hopSet computes the ids within depth hops of focus from the whole edge
// list, independently of Neighbourhood.
func hopSet(edges []graph.Edge, focus string, depth int) map[string]bool {
	in := map[string]bool{focus: true}
	for range depth {
		next := maps.Clone(in)
		for _, e := range edges {
			if in[e.From] || in[e.To] {
				next[e.From], next[e.To] = true, true
			}
		}
		in = next
	}
	return in
}

func TestNeighbourhood(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, cases[0].fsys, cases[0].display))
	_, all := contents(t, tx)
	for _, c := range []struct {
		focus string
		depth int
	}{
		{"kafka", 0},
		{"kafka", 1},
		{"kafka", 2},
		{"article-dotscale-2017-fr", 1},
		{"dotscale-2017", 3},
	} {
		t.Run(fmt.Sprintf("%s/depth-%d", c.focus, c.depth), func(t *testing.T) {
			g, err := export.Neighbourhood(tx, c.focus, c.depth)
			if err != nil {
				t.Fatal(err)
			}
			hops := hopSet(all, c.focus, c.depth)
			var wantEdges []graph.Edge
			want := maps.Clone(hops)
			for _, e := range all {
				if hops[e.From] && hops[e.To] {
					wantEdges = append(wantEdges, e)
					for _, ev := range e.Evidence {
						want[ev.Source] = true
					}
				}
			}
			var got []string
			for _, n := range g.Nodes {
				got = append(got, n.ID)
			}
			if w := slices.Sorted(maps.Keys(want)); !slices.Equal(got, w) {
				t.Errorf("nodes: got %v, want %v", got, w)
			}
			slices.SortFunc(wantEdges, func(a, b graph.Edge) int { return strings.Compare(a.Key(), b.Key()) })
			if i := firstDiff(g.Edges, wantEdges); i >= 0 {
				t.Errorf("edge %d: got %+v, want %+v", i, at(g.Edges, i), at(wantEdges, i))
			}
			if g.Focus != c.focus {
				t.Errorf("focus: got %q, want %q", g.Focus, c.focus)
			}
		})
	}
}

func TestNeighbourhoodErrors(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, cases[0].fsys, cases[0].display))
	for _, c := range []struct {
		name, focus string
		depth       int
		want        error
		msg         string
	}{
		{"misspelt id", "kafak", 1, graph.ErrNotFound, "kafka (Apache Kafka)"},
		{"unknown", "zzzzzzzzzzzzzzzz", 1, graph.ErrNotFound, "no node has this id"},
		{"negative depth", "kafka", -1, graph.ErrInvalid, "0 or more"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := export.Neighbourhood(tx, c.focus, c.depth)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error: got %v, want %v saying %q", err, c.want, c.msg)
			}
		})
	}
}

// TestNeighbourhoodByName checks that a name or an alias, in any case and
// without its accents, focuses on the node it names, as query does.
func TestNeighbourhoodByName(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, cases[0].fsys, cases[0].display))
	for _, c := range []struct{ name, focus, id string }{
		{"id", "kafka", "kafka"},
		{"name", "Apache Kafka", "kafka"},
		{"alias", "Kafka", "kafka"},
		{"folded name", "david mazieres", "david-mazieres"},
	} {
		t.Run(c.name, func(t *testing.T) {
			byName, err := export.Neighbourhood(tx, c.focus, 1)
			if err != nil {
				t.Fatalf("Neighbourhood(%q): got %v, want the neighbourhood of %s", c.focus, err, c.id)
			}
			byID, err := export.Neighbourhood(tx, c.id, 1)
			if err != nil {
				t.Fatal(err)
			}
			if byName.Focus != c.id || len(byName.Nodes) != len(byID.Nodes) || len(byName.Edges) != len(byID.Edges) {
				t.Errorf("focus %q: got %s with %d nodes, %d edges, want %s with %d, %d",
					c.focus, byName.Focus, len(byName.Nodes), len(byName.Edges), c.id, len(byID.Nodes), len(byID.Edges))
			}
		})
	}
}

// TestNeighbourhoodSeeds checks that a focused YAML export stands on its
// own: the loader takes it, sources of its evidence included.
func TestNeighbourhoodSeeds(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, cases[0].fsys, cases[0].display))
	g, err := export.Neighbourhood(tx, "kafka", 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := export.WriteYAML(dir, g, false); err != nil {
		t.Fatal(err)
	}
	st, err := testdb.SeededFrom(t, os.DirFS(dir), "focus").Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := [2]int{st.Nodes, st.Edges}, [2]int{len(g.Nodes), len(g.Edges)}; got != want {
		t.Errorf("nodes, edges seeded: got %v, want %v", got, want)
	}
}
