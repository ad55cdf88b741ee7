package link

import (
	"regexp"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// Employers. A person's biography or tag line that names a company or an
// organisation of the vocabulary right after an employment phrase ("an
// engineer at Red Hat", "Developer @ DXC", "développeur chez Zenika",
// "Entwickler bei der Telekom", a tag line "N26, Web Engineer" or one that
// is only the name) proposes "works_at" it, the sentence as evidence. A
// sentence that tells of the past ("worked", "previously", "ehemals",
// "anciennement") proposes nothing.

var (
	// roleWord ends the text before an employer: a role, or a verb of
	// working, then the preposition.
	roleAt   = regexp.MustCompile(`(?i)(\b(engineer|developer|dev|lead|leader|manager|architect|consultant|researcher|scientist|professor|lecturer|analyst|designer|director|head|cto|ceo|cso|ciso|coo|cio|vp|president|founder|co-?founder|evangelist|advocate|specialist|officer|administrator|admin|intern|programmer|maintainer|owner|partner|employee|staff|technologist|sre|journalist|editor|coordinator|trainer|coach|works?|working|employed)\s+(at|for|by|of)|@)\s*$`)
	roleChez = regexp.MustCompile(`(?i)\b(chez|pour)\s*$`)
	roleBei  = regexp.MustCompile(`(?i)\b(bei|für)(\s+(der|dem|den|die))?\s*$`)
	// worksVerb must come before "chez", "pour", "bei", "für" in the
	// sentence: "pour" alone is "for" anything.
	worksVerb = regexp.MustCompile(`(?i)\b(travaille|travaillons|bosse|ingénieure?|développeu[rs]e?|developpeu[rs]e?|consultante?|architecte|cto|ceo|directeur|directrice|responsable|fondat(eur|rice)|cheffe?|lead|chercheu[rs]e?|arbeite[t]?|tätig|entwickler(in)?|ingenieur(in)?|berater(in)?|architekt(in)?|leiter(in)?|geschäftsführer(in)?|gründer(in)?|forscher(in)?|mitarbeiter(in)?|referent(in)?|professor(in)?|engineer|developer)\b`)
	pastWords = regexp.MustCompile(`(?i)\b(worked|previously|formerly|former|ex-|used to|was|had been|past|arbeitete|war|ehemals|ehemalige[rn]?|früher|zuvor|a travaillé|avait|ancien(ne)?|anciennement|auparavant|était)\b`)
)

// employers proposes works_at for a person from their description and
// their role (a tag line).
func (ix *Index) employers(t *found, n *graph.Node) {
	var fs []field
	for l, d := range n.Description {
		fs = append(fs, field{name: "description." + l, lang: l, text: d})
	}
	if r := n.Props["role"]; r != "" {
		fs = append(fs, field{name: "props.role", lang: "en", text: r, title: true})
	}
	for _, f := range fs {
		ws := splitWords(ix.an, f.text)
		for _, m := range ix.find(f, ws) {
			e := m.n.ent
			if e.kind != graph.KindCompany && e.kind != graph.KindOrganization || t.known[e.id] || ix.shared(m.n) {
				continue
			}
			if _, done := t.sure[e.id]; done {
				continue
			}
			start, end := ws[m.first].start, ws[m.last].end
			if !employed(f, start, end) {
				continue
			}
			t.sure[e.id] = Proposal{Talk: t.id, Entity: e.id, Type: "works_at", Field: f.name, Offset: start,
				Text: f.text[start:end], Sentence: sentence(f.text, start, end)}
		}
	}
}

// employed reports whether the name at [start, end) of a field follows an
// employment phrase in a sentence that does not tell of the past, or is
// what a tag line names first ("N26, Web Engineer") or only.
func employed(f field, start, end int) bool {
	s := sentence(f.text, start, end)
	at := strings.Index(s, f.text[start:end])
	if at < 0 {
		return false
	}
	before := s[:at]
	if pastWords.MatchString(before) {
		return false
	}
	if f.name == "props.role" {
		rest := strings.TrimSpace(f.text[end:])
		if strings.TrimSpace(f.text[:start]) == "" && (rest == "" || strings.ContainsAny(rest[:1], ",-|–/")) {
			return true
		}
	}
	switch {
	case roleAt.MatchString(before):
		return true
	case roleChez.MatchString(before), roleBei.MatchString(before):
		return worksVerb.MatchString(before)
	}
	return false
}
