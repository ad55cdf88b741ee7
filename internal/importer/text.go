package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer/html"
	xhtml "golang.org/x/net/html"

	"github.com/talkgraph/talkgraph/internal/textindex"
)

// markdown renders abstracts to HTML, raw HTML kept, so that one HTML pass
// strips both what was Markdown and what was HTML.
var markdown = goldmark.New(goldmark.WithRendererOptions(html.WithUnsafe()))

// plainText turns an abstract written in Markdown, HTML or plain text into
// plain text: paragraphs separated by a blank line, spaces collapsed.
func plainText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(s), &buf); err != nil {
		buf.Reset()
		buf.WriteString(s)
	}
	return htmlText(buf.String())
}

// blockTags end a paragraph of text.
var blockTags = map[string]bool{"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "pre": true, "blockquote": true,
	"table": true, "tr": true, "hr": true, "section": true, "article": true}

// htmlText extracts the text of an HTML fragment, skipping scripts and
// styles.
func htmlText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var paras []string
	var cur strings.Builder
	skip := 0
	flush := func() {
		if t := strings.Join(strings.Fields(cur.String()), " "); t != "" {
			paras = append(paras, t)
		}
		cur.Reset()
	}
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			flush()
			return strings.Join(paras, "\n\n")
		case xhtml.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if tag == "script" || tag == "style" {
				if z.Token().Type == xhtml.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			switch {
			case blockTags[tag]:
				flush()
			case tag == "td" || tag == "th":
				cur.WriteByte(' ')
			}
		}
	}
}

// joinTexts strips each text and joins those that differ.
func joinTexts(texts []string) string {
	var out []string
	for _, t := range texts {
		p := plainText(t)
		if p == "" || contains(out, p) {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, "\n\n")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// cleanLine is a one-line text with white space collapsed and control
// characters removed; HTML entities some files leave in titles are decoded.
func cleanLine(s string) string {
	if strings.ContainsRune(s, '&') {
		s = xhtml.UnescapeString(s)
	}
	return strings.Join(strings.Fields(dropControls(s)), " ")
}

// clip shortens s to at most n bytes at a word boundary, marking the cut
// with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len(" …")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexAny(s[:cut], " \n"); i > n/2 {
		cut = i
	}
	return strings.TrimSpace(s[:cut]) + " …"
}

// parseDate reads YYYY-MM-DD or an ISO 8601 date and time, and returns the
// date as the file's own clock gives it.
func parseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
			return t.Format(time.DateOnly), nil
		}
	}
	_, err := time.Parse(time.DateOnly, s)
	return "", err
}

// clockOf returns the HH:MM of an ISO 8601 date and time, or "".
func clockOf(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 16 && (s[10] == 'T' || s[10] == ' ') && validClock(s[11:16]) {
		return s[11:16]
	}
	return ""
}

func validClock(s string) bool {
	_, err := time.Parse("15:04", s)
	return err == nil
}

// parseDuration reads a frab duration: H:MM, HH:MM or HH:MM:SS, or a
// number of minutes. It returns -1 for one that does not parse.
func parseDuration(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return -1
	}
	if m, err := strconv.Atoi(s); err == nil && m >= 0 {
		return m
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return -1
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 {
		return -1
	}
	return h*60 + m
}

// langNames maps the language names programmes use to codes.
var langNames = map[string]string{"english": "en", "englisch": "en", "german": "de", "deutsch": "de",
	"french": "fr", "français": "fr", "francais": "fr", "spanish": "es", "español": "es", "italian": "it",
	"dutch": "nl", "portuguese": "pt", "polish": "pl", "czech": "cs", "russian": "ru", "japanese": "ja"}

// langCode returns the two-letter code of a language as a file gives it
// ("de", "de-DE", "German", "Deutsch"), and false when it names none.
func langCode(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := langNames[s]; ok {
		return c, true
	}
	if i := strings.IndexAny(s, "-_"); i == 2 {
		s = s[:2]
	}
	if len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' {
		return s, true
	}
	return "", false
}

// Slug makes an id from a name: accents folded, lower-case ASCII letters
// and digits joined by single '-'. It returns "" when nothing Latin is left
// (see PersonID for names in other scripts).
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldAccents(s) {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > 100 {
		out = strings.TrimRight(out[:100], "-")
	}
	return out
}

// PersonID is the default id of a person: the slug of the full name; a
// name with letters outside the Latin alphabet (after accents are folded)
// gets "person-" and a hash of its folded form, stable across files, since
// no transliteration is right for every language.
func PersonID(name string) string {
	folded := foldAccents(name)
	for _, r := range folded {
		if unicode.IsLetter(r) && r > unicode.MaxASCII {
			return "person-" + shortHash(folded)
		}
	}
	return Slug(folded)
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:5])
}

// folder folds case and accents as the store's name lookup does, so an
// id made from a name agrees with how the name is found.
var folder = sync.OnceValue(textindex.MustNew)

// foldAccents lower-cases s and folds accents to ASCII ("é" → "e", "ß" →
// "ss"); letters of other scripts are kept.
func foldAccents(s string) string { return folder().Fold(s) }

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func lineCol(b []byte, off int) (int, int) {
	off = min(off, len(b))
	line := 1 + bytes.Count(b[:off], []byte{'\n'})
	start := bytes.LastIndexByte(b[:off], '\n') + 1
	return line, utf8.RuneCount(b[start:off]) + 1
}
