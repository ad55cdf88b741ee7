package httpapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// requestFields are the raw JSON values of a request body's known keys
// (nil when absent).
type requestFields struct {
	query, operationName, variables, extensions json.RawMessage
}

// bodyFields cuts a valid JSON object whose keys have no escapes into the
// values of its known keys, the last of a key winning as in encoding/json's
// map, without copying them. ok is false for anything else (not JSON, not
// an object, an escaped key): encoding/json then decides, and says what is
// wrong.
func bodyFields(body []byte) (f requestFields, ok bool) {
	if !json.Valid(body) {
		return f, false
	}
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return f, false
	}
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == '}' {
		return f, true
	}
	for i < len(body) && body[i] == '"' {
		end := i + 1
		for end < len(body) && body[end] != '"' {
			if body[end] == '\\' {
				return f, false
			}
			end++
		}
		key := body[i+1 : end]
		i = skipSpace(body, end+1) // at the colon: the body is valid JSON
		start := skipSpace(body, i+1)
		i = skipValue(body, start)
		value := json.RawMessage(body[start:i:i])
		switch string(key) {
		case "query":
			f.query = value
		case "operationName":
			f.operationName = value
		case "variables":
			f.variables = value
		case "extensions":
			f.extensions = value
		}
		i = skipSpace(body, i)
		if i < len(body) && body[i] == ',' {
			i = skipSpace(body, i+1)
			continue
		}
		return f, i < len(body) && body[i] == '}'
	}
	return f, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the valid JSON value starting at i.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// skipString returns the end of the JSON string starting at i.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// decodeObject decodes raw, a JSON object from a valid body, into a map as
// encoding/json does. Objects of strings without escapes, numbers, booleans
// and nulls (most variables) are read here, without reflection; any other
// is left to encoding/json. It fails when raw is not an object.
func decodeObject(raw json.RawMessage, dst *map[string]any) error {
	if m, ok := flatObject(raw); ok {
		*dst = m
		return nil
	}
	return json.Unmarshal(raw, dst)
}

// flatObject reads an object of plain values; ok is false for any other.
func flatObject(b []byte) (map[string]any, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	m := map[string]any{}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return m, skipSpace(b, i+1) == len(b)
	}
	for i < len(b) && b[i] == '"' {
		end := skipString(b, i)
		key, ok := plainString(b[i:end])
		if !ok {
			return nil, false
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		i = skipSpace(b, i+1)
		end = skipValue(b, i)
		v, ok := plainValue(b[i:end])
		if !ok {
			return nil, false
		}
		m[key] = v
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
			continue
		}
		return m, i < len(b) && b[i] == '}' && skipSpace(b, i+1) == len(b)
	}
	return nil, false
}

// plainValue decodes a string without escapes, a number, a boolean or
// null as encoding/json does into an any.
func plainValue(v []byte) (any, bool) {
	if len(v) == 0 {
		return nil, false
	}
	switch v[0] {
	case '"':
		return plainString(v)
	case 't', 'f', 'n':
		switch string(v) {
		case "true":
			return true, true
		case "false":
			return false, true
		case "null":
			return nil, true
		}
		return nil, false
	case '{', '[':
		return nil, false
	}
	if !jsonNumber(v) {
		return nil, false
	}
	f, err := strconv.ParseFloat(string(v), 64)
	return f, err == nil
}

// jsonNumber reports whether v is a number as JSON writes one:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(v []byte) bool {
	i := 0
	digits := func() bool {
		start := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(v) && v[i] == '-' {
		i++
	}
	switch {
	case i < len(v) && v[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(v) && v[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(v)
}

// plainString is a JSON string without escapes in valid UTF-8: its bytes.
func plainString(v []byte) (string, bool) {
	n := len(v)
	if n < 2 || v[0] != '"' || v[n-1] != '"' || bytes.IndexByte(v[1:n-1], '\\') >= 0 || !utf8.Valid(v[1:n-1]) {
		return "", false
	}
	for _, c := range v[1 : n-1] {
		if c < 0x20 {
			return "", false
		}
	}
	return string(v[1 : n-1]), true
}
