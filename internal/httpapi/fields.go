package httpapi

import "encoding/json"

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
