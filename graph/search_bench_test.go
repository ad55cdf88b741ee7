//go:build unix

package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/benchdata"
)

// BenchmarkSearchWords searches the benchmark database for 1, 2, 4 and 8
// words that most generated descriptions hold: the 1-word search is the
// baseline of the same run (issue 12: eight words cost at most five times
// one).
func BenchmarkSearchWords(b *testing.B) {
	words := strings.Fields("distributed systems latency throughput streaming storage observability tracing")
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			s := openBench(b, benchdata.DB(b, n))
			for _, k := range []int{1, 2, 4, 8} {
				b.Run(fmt.Sprintf("words=%d", k), func(b *testing.B) {
					text := strings.Join(words[:k], " ")
					for b.Loop() {
						tx := s.Begin(context.Background())
						_, err := tx.Search(text, nil, nil, 10)
						tx.Discard()
						if err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
