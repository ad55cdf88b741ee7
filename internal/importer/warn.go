package importer

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkgraph/talkgraph/graph"
)

// What the builder changes to fit the store is never silent: each cut,
// removal or url left out is a warning naming the event (Options.Warn).

// warn tells Options.Warn one thing changed in ev (nil: the conference).
func (b *builder) warn(ev *Event, format string, a ...any) {
	if b.o.Warn == nil {
		return
	}
	what := b.p.File + ": "
	switch {
	case ev != nil && ev.Title != "":
		what = fmt.Sprintf("%s: event %q %q (%s): ", b.p.File, ev.ID, clip(cleanLine(ev.Title), 60), ev.Where)
	case ev != nil:
		what = fmt.Sprintf("%s: event %q (%s): ", b.p.File, ev.ID, ev.Where)
	}
	b.o.Warn(what + fmt.Sprintf(format, a...))
}

// line is a one-line text of ev, cleaned (cleanLine) and cut to max bytes,
// with a warning for a cut or for control characters removed.
func (b *builder) line(ev *Event, what, raw string, max int) string {
	if hasControl(raw) {
		b.warn(ev, "the %s holds control characters, which were removed", what)
	}
	s := cleanLine(raw)
	if len(s) > max {
		b.warn(ev, "the %s is %d bytes long, more than the store's %d: cut to %d", what, len(s), max, max)
		s = clip(s, max)
	}
	return s
}

// text is the plain text of ev's abstract and description, cut to
// graph.MaxTextLen with a warning; a raw text past MaxRawText is cut
// before it is converted.
func (b *builder) text(ev *Event, raws []string) string {
	cut := false
	control := false
	texts := make([]string, len(raws))
	for i, r := range raws {
		if len(r) > MaxRawText {
			r, cut = cutBytes(r, MaxRawText), true
		}
		control = control || hasControl(r)
		texts[i] = r
	}
	if control {
		b.warn(ev, "the abstract or description holds control characters, which were removed")
	}
	s := dropControls(joinTexts(texts))
	if cut || len(s) > graph.MaxTextLen {
		b.warn(ev, "the abstract and description (%d bytes in the file) are longer than the store's %d bytes of text: cut", sum(raws), graph.MaxTextLen)
		s = clip(s, graph.MaxTextLen)
	}
	return s
}

func sum(ss []string) int {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	return n
}

// prop sets a text property of n from ev's raw value, cut to the store's
// cap.
func (b *builder) prop(ev *Event, n *graph.Node, name, raw string) {
	if v := b.line(ev, name, raw, graph.MaxTextLen); v != "" {
		n.Props[name] = v
	}
}

// url keeps an absolute http(s) url; anything else a file holds in a url
// field (a relative path, "TBA") is left out rather than refused, and so,
// with a warning, is a url too long for the store.
func (b *builder) url(ev *Event, n *graph.Node, prop, u string) {
	u = strings.TrimSpace(u)
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return
	}
	if pu, err := url.Parse(u); err != nil || pu.Host == "" || len(u) > graph.MaxTextLen {
		b.warn(ev, "the %s (%d bytes) is not a url the store keeps (an absolute url of at most %d bytes): left out", prop, len(u), graph.MaxTextLen)
		return
	}
	n.Props[prop] = u
}

// joinID is prefix-part, or prefix and a hash of part when that would be
// longer than an id may be.
func joinID(prefix, part string) string {
	if id := prefix + "-" + part; len(id) <= graph.MaxIDLen {
		return id
	}
	return prefix + "-" + shortHash(part)
}

// isControl is a control character that is not white space: NUL, ESC,
// DEL, the C1 controls.
func isControl(r rune) bool { return unicode.IsControl(r) && !unicode.IsSpace(r) }

func hasControl(s string) bool { return strings.IndexFunc(s, isControl) >= 0 }

func dropControls(s string) string {
	if !hasControl(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

// cutBytes is the first n bytes of s at most, cut at a rune's start.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
