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
		add("kind", "unknown kind %q: use one of %s", n.Kind, kindList())
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

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// checkProp returns what is wrong with one property, or "".
func checkProp(name, v string) string {
	typ, ok := Props[name]
	if !ok {
		return fmt.Sprintf("unknown property %q: use one of %s", name, propList())
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

func propList() string {
	names := make([]string, 0, len(Props))
	for n := range Props {
		names = append(names, n)
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}

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
		add("type", "unknown relation type %q: use one of %s", e.Type, strings.Join(EdgeTypeNames(), ", "))
	}
	fromKind, okFrom := checkRef(add, r, "from", e.From)
	toKind, okTo := checkRef(add, r, "to", e.To)
	if ok && okFrom && okTo {
		cf, ct := fromKind, toKind
		if inv {
			cf, ct = toKind, fromKind
		}
		if !t.Allows(cf, ct) {
			add("type", "a %s may not be %q a %s: %s joins %s to %s", fromKind, e.Type, toKind, t.Name, kindsOr(t.From), kindsOr(t.To))
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
		if k, ok := checkRef(add, r, f+".source", ev.Source); ok && k != KindSource {
			add(f+".source", "%q is a %s, not a source: point evidence at a node of kind source", ev.Source, k)
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

func kindsOr(ks []Kind) string {
	if len(ks) == 0 {
		return "any kind"
	}
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = string(k)
	}
	return strings.Join(names, " or ")
}
