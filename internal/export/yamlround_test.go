package export_test

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/seeds"
)

// filesOf returns every .yaml file under fsys by slash-separated path.
func filesOf(t *testing.T, fsys fs.FS) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".yaml" {
			return err
		}
		out[p], err = fs.ReadFile(fsys, p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestYAMLGivesTheFilesBack: a database seeded from files and left as it
// is exports those files byte for byte, comments, quoting and order
// included, and no other file.
func TestYAMLGivesTheFilesBack(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := export.YAMLFiles(testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display)))
			if err != nil {
				t.Fatal(err)
			}
			want := filesOf(t, c.fsys)
			if g, w := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)); !slices.Equal(g, w) {
				t.Fatalf("files: got %v, want %v", g, w)
			}
			for name, b := range want {
				if d := lineDiff(string(b), string(got[name])); len(d) > 0 {
					t.Errorf("%s: got a diff, want the same bytes:\n%s", name, strings.Join(d, "\n"))
				}
			}
		})
	}
}

// lineDiff returns the lines of a diff from a to b, "-" a line only a has
// and "+" one only b has (a longest common subsequence of lines apart).
func lineDiff(a, b string) []string {
	x, y := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "-"+strings.TrimSuffix(x[i], "\n"))
			i++
		default:
			out = append(out, "+"+strings.TrimSuffix(y[j], "\n"))
			j++
		}
	}
	return out
}

// TestYAMLOneChangeFewLines: after one change through the store's API, the
// export of the embedded set differs from its files by the lines of the
// change alone, in the file the item came from (a new one in the file
// holding the most of its kind); and the files seed into the same graph.
func TestYAMLOneChangeFewLines(t *testing.T) {
	const set = seeds.Default
	node := func(tx *graph.Mutation, id string) *graph.Node {
		n, err := tx.Node(id)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		name   string
		change func(m *graph.Mutation) error
		want   map[string][]string // the diff, by file
	}{
		{"an alias more", func(m *graph.Mutation) error {
			n := node(m, "kafka")
			n.Aliases = append(n.Aliases, "Kafka Streams")
			_, err := m.UpsertNode(set, n)
			return err
		}, map[string][]string{"tools.yaml": {"-    aliases: [Kafka]", "+    aliases: [Kafka, Kafka Streams]"}}},
		{"a description in one language shortened, a property added", func(m *graph.Mutation) error {
			n := node(m, "talk-rise-of-real-time")
			n.Description["en"] = "Batches are a legacy of accounting; stream the data."
			n.Props["room"] = "Main"
			_, err := m.UpsertNode(set, n)
			return err
		}, map[string][]string{"talks.yaml": {
			"-      en: >-",
			"-        Neha Narkhede argues that grouping company data into batches is a legacy",
			"-        of accounting that no longer fits today's growing data flows, and that",
			"-        systems should process streams of data rather than data at rest. She",
			"-        shows how Apache Kafka connects services through messages and presents",
			"-        Confluent's streaming platform built on it.",
			"+      en: Batches are a legacy of accounting; stream the data.",
			"+      room: Main",
		}}},
		{"a property removed", func(m *graph.Mutation) error {
			n := node(m, "talk-rise-of-real-time")
			delete(n.Props, "order")
			_, err := m.UpsertNode(set, n)
			return err
		}, map[string][]string{"talks.yaml": {"-      order: 1"}}},
		{"a new tool", func(m *graph.Mutation) error {
			_, err := m.UpsertNode(set, &graph.Node{ID: "redpanda", Kind: graph.KindTool, Name: "Redpanda"})
			return err
		}, map[string][]string{"tools.yaml": {"+", "+  - id: redpanda", "+    kind: tool", "+    name: Redpanda"}}},
		{"a relation removed", func(m *graph.Mutation) error {
			return m.RemoveEdge("hashicorp", "makes", "vault")
		}, map[string][]string{"edges-security-build.yaml": {
			"-  - from: hashicorp", "-    type: makes", "-    to: vault", "-    evidence:",
			"-      - source: github-hashicorp-vault", "-        quote: \"Licensed Work: Vault 1.15.1. The Licensed Work is (c) 2023 HashiCorp, Inc.\"", "-",
		}}},
		{"the first relation under a comment removed", func(m *graph.Mutation) error {
			return m.RemoveEdge("neha-narkhede", "gave", "talk-rise-of-real-time")
		}, map[string][]string{"edges-speakers.yaml": {
			"-  - from: neha-narkhede", "-    type: gave", "-    to: talk-rise-of-real-time", "-    evidence:",
			"-      - source: article-dotscale-2017-fr", "-        quote: \"La première conférence fût donnée par Neha Narkhede.\"", "-",
		}}},
		{"a concept deleted with its relations", func(m *graph.Mutation) error {
			return m.DeleteNode("batch-processing")
		}, map[string][]string{
			"concepts.yaml": {
				"-  - id: batch-processing", "-    kind: concept", "-    name: Batch processing", "-    aliases: [Batch jobs]", "-    description:",
				"-      en: >-",
				"-        Processing data in grouped blocks at set times, a habit computing",
				"-        inherited from practices such as closing the accounts; it copes poorly",
				"-        with ever-growing data flows.",
				"-      fr: >-",
				"-        Le traitement des données par blocs à intervalles fixes, habitude héritée",
				"-        de pratiques comme l'arrêté des comptes ; il s'adapte mal à des flux de",
				"-        données toujours plus volumineux.",
				"-",
			},
			// Two relations of the node, the first one next to another from
			// the same talk (the diff shows it shifted).
			"edges-data.yaml": {
				"-    to: batch-processing", "-    evidence:", "-      - source: article-dotscale-2017-fr",
				"-        quote: \"Ce mode de fonctionnement, copié par l’informatique a donné lieu aux traitements “batchs”\"",
				"-", "-  - from: talk-rise-of-real-time", "-    type: mentions",
				"-  - from: stream-processing", "-    type: related_to", "-    to: batch-processing", "-    evidence:",
				"-      - source: article-dotscale-2017-fr",
				"-        quote: \"Le problème est que ce mode de traitement n’est, de nos jours, plus du tout adapté au flux de données de plus en plus important.\"",
				"-",
			},
		}},
		{"a piece of evidence more", func(m *graph.Mutation) error {
			_, err := m.AddEdge(set, graph.Edge{From: "neha-narkhede", Type: "gave", To: "talk-rise-of-real-time",
				Evidence: []graph.Evidence{{Source: "opensource-com-neha-narkhede-2016", Quote: "She gave the first talk of the day."}}})
			return err
		}, map[string][]string{"edges-speakers.yaml": {
			"+      - source: opensource-com-neha-narkhede-2016", "+        quote: She gave the first talk of the day.",
		}}},
		{"a new relation from a talk", func(m *graph.Mutation) error {
			_, err := m.AddEdge(set, graph.Edge{From: "talk-devops", Type: "mentions", To: "kafka",
				Evidence: []graph.Evidence{{Source: "article-dotscale-2017-fr", Quote: "a quote that says so"}}})
			return err
		}, map[string][]string{"edges-operations.yaml": {
			"+", "+  - from: talk-devops", "+    type: mentions", "+    to: kafka", "+    evidence:",
			"+      - source: article-dotscale-2017-fr", "+        quote: a quote that says so",
		}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := testdb.Seeded(t)
			if err := s.Mutate(context.Background(), c.change); err != nil {
				t.Fatalf("change: %v", err)
			}
			got, err := export.YAMLFiles(testdb.Begin(t, s))
			if err != nil {
				t.Fatal(err)
			}
			want := filesOf(t, seeds.DotScale())
			if g, w := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)); !slices.Equal(g, w) {
				t.Fatalf("files: got %v, want %v", g, w)
			}
			for name, b := range want {
				d := lineDiff(string(b), string(got[name]))
				if w := c.want[path.Base(name)]; !slices.Equal(d, w) {
					t.Errorf("%s: got the diff\n%s\nwant\n%s", name, strings.Join(d, "\n"), strings.Join(w, "\n"))
				}
			}
			// The files say what the store holds.
			fsys := os.DirFS(writeTree(t, got))
			n1, e1 := withoutPlaces(contents(t, testdb.Begin(t, s)))
			n2, e2 := withoutPlaces(contents(t, testdb.Begin(t, testdb.SeededFrom(t, fsys, "export"))))
			if i := firstDiff(n2, n1); i >= 0 {
				t.Errorf("node %d seeded from the export: got %+v, want %+v", i, at(n2, i), at(n1, i))
			}
			if i := firstDiff(e2, e1); i >= 0 {
				t.Errorf("edge %d seeded from the export: got %+v, want %+v", i, at(e2, i), at(e1, i))
			}
		})
	}
}

// writeTree writes files into a new directory and returns it.
func writeTree(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		p := path.Join(dir, name)
		if err := os.MkdirAll(path.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
