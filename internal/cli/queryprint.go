package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
)

// result is the part of a GraphQL response the command looks at.
type result struct {
	Data   json.RawMessage `json:"data,omitempty"`
	Errors []answerError   `json:"errors,omitempty"`
}

// answerError is one error of a GraphQL response.
type answerError struct {
	Message   string `json:"message"`
	Locations []struct {
		Line   int `json:"line"`
		Column int `json:"column"`
	} `json:"locations"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// printHuman writes the answer for a person at a terminal: the data (when
// there is any) as indented JSON on IO.Out, then each error on IO.Err: its
// code and message, then the query's line it points at with a caret under
// the column.
func printHuman(ios *IO, query string, res result) error {
	if len(res.Data) > 0 && string(res.Data) != "null" {
		if err := printJSON(ios.Out, res.Data, true); err != nil {
			return err
		}
	}
	lines := strings.Split(query, "\n")
	var b strings.Builder
	for _, e := range res.Errors {
		// graphql-go appends an excerpt of its own to syntax errors, with
		// the caret shifted by its line prefix: keep the sentence.
		msg, _, _ := strings.Cut(e.Message, "\n")
		code, _ := e.Extensions["code"].(string)
		fmt.Fprintf(&b, "error: %s", escapeText(msg))
		if code != "" {
			fmt.Fprintf(&b, " [%s]", escapeText(code))
		}
		if len(e.Path) > 0 {
			fmt.Fprintf(&b, " at %s", escapeText(pathString(e.Path)))
		}
		b.WriteByte('\n')
		for _, l := range e.Locations {
			if l.Line < 1 || l.Line > len(lines) {
				continue
			}
			prefix := fmt.Sprintf("%4d | ", l.Line)
			line := strings.ReplaceAll(lines[l.Line-1], "\t", " ")
			fmt.Fprintf(&b, "%s%s\n%s^\n", prefix, line, strings.Repeat(" ", len(prefix)+max(0, l.Column-1)))
		}
	}
	_, err := io.WriteString(ios.Err, b.String())
	return err
}

// pathString writes a response path as talks[0].speakers.
func pathString(path []any) string {
	var b bytes.Buffer
	for i, p := range path {
		switch p := p.(type) {
		case float64:
			fmt.Fprintf(&b, "[%d]", int(p))
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, p)
		}
	}
	return b.String()
}

// unreachable says that nothing answers at the server's address, and how
// to start a server there, when the connection could not be made.
func unreachable(u *url.URL, err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		addr := u.Host
		if u.Port() == "" {
			addr = net.JoinHostPort(u.Hostname(), map[bool]string{true: "443", false: "80"}[u.Scheme == "https"])
		}
		return fmt.Errorf("no talkgraph server answers at %s://%s: start one with `talkgraph serve --addr %s`, or leave out --server to query the local database", u.Scheme, u.Host, addr)
	}
	return err // exchange's, naming the server
}
