package graph

import (
	"slices"
	"strings"
)

// TalkFilter selects talks; its conditions intersect. Conference, Speaker
// and Mentioning are node ids; Language and Track match without regard to
// case; Year 0 means any year.
type TalkFilter struct {
	Conference, Speaker, Mentioning string
	Language, Track                 string
	Year                            int
}

// talkQuery is a TalkFilter with its node ids numbered; none says that a
// node it names is unknown to the index, so nothing matches.
type talkQuery struct {
	f                      TalkFilter
	conf, speaker, mention int32
	none                   bool
}

func (idx *talkIndex) query(f TalkFilter) talkQuery {
	q := talkQuery{f: f, conf: -1, speaker: -1, mention: -1}
	for _, c := range []struct {
		id  string
		num *int32
	}{{f.Conference, &q.conf}, {f.Speaker, &q.speaker}, {f.Mentioning, &q.mention}} {
		if c.id == "" {
			continue
		}
		n, ok := idx.id(c.id)
		if !ok {
			q.none = true
		}
		*c.num = n
	}
	return q
}

// lists returns the lists the query's conditions select from: those of
// its entities, and of its year.
func (idx *talkIndex) lists(q talkQuery) [][]int32 {
	var out [][]int32
	if q.conf >= 0 {
		out = append(out, list(&idx.byConf, q.conf, true))
	}
	if q.speaker >= 0 {
		out = append(out, list(&idx.bySpeaker, q.speaker, true))
	}
	if q.mention >= 0 {
		out = append(out, list(&idx.linked, q.mention, true))
	}
	if q.f.Year != 0 {
		out = append(out, idx.byYear[q.f.Year])
	}
	return out
}

// match reports whether talk number t meets every condition of q.
func (idx *talkIndex) match(t int32, q talkQuery) bool {
	row := idx.row(t)
	switch {
	case row == nil:
		return false
	case q.conf >= 0 && !slices.Contains(row.confs, q.conf),
		q.speaker >= 0 && !slices.Contains(row.speakers, q.speaker),
		q.mention >= 0 && !slices.Contains(row.out, q.mention),
		q.f.Language != "" && !strings.EqualFold(row.lang, q.f.Language),
		q.f.Track != "" && !strings.EqualFold(row.track, q.f.Track),
		q.f.Year != 0 && row.year != q.f.Year:
		return false
	}
	return true
}

// each calls fn with every talk q selects, in id order: it walks the
// shortest of the lists its conditions give (all talks when none) and
// checks the other conditions on each talk's row.
func (idx *talkIndex) each(q talkQuery, fn func(t int32) bool) {
	if q.none {
		return
	}
	drive := idx.talks
	for i, l := range idx.lists(q) {
		if i == 0 || len(l) < len(drive) {
			drive = l
		}
	}
	for _, t := range drive {
		if idx.match(t, q) && !fn(t) {
			return
		}
	}
}
