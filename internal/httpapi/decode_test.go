package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestDecodeBody: each malformed body gets the message naming what is wrong
// with it, and good bodies decode whole.
func TestDecodeBody(t *testing.T) {
	for _, tc := range []struct {
		body, wantErr string
		want          Request
	}{
		{body: `{"query":"{ hello }","operationName":"A","variables":{"n":1},"extensions":{"x":true}}`,
			want: Request{Query: "{ hello }", OperationName: "A", Variables: map[string]any{"n": 1.0}, Extensions: map[string]any{"x": true}}},
		{body: `{"query":"{ a(x: \"caf\u00e9\") }","operationName":null,"variables":null}`, want: Request{Query: `{ a(x: "café") }`}},
		{body: `{"query":"{ a }","QUERY":"mutation { x }","Extensions":5}`, want: Request{Query: "{ a }"}},
		{body: "{\"query\":\"bad \xff utf-8\"}", want: Request{Query: "bad \ufffd utf-8"}},
		{body: `null`, wantErr: "is not a JSON object"},
		{body: `[{"query":"{ hello }"}]`, wantErr: "is not a JSON object"},
		{body: `{"query":`, wantErr: "is not a JSON object"},
		{body: `{}`, wantErr: `has no "query"`},
		{body: `{"query":null}`, wantErr: `has no "query"`},
		{body: `{"query":42}`, wantErr: `"query" is not a string`},
		{body: `{"query":"{ hello }","operationName":[]}`, wantErr: `"operationName" is not a string`},
		{body: `{"query":"{ hello }","variables":"{}"}`, wantErr: `"variables" is not a JSON object`},
		{body: `{"query":"{ hello }","extensions":1}`, wantErr: `"extensions" is not a JSON object`},
	} {
		t.Run(tc.body, func(t *testing.T) {
			got, err := decodeBody([]byte(tc.body))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.msg, tc.wantErr) {
					t.Fatalf("got %+v, want an error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %+v, want no error", err)
			}
			if got.Query != tc.want.Query || got.OperationName != tc.want.OperationName ||
				len(got.Variables) != len(tc.want.Variables) || len(got.Extensions) != len(tc.want.Extensions) {
				t.Errorf("got %+v, want %+v", *got, tc.want)
			}
			for k, v := range tc.want.Variables {
				if got.Variables[k] != v {
					t.Errorf("variable %s: got %v, want %v", k, got.Variables[k], v)
				}
			}
		})
	}
}

// TestDecodeStringMatchesEncodingJSON: the shortcut for strings without
// escapes gives what encoding/json gives, and leaves it the other cases.
func TestDecodeStringMatchesEncodingJSON(t *testing.T) {
	for _, raw := range []string{
		`"{ hello }"`, `""`, `"{ a(x: \"b\") }"`, `"caf\u00e9"`, `"café ☕"`,
		"\"bad \xff utf-8\"", `"tab\tand\nnewline"`, `12`, `{"query": 1}`, `[]`,
	} {
		t.Run(raw, func(t *testing.T) {
			var got, want string
			gotOK := decodeString(json.RawMessage(raw), &got)
			wantOK := json.Unmarshal([]byte(raw), &want) == nil
			if got != want || gotOK != wantOK {
				t.Errorf("got %q %v, want %q %v", got, gotOK, want, wantOK)
			}
		})
	}
}

// TestDecodeDeepJSON: JSON nested beyond what encoding/json decodes is
// called too deeply nested, not "not a JSON object".
func TestDecodeDeepJSON(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	for _, tc := range []struct{ name, body, wantErr string }{
		{"body", `{"query":"{ a }","pad":` + deep + `}`, "request body is nested too deeply"},
		{"variables", `{"query":"{ a }","variables":{"v":` + deep + `}}`, "request body is nested too deeply"},
		{"body not an object", deep, "request body is nested too deeply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeBody([]byte(tc.body))
			if err == nil || !strings.Contains(err.msg, tc.wantErr) {
				t.Fatalf("got %+v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

// TestBodyFieldsMatchesEncodingJSON: the cut of a body into its fields
// gives the bytes encoding/json's map gives, and leaves it the bodies it
// does not expect.
func TestBodyFieldsMatchesEncodingJSON(t *testing.T) {
	for _, body := range []string{
		`{"query":"{ hello }"}`,
		` { "query" : "{ hello }" , "variables" : { "a" : [1, {"b": "}"}], "c": "\"]" } } `,
		`{"query":"a","query":"b","operationName":null,"extensions":{},"other":[[],{}],"n":-1.5e3,"t":true}`,
		`{"variables":{"id":"talk-devops"},"query":"query Q($id: ID!) { talk(id: $id) { title } }"}`,
		`{}`, `{"QUERY":"x","Query":"y"}`, `{"query":"x\\"y","operationName":"\u0041"}`,
		`{"qu\u0065ry":"escaped key"}`, `[]`, `null`, `"query"`, `{"query":`, `{"a":1,}`, "{\"query\":\"bad \xff\"}",
	} {
		f, ok := bodyFields([]byte(body))
		var m map[string]json.RawMessage
		err := json.Unmarshal([]byte(body), &m)
		if !ok {
			if err == nil && m != nil && !strings.Contains(body, `\u0065`) {
				t.Errorf("%s: left to encoding/json, which decodes it: a body of the usual form", body)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: cut into fields, but encoding/json refuses it: %v", body, err)
			continue
		}
		for name, got := range map[string]json.RawMessage{"query": f.query, "operationName": f.operationName, "variables": f.variables, "extensions": f.extensions} {
			if string(got) != string(m[name]) {
				t.Errorf("%s: %s: got %s, want %s", body, name, got, m[name])
			}
		}
	}
}

// TestDecodeObjectMatchesEncodingJSON: variables decode to what
// encoding/json gives, read here or left to it.
func TestDecodeObjectMatchesEncodingJSON(t *testing.T) {
	for _, raw := range []string{
		`{"id":"talk-devops"}`, ` { "a" : 1 , "b" : -2.5e3 , "c" : true , "d" : false , "e" : null , "f" : "" } `, `{}`,
		`{"a":"x","a":"y"}`, `{"s":"caf\u00e9"}`, `{"s":"tab\tin"}`, `{"list":[1,"a"]}`, `{"o":{"x":1}}`,
		`{"n":1e400}`, `{"n":12345678901234567890}`, `{"k\u0041":1}`, "{\"bad\":\"\xff\"}", `[]`, `"x"`, `{"a":01}`, `{"a":+1}`, `{"a":1.}`, `{"a":.5}`, `{"a":-0.5E+2}`, `{"a":0x1}`,
	} {
		var got, want map[string]any
		gotErr := decodeObject(json.RawMessage(raw), &got)
		wantErr := json.Unmarshal([]byte(raw), &want)
		if (gotErr != nil) != (wantErr != nil) || fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
			t.Errorf("%s: got %#v (%v), want %#v (%v)", raw, got, gotErr, want, wantErr)
		}
	}
}
