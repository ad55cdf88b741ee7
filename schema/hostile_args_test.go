package schema_test

import (
	"strings"
	"testing"
)

// TestHostileArguments: a huge name is not sent back whole, and a year out
// of range is refused alike by every question that takes one.
func TestHostileArguments(t *testing.T) {
	long := strings.Repeat("x", 900_000)
	cases := []struct {
		name, query, code string
		want              []string
		maxLen            int
	}{
		{"a 900 KB name", `{ entity(name: "` + long + `") { id } }`, "NOT_FOUND", []string{`entity "xxxxx`, "… (900000 bytes) not found"}, 400},
		{"a name as long as a stored one may be", `{ entity(name: "` + long[:300] + `") { id } }`, "NOT_FOUND", []string{long[:300]}, 400},
		{"topics of year 2147483647", `{ topics(year: 2147483647) { talks } }`, "BAD_USER_INPUT", []string{"year must be a year such as 2017 (1 to 9999); got 2147483647"}, 0},
		{"talkCount of year -2147483648", `{ talkCount(year: -2147483648) }`, "BAD_USER_INPUT", []string{"got -2147483648"}, 0},
		{"talks of year 0", `{ talks(year: 0) { id } }`, "BAD_USER_INPUT", []string{"got 0"}, 0},
		{"trend-free talkCount of year 10000", `{ talkCount(year: 10000) }`, "BAD_USER_INPUT", []string{"got 10000"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := run(t, c.query)
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1", len(errs))
			}
			msg := errs[0]["message"].(string)
			if got := errs[0]["extensions"].(map[string]any)["code"]; got != c.code {
				t.Errorf("code: got %v, want %s (%s)", got, c.code, msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message: got %.200q, want it to contain %.100q", msg, w)
				}
			}
			if c.maxLen > 0 && len(msg) > c.maxLen {
				t.Errorf("message: %d bytes, want at most %d", len(msg), c.maxLen)
			}
		})
	}
	if _, errs := run(t, `{ topics(year: 2017) { talks } talkCount(year: 2017) }`); len(errs) != 0 {
		t.Errorf("year 2017: got %v, want no error", errs)
	}
}
