package export_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A strict reader of the N-Quads grammar (W3C RDF 1.1 N-Quads, section 7),
// for the test: no Go N-Quads parser could be fetched here. It accepts
// relative IRIs such as Dgraph's <name>, which the grammar's IRIREF
// production allows but the specification's prose does not.

// nqTerm is a subject, predicate, object or graph label.
type nqTerm struct {
	kind  byte   // 'I' IRI, 'B' blank node, 'L' literal
	value string // unescaped
	lang  string
	dtype string // datatype IRI, unescaped
	// quoted is a literal's "…" as written, for the strconv.Unquote check.
	quoted string
}

type nquad struct {
	s, p, o, g nqTerm
}

// parseNQuads reads a document, one statement or comment a line.
func parseNQuads(doc string) ([]nquad, error) {
	if !utf8.ValidString(doc) {
		return nil, fmt.Errorf("invalid UTF-8")
	}
	var out []nquad
	for i, line := range strings.Split(doc, "\n") {
		r := &nqReader{s: line}
		r.space()
		if r.done() || r.peek() == '#' {
			continue
		}
		q, err := r.statement()
		if err != nil {
			return nil, fmt.Errorf("line %d: %w: %s", i+1, err, line)
		}
		out = append(out, q)
	}
	return out, nil
}

type nqReader struct {
	s   string
	pos int
}

func (r *nqReader) done() bool { return r.pos >= len(r.s) }
func (r *nqReader) peek() byte { return r.s[r.pos] }

func (r *nqReader) space() {
	for !r.done() && (r.peek() == ' ' || r.peek() == '\t') {
		r.pos++
	}
}

func (r *nqReader) statement() (nquad, error) {
	var q nquad
	var err error
	if q.s, err = r.term("IB"); err != nil {
		return q, fmt.Errorf("subject: %w", err)
	}
	if q.p, err = r.term("I"); err != nil {
		return q, fmt.Errorf("predicate: %w", err)
	}
	if q.o, err = r.term("IBL"); err != nil {
		return q, fmt.Errorf("object: %w", err)
	}
	if !r.done() && r.peek() != '.' {
		if q.g, err = r.term("IB"); err != nil {
			return q, fmt.Errorf("graph label: %w", err)
		}
	}
	if r.done() || r.peek() != '.' {
		return q, fmt.Errorf("no final '.'")
	}
	r.pos++
	r.space()
	if !r.done() && r.peek() != '#' {
		return q, fmt.Errorf("text after the final '.'")
	}
	return q, nil
}

// term reads one term of the kinds allowed ('I', 'B', 'L') and the
// whitespace after it.
func (r *nqReader) term(allowed string) (nqTerm, error) {
	if r.done() {
		return nqTerm{}, fmt.Errorf("missing")
	}
	var t nqTerm
	var err error
	switch c := r.peek(); {
	case c == '<':
		t.kind = 'I'
		t.value, err = r.iri()
	case c == '_':
		t.kind = 'B'
		t.value, err = r.blank()
	case c == '"':
		t.kind = 'L'
		err = r.literal(&t)
	default:
		err = fmt.Errorf("unexpected %q", c)
	}
	if err == nil && !strings.ContainsRune(allowed, rune(t.kind)) {
		err = fmt.Errorf("a term of kind %c is not allowed here", t.kind)
	}
	r.space()
	return t, err
}

// iri reads IRIREF ::= '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>'.
func (r *nqReader) iri() (string, error) {
	r.pos++
	var b strings.Builder
	for !r.done() {
		c, size := utf8.DecodeRuneInString(r.s[r.pos:])
		switch {
		case c == '>':
			r.pos++
			return b.String(), nil
		case c == '\\':
			u, err := r.uchar()
			if err != nil {
				return "", err
			}
			b.WriteRune(u)
			continue
		case c <= 0x20 || strings.ContainsRune("<\"{}|^`", c):
			return "", fmt.Errorf("character %q in an IRI", c)
		}
		b.WriteRune(c)
		r.pos += size
	}
	return "", fmt.Errorf("unclosed IRI")
}

// uchar reads UCHAR ::= '\u' HEX{4} | '\U' HEX{8}.
func (r *nqReader) uchar() (rune, error) {
	n := 0
	switch {
	case strings.HasPrefix(r.s[r.pos:], `\u`):
		n = 4
	case strings.HasPrefix(r.s[r.pos:], `\U`):
		n = 8
	default:
		return 0, fmt.Errorf("bad escape at %q", r.s[r.pos:min(r.pos+2, len(r.s))])
	}
	if r.pos+2+n > len(r.s) {
		return 0, fmt.Errorf("short \\u escape")
	}
	v, err := strconv.ParseUint(r.s[r.pos+2:r.pos+2+n], 16, 32)
	if err != nil {
		return 0, fmt.Errorf("bad \\u escape: %w", err)
	}
	r.pos += 2 + n
	return rune(v), nil
}

// blank reads BLANK_NODE_LABEL ::= '_:' (PN_CHARS_U | [0-9])
// ((PN_CHARS | '.')* PN_CHARS)?.
func (r *nqReader) blank() (string, error) {
	if !strings.HasPrefix(r.s[r.pos:], "_:") {
		return "", fmt.Errorf("blank node without ':'")
	}
	r.pos += 2
	start := r.pos
	for !r.done() {
		c, size := utf8.DecodeRuneInString(r.s[r.pos:])
		first := r.pos == start
		if !(first && (pnCharsU(c) || c >= '0' && c <= '9') || !first && (pnChars(c) || c == '.')) {
			break
		}
		r.pos += size
	}
	label := r.s[start:r.pos]
	if label == "" || strings.HasSuffix(label, ".") {
		return "", fmt.Errorf("bad blank node label %q", label)
	}
	return label, nil
}

func pnCharsBase(c rune) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0xC0 && c <= 0xD6 || c >= 0xD8 && c <= 0xF6 ||
		c >= 0xF8 && c <= 0x2FF || c >= 0x370 && c <= 0x37D || c >= 0x37F && c <= 0x1FFF || c >= 0x200C && c <= 0x200D ||
		c >= 0x2070 && c <= 0x218F || c >= 0x2C00 && c <= 0x2FEF || c >= 0x3001 && c <= 0xD7FF ||
		c >= 0xF900 && c <= 0xFDCF || c >= 0xFDF0 && c <= 0xFFFD || c >= 0x10000 && c <= 0xEFFFF
}

func pnCharsU(c rune) bool { return pnCharsBase(c) || c == '_' || c == ':' }

func pnChars(c rune) bool {
	return pnCharsU(c) || c == '-' || c >= '0' && c <= '9' || c == 0xB7 || c >= 0x300 && c <= 0x36F || c >= 0x203F && c <= 0x2040
}

// literal reads STRING_LITERAL_QUOTE ('^^' IRIREF | LANGTAG)?.
func (r *nqReader) literal(t *nqTerm) error {
	start := r.pos
	r.pos++
	var b strings.Builder
	for {
		if r.done() {
			return fmt.Errorf("unclosed literal")
		}
		c, size := utf8.DecodeRuneInString(r.s[r.pos:])
		if c == '"' {
			r.pos++
			t.quoted = r.s[start:r.pos]
			break
		}
		if c == '\r' {
			return fmt.Errorf("raw carriage return in a literal")
		}
		if c == '\\' {
			if err := r.echar(&b); err != nil {
				return err
			}
			continue
		}
		b.WriteRune(c)
		r.pos += size
	}
	t.value = b.String()
	switch {
	case strings.HasPrefix(r.s[r.pos:], "^^"):
		r.pos += 2
		if r.done() || r.peek() != '<' {
			return fmt.Errorf("datatype is not an IRI")
		}
		var err error
		t.dtype, err = r.iri()
		return err
	case !r.done() && r.peek() == '@':
		return r.langTag(t)
	}
	return nil
}

// echar reads ECHAR ::= '\' [tbnrf"'\] or a UCHAR.
func (r *nqReader) echar(b *strings.Builder) error {
	if r.pos+1 >= len(r.s) {
		return fmt.Errorf("escape at the end of the line")
	}
	if v, ok := map[byte]string{'t': "\t", 'b': "\b", 'n': "\n", 'r': "\r", 'f': "\f", '"': `"`, '\'': "'", '\\': `\`}[r.s[r.pos+1]]; ok {
		b.WriteString(v)
		r.pos += 2
		return nil
	}
	u, err := r.uchar()
	b.WriteRune(u)
	return err
}

var langTag = regexp.MustCompile(`^[a-zA-Z]+(-[a-zA-Z0-9]+)*$`)

// langTag reads LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func (r *nqReader) langTag(t *nqTerm) error {
	r.pos++
	start := r.pos
	for !r.done() && (r.peek() == '-' || r.peek() >= 'a' && r.peek() <= 'z' || r.peek() >= 'A' && r.peek() <= 'Z' || r.peek() >= '0' && r.peek() <= '9') {
		r.pos++
	}
	t.lang = r.s[start:r.pos]
	if !langTag.MatchString(t.lang) {
		return fmt.Errorf("bad language tag %q", t.lang)
	}
	return nil
}
