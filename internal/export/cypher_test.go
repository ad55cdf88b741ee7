package export_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// cypherStatement is one statement as the test's lexer reads it: its text
// and the values of its string literals.
type cypherStatement struct {
	text    string
	strings []string
}

// lexCypher splits a Cypher script into statements the way cypher-shell
// does (at ; outside strings, identifiers and comments), checking that
// every string and backquoted name is closed, that brackets balance, that
// strings hold only the escapes Cypher knows and no raw line break, and
// that each statement sits on one line.
func lexCypher(src string) ([]cypherStatement, error) {
	l := &cypherLexer{src: src, line: 1}
	for l.i < len(l.src) {
		if err := l.step(); err != nil {
			return nil, fmt.Errorf("line %d: %w", l.line, err)
		}
	}
	if strings.TrimSpace(l.cur.text) != "" || len(l.stack) > 0 {
		return nil, fmt.Errorf("the script ends inside a statement: %q", l.cur.text)
	}
	return l.out, nil
}

type cypherLexer struct {
	src   string
	i     int
	line  int
	cur   cypherStatement
	stack []byte // closing brackets expected
	out   []cypherStatement
}

// step reads one token: a comment, a string, a backquoted name, or one
// byte of anything else.
func (l *cypherLexer) step() error {
	rest := l.src[l.i:]
	switch c := rest[0]; {
	case strings.HasPrefix(rest, "//"):
		if end := strings.IndexByte(rest, '\n'); end >= 0 {
			l.i += end
		} else {
			l.i = len(l.src)
		}
		return nil
	case c == '\'' || c == '"':
		s, n, err := lexCypherString(rest)
		if err != nil {
			return err
		}
		l.cur.strings = append(l.cur.strings, s)
		return l.take(n)
	case c == '`':
		end := strings.Index(strings.ReplaceAll(rest[1:], "``", "\x00\x00"), "`")
		if end < 0 || strings.ContainsRune(rest[1:1+end], '\n') {
			return fmt.Errorf("unclosed backquoted name")
		}
		return l.take(end + 2)
	case strings.IndexByte("([{", c) >= 0:
		l.stack = append(l.stack, ")]}"[strings.IndexByte("([{", c)])
	case strings.IndexByte(")]}", c) >= 0:
		if len(l.stack) == 0 || l.stack[len(l.stack)-1] != c {
			return fmt.Errorf("unbalanced %c", c)
		}
		l.stack = l.stack[:len(l.stack)-1]
	case c == ';':
		if len(l.stack) > 0 {
			return fmt.Errorf("; inside brackets")
		}
		l.out = append(l.out, cypherStatement{text: strings.TrimSpace(l.cur.text), strings: l.cur.strings})
		l.cur = cypherStatement{}
		l.i++
		return nil
	case c == '\n':
		if strings.TrimSpace(l.cur.text) != "" {
			return fmt.Errorf("a statement spans two lines")
		}
		l.line++
	}
	return l.take(1)
}

// take adds the next n bytes to the statement.
func (l *cypherLexer) take(n int) error {
	l.cur.text += l.src[l.i : l.i+n]
	l.i += n
	return nil
}

// lexCypherString reads the string literal at the start of s and returns
// its value and length.
func lexCypherString(s string) (string, int, error) {
	quote := s[0]
	var b strings.Builder
	for i := 1; i < len(s); {
		c := s[i]
		switch {
		case c == quote:
			return b.String(), i + 1, nil
		case c == '\n' || c == '\r':
			return "", 0, fmt.Errorf("raw line break in a string")
		case c == '\\' && i+1 < len(s):
			n, err := cypherEscape(s[i:], &b)
			if err != nil {
				return "", 0, err
			}
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, fmt.Errorf("unclosed string")
}

func cypherEscape(s string, b *strings.Builder) (int, error) {
	simple := map[byte]string{'\\': `\`, '\'': `'`, '"': `"`, 'n': "\n", 'r': "\r", 't': "\t", 'b': "\b", 'f': "\f"}
	if v, ok := simple[s[1]]; ok {
		b.WriteString(v)
		return 2, nil
	}
	if s[1] == 'u' && len(s) >= 6 {
		r, err := strconv.ParseUint(s[2:6], 16, 32)
		if err != nil {
			return 0, fmt.Errorf("bad escape %q", s[:6])
		}
		b.WriteRune(rune(r))
		return 6, nil
	}
	return 0, fmt.Errorf("unknown escape %q", s[:2])
}

func TestCypher(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			nodes, edges := contents(t, tx)
			stmts, err := lexCypher(string(render(t, export.Cypher, tx)))
			if err != nil {
				t.Fatalf("lex: got %v, want a well-formed script", err)
			}
			if got, want := len(stmts), 1+len(nodes)+len(edges); got != want {
				t.Fatalf("statements: got %d, want %d (a constraint, one per node, one per edge)", got, want)
			}
			if !strings.HasPrefix(stmts[0].text, "CREATE CONSTRAINT") || !strings.Contains(stmts[0].text, "IF NOT EXISTS") {
				t.Errorf("first statement: got %q, want CREATE CONSTRAINT … IF NOT EXISTS", stmts[0].text)
			}
			for i, n := range nodes {
				st := stmts[1+i]
				label := ":" + strings.ToUpper(string(n.Kind[:1])) + string(n.Kind[1:])
				if !strings.HasPrefix(st.text, "MERGE (n:Entity") || !strings.Contains(st.text, label) {
					t.Errorf("node %s: got %q, want MERGE (n:Entity …) with label %s", n.ID, st.text, label)
				}
				for _, want := range append([]string{n.ID, n.Name}, n.Aliases...) {
					if !slices.Contains(st.strings, want) {
						t.Errorf("node %s: got strings %q, want %q among them", n.ID, st.strings, want)
					}
				}
			}
			for i, e := range edges {
				st := stmts[1+len(nodes)+i]
				if !strings.HasPrefix(st.text, "MATCH") || !strings.Contains(st.text, ":"+strings.ToUpper(e.Type)+"]") {
					t.Errorf("edge %s %s %s: got %q, want MATCH … MERGE with type %s", e.From, e.Type, e.To, st.text, strings.ToUpper(e.Type))
				}
				for _, ev := range e.Evidence {
					if !slices.Contains(st.strings, ev.Quote) || !slices.Contains(st.strings, ev.Source) {
						t.Errorf("edge %s %s %s: got strings %q, want the quote %q and source %q", e.From, e.Type, e.To, st.strings, ev.Quote, ev.Source)
					}
				}
			}
		})
	}
}

func TestCypherGolden(t *testing.T) {
	tx := testdb.Begin(t, testdb.SeededFrom(t, os.DirFS(setsDir), "sets"))
	testdb.Golden(t, "testdata/golden/tricky.cypher", render(t, export.Cypher, tx))
}

// TestCypherLexer checks that the test's lexer refuses broken scripts, so
// that TestCypher means something.
func TestCypherLexer(t *testing.T) {
	for _, c := range []struct {
		name, src string
		ok        bool
	}{
		{"statements", "// c\nMERGE (n {id: 'a\\'b'});\nMATCH (n) RETURN n;\n", true},
		{"unclosed string", "MERGE (n {id: 'a});\n", false},
		{"line break in a string", "MERGE (n {id: 'a\nb'});\n", false},
		{"unknown escape", `MERGE (n {id: 'a\qb'});` + "\n", false},
		{"unbalanced", "MERGE (n {id: 'a'};\n", false},
		{"two lines", "MERGE (n\n{id: 'a'});\n", false},
		{"no semicolon", "MERGE (n {id: 'a'})\n", false},
		{"unclosed name", "MERGE (n:`Talk {id: 'a'});\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := lexCypher(c.src)
			if got := err == nil; got != c.ok {
				t.Errorf("lex %q: got error %v, want ok=%v", c.src, err, c.ok)
			}
		})
	}
}
