package executor

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/graphql-go/graphql/language/ast"
)

// AppendJSON appends the response to b as JSON: "errors" (when any), then
// "data" (for an executed operation, in the order the query asked for its
// fields: graphql-go hands back maps, which encoding/json would sort), then
// "extensions". It fails only on a value JSON cannot hold (a NaN float).
func (r *Result) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	if len(r.Errors) > 0 || !r.Executed {
		eb, err := json.Marshal(r.Errors)
		if err != nil {
			return nil, fmt.Errorf("encode errors: %w", err)
		}
		b = append(b, `"errors":`...)
		b = append(b, eb...)
	}
	if r.Executed {
		if len(r.Errors) > 0 {
			b = append(b, ',')
		}
		b = append(b, `"data":`...)
		w := &writer{buf: b}
		var root *group
		if r.op != nil {
			w.order = newOrder(r.schema, r.op)
			root = &group{sets: []*ast.SelectionSet{r.op.Def.SelectionSet}}
		}
		if err := w.value(r.Data, root, rootName(r)); err != nil {
			return nil, err
		}
		b = w.buf
	}
	if len(r.Extensions) > 0 {
		eb, err := json.Marshal(r.Extensions)
		if err != nil {
			return nil, fmt.Errorf("encode extensions: %w", err)
		}
		b = append(b, `,"extensions":`...)
		b = append(b, eb...)
	}
	return append(b, '}'), nil
}

// MarshalJSON implements json.Marshaler with AppendJSON.
func (r *Result) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil) }

func rootName(r *Result) string {
	if r.op == nil || r.schema == nil {
		return ""
	}
	if t := rootOf(r.schema, r.op.Def.Operation); t != nil {
		return t.Name()
	}
	return ""
}

// writer writes a result value beside the groups of the query that asked
// for it.
type writer struct {
	buf   []byte
	order *order
}

// value writes v; g is the group of v's sub-selections and typ the object
// type the schema gives it (an abstract type's values carry their own).
func (w *writer) value(v any, g *group, typ string) error {
	switch v := v.(type) {
	case nil:
		w.buf = append(w.buf, "null"...)
	case string:
		w.buf = appendString(w.buf, v)
	case bool:
		w.buf = strconv.AppendBool(w.buf, v)
	case int:
		w.buf = strconv.AppendInt(w.buf, int64(v), 10)
	case float64:
		return w.float(v)
	case map[string]any:
		return w.object(v, g, typ)
	case []any:
		w.buf = append(w.buf, '[')
		for i, item := range v {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			if err := w.value(item, g, typ); err != nil {
				return err
			}
		}
		w.buf = append(w.buf, ']')
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode a %T: %w", v, err)
		}
		w.buf = append(w.buf, b...)
	}
	return nil
}

// object writes m's keys in the order its group collects them for its
// type. Keys the plan does not know (none, unless graphql-go and this
// writer disagree) follow, sorted, rather than being lost.
func (w *writer) object(m map[string]any, g *group, typ string) error {
	if t, ok := m[typeKey].(string); ok {
		typ = t
	}
	var plan []entry
	if g != nil && w.order != nil {
		plan = w.order.plan(g, typ)
	}
	w.buf = append(w.buf, '{')
	written := 0
	for _, e := range plan {
		v, ok := m[e.key]
		if !ok || e.key == typeKey {
			continue
		}
		if err := w.member(written, e.key, v, e.child, w.childType(typ, e.field)); err != nil {
			return err
		}
		written++
	}
	if _, hidden := m[typeKey]; written < len(m)-btoi(hidden) {
		if err := w.rest(m, plan, written); err != nil {
			return err
		}
	}
	w.buf = append(w.buf, '}')
	return nil
}

func (w *writer) member(i int, key string, v any, g *group, typ string) error {
	if i > 0 {
		w.buf = append(w.buf, ',')
	}
	w.buf = appendString(w.buf, key)
	w.buf = append(w.buf, ':')
	return w.value(v, g, typ)
}

// rest writes the keys of m the plan left out, sorted.
func (w *writer) rest(m map[string]any, plan []entry, written int) error {
	planned := make(map[string]bool, len(plan))
	for _, e := range plan {
		planned[e.key] = true
	}
	var keys []string
	for k := range m {
		if !planned[k] && k != typeKey {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := w.member(written, k, m[k], nil, ""); err != nil {
			return err
		}
		written++
	}
	return nil
}

func (w *writer) childType(parent, field string) string {
	if w.order == nil {
		return ""
	}
	if t := fieldType(w.order.schema.Type(parent), field); t != nil {
		return t.Name()
	}
	return ""
}

// float writes f as encoding/json does.
func (w *writer) float(f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("encode a float: %v is not a JSON number", f)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(w.buf, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	w.buf = b
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

const hexDigits = "0123456789abcdef"

// appendString appends s quoted as encoding/json does (HTML characters
// escaped, invalid UTF-8 replaced by U+FFFD), so answers keep their bytes.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
