//go:build unix

package graph_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/benchdata"
)

// BenchmarkResolve resolves names on the benchmark database: a known alias
// (the baseline), a near miss that gets a suggestion, and an unknown name
// of 1 KB, which must cost about what the baseline costs.
func BenchmarkResolve(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			s := openBench(b, benchdata.DB(b, n))
			for _, c := range []struct{ name, text string }{
				{"known-alias", "T1"},
				{"near-miss", "Tool 1x"},
				{"unknown-1KB", strings.Repeat("kafka ", 170)},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						tx := s.Begin(context.Background())
						_, err := tx.Resolve(c.text)
						tx.Discard()
						if err != nil && !errors.Is(err, graph.ErrNotFound) {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
