package guard_test

import (
	"context"
	"strings"
	"testing"

	"github.com/graphql-go/graphql/language/parser"

	"github.com/talkgraph/talkgraph/internal/guard"
)

// TestFirstNamedAsSent: a first past the limit is named as the request
// sent it, however large, not as the guard counted it.
func TestFirstNamedAsSent(t *testing.T) {
	s := testSchema(t)
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{"a literal", `{ talks(first: 99999999999) { title } }`, nil, "query first 99999999999 exceeds the limit of 1000"},
		{"a literal just past", `{ talks(first: 1001) { title } }`, nil, "query first 1001 exceeds"},
		{"a variable", `query($n: Int) { talks(first: $n) { title } }`, map[string]any{"n": float64(1e12)}, "query first 1e+12 exceeds"},
		{"a huge literal", `{ talks(first: ` + strings.Repeat("9", 500) + `) { title } }`, nil, "query first 99999999999999999999…(500 digits) exceeds"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := parser.Parse(parser.ParseParams{Source: c.query})
			if err != nil {
				t.Fatal(err)
			}
			err = guard.Default().Check(context.Background(), s, doc, c.vars)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}
