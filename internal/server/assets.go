package server

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// assets holds GraphiQL and its page, vendored (see assets/graphiql/README.md):
// the page works with no network.
//
//go:embed assets/graphiql
var assets embed.FS

// Example is one of the example queries GraphiQL opens with.
type Example struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

// Examples returns the example queries of the GraphiQL page.
func Examples() ([]Example, error) {
	b, err := assets.ReadFile("assets/graphiql/examples.json")
	if err != nil {
		return nil, err
	}
	var ex []Example
	return ex, json.Unmarshal(b, &ex)
}

var contentTypes = map[string]string{
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".html": "text/html; charset=utf-8",
}

// graphiqlHandler serves the page at /graphiql and its files under
// /graphiql/assets/. Types are set here rather than from the host's
// mime.types, since nosniff makes browsers refuse a script of the wrong type.
func graphiqlHandler() http.Handler {
	sub, _ := fs.Sub(assets, "assets/graphiql")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := "index.html"
		if rest, ok := strings.CutPrefix(r.URL.Path, "/graphiql/assets/"); ok {
			name = rest
		} else if r.URL.Path != "/graphiql" && r.URL.Path != "/graphiql/" {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(name, "LICENSE") || name == "README.md" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		} else if ct, ok := contentTypes[path.Ext(name)]; ok {
			w.Header().Set("Content-Type", ct)
		}
		b, err := fs.ReadFile(sub, name)
		if err != nil || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if name == "index.html" {
			w.Header().Set("Cache-Control", "no-cache")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=86400")
		}
		w.Write(b)
	})
}
