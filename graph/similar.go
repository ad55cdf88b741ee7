package graph

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// SimilarTalk is a talk like another one, its score, and why: the entities
// both talks mention or are about, then the speakers they share, each in id
// order, and the words both texts hold, as the talk asked about writes them
// ("Ansible", not the index term "ansibl"), in order and without regard to
// case once each.
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
	num    int32  // an entity or person, -1 for a word
	term   string // a word: an index term, in lang
	lang   string
	topic  bool // an entity the talk mentions or is about (else a speaker)
	talks  []int32
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
	self, ok := idx.id(id)
	row := idx.row(self)
	if !ok || row == nil {
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
	total := float64(len(idx.talks))
	words := 0.0
	for i := range feats {
		f := &feats[i]
		f.weight = math.Log(1 + total/float64(len(f.talks)))
		if f.num < 0 {
			f.weight *= wordWeight
			words += f.weight
		}
	}
	// Entities first: each shared entity also weighs all the words
	// together, so a talk that shares one ranks above any that share only
	// words.
	for i := range feats {
		if feats[i].num >= 0 {
			feats[i].weight += words
		}
	}
	top := idx.topSimilar(self, feats, limit)
	written := tx.s.writtenWords(tx.nodes[id])
	for i := range top {
		t, _ := idx.id(top[i].ID)
		for _, f := range feats {
			switch {
			case !idx.hasFeature(t, f):
			case f.num < 0:
				w, ok := written[f.lang+"\x00"+f.term]
				if !ok {
					w = f.term
				}
				top[i].Words = append(top[i].Words, w)
			default:
				top[i].Shared = append(top[i].Shared, idx.names[f.num])
			}
		}
		slices.SortFunc(top[i].Words, func(a, b string) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
		})
		top[i].Words = slices.CompactFunc(top[i].Words, strings.EqualFold)
	}
	return top, nil
}

// bareWord drops what an analyzer reads as apart from the word: an elided
// article or pronoun before it ("d'automatisation", "l’équipe") and a
// possessive after it ("Google's").
func bareWord(w string) string {
	for _, ap := range []string{"'", "’"} {
		if i := strings.Index(w, ap); i > 0 && i <= 3 && len(w) > i+len(ap) {
			w = w[i+len(ap):]
		}
		for _, s := range []string{ap + "s", ap + "S"} {
			if rest, ok := strings.CutSuffix(w, s); ok && rest != "" {
				w = rest
			}
		}
	}
	return w
}

// writtenWords maps each index term of n's texts, by language ("lang 0
// term"), to the word as n's text first writes it: its name, its aliases,
// then its description in that language. nil for a nil n.
func (s *Store) writtenWords(n *Node) map[string]string {
	if n == nil {
		return nil
	}
	out := map[string]string{}
	for _, lang := range s.nodeLangs(n) {
		for _, text := range append(append([]string{n.Name}, n.Aliases...), n.Description[lang]) {
			for _, t := range s.Analyzer.Tokens(lang, text) {
				if k := lang + "\x00" + t.Term; out[k] == "" {
					out[k] = bareWord(text[t.Start:t.End])
				}
			}
		}
	}
	return out
}

// hasFeature reports whether talk t has feature f.
func (idx *talkIndex) hasFeature(t int32, f feature) bool {
	switch {
	case f.num < 0:
		return slices.Contains(f.talks, t)
	case f.topic:
		return slices.Contains(idx.row(t).topics, f.num)
	default:
		return slices.Contains(idx.row(t).speakers, f.num)
	}
}

// features lists what the talk has: its topics, its speakers, then its
// words that at most maxWordTexts texts hold.
func (tx *Tx) features(idx *talkIndex, id string, row *talkRow) ([]feature, error) {
	var out []feature
	for _, t := range row.topics {
		out = append(out, feature{num: t, topic: true, talks: idx.byTopic.at(t)})
	}
	for _, p := range row.speakers {
		out = append(out, feature{num: p, talks: idx.bySpeaker.at(p)})
	}
	n, err := tx.Node(id)
	if err != nil {
		return nil, err
	}
	stats, err := tx.searchStats()
	if err != nil {
		return nil, err
	}
	weak, _ := tx.s.Analyzer.(interface{ Meaningless(term string) bool })
	for _, p := range tx.s.postings(n) {
		if weak != nil && weak.Meaningless(p.term) {
			continue // "can", "und", "les": shared by chance
		}
		// The document frequency, a point read per data set, spares reading
		// the postings of the common words.
		df, err := idx.docFreq(tx, stats[p.lang].sets, p.lang, p.term)
		if err != nil {
			return nil, err
		}
		if df > maxWordTexts {
			continue
		}
		talks, ok, err := tx.wordTalks(idx, p.lang, p.term)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, feature{num: -1, term: p.term, lang: p.lang, talks: talks})
		}
	}
	return out, nil
}

// wordTalks returns the talks whose text holds term in lang, and false when
// more than maxWordTexts texts hold it.
func (tx *Tx) wordTalks(idx *talkIndex, lang, term string) ([]int32, bool, error) {
	p := prefix(tagPosting, lang, term)
	var talks []int32
	n := 0
	err := tx.scanKeys(p, func(k, _ []byte) error {
		if n++; n > maxWordTexts {
			return errStop
		}
		if _, _, id, ok := parsePosting(p, k); ok {
			if t, ok := idx.id(id); ok && idx.row(t) != nil {
				talks = append(talks, t)
			}
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil, false, nil
	}
	return idx.sortNums(talks), err == nil, err
}

// maxCachedDFs bounds the document frequencies an index keeps.
const maxCachedDFs = 1 << 18

// docFreq returns the document frequency of a term at the index's version
// (tx's), keeping it: the common words of a description are looked up by
// every similar question, only to be left out.
func (idx *talkIndex) docFreq(tx *Tx, sets []string, lang, term string) (int, error) {
	k := lang + "\x00" + term
	idx.mu.Lock()
	df, ok := idx.dfs[k]
	idx.mu.Unlock()
	if ok {
		return df, nil
	}
	df, err := tx.docFreq(sets, lang, term)
	if err != nil {
		return 0, err
	}
	idx.mu.Lock()
	if idx.dfs == nil || len(idx.dfs) >= maxCachedDFs {
		idx.dfs = map[string]int{}
	}
	idx.dfs[k] = df
	idx.mu.Unlock()
	return df, nil
}
