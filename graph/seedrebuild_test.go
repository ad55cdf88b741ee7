package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// rawDump returns every key the store holds at its newest version, with
// its value, derived keys (posting blocks, node numbers) included: but the
// publish counter, which moves with every write, the database's identity,
// random in each database, and the data sets' seed times.
func rawDump(tb testing.TB, s *graph.Store) map[string]string {
	tb.Helper()
	if err := s.CheckPostingBlocks(context.Background()); err != nil {
		tb.Fatalf("posting blocks: %v", err)
	}
	out := map[string]string{}
	txn := graph.RawDB(s).NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.DefaultIteratorOptions)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if k := string(it.Item().Key()); k != "!published" && k != "!id" {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				tb.Fatal(err)
			}
			if k[0] == 'd' { // a data set's record: its seed time differs
				var info graph.DatasetInfo
				if err := json.Unmarshal(v, &info); err != nil {
					tb.Fatal(err)
				}
				info.SeededAt = time.Time{}
				v, _ = json.Marshal(info)
			}
			out[k] = string(v)
		}
	}
	return out
}

// diffDumps describes how two dumps differ, "" when they do not.
func diffDumps(a, b map[string]string) string {
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if v, ok := b[k]; !ok {
			return fmt.Sprintf("key %q only in the first", k)
		} else if v != a[k] {
			return fmt.Sprintf("key %q: %q against %q", k, a[k], v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[k]; !ok {
			return fmt.Sprintf("key %q only in the second", k)
		}
	}
	return ""
}

// TestSeedRebuildEqualsInPlace: a seed written into a new database that
// takes the old one's place (Store.BulkLoad) leaves every key, posting
// blocks and node numbers included, exactly as a seed written in place,
// in a database that holds other data sets: a first set, a second sharing
// nodes with it and referring to it, a re-seed of the first that changes
// texts and drops nodes (some shared, some referred to), a third set alone,
// and the removal of the second. Both spool budgets: all in memory, and
// runs of a few records merged; the pages of the tables written are
// dropped from memory after every write (see resident_linux.go).
func TestSeedRebuildEqualsInPlace(t *testing.T) {
	defer graph.SetDropEvery(graph.SetDropEvery(1))
	for _, budget := range []int{64 << 20, 4 << 10} {
		t.Run(fmt.Sprintf("budget=%d", budget), func(t *testing.T) {
			defer graph.SetSpoolBudget(graph.SetSpoolBudget(budget))
			inPlace, bulk := MustOpen(t), MustOpen(t)
			bulk.BulkLoad, bulk.RebuildMin = true, -1
			a := corpus(31, 200)
			b := append(corpus(32, 200)[:40], graph.Node{ID: "b-only", Kind: graph.KindTalk, Name: "Only in b"})
			aEdges := []graph.Edge{{From: "n002", Type: "mentions", To: "n000", Evidence: []graph.Evidence{{Source: "n001", Quote: "q"}}}}
			bEdges := []graph.Edge{{From: "b-only", Type: "mentions", To: "n150", Evidence: []graph.Evidence{{Source: "n001", Quote: "b"}}}}
			again := slices.Clone(a)
			fresh := corpus(33, 200)
			for i := range again {
				if i%3 == 0 {
					again[i].Description = fresh[i].Description
				}
			}
			again = slices.DeleteFunc(again, func(n graph.Node) bool { return n.ID[3] == '7' })
			steps := []struct {
				name string
				do   func(*graph.Store)
			}{
				{"a first set", func(s *graph.Store) { seedSet(t, s, "a", a, aEdges, nil) }},
				{"a second sharing 40 nodes", func(s *graph.Store) {
					seedSet(t, s, "b", b, bEdges, map[string][]string{"a": {"n001", "n150"}})
				}},
				{"a re-seed of the first", func(s *graph.Store) { seedSet(t, s, "a", again, aEdges, nil) }},
				{"a third set alone", func(s *graph.Store) { seedSet(t, s, "c", corpus(34, 50)[10:], nil, nil) }},
				{"the second removed", func(s *graph.Store) {
					if err := s.RemoveDataset(context.Background(), "b"); err != nil {
						t.Fatal(err)
					}
				}},
			}
			id := bulk.ID()
			for i, st := range steps {
				st.do(inPlace)
				st.do(bulk)
				if got := bulk.ID(); got != id {
					t.Fatalf("after %s: the rebuilt database's identity is %q, want the old one's %q", st.name, got, id)
				}
				if got := graph.Rebuilds(bulk); got != i+1 {
					t.Fatalf("after %s: %d seeds rebuilt the database, want %d", st.name, got, i+1)
				}
				if d := diffDumps(rawDump(t, inPlace), rawDump(t, bulk)); d != "" {
					t.Fatalf("after %s: in place and rebuilt differ: %s", st.name, d)
				}
			}
			for _, dir := range []string{bulk.Path, filepath.Dir(bulk.Path)} {
				for _, name := range testdb.DirNames(t, dir) {
					if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "seed-spool-") {
						t.Errorf("%s left in %s", name, dir)
					}
				}
			}
		})
	}
}
