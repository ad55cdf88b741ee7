package graph

import (
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// A word of the query may be searched as more than its own term (see
// Expander): the ranker plans, per word, a group of choices, and scores a
// node by the best of them.

// bestOf adds to acc, per node, the best score of a group's choices: a
// choice of two terms counts for a node that holds both. The best are
// kept in a second accumulator, an array like acc: a word's alternatives
// may hold as many postings as the word.
func (r *ranker) bestOf(it *badger.Iterator, g *group, acc *accumulator) error {
	best := accumulators.Get().(*accumulator)
	defer accumulators.Put(best)
	best.prepare(len(acc.score), false)
	defer best.reset()
	for _, c := range g.choices {
		if len(c.terms) == 1 {
			if err := r.eachPosting(it, c.terms[0], func(num uint32, s float64) { best.keepMax(num, s*c.factor) }); err != nil {
				return err
			}
			continue
		}
		sum := map[uint32]float64{}
		seen := map[uint32]int{}
		for _, t := range c.terms {
			if err := r.eachPosting(it, t, func(num uint32, s float64) {
				sum[num] += s
				seen[num]++
			}); err != nil {
				return err
			}
		}
		for num, s := range sum {
			if seen[num] == len(c.terms) {
				best.keepMax(num, s*c.factor)
			}
		}
	}
	for _, num := range best.nums {
		acc.add(num, best.score[num])
	}
	return nil
}

// plan analyses the query in the ranker's language into groups: each word
// its term, when texts hold it, and the alternatives ex proposes (none
// when ex is nil).
func (r *ranker) plan(text string, sets []string, ex Expander) error {
	toks := r.tx.s.Analyzer.Tokens(r.lang, text)
	seen := map[string]bool{}
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		if seen[tok.Term] {
			continue
		}
		seen[tok.Term] = true
		g := &group{}
		own, err := r.term(sets, tok.Term)
		if err != nil {
			return err
		}
		w := SearchedWord{Lang: r.lang, Surface: r.tx.s.Analyzer.Fold(text[tok.Start:tok.End]), Term: tok.Term}
		if own != nil {
			w.DF = own.df
			g.choices = append(g.choices, choice{terms: []*queryTerm{own}, factor: 1})
		}
		if ex != nil {
			qw := QueryWord{Term: tok.Term, Surface: w.Surface, DF: w.DF, Last: i == len(toks)-1 && lastWordOpen(text, tok)}
			if i+1 < len(toks) {
				qw.Next = r.tx.s.Analyzer.Fold(text[toks[i+1].Start:toks[i+1].End])
			}
			skip, err := r.alternatives(g, &w, ex.Expand(r.lang, qw), sets)
			if err != nil {
				return err
			}
			i += skip
		}
		if len(g.choices) > 0 {
			r.groups = append(r.groups, g)
		}
		r.words = append(r.words, w)
	}
	return nil
}

// alternatives adds to g the alternatives whose terms texts hold, and
// returns how many following words one of them stands for too (a word
// joined with the next).
func (r *ranker) alternatives(g *group, w *SearchedWord, alts []Alternative, sets []string) (int, error) {
	skip := 0
	for _, a := range alts {
		var terms []*queryTerm
		for _, t := range strings.Fields(a.Term) {
			q, err := r.term(sets, t)
			if err != nil {
				return 0, err
			}
			if q == nil {
				terms = nil
				break
			}
			terms = append(terms, q)
		}
		if len(terms) == 0 || a.Factor <= 0 || a.Factor >= 1 {
			continue
		}
		// A term that stands for two words of the query ("postgres" for
		// "post gres") counts for both.
		g.choices = append(g.choices, choice{terms: terms, factor: a.Factor * float64(max(1, a.Spans))})
		w.Alternatives = append(w.Alternatives, a)
		if a.Why == "joined" && w.DF == 0 {
			skip = max(skip, a.Spans-1) // "post gres": the next word is in it
		}
	}
	return skip, nil
}

// lastWordOpen reports whether the query ends with its last word, not
// with a space or a mark after it: only then may it be a word being typed.
func lastWordOpen(text string, last Token) bool {
	return strings.TrimRight(text[last.End:], "\"'’”»)") == ""
}
