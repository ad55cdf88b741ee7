package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// Restorer is an Admin that also restores backups: POST /admin/restore,
// with the write token, replaces the database with the backup in the body
// while the server goes on answering, as `talkgraph restore` would with the
// server stopped.
type Restorer interface {
	// Restore replaces the database with the backup read from r, in one
	// step readers never see half of, and writes a report to w. A database
	// that holds data is refused unless force. It returns an error made by
	// Refused when the backup is damaged or refused.
	Restore(ctx context.Context, r io.Reader, force bool, w io.Writer) error
}

// Validator is an Admin that also validates data sets against the
// database: POST /admin/validate, a seed archive in the body (as for
// /admin/seed), answers what `talkgraph validate` would find with the
// server stopped, writing nothing.
type Validator interface {
	// Validate checks the data sets of the seed archive read from r, of
	// size bytes, against the database, and writes the problems to w as
	// JSON ({"problems": ["file:line:column: …", …]}, none when valid). It
	// returns an error made by Refused when the archive is not one.
	Validate(ctx context.Context, r io.ReaderAt, size int64, w io.Writer) error
}

// restoreRoutes adds /admin/restore (with the write token) and
// /admin/validate (a client on this machine, or the token) when the Admin
// does them; token checks the write token, nil when the server has none.
func (s *Server) restoreRoutes(mux *http.ServeMux, token func(*http.Request) bool) {
	if ra, ok := s.Admin.(Restorer); ok {
		mux.HandleFunc("POST /admin/restore", s.authorized(func(w http.ResponseWriter, r *http.Request) { s.adminRestore(w, r, ra) }))
	}
	if va, ok := s.Admin.(Validator); ok {
		mux.HandleFunc("POST /admin/validate", func(w http.ResponseWriter, r *http.Request) {
			if !loopback(r) && (token == nil || !token(r)) {
				http.Error(w, "validation is for clients on the server's machine, or needs its write token", http.StatusForbidden)
				return
			}
			s.adminValidate(w, r, va)
		})
	}
}

// adminRestore streams the backup in the body into the Restorer, which
// checks it (its checksum ends the stream) before anything changes.
func (s *Server) adminRestore(w http.ResponseWriter, r *http.Request, ra Restorer) {
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(noDeadline)
	body := &rollingReader{r: r.Body, rc: rc}
	force, _ := strconv.ParseBool(r.URL.Query().Get("force"))
	var out bytes.Buffer
	if err := ra.Restore(r.Context(), body, force, &out); err != nil {
		s.adminError(w, r, err)
		return
	}
	s.Logger.InfoContext(r.Context(), "restored a backup through the API", "report", strings.TrimSpace(out.String()))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(out.Bytes())
}

// adminValidate spools the seed archive in the body, as a seed does, and
// answers the Validator's report.
func (s *Server) adminValidate(w http.ResponseWriter, r *http.Request, va Validator) {
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(noDeadline)
	tmp, err := os.CreateTemp("", "talkgraph-validate-*.zip")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	size, err := io.Copy(tmp, http.MaxBytesReader(w, &rollingReader{r: r.Body, rc: rc}, maxSeedUpload))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, fmt.Sprintf("the data sets are over %d MiB: validate them with the server stopped", maxSeedUpload>>20), http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, "reading the upload: "+err.Error(), http.StatusBadRequest)
		return
	}
	var out bytes.Buffer
	if err := va.Validate(r.Context(), tmp, size, &out); err != nil {
		s.adminError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(out.Bytes())
}
