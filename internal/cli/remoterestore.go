package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/talkgraph/talkgraph/internal/seed"
)

// restore sends a backup to the server, which checks it and puts it in
// place of its database while it goes on answering, and returns its
// report.
func (r *remote) restore(ctx context.Context, backup io.Reader, force bool) (string, error) {
	resp, err := r.do(ctx, http.MethodPost, "/admin/restore?force="+strconv.FormatBool(force), backup, true)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return string(out), err
}

// validate sends the data sets to the server, which checks them against
// its database as `talkgraph validate` would, and returns the problems.
func (r *remote) validate(ctx context.Context, sets []*seed.Set) ([]string, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeSeedZip(pw, sets)) }()
	defer pr.Close()
	resp, err := r.do(ctx, http.MethodPost, "/admin/validate", pr, false)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var rep validateReport
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&rep); err != nil {
		return nil, fmt.Errorf("validation from %s: %w", r.rec.URL, err)
	}
	return rep.Problems, nil
}

// contentType is the type of a request body sent to path: a backup for a
// restore, else a seed archive.
func contentType(path string) string {
	if strings.HasPrefix(path, "/admin/restore") {
		return "application/octet-stream"
	}
	return "application/zip"
}
