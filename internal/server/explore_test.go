package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// exploreAnyRef matches every URL a tag of the page names, links included.
var exploreAnyRef = regexp.MustCompile(`(?is)<([a-z]+)\b[^>]*?\b(src|href|action)\s*=\s*["']([^"']*)["']`)

// exploreAbsoluteURL matches a URL with a scheme or a host.
var exploreAbsoluteURL = regexp.MustCompile(`(?i)\b(https?:)?//[a-z0-9]`)

func TestExplorePageIsSameOrigin(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, target := range []string{"/explore", "/explore/", "/explore?focus=kafka", "/explore?from=kafka&to=sre"} {
		t.Run(target, func(t *testing.T) {
			res := get(t, ts, target)
			if got, want := res.status, http.StatusOK; got != want {
				t.Fatalf("status: got %v, want %v", got, want)
			}
			for name, want := range map[string]string{
				"Content-Type":           "text/html; charset=utf-8",
				"X-Content-Type-Options": "nosniff",
				"Cache-Control":          "no-cache",
			} {
				if got := res.header.Get(name); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
			csp := res.header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy header %q: want it to contain %q", csp, want)
				}
			}
		})
	}

	page := get(t, ts, "/explore")
	var assetURLs []string
	for _, m := range assetRef.FindAllStringSubmatch(page.body, -1) {
		if strings.HasPrefix(m[3], "data:") {
			continue // inline, loads nothing (the empty favicon)
		}
		assetURLs = append(assetURLs, m[3])
	}
	wantAssets := []string{
		"/explore/assets/explore.css",
		"/explore/assets/cytoscape.min.js",
		"/explore/assets/explore.js",
	}
	if !slices.Equal(assetURLs, wantAssets) {
		t.Errorf("URLs the page loads: got %v, want %v", assetURLs, wantAssets)
	}
	for _, ref := range assetURLs {
		t.Run(ref, func(t *testing.T) {
			if !strings.HasPrefix(ref, "/explore/assets/") {
				t.Errorf("%s: want it under /explore/assets/", ref)
			}
			if got, want := get(t, ts, ref).status, http.StatusOK; got != want {
				t.Errorf("GET %s status: got %v, want %v", ref, got, want)
			}
		})
	}
	t.Run("every URL of the page is same-origin", func(t *testing.T) {
		for _, m := range exploreAnyRef.FindAllStringSubmatch(page.body, -1) {
			ref := m[3]
			if strings.HasPrefix(ref, "data:") {
				continue
			}
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("<%s %s=%q>: %v", m[1], m[2], ref, err)
				continue
			}
			if u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
				t.Errorf("<%s %s=%q>: want a same-origin absolute path", m[1], m[2], ref)
			}
		}
	})
	t.Run("no absolute URL in the page, its script or its style", func(t *testing.T) {
		for _, name := range []string{"index.html", "explore.js", "explore.css"} {
			b, err := os.ReadFile("assets/explore/" + name)
			if err != nil {
				t.Fatal(err)
			}
			if got := exploreAbsoluteURL.FindString(string(b)); got != "" {
				t.Errorf("%s: absolute URL %q, want none", name, got)
			}
		}
		js, err := os.ReadFile("assets/explore/explore.js")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(js), `const GRAPHQL_URL = '/graphql';`) {
			t.Error("explore.js: want it to talk to /graphql")
		}
		if n, m := strings.Count(string(js), "fetch("), strings.Count(string(js), "fetch(GRAPHQL_URL,"); n != m {
			t.Errorf("explore.js: %d fetch calls, %d to GRAPHQL_URL; want all to /graphql", n, m)
		}
	})
	t.Run("content security policy is same-origin, no inline code", func(t *testing.T) {
		meta := regexp.MustCompile(`(?is)<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"`).FindStringSubmatch(page.body)
		if meta == nil {
			t.Fatal("no Content-Security-Policy meta tag")
		}
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'"} {
			if !strings.Contains(meta[1], want) {
				t.Errorf("meta policy %q: want it to contain %q", meta[1], want)
			}
		}
		for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*"} {
			if strings.Contains(meta[1], bad) {
				t.Errorf("meta policy %q: contains %q", meta[1], bad)
			}
		}
		if regexp.MustCompile(`(?is)<script\b[^>]*>\s*[^<\s]`).MatchString(page.body) {
			t.Error("page has an inline script")
		}
		if regexp.MustCompile(`(?is)<style\b|\sstyle\s*=|\son[a-z]+\s*=`).MatchString(page.body) {
			t.Error("page has an inline style or event handler")
		}
	})
	t.Run("inputs have labels", func(t *testing.T) {
		for _, id := range []string{"search", "path-from", "path-to"} {
			if !strings.Contains(page.body, `<label for="`+id+`">`) {
				t.Errorf("input #%s: no <label for=%q>", id, id)
			}
		}
	})
}

func TestExploreAssets(t *testing.T) {
	ts := newTestServer(t, nil)
	entries, err := os.ReadDir("assets/explore")
	if err != nil {
		t.Fatal(err)
	}
	wantType := func(name string) string {
		switch {
		case strings.HasPrefix(name, "LICENSE"), path.Ext(name) == ".md":
			return "text/plain; charset=utf-8"
		}
		return map[string]string{
			".js":   "text/javascript; charset=utf-8",
			".css":  "text/css; charset=utf-8",
			".html": "text/html; charset=utf-8",
		}[path.Ext(name)]
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, want := range []string{"index.html", "explore.js", "explore.css", "cytoscape.min.js", "LICENSE-cytoscape", "README.md"} {
		if !slices.Contains(names, want) {
			t.Errorf("assets/explore: no %s (files %v)", want, names)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			file, err := os.ReadFile("assets/explore/" + name)
			if err != nil {
				t.Fatal(err)
			}
			res := get(t, ts, "/explore/assets/"+name)
			if got, want := res.status, http.StatusOK; got != want {
				t.Fatalf("status: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("Content-Type"), wantType(name); got != want || want == "" {
				t.Errorf("Content-Type: got %q, want %q", got, want)
			}
			if got, want := res.header.Get("X-Content-Type-Options"), "nosniff"; got != want {
				t.Errorf("X-Content-Type-Options: got %v, want %v", got, want)
			}
			if got, want := res.header.Get("Cache-Control"), "public, max-age=86400"; name != "index.html" && got != want {
				t.Errorf("Cache-Control: got %v, want %v", got, want)
			}
			if got, want := len(res.body), len(file); got != want || res.body != string(file) {
				t.Errorf("body: got %v bytes, want the %v bytes of the file", got, want)
			}
		})
	}
}

func TestExploreRoutes(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, target := range []string{
		"/explore/nope",
		"/explore/assets/",
		"/explore/assets/nope.js",
		"/explore/assets/x/explore.js",
		"/explore/assets/%2e%2e/assets.go",
		"/explore/assets/..%2fexplore.go",
	} {
		t.Run(target, func(t *testing.T) {
			if got, want := get(t, ts, target).status, http.StatusNotFound; got != want {
				t.Errorf("status: got %v, want %v", got, want)
			}
		})
	}
	t.Run("POST is refused", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/explore", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		res := do(t, noRedirects(ts), req)
		if got, want := res.status, http.StatusMethodNotAllowed; got != want {
			t.Errorf("status: got %v, want %v", got, want)
		}
	})
	t.Run("HEAD", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodHead, ts.URL+"/explore/assets/explore.js", nil)
		if err != nil {
			t.Fatal(err)
		}
		res := do(t, noRedirects(ts), req)
		if got, want := res.status, http.StatusOK; got != want {
			t.Errorf("status: got %v, want %v", got, want)
		}
		if got, want := res.header.Get("Content-Type"), "text/javascript; charset=utf-8"; got != want {
			t.Errorf("Content-Type: got %q, want %q", got, want)
		}
	})
}

// TestExploreCytoscapePinned checks the vendored Cytoscape.js: its licence
// is embedded and served, and the version and sha256 sums in the README, the
// fetch script and the file agree.
func TestExploreCytoscapePinned(t *testing.T) {
	ts := newTestServer(t, nil)

	// What the server sends comes from the embedded folder.
	lic := get(t, ts, "/explore/assets/LICENSE-cytoscape")
	if got, want := lic.status, http.StatusOK; got != want {
		t.Fatalf("LICENSE-cytoscape status: got %v, want %v (the licence must be embedded)", got, want)
	}
	for _, want := range []string{"The Cytoscape Consortium", "Permission is hereby granted, free of charge", "THE SOFTWARE IS PROVIDED"} {
		if !strings.Contains(lic.body, want) {
			t.Errorf("LICENSE-cytoscape: want it to contain %q", want)
		}
	}
	js := get(t, ts, "/explore/assets/cytoscape.min.js")
	if got, want := js.status, http.StatusOK; got != want {
		t.Fatalf("cytoscape.min.js status: got %v, want %v", got, want)
	}
	if !strings.HasPrefix(js.body, "/**\n * Copyright (c)") || !strings.Contains(js.body[:2000], "The Cytoscape Consortium") {
		t.Error("cytoscape.min.js: want it to start with its licence notice")
	}
	m := regexp.MustCompile(`\.version="(3\.\d+\.\d+)"`).FindStringSubmatch(js.body)
	if m == nil {
		t.Fatal("cytoscape.min.js: no 3.x version string")
	}
	version := m[1]

	script, err := os.ReadFile("../../scripts/fetch-cytoscape.sh")
	if err != nil {
		t.Fatal(err)
	}
	if want := `CYTOSCAPE_VERSION="` + version + `"`; !strings.Contains(string(script), want) {
		t.Errorf("scripts/fetch-cytoscape.sh: want it to pin %s", want)
	}
	readme, err := os.ReadFile("assets/explore/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"cytoscape.min.js", "LICENSE-cytoscape"} {
		b, err := os.ReadFile("assets/explore/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(name) + "` \\|.*$").FindString(string(readme))
		if row == "" {
			t.Errorf("README.md: no row for %s", name)
			continue
		}
		if !strings.Contains(row, "cytoscape@"+version) {
			t.Errorf("README.md row of %s: want cytoscape@%s in %q", name, version, row)
		}
		if !strings.Contains(row, hex.EncodeToString(sum[:])) {
			t.Errorf("README.md row of %s: want its sha256 %x in %q", name, sum, row)
		}
	}
}
