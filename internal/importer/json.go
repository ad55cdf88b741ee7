package importer

import (
	"bytes"
	"context"
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

// listKind is what a list of a programme holds, as a format's listRule
// tells from the list's path.
type listKind int

const (
	otherList    listKind = iota
	eventList             // the events (or sessions) of the programme
	eventPersons          // the persons of one event
)

// listRule tells what the list at the top of p holds.
type listRule func(p *jsonPath) listKind

// checkJSON reads the file's tokens once, before anything is decoded: it
// refuses nesting deeper than MaxDepth and lists past the caps (rule tells
// events and persons apart), and reports a syntax error with its line and
// JSON path. It returns an error wrapping ErrInterrupted when ctx ends.
func checkJSON(ctx context.Context, name string, data []byte, rule listRule) error {
	d := json.NewDecoder(bytes.NewReader(data))
	var path jsonPath
	var c counter
	for n := 0; ; n++ {
		if n%tokenCheck == 0 {
			if err := interrupted(ctx); err != nil {
				return err
			}
		}
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return jsonError(name, data, d.InputOffset(), path.String(), err)
		}
		if err := path.count(tok, rule, &c); err != nil {
			return jsonError(name, data, d.InputOffset(), path.String(), err)
		}
		if err := path.step(tok, d.More()); err != nil {
			return jsonError(name, data, d.InputOffset(), path.String(), err)
		}
	}
}

// count counts a value that starts an item of a list against the caps.
func (p *jsonPath) count(tok json.Token, rule listRule, c *counter) error {
	top := p.top()
	if top == nil || !top.array || tok == json.Delim(']') {
		return nil
	}
	if err := c.item(); err != nil {
		return err
	}
	switch rule(p) {
	case eventList:
		return c.event()
	case eventPersons:
		return c.person(top.index + 1)
	}
	return nil
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

// match reports whether p is the path of keys and indexes given: a key,
// "*" for any key, "[]" for any index of a list.
func (p *jsonPath) match(pattern ...string) bool {
	if len(p.parts) != len(pattern) {
		return false
	}
	for i, x := range p.parts {
		switch pattern[i] {
		case "[]":
			if !x.array {
				return false
			}
		case "*":
			if x.array || !x.hasKey {
				return false
			}
		default:
			if x.array || !x.hasKey || x.key != pattern[i] {
				return false
			}
		}
	}
	return true
}

// descend, returned by a jsonTarget, walks into the value, which must be
// an object ('{') or a list ('[').
type descend json.Delim

// jsonTarget says what to do with the value at p: a pointer to decode it
// into, descend('{') or descend('[') to walk into it, or nil to skip it.
type jsonTarget func(p *jsonPath) any

// walkJSON decodes a file checkJSON accepted one value at a time, as
// target says, so that no single step decodes more than one event: ctx is
// looked at before each. It reports a value of the wrong type with its
// line and JSON path, and returns an error wrapping ErrInterrupted when
// ctx ends.
func walkJSON(ctx context.Context, name string, data []byte, target jsonTarget) error {
	w := &jsonWalker{ctx: ctx, name: name, data: data, d: json.NewDecoder(bytes.NewReader(data)), target: target}
	return w.value()
}

type jsonWalker struct {
	ctx    context.Context
	name   string
	data   []byte
	d      *json.Decoder
	path   jsonPath
	target jsonTarget
	tokens int
}

func (w *jsonWalker) value() error {
	switch t := w.target(&w.path).(type) {
	case nil:
		return w.skip()
	case descend:
		return w.container(json.Delim(t))
	default:
		if err := interrupted(w.ctx); err != nil {
			return err
		}
		at := w.d.InputOffset()
		err := w.d.Decode(t)
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			where := w.path.String()
			if te.Field != "" {
				where += "." + te.Field
			}
			return jsonError(w.name, w.data, at+te.Offset, where, fmt.Errorf("a JSON %s where the schedule format has a %s: fix the file", te.Value, te.Type))
		}
		if err != nil {
			return jsonError(w.name, w.data, at, w.path.String(), err)
		}
		return nil
	}
}

// container walks into an object or a list, which must be of kind want.
func (w *jsonWalker) container(want json.Delim) error {
	at := w.d.InputOffset()
	tok, err := w.token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // null: an empty object or list
	}
	if tok != want {
		what := map[json.Delim]string{'{': "an object", '[': "a list"}[want]
		return jsonError(w.name, w.data, at, w.path.String(), fmt.Errorf("a JSON %s where the schedule format has %s: fix the file", jsonKind(tok), what))
	}
	w.path.parts = append(w.path.parts, jsonPart{array: want == '['})
	for w.d.More() {
		top := w.path.top()
		if !top.array {
			key, err := w.token()
			if err != nil {
				return err
			}
			top.key, top.hasKey = key.(string), true
		}
		if err := w.value(); err != nil {
			return err
		}
		if top.array {
			top.index++
		}
	}
	w.path.parts = w.path.parts[:len(w.path.parts)-1]
	_, err = w.token() // the closing delimiter
	return err
}

// skip reads past one value, object and list included.
func (w *jsonWalker) skip() error {
	depth := 0
	for {
		tok, err := w.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

func (w *jsonWalker) token() (json.Token, error) {
	if w.tokens++; w.tokens%tokenCheck == 0 {
		if err := interrupted(w.ctx); err != nil {
			return nil, err
		}
	}
	tok, err := w.d.Token()
	if err != nil {
		return nil, jsonError(w.name, w.data, w.d.InputOffset(), w.path.String(), err)
	}
	return tok, nil
}

// jsonKind names the JSON type of a token.
func jsonKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		if tok == json.Delim('[') {
			return "list"
		}
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}
