package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// text is a JSON value read as text: a string, a number (ids are either,
// depending on the exporter), or null, which is "".
type text string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return fmt.Errorf("an object or list where a single value belongs")
	default:
		*t = text(b)
	}
	return nil
}

// checkJSON reads the file's tokens once, before anything is decoded: it
// refuses nesting deeper than MaxDepth and reports a syntax error with its
// line and JSON path.
func checkJSON(name string, data []byte) error {
	d := json.NewDecoder(bytes.NewReader(data))
	var path jsonPath
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return jsonError(name, data, d.InputOffset(), path.String(), err)
		}
		if err := path.step(tok, d.More()); err != nil {
			return jsonError(name, data, d.InputOffset(), path.String(), err)
		}
	}
}

// jsonPath follows where a token stream stands: $.schedule.conference.days[0].
type jsonPath struct{ parts []jsonPart }

type jsonPart struct {
	key    string
	index  int
	array  bool
	hasKey bool // in an object: the next string token is a value, not a key
}

func (p *jsonPath) step(tok json.Token, more bool) error {
	top := p.top()
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{', '[':
			if len(p.parts) >= MaxDepth {
				return fmt.Errorf("objects and lists are nested more than %d deep; a schedule needs about ten levels: check the file", MaxDepth)
			}
			p.parts = append(p.parts, jsonPart{array: t == '['})
			return nil
		default:
			p.parts = p.parts[:len(p.parts)-1]
		}
	case string:
		if top != nil && !top.array && !top.hasKey {
			top.key, top.hasKey = t, true
			return nil
		}
	}
	p.next()
	return nil
}

// next moves past a value: to the next index of a list, or back to a key.
func (p *jsonPath) next() {
	if top := p.top(); top != nil {
		if top.array {
			top.index++
		} else {
			top.hasKey = false
		}
	}
}

func (p *jsonPath) top() *jsonPart {
	if len(p.parts) == 0 {
		return nil
	}
	return &p.parts[len(p.parts)-1]
}

func (p *jsonPath) String() string {
	var b strings.Builder
	b.WriteString("$")
	for _, x := range p.parts {
		switch {
		case x.array:
			b.WriteString("[" + strconv.Itoa(x.index) + "]")
		case x.hasKey:
			b.WriteString("." + x.key)
		}
	}
	return b.String()
}

// jsonError names the file, line and JSON path of a JSON problem.
func jsonError(name string, data []byte, off int64, path string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	line, col := lineCol(data, int(off))
	msg := err.Error()
	if se != nil {
		msg = "JSON syntax error: " + msg + ": fix the file"
	}
	return fmt.Errorf("%s:%d:%d: %w: at %s: %s", name, line, col, ErrInput, path, msg)
}

// decodeJSON decodes data into v after checkJSON, reporting a value of the
// wrong type with its JSON path.
func decodeJSON(name string, data []byte, v any) error {
	if err := checkJSON(name, data); err != nil {
		return err
	}
	err := json.Unmarshal(data, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return jsonError(name, data, te.Offset, "$."+te.Field, fmt.Errorf("a JSON %s where the schedule format has a %s: fix the file", te.Value, te.Type))
	}
	if err != nil {
		return jsonError(name, data, 0, "$", err)
	}
	return nil
}
