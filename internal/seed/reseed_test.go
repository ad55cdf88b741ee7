package seed_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/seeds"
)

// copyDotscale copies the dotscale-2017 files to a temporary seeds
// directory and returns that directory.
func copyDotscale(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, dotscale), os.DirFS(filepath.Join(seedsDir, dotscale))); err != nil {
		t.Fatalf("copy data set: %v", err)
	}
	return dir
}

// mapValue returns the scalar value of key in a YAML mapping.
func mapValue(n *yaml.Node, key string) string {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// removeNode rewrites the YAML files of dir without the node id and the
// edges that join it. It returns the files it changed and how many edges
// it removed.
func removeNode(t *testing.T, dir, id string) (changed []string, edges int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		file := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
			t.Fatalf("parse %s: %v", file, err)
		}
		top, dropped := doc.Content[0], 0
		for i := 0; i+1 < len(top.Content); i += 2 {
			list, seq := top.Content[i].Value, top.Content[i+1]
			seq.Content = slices.DeleteFunc(seq.Content, func(item *yaml.Node) bool {
				drop := list == "nodes" && mapValue(item, "id") == id ||
					list == "edges" && (mapValue(item, "from") == id || mapValue(item, "to") == id)
				if drop {
					dropped++
					if list == "edges" {
						edges++
					}
				}
				return drop
			})
		}
		if dropped == 0 {
			continue
		}
		out, err := yaml.Marshal(&doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, out, 0o644); err != nil {
			t.Fatal(err)
		}
		changed = append(changed, e.Name())
	}
	return changed, edges
}

func TestReseedWithoutTalk(t *testing.T) {
	const talk = "talk-scaling-security"
	ctx := context.Background()
	s := testdb.OpenDir(t, t.TempDir())
	first := mustSeed(t, seed.NewLoader(s), dotscaleSets(t))[0]
	before := testdb.Dump(t, s)
	tx := s.Begin(ctx)
	rels, err := tx.Relations(talk, graph.Both, "", -1)
	tx.Discard()
	if err != nil || len(rels) == 0 {
		t.Fatalf("relations of %s before: got %d (%v), want some", talk, len(rels), err)
	}

	dir := copyDotscale(t)
	changed, removed := removeNode(t, filepath.Join(dir, dotscale), talk)
	if removed != len(rels) {
		t.Fatalf("edges removed from the files: got %d, want %d (the talk's relations)", removed, len(rels))
	}
	sets := setAt(t, os.DirFS(dir), dotscale, "seeds/"+dotscale)
	r := mustSeed(t, seed.NewLoader(s), sets)[0]
	if r.Unchanged || r.Nodes != first.Nodes-1 || r.Edges != first.Edges-removed {
		t.Errorf("report: got %+v, want %d nodes, %d edges written", r, first.Nodes-1, first.Edges-removed)
	}

	after := testdb.Dump(t, s)
	t.Run("talk gone", func(t *testing.T) {
		tx := s.Begin(ctx)
		defer tx.Discard()
		if _, err := tx.Node(talk); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("Node: got %v, want %v", err, graph.ErrNotFound)
		}
		for k := range after {
			if strings.Contains(k, talk) {
				t.Errorf("key %q: got it, want no key naming %s", k, talk)
			}
		}
		for _, rel := range rels {
			others, err := tx.Relations(rel.Other(), graph.Both, "", -1)
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(others, func(o graph.Relation) bool { return o.Other() == talk }) {
				t.Errorf("relations of %s: got one to %s, want none", rel.Other(), talk)
			}
		}
	})
	t.Run("other nodes untouched", func(t *testing.T) {
		for k, v := range before {
			if k[0] != 'n' || k[1:] == talk {
				continue
			}
			wasp, err := graph.DecodeNode([]byte(v))
			if err != nil {
				t.Fatal(err)
			}
			isp, err := graph.DecodeNode([]byte(after[k]))
			if err != nil {
				t.Errorf("node %s after: got %q, want a node", k[1:], after[k])
				continue
			}
			was, is := *wasp, *isp
			if slices.Contains(changed, filepath.Base(was.File)) {
				was.Line, is.Line = 0, 0 // the rewritten file moved it
			}
			if !reflect.DeepEqual(is, was) {
				t.Errorf("node %s: got %+v, want %+v", k[1:], is, was)
			}
		}
	})
	t.Run("same as a fresh seed", func(t *testing.T) {
		fresh := testdb.OpenDir(t, t.TempDir())
		mustSeed(t, seed.NewLoader(fresh), sets)
		want := withoutKey(testdb.Dump(t, fresh), "d"+dotscale)
		if got := withoutKey(after, "d"+dotscale); !reflect.DeepEqual(got, want) {
			diffKeys(t, got, want)
		}
	})
}

const refsYAML = `# A second data set that refers to kafka, defined by dotscale-2017.
nodes:
  - id: fx-ref-report
    kind: source
    name: A report on Kafka

edges:
  - from: fx-ref-report
    type: mentions
    to: kafka
    evidence:
      - source: fx-ref-report
        quote: "Kafka"
`

func TestCrossDatasetReferences(t *testing.T) {
	ctx := context.Background()
	s := testdb.OpenDir(t, t.TempDir())
	mustSeed(t, seed.NewLoader(s), dotscaleSets(t))

	other := t.TempDir()
	if err := os.Mkdir(filepath.Join(other, "fixture-refs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "fixture-refs", "nodes.yaml"), []byte(refsYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSeed(t, seed.NewLoader(s), setAt(t, os.DirFS(other), "fixture-refs", "fixture-refs"))
	rec, err := s.Dataset(ctx, "fixture-refs")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{dotscale: {"kafka"}}; !reflect.DeepEqual(rec.Refs, want) {
		t.Errorf("refs: got %v, want %v", rec.Refs, want)
	}

	dir := copyDotscale(t)
	if _, n := removeNode(t, filepath.Join(dir, dotscale), "kafka"); n == 0 {
		t.Fatal("edges of kafka removed: got 0, want some")
	}
	// A copy where kafka is a concept rather than a tool.
	kinded := copyDotscale(t)
	tools := filepath.Join(kinded, dotscale, "tools.yaml")
	b, err := os.ReadFile(tools)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tools, []byte(strings.Replace(string(b), "id: kafka\n    kind: tool", "id: kafka\n    kind: concept", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	before := hashStore(t, s)
	for _, tc := range []struct {
		name string
		run  func() error
		want []string // snippets of the one message (of one of them: kafka's own edges no longer fit a concept)
	}{
		{"re-seed changing kafka's kind", func() error {
			_, err := seed.NewLoader(s).Seed(ctx, setAt(t, os.DirFS(kinded), dotscale, "seeds/"+dotscale))
			return err
		}, []string{"seeds/dotscale-2017/tools.yaml:3:", "kafka changes kind from tool to concept while data set fixture-refs refers to it"}},
		{"re-seed both, changing kafka's kind", func() error {
			sets := append(setAt(t, os.DirFS(kinded), dotscale, "seeds/"+dotscale), setAt(t, os.DirFS(other), "fixture-refs", "fixture-refs")...)
			_, err := seed.NewLoader(s).Seed(ctx, sets)
			return err
		}, []string{"kafka changes kind from tool to concept while data set fixture-refs refers to it"}},
		{"re-seed without kafka", func() error {
			_, err := seed.NewLoader(s).Seed(ctx, setAt(t, os.DirFS(dir), dotscale, "seeds/"+dotscale))
			return err
		}, []string{"seeds/dotscale-2017: ", "data set fixture-refs still refers to [kafka]", "this seed of dotscale-2017 would remove"}},
		{"validate without kafka", func() error {
			return seed.NewLoader(s).Validate(ctx, setAt(t, os.DirFS(dir), dotscale, "seeds/"+dotscale))
		}, []string{"data set fixture-refs still refers to [kafka]"}},
		{"remove the data set", func() error {
			return s.RemoveDataset(ctx, dotscale)
		}, []string{"conflict", "data set fixture-refs refers to [kafka]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil {
				t.Fatal("error: got nil, want a refusal")
			}
			var ps seed.Problems
			if errors.As(err, &ps) && len(ps) != 1 && !strings.Contains(tc.name, "kind") {
				t.Errorf("problems: got %d (%v), want 1", len(ps), err)
			}
			if !errors.As(err, &ps) && !errors.Is(err, graph.ErrConflict) {
				t.Errorf("error: got %v, want seed.Problems or %v", err, graph.ErrConflict)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message: got %q, want it to hold %q", err, w)
				}
			}
			if after := hashStore(t, s); after != before {
				t.Errorf("store hash: got %s, want %s (unchanged)", after, before)
			}
		})
	}
	// With kafka kept, re-seeding dotscale-2017 is fine.
	l := seed.NewLoader(s)
	l.Force = true
	mustSeed(t, l, dotscaleSets(t))
}

// TestSeedsValidate: the embedded data sets, and their files as the
// repository holds them (only these: what else a user keeps in seeds/ is
// theirs, and .ci/run imports a programme there to prove no test reads it).
func TestSeedsValidate(t *testing.T) {
	for _, tc := range []struct {
		name, root, display string
		fsys                fs.FS
	}{
		{"seeds directory", dotscale, "seeds/" + dotscale, os.DirFS(seedsDir)},
		{"embedded", ".", "seeds", seeds.FS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sets, err := seed.Discover(tc.fsys, tc.root, tc.display)
			if err != nil {
				t.Fatalf("discover: %v", err)
			}
			var names []string
			for _, s := range sets {
				names = append(names, s.Name)
			}
			if !slices.Contains(names, seeds.Default) {
				t.Errorf("data sets: got %q, want %s among them", names, seeds.Default)
			}
			if err := seed.NewLoader(nil).Validate(context.Background(), sets); err != nil {
				t.Errorf("Validate: got %v, want nil", err)
			}
		})
	}
}

// TestMoveNodeBetweenDatasets: a node that moves from one data set to
// another, both seeded in one run, is kept whichever set is written first
// (sets are written in name order).
func TestMoveNodeBetweenDatasets(t *testing.T) {
	const (
		sourceA = "nodes:\n  - id: src-a\n    kind: source\n    name: Source A\n"
		sourceB = "nodes:\n  - id: src-b\n    kind: source\n    name: Source B\n"
		moving  = "  - id: moving\n    kind: concept\n    name: Moving thing\n"
	)
	for _, tc := range []struct {
		name     string
		from, to string // data set names; a-set is written before b-set
	}{
		{"to a set written earlier", "b-set", "a-set"},
		{"to a set written later", "a-set", "b-set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			write := func(dir string, withMoving string) {
				t.Helper()
				for set, body := range map[string]string{"a-set": sourceA, "b-set": sourceB} {
					if set == withMoving {
						body += moving
					}
					if err := os.MkdirAll(filepath.Join(dir, set), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, set, "nodes.yaml"), []byte(body), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			discover := func(dir string) []*seed.Set {
				t.Helper()
				sets, err := seed.Discover(os.DirFS(dir), ".", "sets")
				if err != nil || len(sets) != 2 {
					t.Fatalf("discover: got %d sets (%v), want 2", len(sets), err)
				}
				return sets
			}
			dir := t.TempDir()
			s := testdb.OpenDir(t, t.TempDir())
			write(dir, tc.from)
			mustSeed(t, seed.NewLoader(s), discover(dir))
			write(dir, tc.to)
			mustSeed(t, seed.NewLoader(s), discover(dir))

			tx := s.Begin(ctx)
			defer tx.Discard()
			n, err := tx.Node("moving")
			if err != nil {
				t.Fatalf("Node: got %v, want the moved node", err)
			}
			if n.Dataset != tc.to {
				t.Errorf("data set of the node: got %s, want %s", n.Dataset, tc.to)
			}
			fresh := testdb.OpenDir(t, t.TempDir())
			mustSeed(t, seed.NewLoader(fresh), discover(dir))
			want := withoutKey(withoutKey(testdb.Dump(t, fresh), "da-set"), "db-set")
			got := withoutKey(withoutKey(testdb.Dump(t, s), "da-set"), "db-set")
			if !reflect.DeepEqual(got, want) {
				diffKeys(t, got, want)
			}
		})
	}
}
