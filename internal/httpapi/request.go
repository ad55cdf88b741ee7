package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"
)

// Request is one GraphQL-over-HTTP request as sent by the client, whether it
// arrived as a JSON POST body or as GET query parameters.
type Request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
	Extensions    map[string]any `json:"extensions,omitempty"`
}

func badRequest(format string, args ...any) *httpError {
	return &httpError{code: CodeBadRequest, msg: fmt.Sprintf(format, args...)}
}

// readRequest extracts the GraphQL request from r according to its method.
func (h *Handler) readRequest(w http.ResponseWriter, r *http.Request) (*Request, *httpError) {
	switch r.Method {
	case http.MethodGet:
		return requestFromQuery(r.URL.Query())
	case http.MethodPost:
		return h.requestFromBody(w, r)
	default:
		return nil, &httpError{
			code:  CodeMethodNotAllowed,
			msg:   fmt.Sprintf("method %s is not allowed: use GET or POST", r.Method),
			allow: "GET, POST",
		}
	}
}

// requestFromQuery decodes the GET form: variables and extensions are
// JSON-encoded strings.
func requestFromQuery(q url.Values) (*Request, *httpError) {
	if !q.Has("query") {
		return nil, badRequest(`the "query" parameter is missing: send the GraphQL document in ?query=`)
	}
	req := &Request{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if err := decodeObjectParam(q.Get("variables"), &req.Variables); err != nil {
		return nil, badRequest(`the "variables" parameter is not a JSON object: send variables as URL-encoded JSON`)
	}
	if err := decodeObjectParam(q.Get("extensions"), &req.Extensions); err != nil {
		return nil, badRequest(`the "extensions" parameter is not a JSON object: send extensions as URL-encoded JSON`)
	}
	return req, nil
}

// decodeObjectParam treats an empty parameter as absent rather than as
// invalid JSON, since clients commonly send "variables=" with nothing.
func decodeObjectParam(s string, dst *map[string]any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}

// requestFromBody decodes a POST body after checking its media type and size.
func (h *Handler) requestFromBody(w http.ResponseWriter, r *http.Request) (*Request, *httpError) {
	if herr := checkContentType(r.Header.Get("Content-Type")); herr != nil {
		return nil, herr
	}
	limit := h.maxBody()
	bp := bodies.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 64<<10 {
			bodies.Put(bp)
		}
	}()
	body, err := readAll(http.MaxBytesReader(w, r.Body, limit), (*bp)[:0])
	*bp = body
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &httpError{
				code: CodePayloadTooLarge,
				msg:  fmt.Sprintf("request body is larger than %d bytes: send a smaller request", limit),
			}
		}
		return nil, badRequest("request body could not be read: %v", err)
	}
	return decodeBody(body)
}

// bodies keep request bodies' bytes between requests: decodeBody copies
// what it keeps.
var bodies = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// readAll is io.ReadAll into buf.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// checkContentType accepts application/json in any letter case, with an
// optional utf-8 charset (the only encoding the spec requires).
func checkContentType(header string) *httpError {
	if header == mediaJSON || header == mediaJSON+"; charset=utf-8" {
		return nil // the usual forms, without parsing
	}
	mt, params, err := mime.ParseMediaType(header)
	if err != nil || mt != mediaJSON {
		return &httpError{
			code: CodeUnsupportedMediaType,
			msg:  fmt.Sprintf("content type %q is not supported: send the request body as application/json", header),
		}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return &httpError{
			code: CodeUnsupportedMediaType,
			msg:  fmt.Sprintf("charset %q is not supported: encode the request body as utf-8", cs),
		}
	}
	return nil
}

// decodeBody checks each known field's JSON type separately so the client is
// told exactly which field is wrong; unknown fields are ignored.
func decodeBody(body []byte) (*Request, *httpError) {
	// Keys are matched exactly (a struct would take "QUERY" for "query", the
	// last of the two winning), and each field is decoded at most once more,
	// a string without escapes not at all: decoding every field again was a
	// third of a small query's handler time in a profile. A body of the
	// usual form is cut into its fields without a map (bodyFields).
	f, ok := bodyFields(body)
	if !ok {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
			if tooDeep(err) {
				return nil, badRequest(`request body is nested too deeply for JSON decoding (over 10000 levels): send a JSON object with a "query" string`)
			}
			return nil, badRequest(`request body is not a JSON object: send a JSON object with a "query" string`)
		}
		f = requestFields{fields["query"], fields["operationName"], fields["variables"], fields["extensions"]}
	}
	req := &Request{}
	if f.query == nil || isNull(f.query) {
		return nil, badRequest(`request body has no "query": send the GraphQL document as a "query" string`)
	} else if !decodeString(f.query, &req.Query) {
		return nil, badRequest(`"query" is not a string: send the GraphQL document as a string`)
	}
	if !isAbsent(f.operationName) && !decodeString(f.operationName, &req.OperationName) {
		return nil, badRequest(`"operationName" is not a string: send a string or null`)
	}
	if !isAbsent(f.variables) && decodeObject(f.variables, &req.Variables) != nil {
		return nil, badRequest(`"variables" is not a JSON object: send an object or null`)
	}
	if !isAbsent(f.extensions) && json.Unmarshal(f.extensions, &req.Extensions) != nil {
		return nil, badRequest(`"extensions" is not a JSON object: send an object or null`)
	}
	return req, nil
}

// decodeString decodes a JSON string that the body's decoding has already
// checked. A string without escapes, in valid UTF-8, is its own bytes.
func decodeString(raw json.RawMessage, dst *string) bool {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' &&
		bytes.IndexByte(raw[1:n-1], '\\') < 0 && utf8.Valid(raw) {
		*dst = string(raw[1 : n-1])
		return true
	}
	return json.Unmarshal(raw, dst) == nil
}

// tooDeep reports encoding/json's refusal of a value nested beyond its
// depth limit (10000), which it reports as a syntax error. It checks the
// whole body before decoding any of it, so this covers every field.
func tooDeep(err error) bool {
	return err != nil && strings.Contains(err.Error(), "exceeded max depth")
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

// isAbsent reports a field that is missing or null: both leave the request's
// field unset.
func isAbsent(raw json.RawMessage) bool { return raw == nil || isNull(raw) }
