package graph_test

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// corpus returns nodes with random names and descriptions over a small
// vocabulary, so that words are frequent, scores tie and texts vary in length:
// the cases where stopping a search early could go wrong.
func corpus(seed uint64, n int) []graph.Node {
	r := rand.New(rand.NewPCG(seed, 1))
	vocab := []string{"latency", "stream", "kafka", "cache", "queue", "graph", "proxy", "shard", "lock", "raft", "zebra"}
	word := func() string {
		// Zipf-like: the first words are much more frequent.
		return vocab[min(len(vocab)-1, int(r.ExpFloat64()*2.5))]
	}
	text := func(min, max int) string {
		ws := make([]string, min+r.IntN(max-min+1))
		for i := range ws {
			ws[i] = word()
		}
		return strings.Join(ws, " ")
	}
	kinds := []graph.Kind{graph.KindConcept, graph.KindTool, graph.KindTalk}
	nodes := make([]graph.Node, n)
	for i := range nodes {
		nodes[i] = graph.Node{
			ID:          fmt.Sprintf("n%03d", i),
			Kind:        kinds[i%len(kinds)],
			Name:        "Node " + text(1, 2),
			Description: map[string]string{"en": text(2, 12), "fr": text(0, 6)},
		}
	}
	return nodes
}

// bruteBM25 scores every node for the query words in one language, the way
// the store's documentation says: names and aliases weigh 3, descriptions 1,
// PlainAnalyzer's words, k1 1.2 and b 0.75.
func bruteBM25(nodes []graph.Node, lang string, words []string) []graph.SearchHit {
	a := graph.PlainAnalyzer{}
	tfs := make([]map[string]int, len(nodes))
	lengths := make([]int, len(nodes))
	docs, total, df := 0, 0, map[string]int{}
	for i, n := range nodes {
		tf := map[string]int{}
		for _, t := range a.Tokens(lang, strings.Join(append([]string{n.Name}, n.Aliases...), " ")) {
			tf[t.Term] += 3
			lengths[i]++
		}
		for _, t := range a.Tokens(lang, n.Description[lang]) {
			tf[t.Term]++
			lengths[i]++
		}
		if lengths[i] > 0 {
			docs++
			total += lengths[i]
		}
		for t := range tf {
			df[t]++
		}
		tfs[i] = tf
	}
	avg := float64(total) / float64(docs)
	var hits []graph.SearchHit
	for i, n := range nodes {
		score := 0.0
		for _, w := range slices.Compact(slices.Sorted(slices.Values(words))) {
			tf := float64(tfs[i][w])
			if tf == 0 {
				continue
			}
			idf := math.Log(1 + (float64(docs)-float64(df[w])+0.5)/(float64(df[w])+0.5))
			score += idf * tf * 2.2 / (tf + 1.2*(0.25+0.75*float64(lengths[i])/avg))
		}
		if score > 0 {
			hits = append(hits, graph.SearchHit{ID: n.ID, Score: score, Lang: lang})
		}
	}
	slices.SortFunc(hits, func(a, b graph.SearchHit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return hits
}

// searchQueries returns queries of 1 to 10 words over the corpus's
// vocabulary: frequent words, rare ones, repeated ones and unknown ones.
func searchQueries() []string {
	qs := []string{"latency", "zebra", "stream kafka", "raft lock zebra", "latency latency", "nothing"}
	r := rand.New(rand.NewPCG(3, 4))
	vocab := []string{"latency", "stream", "kafka", "cache", "queue", "graph", "proxy", "shard", "lock", "raft", "zebra", "nothing"}
	for n := 2; n <= 10; n++ {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[r.IntN(len(vocab))]
		}
		qs = append(qs, strings.Join(ws, " "))
	}
	return append(qs, "latency stream kafka cache queue graph proxy shard", "zebra raft zebra lock zebra raft")
}

// TestSearchStopsEarlyExactly: the impact-ordered search, which stops once
// nothing unread can enter the top, returns exactly the top of a brute-force
// BM25 over every node, for frequent and rare words, several words, kinds
// and page sizes.
func TestSearchStopsEarlyExactly(t *testing.T) {
	nodes := corpus(7, 400)
	s := MustOpen(t)
	seedSet(t, s, "main", nodes, nil, nil)
	tx := begin(t, s)
	kindOf := map[string]graph.Kind{}
	for _, n := range nodes {
		kindOf[n.ID] = n.Kind
	}
	for _, q := range searchQueries() {
		for _, lang := range []string{"en", "fr"} {
			all := bruteBM25(nodes, lang, strings.Fields(q))
			for _, kinds := range [][]graph.Kind{nil, {graph.KindTalk}} {
				want := slices.DeleteFunc(slices.Clone(all), func(h graph.SearchHit) bool {
					return kinds != nil && !slices.Contains(kinds, kindOf[h.ID])
				})
				for _, limit := range []int{0, 1, 3, 10, 50, -1} {
					t.Run(fmt.Sprintf("%s/%s/%v/%d", q, lang, kinds, limit), func(t *testing.T) {
						got, err := tx.Search(q, []string{lang}, kinds, limit)
						if err != nil {
							t.Fatal(err)
						}
						w := want
						if limit >= 0 && len(w) > limit {
							w = w[:limit]
						}
						if len(got) != len(w) {
							t.Fatalf("hits: got %d, want %d", len(got), len(w))
						}
						for i := range got {
							if got[i].ID != w[i].ID || math.Abs(got[i].Score-w[i].Score) > 1e-9 {
								t.Fatalf("hit %d: got %s %.12f, want %s %.12f", i, got[i].ID, got[i].Score, w[i].ID, w[i].Score)
							}
						}
					})
				}
			}
		}
	}
}

// TestSearchConferenceExactly: a conference filter keeps exactly the
// brute-force top of that conference's talks.
func TestSearchConferenceExactly(t *testing.T) {
	nodes := corpus(11, 300)
	in := map[string]bool{}
	var edges []graph.Edge
	for _, n := range nodes {
		if n.Kind == graph.KindTalk && len(in)%2 == 0 || n.Kind == graph.KindTalk && n.ID[len(n.ID)-1] == '1' {
			in[n.ID] = true
			edges = append(edges, graph.Edge{From: n.ID, Type: "part_of", To: "conf"})
		}
	}
	all := append(slices.Clone(nodes), graph.Node{ID: "conf", Kind: graph.KindConference, Name: "Conf"})
	s := MustOpen(t)
	seedSet(t, s, "main", all, edges, nil)
	tx := begin(t, s)
	for _, q := range searchQueries() {
		for _, limit := range []int{1, 5, -1} {
			t.Run(fmt.Sprintf("%s/%d", q, limit), func(t *testing.T) {
				want := slices.DeleteFunc(bruteBM25(all, "en", strings.Fields(q)), func(h graph.SearchHit) bool { return !in[h.ID] })
				if limit >= 0 && len(want) > limit {
					want = want[:limit]
				}
				got, err := tx.SearchWith(q, graph.SearchOptions{Langs: []string{"en"}, Conference: "conf"}, limit)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("hits: got %d, want %d", len(got), len(want))
				}
				for i := range got {
					if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > 1e-9 {
						t.Fatalf("hit %d: got %s %.12f, want %s %.12f", i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
					}
				}
			})
		}
	}
	if _, err := tx.SearchWith("kafka", graph.SearchOptions{Conference: "n000"}, 10); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("a filter on a concept: got %v, want %v", err, graph.ErrNotFound)
	}
}
