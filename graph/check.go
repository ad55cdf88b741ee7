package graph

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Caps on text, so one entity cannot bloat the store or a response.
const (
	MaxNameLen  = 300
	MaxTextLen  = 8000
	MaxQuoteLen = 500
	MaxAliases  = 50
)

// FieldProblem is one thing wrong with a node or an edge: the field it concerns
// (a dotted path such as "evidence.0.source", or "" for the whole item) and a
// sentence saying what is wrong and what to do.
type FieldProblem struct {
	Field string
	Msg   string
}

// FieldProblems is the error of a failed CheckNode or CheckEdge: every
// problem found in one node or edge, by field. internal/seed turns them into
// its Problems, which say where in a seed file each field stands.
type FieldProblems []FieldProblem

func (ps FieldProblems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Msg
		if p.Field != "" {
			msgs[i] = p.Field + ": " + p.Msg
		}
	}
	return strings.Join(msgs, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (ps FieldProblems) Is(target error) bool { return target == ErrInvalid }

// CheckNode returns what is wrong with n on its own: the id, kind, name,
// aliases, descriptions and properties. The seed loader and mutations both
// call it, so the two can never disagree about what is valid.
func CheckNode(n *Node) FieldProblems {
	var ps FieldProblems
	add := func(field, format string, a ...any) { ps = append(ps, FieldProblem{field, fmt.Sprintf(format, a...)}) }
	if err := CheckID(n.ID); err != nil {
		add("id", "%v", err)
	}
	if !n.Kind.Valid() {
		add("kind", "unknown kind %q: %s", n.Kind, didYouMean(string(n.Kind), kindStrings(), "use one of "+kindList()))
	}
	checkText(add, "name", n.Name, MaxNameLen)
	if len(n.Aliases) > MaxAliases {
		add("aliases", "%d aliases, more than %d: keep the names people really use", len(n.Aliases), MaxAliases)
	}
	for i, a := range n.Aliases {
		checkText(add, fmt.Sprintf("aliases.%d", i), a, MaxNameLen)
	}
	for lang, d := range n.Description {
		if !isLang(lang) {
			add("description."+lang, "%q is not a language code: use a two-letter code such as en or fr", lang)
		}
		checkText(add, "description."+lang, d, MaxTextLen)
	}
	for name, v := range n.Props {
		if msg := checkProp(name, v); msg != "" {
			add("props."+name, "%s", msg)
		}
	}
	return ps
}

func checkText(add func(string, string, ...any), field, s string, limit int) {
	switch {
	case !utf8.ValidString(s):
		add(field, "text is not valid UTF-8: save the file as UTF-8")
	case strings.TrimSpace(s) == "":
		add(field, "text is empty: write it or remove the field")
	case strings.ContainsRune(s, 0):
		add(field, "text holds a NUL byte: remove it")
	case len(s) > limit:
		add(field, "text is %d bytes long, more than %d: shorten it", len(s), limit)
	}
}

func isLang(s string) bool {
	if len(s) != 2 {
		return false
	}
	return s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}

func kindStrings() []string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return names
}

func kindList() string { return strings.Join(kindStrings(), ", ") }

// didYouMean returns "did you mean X?" for the name of names closest to got
// (within a third of its length, at least two edits; case apart), else
// otherwise.
func didYouMean(got string, names []string, otherwise string) string {
	if best := Closest(got, names); best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return otherwise
}

// Closest returns the name of names closest to got by typing distance,
// case apart, when it is within a third of got's length (and at least two
// edits), else "". Ties go to the earlier name.
func Closest(got string, names []string) string {
	best, bestD := "", max(3, len(got)/3+1)
	low := []rune(strings.ToLower(got))
	for _, n := range names {
		if d := typoDistance(low, []rune(strings.ToLower(n))); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// typoDistance counts the edits from a to b, a swap of two neighbouring
// letters being one ("knid" is one from "kind", two from "id"): the
// optimal string alignment distance.
func typoDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// checkProp returns what is wrong with one property, or "".
func checkProp(name, v string) string {
	typ, ok := Props[name]
	if !ok {
		return fmt.Sprintf("unknown property %q: %s", name, didYouMean(name, propNames(), "use one of "+propList()))
	}
	switch typ {
	case PropDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return fmt.Sprintf("%q is not a date: write it as YYYY-MM-DD", v)
		}
	case PropTime:
		if _, err := time.Parse("15:04", v); err != nil {
			return fmt.Sprintf("%q is not a time of day: write it as HH:MM", v)
		}
	case PropInt:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Sprintf("%q is not a whole number: write digits only", v)
		}
	case PropURL:
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Sprintf("%q is not an absolute http(s) URL: write it as https://host/path", v)
		}
	}
	if len(v) > MaxTextLen {
		return fmt.Sprintf("value is %d bytes long, more than %d: shorten it", len(v), MaxTextLen)
	}
	return ""
}

func propNames() []string {
	names := make([]string, 0, len(Props))
	for n := range Props {
		names = append(names, n)
	}
	sortStrings(names)
	return names
}

func propList() string { return strings.Join(propNames(), ", ") }

// Resolver tells CheckEdge what the ids it meets stand for.
type Resolver interface {
	// KindOf returns the kind of the node with this id, or false.
	KindOf(id string) (Kind, bool)
	// Suggest returns the known id closest to id, or "".
	Suggest(id string) string
}

// CheckEdge returns what is wrong with e: an unknown type, an endpoint or an
// evidence source that exists nowhere, kinds the type may not join, missing
// or empty evidence. e may use the inverse name of its type.
func CheckEdge(e Edge, r Resolver) FieldProblems {
	var ps FieldProblems
	add := func(field, format string, a ...any) { ps = append(ps, FieldProblem{field, fmt.Sprintf(format, a...)}) }
	t, inv, ok := LookupEdgeType(e.Type)
	if !ok {
		add("type", "unknown relation type %q: %s", e.Type, didYouMean(e.Type, EdgeTypeNames(), "use one of "+strings.Join(EdgeTypeNames(), ", ")))
	}
	fromKind, okFrom := checkRef(add, r, "from", e.From)
	toKind, okTo := checkRef(add, r, "to", e.To)
	// A node of an unknown kind has its own problem; what it may be joined
	// to follows from its kind, so it is not judged.
	if ok && okFrom && okTo && fromKind.Valid() && toKind.Valid() {
		cf, ct := fromKind, toKind
		from, to := t.From, t.To
		if inv {
			cf, ct = toKind, fromKind
			from, to = t.To, t.From
		}
		if !t.Allows(cf, ct) {
			add("type", "%q cannot go from %s to %s: it goes from %s to %s", e.Type, AKind(fromKind), AKind(toKind), kindsOr(from), kindsOr(to))
		}
	}
	if e.From == e.To && e.From != "" {
		add("to", "the edge joins %q to itself: point it at another node", e.From)
	}
	if len(e.Evidence) == 0 {
		add("evidence", "the edge has no evidence: add at least one {source, quote}")
	}
	for i, ev := range e.Evidence {
		f := fmt.Sprintf("evidence.%d", i)
		if k, ok := checkRef(add, r, f+".source", ev.Source); ok && k != KindSource && k.Valid() {
			add(f+".source", "%q is %s, not a source: point evidence at a node of kind source", ev.Source, AKind(k))
		}
		if ev.Quote != "" {
			checkText(add, f+".quote", ev.Quote, MaxQuoteLen)
		}
	}
	return ps
}

func checkRef(add func(string, string, ...any), r Resolver, field, id string) (Kind, bool) {
	if id == "" {
		add(field, "missing id: name the node")
		return "", false
	}
	k, ok := r.KindOf(id)
	if ok {
		return k, true
	}
	if s := r.Suggest(id); s != "" {
		add(field, "unknown id %q: did you mean %q?", id, s)
	} else {
		add(field, "unknown id %q: define it as a node or fix the reference", id)
	}
	return "", false
}

// kindsOr names kinds as a phrase: "a person", "a company or an
// organization", "a talk, a source or a publication", "a node of any kind".
func kindsOr(ks []Kind) string {
	if len(ks) == 0 {
		return "a node of any kind"
	}
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = AKind(k)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// AKind is the kind with its article: "a tool", "an organization".
func AKind(k Kind) string {
	if k != "" && strings.ContainsRune("aeiou", rune(k[0])) {
		return "an " + string(k)
	}
	return "a " + string(k)
}
