package schema_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/schema"
)

// synthetic seeds n talks, n/2 speakers (two talks each) and n/20 concepts,
// each talk mentioning three concepts, straight through the store's DatasetWriter.
func synthetic(tb testing.TB, n int) *graph.Store {
	tb.Helper()
	store := graph.NewStore("")
	store.InMemory = true
	store.CacheSize = 0 // count the reads a request makes, not what a warm cache spares
	if err := store.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	w, err := store.BeginDataset(context.Background(), "synthetic")
	if err != nil {
		tb.Fatal(err)
	}
	put := func(n *graph.Node) {
		if err := w.PutNode(n); err != nil {
			tb.Fatal(err)
		}
	}
	kinds := map[string]graph.Kind{"person": graph.KindPerson, "talk": graph.KindTalk, "concept": graph.KindConcept}
	kindOf := func(id string) graph.Kind { return kinds[id[:strings.IndexByte(id, '-')]] }
	edge := func(from, typ, to string) {
		if err := w.PutEdge(graph.Edge{From: from, Type: typ, To: to, Evidence: []graph.Evidence{{Source: "src"}}}, kindOf(from), kindOf(to)); err != nil {
			tb.Fatal(err)
		}
	}
	put(&graph.Node{ID: "src", Kind: graph.KindSource, Name: "Synthetic"})
	concepts := max(1, n/20)
	for c := 0; c < concepts; c++ {
		put(&graph.Node{ID: fmt.Sprintf("concept-%d", c), Kind: graph.KindConcept, Name: fmt.Sprintf("Concept %d", c)})
	}
	for p := 0; p < n/2; p++ {
		put(&graph.Node{ID: fmt.Sprintf("person-%d", p), Kind: graph.KindPerson, Name: fmt.Sprintf("Person %d", p)})
	}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("talk-%05d", i)
		put(&graph.Node{ID: id, Kind: graph.KindTalk, Name: fmt.Sprintf("Talk %d", i)})
		edge(fmt.Sprintf("person-%d", i%(n/2)), "gave", id)
		for k := 0; k < 3; k++ {
			edge(id, "mentions", fmt.Sprintf("concept-%d", (i*7+k*13)%concepts))
		}
	}
	if err := w.Commit(graph.DatasetInfo{}); err != nil {
		tb.Fatal(err)
	}
	return store
}

// BenchmarkNestedNoNPlusOne runs a four-level query over 1000 of 10 000
// talks and reports store reads per query beside the objects the answer
// holds: reads stay near the number of distinct nodes and adjacency lists,
// not one per field per item.
func BenchmarkNestedNoNPlusOne(b *testing.B) {
	store := synthetic(b, 10_000)
	s, err := schema.New(store, nil, schema.WithMaxWork(1<<30))
	if err != nil {
		b.Fatal(err)
	}
	// The guard's estimate would refuse this page: reads are measured here.
	lim := guard.Default()
	lim.MaxCost = 1 << 40
	e := &executor.Executor{Schema: &s.GraphQL, Begin: s.Begin, Guard: lim}
	q := `{ talks(first: 1000) { title speakers { name talks { title mentions { name } } } } }`
	objects := 0
	before := store.Reads()
	for b.Loop() {
		res := e.Do(context.Background(), executor.Request{Query: q})
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors)
		}
		objects = countObjects(dataOf(b, res))
	}
	reads := float64(store.Reads()-before) / float64(b.N)
	b.ReportMetric(reads, "reads/op")
	b.ReportMetric(float64(objects), "objects/op")
	b.ReportMetric(reads/float64(objects), "reads/object")
}

func countObjects(v any) int {
	switch v := v.(type) {
	case map[string]any:
		n := 1
		for _, x := range v {
			n += countObjects(x)
		}
		return n
	case []any:
		n := 0
		for _, x := range v {
			n += countObjects(x)
		}
		return n
	}
	return 0
}
