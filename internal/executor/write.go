package executor

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/graphql-go/graphql/language/ast"

	"github.com/talkgraph/talkgraph/internal/compile"
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
		if r.json != nil {
			b = append(b, r.json...)
			return r.appendExtensions(b)
		}
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
	return r.appendExtensions(b)
}

func (r *Result) appendExtensions(b []byte) ([]byte, error) {
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
	b, err := compile.AppendFloat(w.buf, f)
	if err != nil {
		return err
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

// appendString appends s quoted as encoding/json does; the compiled
// plans write strings with the same function.
func appendString(b []byte, s string) []byte { return compile.AppendString(b, s) }
