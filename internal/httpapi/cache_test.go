package httpapi

import "testing"

func TestDocCache(t *testing.T) {
	h := &Handler{Schema: testSchema(t), CacheSize: 2}
	cases := []struct {
		name, body string
		status     int
	}{
		{"first time", `{"query":"{ hello }"}`, 200},
		{"from the cache", `{"query":"{ hello }"}`, 200},
		{"invalid, not cached", `{"query":"{ nope }"}`, 400},
		{"invalid again", `{"query":"{ nope }"}`, 400},
		{"variables still checked", `{"query":"query($n: Int!) { double(n: $n) }","variables":{"n":"x"}}`, 400},
		{"third document evicts the oldest", `{"query":"query A { hello }"}`, 200},
		{"fourth", `{"query":"query B { hello }"}`, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := call{contentType: ctJSON, body: c.body}.do(h)
			if rec.Code != c.status {
				t.Errorf("status: got %d, want %d; body %s", rec.Code, c.status, rec.Body)
			}
		})
	}
	if got, want := h.cache.order.Len(), 2; got != want {
		t.Errorf("cache entries: got %d, want %d", got, want)
	}
	if h.cache.get("{ nope }") != nil {
		t.Errorf("an invalid document was cached")
	}
	if h.cache.get("{ hello }") != nil {
		t.Errorf("the least recently used document was kept")
	}
	for _, q := range []string{"query A { hello }", "query B { hello }"} {
		if h.cache.get(q) == nil {
			t.Errorf("%q: got no cached document, want one", q)
		}
	}
}
