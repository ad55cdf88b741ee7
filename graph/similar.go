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
	id     string // an entity or person id, or a word
	word   bool
	talks  []string // in id order
	weight float64
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
	// Scores first, in feature order (the order the sum is documented in);
	// the reasons only for the talks kept: a hub concept adds a little to
	// ten thousand talks.
	total := float64(len(idx.ids))
	scores := map[string]float64{}
	for i := range feats {
		f := &feats[i]
		f.weight = math.Log(1 + total/float64(len(f.talks)))
		if f.word {
			f.weight *= wordWeight
		}
		for _, other := range f.talks {
			if other != id {
				scores[other] += f.weight
			}
		}
	}
	top := topSimilar(scores, limit)
	for i := range top {
		for _, f := range feats {
			switch {
			case !has(f.talks, top[i].ID):
			case f.word:
				top[i].Words = append(top[i].Words, f.id)
			default:
				top[i].Shared = append(top[i].Shared, f.id)
			}
		}
		slices.Sort(top[i].Words)
		top[i].Words = slices.Compact(top[i].Words)
	}
	return top, nil
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
			slices.Sort(talks)
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

// topSimilar returns the best limit (< 0: all) of the scores, best first,
// ties by id, keeping only those in a sorted slice as it goes.
func topSimilar(scores map[string]float64, limit int) []SimilarTalk {
	better := func(a, b SimilarTalk) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	}
	var top []SimilarTalk
	for id, score := range scores {
		c := SimilarTalk{ID: id, Score: score}
		if limit >= 0 && len(top) == limit && (limit == 0 || better(c, top[limit-1]) > 0) {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, c, better)
		top = slices.Insert(top, i, c)
		if limit >= 0 && len(top) > limit {
			top = top[:limit]
		}
	}
	if top == nil {
		top = []SimilarTalk{}
	}
	return top
}
