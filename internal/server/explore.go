package server

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// exploreAssets holds the graph explorer page, its script and style, and
// Cytoscape.js, vendored (see assets/explore/README.md): the page works
// with no network.
//
//go:embed assets/explore
var exploreAssets embed.FS

// explorePolicy is the Content-Security-Policy of the explorer page, sent as
// a header as well as in the page's meta tag: only same-origin scripts,
// styles and connections, and no framing (which a meta tag cannot forbid).
const explorePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'none'; frame-ancestors 'none'"

// registerExplore adds the explorer's routes to mux: the page at /explore
// and /explore/, its files under /explore/assets/.
func registerExplore(mux *http.ServeMux) {
	h := exploreHandler()
	mux.Handle("/explore", h)
	mux.Handle("/explore/", h)
}

// exploreHandler serves the explorer at /explore (and /explore/) and its
// files under /explore/assets/. As for GraphiQL, types are set here rather
// than from the host's mime.types, since nosniff makes browsers refuse a
// script of the wrong type.
func exploreHandler() http.Handler {
	sub, err := fs.Sub(exploreAssets, "assets/explore")
	if err != nil {
		panic(err) // the folder is embedded: it is there
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := "index.html"
		if rest, ok := strings.CutPrefix(r.URL.Path, "/explore/assets/"); ok {
			name = rest
		} else if r.URL.Path != "/explore" && r.URL.Path != "/explore/" {
			http.NotFound(w, r)
			return
		}
		if name == "index.html" {
			w.Header().Set("Content-Security-Policy", explorePolicy)
			w.Header().Set("Referrer-Policy", "same-origin")
		}
		serveEmbedded(w, r, sub, name)
	})
}

// serveEmbedded writes one file of an embedded folder, flat (no
// subfolders), with an explicit Content-Type and nosniff. The page
// (index.html) is revalidated on every load; the other files are cached for
// a day. LICENSE files and .md files are plain text; a name without a known
// type is served as application/octet-stream, never sniffed.
func serveEmbedded(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string) {
	if name == "" || strings.Contains(name, "/") || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if strings.HasPrefix(name, "LICENSE") || path.Ext(name) == ".md" {
		h.Set("Content-Type", "text/plain; charset=utf-8")
	} else if ct, ok := contentTypes[path.Ext(name)]; ok {
		h.Set("Content-Type", ct)
	} else {
		h.Set("Content-Type", "application/octet-stream")
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	if name == "index.html" {
		h.Set("Cache-Control", "no-cache")
	} else {
		h.Set("Cache-Control", "public, max-age=86400")
	}
	w.Write(b)
}
