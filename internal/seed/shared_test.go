package seed_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// Two data sets that both define the person ada, each with a talk she gave.
const (
	sharedA = `nodes:
  - id: src-a
    kind: source
    name: Programme A
  - id: talk-a
    kind: talk
    name: Talk at A
  - id: ada
    kind: person
    name: Ada Müller
    aliases: [A. Müller]
    description:
      en: Speaker at A.
edges:
  - from: ada
    type: gave
    to: talk-a
    evidence:
      - source: src-a
        quote: Ada Müller
`
	sharedB = `nodes:
  - id: src-b
    kind: source
    name: Programme B
  - id: talk-b
    kind: talk
    name: Talk at B
  - id: ada
    kind: person
    name: Ada Mueller
    description:
      en: Speaker at B.
      de: Sprecherin bei B.
edges:
  - from: ada
    type: gave
    to: talk-b
    evidence:
      - source: src-b
        quote: Ada Mueller
`
	// sharedAWithout is set A without ada.
	sharedAWithout = "nodes:\n  - id: src-a\n    kind: source\n    name: Programme A\n  - id: talk-a\n    kind: talk\n    name: Talk at A\n"
)

// writeSets writes each data set's one file under dir and returns the sets,
// in name order.
func writeSets(t *testing.T, dir string, bodies map[string]string) []*seed.Set {
	t.Helper()
	var sets []*seed.Set
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range bodies {
			if !yield(k) {
				return
			}
		}
	}) {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "nodes.yaml"), []byte(bodies[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		sets = append(sets, setAt(t, os.DirFS(dir), name, "sets/"+name)...)
	}
	return sets
}

// contentKeys is every key but the data set records, which hold seed times.
func contentKeys(t *testing.T, s *graph.Store) map[string]string {
	t.Helper()
	m := testdb.Dump(t, s)
	for k := range m {
		if strings.HasPrefix(k, "d") {
			delete(m, k)
		}
	}
	return m
}

// TestSharedNode: a node two data sets define is one node whose record
// merges both definitions; re-seeding or removing one set keeps it while the
// other defines it, and the store then holds exactly what seeding the final
// content into a fresh store gives.
func TestSharedNode(t *testing.T) {
	type step struct {
		bodies map[string]string // data sets to seed, in one run
		remove string            // or a data set to remove
	}
	both := map[string]string{"a-set": sharedA, "b-set": sharedB}
	cases := []struct {
		name     string
		steps    []step
		final    map[string]string // the content a fresh store is seeded with
		want     graph.Node        // ada's record: name, aliases, descriptions, data sets
		wantGave []string          // talks ada gave
	}{
		{"in one run", []step{{bodies: both}}, both,
			graph.Node{Name: "Ada Müller", Aliases: []string{"A. Müller", "Ada Mueller"}, Dataset: "a-set", Datasets: []string{"a-set", "b-set"},
				Description: map[string]string{"en": "Speaker at A.", "de": "Sprecherin bei B."}}, []string{"talk-a", "talk-b"}},
		{"one after the other", []step{{bodies: map[string]string{"b-set": sharedB}}, {bodies: map[string]string{"a-set": sharedA}}}, both,
			graph.Node{Name: "Ada Müller", Aliases: []string{"A. Müller", "Ada Mueller"}, Dataset: "a-set", Datasets: []string{"a-set", "b-set"},
				Description: map[string]string{"en": "Speaker at A.", "de": "Sprecherin bei B."}}, []string{"talk-a", "talk-b"}},
		{"dropped by one set", []step{{bodies: both}, {bodies: map[string]string{"a-set": sharedAWithout}}},
			map[string]string{"a-set": sharedAWithout, "b-set": sharedB},
			graph.Node{Name: "Ada Mueller", Dataset: "b-set", Description: map[string]string{"en": "Speaker at B.", "de": "Sprecherin bei B."}}, []string{"talk-b"}},
		{"one set removed", []step{{bodies: both}, {remove: "b-set"}}, map[string]string{"a-set": sharedA},
			graph.Node{Name: "Ada Müller", Aliases: []string{"A. Müller"}, Dataset: "a-set", Description: map[string]string{"en": "Speaker at A."}}, []string{"talk-a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := testdb.OpenDir(t, t.TempDir())
			for i, st := range c.steps {
				if st.remove != "" {
					if err := s.RemoveDataset(ctx, st.remove); err != nil {
						t.Fatalf("remove %s: %v", st.remove, err)
					}
					continue
				}
				mustSeed(t, seed.NewLoader(s), writeSets(t, filepath.Join(t.TempDir(), string(rune('0'+i))), st.bodies))
			}
			tx := s.Begin(ctx)
			defer tx.Discard()
			n, err := tx.Node("ada")
			if err != nil {
				t.Fatalf("Node(ada): got %v, want the shared person", err)
			}
			got := graph.Node{Name: n.Name, Aliases: n.Aliases, Description: n.Description, Dataset: n.Dataset, Datasets: n.Datasets}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("ada: got %+v, want %+v", got, c.want)
			}
			rels, err := tx.Relations("ada", graph.Out, "gave", -1)
			if err != nil {
				t.Fatal(err)
			}
			var gave []string
			for _, r := range rels {
				gave = append(gave, r.To)
			}
			if !slices.Equal(gave, c.wantGave) {
				t.Errorf("ada gave: got %v, want %v", gave, c.wantGave)
			}
			fresh := testdb.OpenDir(t, t.TempDir())
			mustSeed(t, seed.NewLoader(fresh), writeSets(t, t.TempDir(), c.final))
			if got, want := contentKeys(t, s), contentKeys(t, fresh); !reflect.DeepEqual(got, want) {
				diffKeys(t, got, want)
			}
		})
	}
}

// TestSharedNodeKindConflict: two data sets that give one id two kinds are
// refused, naming the other set; nothing is written.
func TestSharedNodeKindConflict(t *testing.T) {
	company := strings.Replace(strings.Replace(sharedB, "kind: person", "kind: company", 1), "  - from: ada\n    type: gave\n    to: talk-b\n    evidence:\n      - source: src-b\n        quote: Ada Mueller\n", "", 1)
	for _, c := range []struct {
		name  string
		first map[string]string // seeded before, or nil
		run   map[string]string
	}{
		{"in one run", nil, map[string]string{"a-set": sharedA, "b-set": company}},
		{"against the store", map[string]string{"a-set": sharedA}, map[string]string{"b-set": company}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := testdb.OpenDir(t, t.TempDir())
			if c.first != nil {
				mustSeed(t, seed.NewLoader(s), writeSets(t, t.TempDir(), c.first))
			}
			before := contentKeys(t, s)
			_, err := seed.NewLoader(s).Seed(context.Background(), writeSets(t, t.TempDir(), c.run))
			if err == nil {
				t.Fatal("seed: got no error, want the kind conflict")
			}
			if want := "ada is a company here and a person in data set a-set"; !strings.Contains(err.Error(), want) {
				t.Errorf("seed: got %q, want it to contain %q", err, want)
			}
			if got := contentKeys(t, s); !reflect.DeepEqual(got, before) {
				diffKeys(t, got, before)
			}
		})
	}
}

// TestSharedNodeReferred: a data set that refers to a shared node keeps it:
// one set that defines it may drop it while another still does, the last
// may not.
func TestSharedNodeReferred(t *testing.T) {
	const c = "nodes:\n  - id: src-c\n    kind: source\n    name: Programme C\n  - id: talk-c\n    kind: talk\n    name: Talk at C\n" +
		"edges:\n  - from: ada\n    type: gave\n    to: talk-c\n    evidence:\n      - source: src-c\n        quote: Ada\n"
	bWithout := "nodes:\n  - id: src-b\n    kind: source\n    name: Programme B\n"
	s := testdb.OpenDir(t, t.TempDir())
	mustSeed(t, seed.NewLoader(s), writeSets(t, t.TempDir(), map[string]string{"a-set": sharedA, "b-set": sharedB}))
	mustSeed(t, seed.NewLoader(s), writeSets(t, t.TempDir(), map[string]string{"c-set": c}))
	mustSeed(t, seed.NewLoader(s), writeSets(t, t.TempDir(), map[string]string{"b-set": bWithout}))
	_, err := seed.NewLoader(s).Seed(context.Background(), writeSets(t, t.TempDir(), map[string]string{"a-set": sharedAWithout}))
	if want := "data set c-set still refers to [ada], which this seed of a-set would remove"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("seed a-set without ada: got %v, want it to contain %q", err, want)
	}
	tx := s.Begin(context.Background())
	defer tx.Discard()
	if n, err := tx.Node("ada"); err != nil || n.Dataset != "a-set" || n.Datasets != nil {
		t.Errorf("ada: got %+v, %v; want the node of a-set alone", n, err)
	}
}
