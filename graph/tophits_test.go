package graph

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
)

func TestTopHitsMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ n, limit int }{{0, 5}, {3, 5}, {100, 10}, {1000, 1}, {50, -1}, {20, 0}} {
		t.Run(fmt.Sprintf("n=%d,limit=%d", c.n, c.limit), func(t *testing.T) {
			var all []SearchHit
			top := &topHits{limit: c.limit}
			for i := 0; i < c.n; i++ {
				h := SearchHit{ID: fmt.Sprintf("id-%04d", i), Score: float64(rng.IntN(20))} // ties on purpose
				all = append(all, h)
				top.add(h)
			}
			sort.Slice(all, func(i, j int) bool { return better(all[i], all[j]) })
			if c.limit >= 0 && len(all) > c.limit {
				all = all[:c.limit]
			}
			got := top.sorted()
			if len(got) == 0 && len(all) == 0 {
				return
			}
			if !reflect.DeepEqual(got, all) {
				t.Errorf("got %v, want %v", got, all)
			}
		})
	}
}
