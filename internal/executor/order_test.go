package executor

import (
	"context"
	"encoding/json"
	"math"
	"testing"
)

// TestQueryOrder: data comes back in the order the query asked for it, as
// the spec's CollectFields orders it.
func TestQueryOrder(t *testing.T) {
	e := &Executor{Schema: testSchema(t)}
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{"fields", `{ thing { title id } }`, nil,
			`{"data":{"thing":{"title":"Alien","id":"f1"}}}`},
		{"aliases", `{ b: hello a: hello }`, nil,
			`{"data":{"b":"hello","a":"hello"}}`},
		{"__typename", `{ thing { title __typename id } }`, nil,
			`{"data":{"thing":{"title":"Alien","__typename":"Film","id":"f1"}}}`},
		{"inline fragments by runtime type", `{ things { ... on Film { director } ... on Book { author } id } }`, nil,
			`{"data":{"things":[{"author":"Herbert","id":"b1"},{"director":"Scott","id":"f1"}]}}`},
		{"a key first asked in a fragment that does not apply", `{ thing { ... on Book { title } id ... on Film { title } } }`, nil,
			`{"data":{"thing":{"id":"f1","title":"Alien"}}}`},
		{"named fragments", `query { thing { ...F id } } fragment F on Thing { title ...G } fragment G on Film { director }`, nil,
			`{"data":{"thing":{"title":"Alien","director":"Scott","id":"f1"}}}`},
		{"merged keys keep their first place", `{ thing { id title } thing { __typename ... on Film { director id } } }`, nil,
			`{"data":{"thing":{"id":"f1","title":"Alien","__typename":"Film","director":"Scott"}}}`},
		{"skip and include", `query($s: Boolean!, $i: Boolean = false) { thing { title @skip(if: $s) id @include(if: $i) __typename } }`,
			map[string]any{"s": false},
			`{"data":{"thing":{"title":"Alien","__typename":"Film"}}}`},
		{"errors first", `{ hello items { limited } }`, nil,
			`{"errors":[{"message":"too much work","locations":[{"line":1,"column":17}],"path":["items",0,"limited"],"extensions":{"code":"LIMIT_EXCEEDED"}}],"data":{"hello":"hello","items":[{"limited":null},{"limited":null},{"limited":null}]}}`},
		{"request error has no data", `{ nope }`, nil, ``},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.Do(context.Background(), Request{Query: c.query, Variables: c.vars})
			got := jsonOf(t, res)
			if c.want == "" {
				if res.Executed || !json.Valid([]byte(got)) {
					t.Errorf("got %s, want a request error without data", got)
				}
				return
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestWriterMatchesEncodingJSON: scalars are written byte for byte as
// encoding/json writes them.
func TestWriterMatchesEncodingJSON(t *testing.T) {
	for _, v := range []any{
		"plain", "quote \" backslash \\ tab \t nl \n cr \r", "<html> & co", "\x01\x1f\b\f",
		"é 日本 \u2028 \u2029", "bad \xff utf-8", "", true, false, nil, 0, -42, 1 << 40,
		0.0, 1.5, -2.25, 1e21, 1e-7, 123456789.125, math.MaxFloat64, 5e-324,
		[]any{"a", 1.0, nil}, map[string]any{"b": 1, "a": "x"}, json.Number("12"),
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		w := &writer{}
		if err := w.value(v, nil, ""); err != nil {
			t.Fatalf("%#v: %v", v, err)
		}
		if got := string(w.buf); got != string(want) {
			t.Errorf("%#v: got %s, want %s", v, got, want)
		}
	}
	if err := (&writer{}).value(math.NaN(), nil, ""); err == nil {
		t.Errorf("NaN: got no error, want one")
	}
}
