package link

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/words"
)

// entity is a link target.
type entity struct {
	id   string
	kind graph.Kind
	// fam are the keys of its family: "id:X" for each entity it is
	// related to (its maker, its topics…), "topic:X" for each topic it is
	// about, "maker:X" for each maker, "type:T" for its type (programming
	// language). Two entities are of one family when their keys meet, or
	// when one's keys hold the other's id.
	fam []string
	typ string // its "type" property (programming language)
}

// name is one name of an entity, as words.
type name struct {
	ent   *entity
	form  string   // as the entity writes it
	words []string // folded
	lower []string // lower-cased, accents kept
	// What kind of name it is, from its form.
	multi       bool // two words or more
	head        bool // one word of the entity's name of several: "Tracing" of "Distributed tracing"
	acronym     bool // in capitals: TLS, AWS
	distinctive bool // written as no dictionary word is: HashiCorp, k8s, iOS
}

// familyTypes are the relations that make two entities one family.
var familyTypes = []string{"makes", "owns", "created", "maintains", "founded", "part_of", "based_on",
	"uses", "implements", "related_to", "about", "open_sourced_as"}

// Index holds the names of the entities to link to.
type Index struct {
	an     graph.Analyzer
	ents   map[string]*entity
	byWord map[string][]*name // by first folded word
	// forms counts the entities that have each folded name: a name two
	// entities share needs a context to choose.
	forms map[string]map[string]bool
	// stems holds the topics' names by first stem, per language, built when
	// a text in the language is first met.
	stems map[string]map[string][]*stemName
	topic []*name
}

// stemName is a topic's name analysed in one language.
type stemName struct {
	n     *name
	terms []string
}

// NewIndex returns an empty index; AddEntities fills it.
func NewIndex(an graph.Analyzer) *Index {
	return &Index{an: an, ents: map[string]*entity{}, byWord: map[string][]*name{},
		forms: map[string]map[string]bool{}, stems: map[string]map[string][]*stemName{}}
}

// AddEntities adds every entity tx holds (talks, sources and conferences
// are not link targets), with the relations that tell their family. An
// entity added again (from another transaction) is not added twice.
func (ix *Index) AddEntities(tx *graph.Tx) error {
	var added []*entity
	err := tx.EachNode(func(n *graph.Node) error {
		switch n.Kind {
		case graph.KindTalk, graph.KindSource, graph.KindConference:
			return nil
		}
		if _, dup := ix.ents[n.ID]; dup {
			return nil
		}
		e := &entity{id: n.ID, kind: n.Kind, typ: n.Props["type"]}
		if t := e.typ; t != "" {
			e.fam = append(e.fam, "type:"+t)
		}
		ix.ents[n.ID] = e
		added = append(added, e)
		own := splitWords(ix.an, n.Name)
		for _, form := range append([]string{n.Name}, n.Aliases...) {
			ix.addName(e, form, own)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range added {
		if err := ix.addFamily(tx, e); err != nil {
			return err
		}
	}
	return nil
}

// addFamily reads the relations of e that tell its family.
func (ix *Index) addFamily(tx *graph.Tx, e *entity) error {
	for _, typ := range familyTypes {
		rels, err := tx.Relations(e.id, graph.Both, typ, -1)
		if err != nil {
			return err
		}
		for _, r := range rels {
			other := r.Other()
			if r.OtherKind == graph.KindTalk || r.OtherKind == graph.KindSource || r.OtherKind == graph.KindConference {
				continue
			}
			e.fam = append(e.fam, "id:"+other)
			switch {
			case typ == "about" && r.From == e.id:
				e.fam = append(e.fam, "topic:"+other)
			case typ == "about":
				e.fam = append(e.fam, "topic:"+e.id) // a topic is of its members' family
			case (typ == "makes" || typ == "owns" || typ == "created") && r.To == e.id:
				e.fam = append(e.fam, "maker:"+other)
			}
		}
	}
	slices.Sort(e.fam)
	e.fam = slices.Compact(e.fam)
	return nil
}

// addName indexes one name of e (own: the words of its name). A person is
// found only by a name of two words or more; a name of one letter never.
func (ix *Index) addName(e *entity, form string, own []word) {
	ws := splitWords(ix.an, form)
	if len(ws) == 0 || !hasLetter(form) || len(ws) == 1 && utf8.RuneCountInString(ws[0].folded) < 2 {
		return // "42", "R": no name to find in prose
	}
	n := &name{ent: e, form: form, multi: len(ws) > 1}
	for _, w := range ws {
		n.words = append(n.words, w.folded)
		n.lower = append(n.lower, strings.ToLower(w.raw))
	}
	if e.kind == graph.KindPerson && !n.multi {
		return
	}
	if !n.multi && form == strings.ToLower(form) && (utf8.RuneCountInString(form) <= 2 || words.Ordinary("en", form)) {
		return // "be", "make", "man": code-fence names, ordinary words that no case tells apart
	}
	if !n.multi {
		n.acronym = isAcronym(form)
		n.distinctive = !n.acronym && isDistinctive(form)
		n.head = len(own) > 1 && slices.ContainsFunc(own, func(w word) bool { return w.folded == n.words[0] })
	}
	key := strings.Join(n.words, " ")
	if ix.forms[key] == nil {
		ix.forms[key] = map[string]bool{}
	}
	if ix.forms[key][e.id] {
		return // another alias of the same entity folds the same
	}
	ix.forms[key][e.id] = true
	ix.byWord[n.words[0]] = append(ix.byWord[n.words[0]], n)
	if e.kind == graph.KindConcept {
		ix.topic = append(ix.topic, n)
	}
}

// shared reports whether several entities have the name.
func (ix *Index) shared(n *name) bool {
	return len(ix.forms[strings.Join(n.words, " ")]) > 1
}

// stemsIn returns the topics' names analysed in lang, by first stem. A
// name whose analysis drops a word (a stop word: "hat" in German) is not
// found by stems, only by its words.
func (ix *Index) stemsIn(lang string) map[string][]*stemName {
	if m, ok := ix.stems[lang]; ok {
		return m
	}
	m := map[string][]*stemName{}
	for _, n := range ix.topic {
		toks := ix.an.Tokens(lang, n.form)
		if len(toks) != len(n.words) {
			continue
		}
		sn := &stemName{n: n}
		for _, t := range toks {
			sn.terms = append(sn.terms, t.Term)
		}
		m[sn.terms[0]] = append(m[sn.terms[0]], sn)
	}
	ix.stems[lang] = m
	return m
}

// isAcronym reports whether a one-word name is written in capitals (and
// digits), two letters or more: TLS, AWS, 5G.
func isAcronym(form string) bool {
	letters := 0
	for _, r := range form {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsDigit(r):
		default:
			return false
		}
	}
	return letters >= 2 || letters >= 1 && utf8.RuneCountInString(form) >= 2
}

// isDistinctive reports whether a one-word name is written as no
// dictionary word is: a capital or a digit after its first letter
// (HashiCorp, k8s, iOS, PostgreSQL), or a symbol (C++, C#).
func isDistinctive(form string) bool {
	for i, r := range form {
		if i > 0 && (unicode.IsUpper(r) || unicode.IsDigit(r)) {
			return true
		}
		if r == '+' || r == '#' {
			return true
		}
	}
	return false
}
