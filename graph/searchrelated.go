package graph

import (
	"strings"
)

// A query may name an entity in a language its talks are not written in:
// "Verschlüsselung" is an alias of Encryption, whose talks are mostly in
// English. The graph knows what the words cannot: the talks related to
// the entity. They come after every direct match, since the text of none
// of them holds the query's words.

// relatedFactor places a related talk below the least direct match.
const relatedFactor = 0.5

// relatedSkip are the kinds whose related talks say nothing of a word
// that names them: a talk's title names the talk, a source's title the
// source, and a conference is related to all its talks.
var relatedSkip = []Kind{KindTalk, KindSource, KindConference}

// addRelated adds to hits, up to limit, the talks related to the
// entities the query names: its whole text, a word or two neighbouring
// words of it, matched whole as an id, a name or an alias (case and
// accents folded). Each scores relatedFactor times the least direct
// score, and says the entity in Via.
func (tx *Tx) addRelated(text string, f *filter, hits []SearchHit, limit int) ([]SearchHit, error) {
	if limit >= 0 && len(hits) >= limit {
		return hits, nil
	}
	have := make(map[string]bool, len(hits))
	floor := 1.0
	for _, h := range hits {
		have[h.ID] = true
		floor = min(floor, h.Score)
	}
	score := floor * relatedFactor
	for _, name := range namedIn(tx.s.Analyzer.Fold(text)) {
		ids, err := tx.Lookup(name)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			k, err := tx.KindOf(id)
			if err != nil {
				return nil, err
			}
			if containsKind(relatedSkip, k) {
				continue
			}
			talks, err := tx.LinkedIDs(id, Both, "", KindTalk, -1)
			if err != nil {
				return nil, err
			}
			for _, t := range talks {
				if limit >= 0 && len(hits) >= limit {
					return hits, nil
				}
				if !have[t] && f.accept(t, KindTalk) {
					have[t] = true
					hits = append(hits, SearchHit{ID: t, Score: score, Via: id})
				}
			}
		}
	}
	return hits, nil
}

// namedIn returns the texts of a folded query that may name an entity:
// the whole, then each two neighbouring words, then each word.
func namedIn(q string) []string {
	words := strings.Fields(q)
	if len(words) == 0 {
		return nil
	}
	out := []string{strings.Join(words, " ")}
	if len(words) == 1 {
		return out
	}
	for i := 0; i+1 < len(words); i++ {
		out = append(out, words[i]+" "+words[i+1])
	}
	return append(out, words...)
}

func containsKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}
