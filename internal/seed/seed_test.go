package seed_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

const (
	seedsDir = "../../seeds"
	dotscale = "dotscale-2017"
)

// dotscaleSets discovers the dotscale-2017 data set on disk, shown as
// seeds/dotscale-2017.
func dotscaleSets(t *testing.T) []*seed.Set {
	t.Helper()
	return setAt(t, os.DirFS(seedsDir), dotscale, "seeds/"+dotscale)
}

// setAt discovers the one data set at dir in fsys.
func setAt(t *testing.T, fsys fs.FS, dir, display string) []*seed.Set {
	t.Helper()
	sets, err := seed.Discover(fsys, dir, display)
	if err != nil {
		t.Fatalf("discover %s: %v", display, err)
	}
	if len(sets) != 1 {
		t.Fatalf("discover %s: got %d data sets, want 1", display, len(sets))
	}
	return sets
}

func mustSeed(t *testing.T, l *seed.Loader, sets []*seed.Set) []seed.Report {
	t.Helper()
	reports, err := l.Seed(context.Background(), sets)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return reports
}

// hashStore digests every key and value, in key order.
func hashStore(t *testing.T, s *graph.Store) string {
	t.Helper()
	h := sha256.New()
	kv := testdb.Dump(t, s)
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%d:%s%d:%s", len(k), k, len(kv[k]), kv[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// diffKeys reports the keys whose values differ, for a readable failure.
func diffKeys(t *testing.T, got, want map[string]string) {
	t.Helper()
	n := 0
	for k, v := range want {
		if gv, ok := got[k]; (!ok || gv != v) && n < 10 {
			t.Errorf("key %q: got %q (present %v), want %q", k, gv, ok, v)
			n++
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && n < 10 {
			t.Errorf("key %q: got it, want none", k)
			n++
		}
	}
}

var problemLine = regexp.MustCompile(`^[^:]+\.yaml:\d+:\d+: \S`)

// TestSeedRefusedLeavesStoreUnchanged: a data set with problems gives
// exactly the golden messages and writes nothing, even into a store that
// already holds dotscale-2017.
func TestSeedRefusedLeavesStoreUnchanged(t *testing.T) {
	s := testdb.OpenDir(t, t.TempDir())
	mustSeed(t, seed.NewLoader(s), dotscaleSets(t))
	before := hashStore(t, s)
	for _, tc := range badCases {
		t.Run(tc.name, func(t *testing.T) {
			l := seed.NewLoader(s)
			if tc.maxFileSize > 0 {
				l.MaxFileSize = tc.maxFileSize
			}
			reports, err := l.Seed(context.Background(), badSet(t, tc.name))
			if len(reports) != 0 {
				t.Errorf("reports: got %+v, want none", reports)
			}
			got := problemLines(t, err)
			if want := readGolden(t, tc.name); !slices.Equal(got, want) {
				t.Errorf("problems:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
			}
			if after := hashStore(t, s); after != before {
				t.Errorf("store hash after refused seed: got %s, want %s", after, before)
			}
			if _, err := s.Dataset(context.Background(), tc.name); !errors.Is(err, graph.ErrNotFound) {
				t.Errorf("data set record: got %v, want %v", err, graph.ErrNotFound)
			}
		})
	}
	// The acceptance case, spelt out.
	t.Run("done: three mistakes, three messages", func(t *testing.T) {
		_, err := seed.NewLoader(s).Seed(context.Background(), badSet(t, "three-problems"))
		got := problemLines(t, err)
		if len(got) != 3 {
			t.Errorf("problems: got %d, want 3:\n%s", len(got), strings.Join(got, "\n"))
		}
		for _, line := range got {
			if !problemLine.MatchString(line) {
				t.Errorf("problem %q: got no file:line:column prefix, want one", line)
			}
		}
		if after := hashStore(t, s); after != before {
			t.Errorf("store hash after refused seed: got %s, want %s", after, before)
		}
	})
}

// The seed files, parsed independently of the loader.
type yamlFile struct {
	Nodes []yamlNode `yaml:"nodes"`
	Edges []yamlEdge `yaml:"edges"`
}

type yamlNode struct {
	ID          string            `yaml:"id"`
	Kind        string            `yaml:"kind"`
	Name        string            `yaml:"name"`
	Aliases     []string          `yaml:"aliases"`
	Description map[string]string `yaml:"description"`
	Props       map[string]string `yaml:"props"`
}

type yamlEdge struct {
	From     string `yaml:"from"`
	Type     string `yaml:"type"`
	To       string `yaml:"to"`
	Evidence []struct {
		Source string `yaml:"source"`
		Quote  string `yaml:"quote"`
	} `yaml:"evidence"`
}

// readSet parses every file of a data set directory, by file name.
func readSet(t *testing.T, dir string) map[string]yamlFile {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]yamlFile{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		b, err := os.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var f yamlFile
		if err := yaml.Unmarshal(b, &f); err != nil {
			t.Fatalf("parse %s: %v", e.Name(), err)
		}
		out[e.Name()] = f
	}
	return out
}

func TestSeedRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := testdb.OpenDir(t, t.TempDir())
	mustSeed(t, seed.NewLoader(s), dotscaleSets(t))
	files := readSet(t, path.Join(seedsDir, dotscale))
	tx := s.Begin(ctx)
	defer tx.Discard()

	wantNodes, wantEdges, wantEvidence := 0, map[string]bool{}, 0
	for file, f := range files {
		display := "seeds/" + dotscale + "/" + file
		for _, y := range f.Nodes {
			wantNodes++
			t.Run("node "+y.ID, func(t *testing.T) {
				got, err := tx.Node(y.ID)
				if err != nil {
					t.Fatalf("Node: got %v, want nil", err)
				}
				want := graph.Node{ID: y.ID, Kind: graph.Kind(y.Kind), Name: y.Name, Aliases: y.Aliases,
					Description: y.Description, Props: y.Props, Dataset: dotscale, File: display, Line: got.Line}
				if !reflect.DeepEqual(*got, want) {
					t.Errorf("Node:\ngot  %+v\nwant %+v", *got, want)
				}
				if got.Line < 1 {
					t.Errorf("Line: got %d, want > 0", got.Line)
				}
			})
		}
		for _, y := range f.Edges {
			ce, ok := graph.Edge{From: y.From, Type: y.Type, To: y.To}.Canonical()
			if !ok {
				t.Errorf("type of edge %s -> %s: got %q, want a known relation type", y.From, y.To, y.Type)
				continue
			}
			wantEdges[ce.Key()] = true
			wantEvidence += len(y.Evidence)
			t.Run("edge "+strings.ReplaceAll(ce.Key(), "\x00", " "), func(t *testing.T) {
				rels, err := tx.Relations(ce.From, graph.Out, ce.Type, -1)
				if err != nil {
					t.Fatalf("Relations: got %v, want nil", err)
				}
				i := slices.IndexFunc(rels, func(r graph.Relation) bool { return r.To == ce.To })
				if i < 0 {
					t.Fatalf("relation to %s: got none, want one", ce.To)
				}
				var got, want []string
				for _, e := range rels[i].Evidence {
					got = append(got, fmt.Sprintf("%s|%s|%s|%s|line>0:%v", e.Source, e.Quote, e.Dataset, e.File, e.Line > 0))
				}
				for _, e := range y.Evidence {
					want = append(want, fmt.Sprintf("%s|%s|%s|%s|line>0:%v", e.Source, e.Quote, dotscale, display, true))
				}
				if !slices.Equal(got, want) {
					t.Errorf("evidence:\ngot  %q\nwant %q", got, want)
				}
			})
		}
	}

	// Nothing more in the store than in the files.
	gotEdges := map[string]bool{}
	gotNodes := 0
	for _, k := range graph.Kinds {
		ids, err := tx.IDs(k, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		gotNodes += len(ids)
		for _, id := range ids {
			rels, err := tx.Relations(id, graph.Out, "", -1)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rels {
				gotEdges[r.Key()] = true
			}
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"nodes by kind index", gotNodes, wantNodes},
		{"nodes in stats", st.Nodes, wantNodes},
		{"edges", gotEdges, wantEdges},
		{"edges in stats", st.Edges, len(wantEdges)},
		{"evidence in stats", st.Evidence, wantEvidence},
	} {
		t.Run("count "+tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
			}
		})
	}
}

func TestSeedIdempotent(t *testing.T) {
	ctx := context.Background()
	s := testdb.OpenDir(t, t.TempDir())
	first := mustSeed(t, seed.NewLoader(s), dotscaleSets(t))
	if len(first) != 1 || first[0].Unchanged || first[0].Nodes == 0 {
		t.Fatalf("first seed: got %+v, want one data set written", first)
	}
	before := testdb.Dump(t, s)
	recBefore, err := s.Dataset(ctx, dotscale)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		force         bool
		wantUnchanged bool
	}{
		{"same files", false, true},
		{"forced rewrite", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := seed.NewLoader(s)
			l.Force = tc.force
			reports := mustSeed(t, l, dotscaleSets(t))
			if len(reports) != 1 || reports[0].Unchanged != tc.wantUnchanged {
				t.Fatalf("reports: got %+v, want Unchanged=%v", reports, tc.wantUnchanged)
			}
			if reports[0].Nodes != first[0].Nodes || reports[0].Edges != first[0].Edges {
				t.Errorf("counts: got %d nodes, %d edges, want %d, %d", reports[0].Nodes, reports[0].Edges, first[0].Nodes, first[0].Edges)
			}
			after := testdb.Dump(t, s)
			recAfter, err := s.Dataset(ctx, dotscale)
			if err != nil {
				t.Fatal(err)
			}
			recKey := "d" + dotscale
			if tc.wantUnchanged && after[recKey] != before[recKey] {
				t.Errorf("data set record: got %s, want it untouched: %s", after[recKey], before[recKey])
			}
			if !tc.wantUnchanged && !recAfter.SeededAt.After(recBefore.SeededAt) {
				t.Errorf("seeded at: got %v, want after %v", recAfter.SeededAt, recBefore.SeededAt)
			}
			b, a := withoutKey(before, recKey), withoutKey(after, recKey)
			if !reflect.DeepEqual(a, b) {
				diffKeys(t, a, b)
			}
			ra, rb := *recAfter, *recBefore
			ra.SeededAt = rb.SeededAt
			if !reflect.DeepEqual(ra, rb) {
				t.Errorf("data set record: got %+v, want %+v", ra, rb)
			}
		})
	}
}

// withoutKey returns m without key.
func withoutKey(m map[string]string, key string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}
