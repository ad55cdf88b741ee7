package graph

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// The closest-names suggestion serves the error path of every unknown name,
// so its work is bounded whatever the name and the size of the graph:
//   - a name too long to be within the edit budget of any stored name is
//     answered at once (stored names and aliases are at most MaxNameLen
//     bytes, which folding to ASCII lengthens by at most a third; ids are
//     shorter);
//   - candidates come from the name index by shared prefix: the keys that
//     start like the name (its first three, two, then one runes), each
//     region read at most closestScan keys, widening only while fewer than
//     k suggestions are found;
//   - the edit distance is cut at the budget (at most closestMaxEdits): a
//     name whose length differs by more is skipped without computing it.
const (
	closestScan     = 4000
	closestMaxEdits = 4
	maxFoldedName   = MaxNameLen * 4 / 3
)

// Closest returns the names of up to k nodes whose id, name or alias is
// closest to name by edit distance on folded text, best first. It returns
// the store's read errors and the context's error.
func (tx *Tx) Closest(name string, k int) ([]string, error) {
	q := tx.s.Analyzer.Fold(name)
	n := utf8.RuneCountInString(q)
	budget := min(closestMaxEdits, max(2, n/2))
	if n == 0 || n > maxFoldedName+budget {
		return nil, nil
	}
	best := map[string]int{}
	seen := map[string]bool{} // region prefixes read whole
	for _, width := range []int{3, 2, 1} {
		p := runePrefix(q, width)
		if seen[p] {
			continue
		}
		whole, err := tx.closestIn(p, q, budget, best)
		if err != nil {
			return nil, err
		}
		seen[p] = whole
		if len(best) >= k {
			break
		}
	}
	return tx.closestNames(best, k), nil
}

// closestIn scores the names of the index that start with p against q,
// at most closestScan of them, and says whether it read them all.
func (tx *Tx) closestIn(p, q string, budget int, best map[string]int) (bool, error) {
	qr := []rune(q)
	read := 0
	err := tx.scanKeys(append([]byte{tagAlias}, p...), func(key, _ []byte) error {
		if read++; read > closestScan {
			return errStop
		}
		i := bytes.IndexByte(key, sep)
		if i < 0 {
			return nil
		}
		folded, id := string(key[1:i]), string(key[i+1:])
		d, ok := nameDistance(qr, q, folded, budget)
		if old, seen := best[id]; ok && (!seen || d < old) {
			best[id] = d
		}
		return nil
	})
	if err == errStop {
		return false, nil
	}
	return true, err
}

// nameDistance is the edit distance of a stored folded name to the query,
// shortened when one holds the other whole ("mazieres" in "david
// mazieres"), and false when it exceeds budget.
func nameDistance(qr []rune, q, folded string, budget int) (int, bool) {
	diff := abs(utf8.RuneCountInString(folded) - len(qr))
	d := budget + 1
	if strings.Contains(folded, q) || strings.Contains(q, folded) {
		d = 1 + diff/4
	}
	if diff <= budget {
		if e, ok := editWithin(qr, []rune(folded), min(budget, d-1)); ok {
			d = e
		}
	}
	return d, d <= budget
}

// closestNames returns the names of the k nodes of best with the smallest
// distances, then smallest ids.
func (tx *Tx) closestNames(best map[string]int, k int) []string {
	ids := make([]string, 0, len(best))
	for id := range best {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if best[ids[i]] != best[ids[j]] {
			return best[ids[i]] < best[ids[j]]
		}
		return ids[i] < ids[j]
	})
	var out []string
	for _, id := range ids {
		if len(out) == k {
			break
		}
		if n, err := tx.Node(id); err == nil {
			out = append(out, n.Name)
		}
	}
	return out
}

func runePrefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
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
	d, _ := editWithin(ra, rb, max(len(ra), len(rb)))
	return d
}

// editWithin is the Levenshtein distance between a and b when it is at
// most k; it gives up (false) as soon as a row's best exceeds k, since
// later rows can only grow from it.
func editWithin(a, b []rune, k int) (int, bool) {
	if abs(len(a)-len(b)) > k {
		return 0, false
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > k {
			return 0, false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)], prev[len(b)] <= k
}
