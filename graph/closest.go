package graph

import (
	"sort"
	"strings"
)

// Closest returns the names of up to k nodes whose id, name or alias is
// closest to name by edit distance on folded text, best first. It scans the
// whole name index, which is fine for the error path it serves.
func (tx *Tx) Closest(name string, k int) ([]string, error) {
	q := tx.s.Analyzer.Fold(name)
	type cand struct {
		id   string
		dist int
	}
	best := map[string]int{}
	err := tx.scan([]byte{tagAlias}, func(key, _ []byte) error {
		ps := parts(key)
		if len(ps) != 2 {
			return nil
		}
		d := EditDistance(q, ps[0])
		if strings.Contains(ps[0], q) || strings.Contains(q, ps[0]) {
			d = min(d, 1+abs(len(ps[0])-len(q))/4)
		}
		if old, ok := best[ps[1]]; !ok || d < old {
			best[ps[1]] = d
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	limit := max(2, len([]rune(q))/2)
	cands := make([]cand, 0, len(best))
	for id, d := range best {
		if d <= limit {
			cands = append(cands, cand{id, d})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].id < cands[j].id
	})
	var out []string
	for _, c := range cands {
		if len(out) == k {
			break
		}
		if n, err := tx.Node(c.id); err == nil {
			out = append(out, n.Name)
		}
	}
	return out, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// EditDistance is the Levenshtein distance between a and b, in runes.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
