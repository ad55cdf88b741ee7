//go:build unix

package graph_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/benchdata"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// BenchmarkTalkIndex measures the talk index on a copy of the benchmark
// database (the writes stay off the shared one), each beside its baseline
// of the same run:
//
//   - scan reads what a build reads (every node record, every forward
//     adjacency key) and does nothing with it: the floor of build;
//   - build builds the index from scratch (a seed, a drop, a start);
//   - patch patches the kept index for a write that touched a talk and the
//     hub concept, without the write;
//   - mutate is one small mutation (a relation added or removed) while no
//     index is kept, mutate+ready the same with an index kept, until a
//     reader of the new version has its (patched) index.
func BenchmarkTalkIndex(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			copyDir(b, benchdata.DB(b, n), dir)
			s := openBench(b, dir)
			ctx := context.Background()
			on := false
			toggle := func(b *testing.B) {
				on = !on
				err := s.Mutate(ctx, func(m *graph.Mutation) error {
					if !on {
						return m.RemoveEdge("talk-42", "mentions", "concept-1")
					}
					_, err := m.AddEdge("bench", graph.Edge{From: "talk-42", Type: "mentions", To: "concept-1",
						Evidence: []graph.Evidence{{Source: "src-edition-0", Quote: "benchmark"}}})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.Run("mutate", func(b *testing.B) {
				for b.Loop() {
					toggle(b)
				}
			})
			view := func(b *testing.B, fn func(*graph.Tx) error) {
				tx := s.Begin(ctx)
				defer tx.Discard()
				if err := fn(tx); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("scan", func(b *testing.B) {
				for b.Loop() {
					view(b, func(tx *graph.Tx) error { _, err := graph.ScanTalkIndexKeys(tx); return err })
				}
			})
			b.Run("build", func(b *testing.B) {
				for b.Loop() {
					view(b, graph.BuildTalkIndex)
				}
			})
			b.Run("patch", func(b *testing.B) {
				view(b, func(tx *graph.Tx) error { _, err := tx.CountTalks(graph.TalkFilter{}); return err })
				for b.Loop() {
					view(b, func(tx *graph.Tx) error { return graph.RepatchTalkIndex(tx, "talk-42", "concept-0") })
				}
			})
			b.Run("mutate+ready", func(b *testing.B) {
				for b.Loop() {
					toggle(b)
					view(b, func(tx *graph.Tx) error {
						_, err := tx.CountTalks(graph.TalkFilter{Mentioning: "concept-1"})
						return err
					})
				}
			})
		})
	}
}

// copyDir copies the files of directory from into directory to.
func copyDir(tb testing.TB, from, to string) {
	tb.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		dst, err := os.Create(filepath.Join(to, d.Name()))
		if err != nil {
			return err
		}
		if _, err := io.Copy(dst, src); err != nil {
			dst.Close()
			return err
		}
		return dst.Close()
	})
	if err != nil {
		tb.Fatalf("copy the benchmark database: %v", err)
	}
}

// openBench opens the benchmark database in dir with the analysis it was
// seeded with, closing it when the benchmark ends.
func openBench(b *testing.B, dir string) *graph.Store {
	b.Helper()
	s := graph.NewStore(dir)
	s.Analyzer = textindex.MustNew()
	if err := s.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
