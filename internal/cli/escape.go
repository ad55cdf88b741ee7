package cli

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// escapeText makes text that came from a server or from data safe for a
// terminal: control characters (ESC, which starts a terminal's escape
// sequences, NUL, DEL, the C1 controls, but not a newline or a tab) and
// bytes that are not UTF-8 are written as Go escapes (\x1b, \u0085), so
// nothing printed can move the cursor, retitle the window or hide a line.
func escapeText(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t' || !unicode.IsControl(r) && !bidiControl(r):
			b.WriteString(s[i : i+size])
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r != '\n' && r != '\t' && (unicode.IsControl(r) || bidiControl(r)) {
			return true
		}
		i += size
	}
	return false
}

// bidiControl is a Unicode direction override or isolate, which can make
// a terminal show text in another order than it is (CVE-2021-42574).
func bidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
