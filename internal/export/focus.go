package export

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// Subgraph is a part of the graph held in memory: nodes in id order, edges
// in canonical direction in (from, type, to) order. It is a Source.
type Subgraph struct {
	// Focus is the id the neighbourhood was taken around ("" for none);
	// the DOT writer draws that node bold.
	Focus string
	Nodes []*graph.Node
	Edges []graph.Edge
}

// EachNode calls fn with every node in order until fn returns an error,
// which it returns.
func (g *Subgraph) EachNode(fn func(*graph.Node) error) error {
	for _, n := range g.Nodes {
		if err := fn(n); err != nil {
			return err
		}
	}
	return nil
}

// EachEdge calls fn with every edge in order until fn returns an error,
// which it returns.
func (g *Subgraph) EachEdge(fn func(graph.Edge) error) error {
	for _, e := range g.Edges {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Neighbourhood returns the nodes within depth hops of the node focus names
// (an id, a name or an alias, as graph.Tx.Resolve reads it; relations
// followed either way), every relation among them, and the source nodes
// their evidence cites, so that the result stands on its own (a focused YAML
// export seeds as it is). It returns an error wrapping graph.ErrNotFound
// when focus names no node (suggesting the closest ids),
// graph.ErrInvalid for a negative depth, and the transaction's errors.
func Neighbourhood(tx *graph.Tx, focus string, depth int) (*Subgraph, error) {
	if depth < 0 {
		return nil, fmt.Errorf("depth %d: %w: give 0 or more hops", depth, graph.ErrInvalid)
	}
	n, err := tx.Resolve(focus)
	if errors.Is(err, graph.ErrNotFound) {
		return nil, focusNotFound(tx, focus)
	}
	if err != nil {
		return nil, fmt.Errorf("focus %q: %w", focus, err)
	}
	focus = n.ID
	ids, err := within(tx, focus, depth)
	if err != nil {
		return nil, fmt.Errorf("neighbourhood of %s: %w", focus, err)
	}
	edges, err := among(tx, ids)
	if err != nil {
		return nil, fmt.Errorf("neighbourhood of %s: %w", focus, err)
	}
	nodes, err := nodesOf(tx, ids, edges)
	if err != nil {
		return nil, fmt.Errorf("neighbourhood of %s: %w", focus, err)
	}
	return &Subgraph{Focus: focus, Nodes: nodes, Edges: edges}, nil
}

// within returns the ids at most depth hops away from focus.
func within(tx *graph.Tx, focus string, depth int) (map[string]bool, error) {
	seen := map[string]bool{focus: true}
	front := []string{focus}
	for hop := 0; hop < depth && len(front) > 0; hop++ {
		var next []string
		for _, id := range front {
			ns, err := tx.Neighbours(id)
			if err != nil {
				return nil, err
			}
			for _, n := range ns {
				if !seen[n] {
					seen[n] = true
					next = append(next, n)
				}
			}
		}
		front = next
	}
	return seen, nil
}

// among returns the edges whose two ends are both in ids, sorted: each
// canonical edge is read once, from the node it leaves.
func among(tx *graph.Tx, ids map[string]bool) ([]graph.Edge, error) {
	var edges []graph.Edge
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		rels, err := tx.Relations(id, graph.Out, "", -1)
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if ids[r.To] {
				edges = append(edges, r.Edge)
			}
		}
	}
	slices.SortFunc(edges, func(a, b graph.Edge) int { return cmp.Compare(a.Key(), b.Key()) })
	return edges, nil
}

// nodesOf reads the nodes of ids and of the sources the edges' evidence
// cites, in id order.
func nodesOf(tx *graph.Tx, ids map[string]bool, edges []graph.Edge) ([]*graph.Node, error) {
	all := maps.Clone(ids)
	for _, e := range edges {
		for _, ev := range e.Evidence {
			all[ev.Source] = true
		}
	}
	nodes := make([]*graph.Node, 0, len(all))
	for _, id := range slices.Sorted(maps.Keys(all)) {
		n, err := tx.Node(id)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// focusNotFound says that focus names no node and suggests the closest
// ids, with their names.
func focusNotFound(tx *graph.Tx, focus string) error {
	names, err := tx.Closest(focus, 3)
	if err != nil {
		return fmt.Errorf("focus %q: %w", focus, err)
	}
	var hints []string
	for _, name := range names {
		if ids, err := tx.Lookup(name); err == nil && len(ids) > 0 {
			hints = append(hints, fmt.Sprintf("%s (%s)", ids[0], name))
		}
	}
	if len(hints) == 0 {
		return fmt.Errorf("focus %q: %w: no node has this id, name or alias", focus, graph.ErrNotFound)
	}
	return fmt.Errorf("focus %q: %w: no node has this id, name or alias; did you mean %s?", focus, graph.ErrNotFound, strings.Join(hints, ", "))
}
