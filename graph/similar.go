package graph

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// SimilarTalk is a talk like another one, its score, and why: the entities
// both talks mention or are about, then the speakers they share, each in id
// order, and the index terms both texts hold.
type SimilarTalk struct {
	ID     string
	Score  float64
	Shared []string
	Words  []string
}

// The weights of similarity. A shared feature f (an entity both talks
// mention or are about, a speaker of both, an index term of both texts in
// one language) adds idf(f) = ln(1 + N/df), N the number of talks and df
// how many of them have f: what every talk mentions counts for little.
const (
	// wordWeight scales a shared word: weaker evidence than a shared entity.
	wordWeight = 0.5
	// maxWordTexts: a word more texts (nodes of any kind) hold than this
	// says too little to compare two talks by, and reading its postings
	// would cost more than the rest of the answer.
	maxWordTexts = 256
)

// feature is one thing a talk has, the talks that have it, and its weight.
type feature struct {
	id    string // an entity or person id, or a word
	word  bool
	talks []string
}

// Similar returns the talks most like talk id, best first (ties by id), at
// most limit: each scores the sum of the weights of the features it shares
// with the talk (see wordWeight), added in the order entities, speakers,
// words, each in id (word: language, term) order. It returns ErrInvalid
// when id is not a talk, ErrNotFound when it does not exist.
func (tx *Tx) Similar(id string, limit int) ([]SimilarTalk, error) {
	idx, err := tx.talkIndex()
	if err != nil {
		return nil, err
	}
	row := idx.rows[id]
	if row == nil {
		n, err := tx.Node(id)
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("node %q is a %s: %w: similar talks are those of a talk", id, n.Kind, ErrInvalid)
	}
	feats, err := tx.features(idx, id, row)
	if err != nil {
		return nil, err
	}
	total := float64(len(idx.ids))
	found := map[string]*SimilarTalk{}
	for _, f := range feats {
		w := math.Log(1 + total/float64(len(f.talks)))
		if f.word {
			w *= wordWeight
		}
		for _, other := range f.talks {
			if other == id {
				continue
			}
			s := found[other]
			if s == nil {
				s = &SimilarTalk{ID: other}
				found[other] = s
			}
			s.Score += w
			if f.word {
				s.Words = append(s.Words, f.id)
			} else {
				s.Shared = append(s.Shared, f.id)
			}
		}
	}
	return topSimilar(found, limit), nil
}

// features lists what the talk has: its topics, its speakers, then its
// words that at most maxWordTexts texts hold.
func (tx *Tx) features(idx *talkIndex, id string, row *talkRow) ([]feature, error) {
	var out []feature
	for _, t := range row.topics {
		out = append(out, feature{id: t, talks: idx.byTopic[t]})
	}
	for _, p := range row.speakers {
		out = append(out, feature{id: p, talks: idx.bySpeaker[p]})
	}
	n, err := tx.Node(id)
	if err != nil {
		return nil, err
	}
	stats, err := tx.searchStats()
	if err != nil {
		return nil, err
	}
	for _, p := range tx.s.postings(n) {
		// The document frequency, a point read per data set, spares reading
		// the postings of the common words.
		df, err := tx.docFreq(stats[p.lang].sets, p.lang, p.term)
		if err != nil || df > maxWordTexts {
			if err != nil {
				return nil, err
			}
			continue
		}
		talks, ok, err := tx.wordTalks(idx, p.lang, p.term)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, feature{id: p.term, word: true, talks: talks})
		}
	}
	return out, nil
}

// wordTalks returns the talks whose text holds term in lang, and false when
// more than maxWordTexts texts hold it.
func (tx *Tx) wordTalks(idx *talkIndex, lang, term string) ([]string, bool, error) {
	p := prefix(tagPosting, lang, term)
	var talks []string
	n := 0
	err := tx.scanKeys(p, func(k, _ []byte) error {
		if n++; n > maxWordTexts {
			return errStop
		}
		if _, _, id, ok := parsePosting(p, k); ok && idx.rows[id] != nil {
			talks = append(talks, id)
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil, false, nil
	}
	return talks, err == nil, err
}

// topSimilar ranks the talks found, best first, ties by id, and keeps limit;
// the words of each are sorted and without repeats (a word can match in two
// languages).
func topSimilar(found map[string]*SimilarTalk, limit int) []SimilarTalk {
	out := make([]SimilarTalk, 0, len(found))
	for _, s := range found {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b SimilarTalk) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	})
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		slices.Sort(out[i].Words)
		out[i].Words = slices.Compact(out[i].Words)
	}
	return out
}
