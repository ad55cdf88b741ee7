package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
)

// remote is a running server that holds the database, asked over HTTP for
// what the command would otherwise do itself (see server.Admin).
type remote struct {
	rec *serverRecord
	// token is the write token for seeds and drops: $TALKGRAPH_WRITE_TOKEN.
	token string
}

func newRemote(rec *serverRecord) *remote {
	return &remote{rec: rec, token: os.Getenv("TALKGRAPH_WRITE_TOKEN")}
}

// do sends a request to the server and returns its response when it is a
// 200; any other status becomes an error holding what the server said.
// Every request of the command line to a server that holds its database
// goes through here: the server has proved it holds this database (see
// findServer), a write token goes only to a server on the loopback or over
// https, and the request has the time-outs of exchange.
func (r *remote) do(ctx context.Context, method, path string, body io.Reader, write bool) (*http.Response, error) {
	u, err := url.Parse(r.rec.URL + path)
	if err != nil {
		return nil, fmt.Errorf("the server's address %q: %w", r.rec.URL, err)
	}
	if write && !r.rec.Writes {
		return nil, fmt.Errorf("the server at %s holds the database and was started without a write token, so it takes no writes: stop it and run the command again, or restart it with TALKGRAPH_WRITE_TOKEN set", r.rec.URL)
	}
	if write && r.token == "" {
		return nil, fmt.Errorf("the server at %s holds the database: writing through it needs its write token: set TALKGRAPH_WRITE_TOKEN to the token it was started with", r.rec.URL)
	}
	if write && !tokenSafe(u) {
		return nil, fmt.Errorf("the server at %s is neither on this machine's loopback nor behind https: the write token is not sent over the network in clear; restart it with --addr 127.0.0.1:PORT (or 0.0.0.0:PORT), or stop it and run the command again", r.rec.URL)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	if write {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType(path))
	}
	resp, err := r.send(req, body == nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	text := strings.TrimSpace(string(msg))
	if resp.StatusCode == http.StatusUnprocessableEntity || resp.StatusCode == http.StatusRequestEntityTooLarge {
		return nil, errors.New(text) // the data's problems, as a local run prints them
	}
	return nil, fmt.Errorf("the server at %s answered %s: %s", r.rec.URL, resp.Status, text)
}

func (r *remote) stats(ctx context.Context) (*graph.Stats, error) {
	resp, err := r.do(ctx, http.MethodGet, "/admin/stats", nil, false)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var st graph.Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, fmt.Errorf("stats from %s: %w", r.rec.URL, err)
	}
	return &st, nil
}

// backup writes the server's consistent snapshot of the database to w.
func (r *remote) backup(ctx context.Context, w io.Writer) error {
	resp, err := r.do(ctx, http.MethodGet, "/admin/backup", nil, false)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("backup from %s: %w", r.rec.URL, err)
	}
	return nil
}

// snapshot returns a store in memory that holds the server's data, as of
// now: commands that read the whole graph (export) read it there.
func (r *remote) snapshot(ctx context.Context) (*graph.Store, error) {
	tmp, err := os.CreateTemp("", "talkgraph-snapshot-*")
	if err != nil {
		return nil, err
	}
	// Read through its descriptor: removed at once, it is gone however
	// the command ends (where an open file cannot be removed, on return).
	if os.Remove(tmp.Name()) != nil {
		defer os.Remove(tmp.Name())
	}
	defer tmp.Close()
	if err := r.backup(ctx, tmp); err != nil {
		return nil, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	s := graph.NewStore("")
	s.InMemory, s.Analyzer = true, analyzer
	if err := s.Open(); err != nil {
		return nil, err
	}
	if _, err := s.Restore(ctx, tmp, true); err != nil {
		s.Close()
		return nil, fmt.Errorf("snapshot from %s: %w", r.rec.URL, err)
	}
	return s, nil
}

// errUploadEnded stops the writing of an archive the request no longer
// reads.
var errUploadEnded = errors.New("the upload ended")

// seed sends the data sets to the server, which validates and seeds them as
// `talkgraph seed` would, and returns its report. The archive is written as
// it is sent, never held whole.
func (r *remote) seed(ctx context.Context, sets []*seed.Set, force bool) (string, error) {
	pr, pw := io.Pipe()
	packed := make(chan error, 1)
	go func() {
		err := writeSeedZip(pw, sets)
		pw.CloseWithError(err)
		packed <- err
	}()
	resp, err := r.do(ctx, http.MethodPost, "/admin/seed?force="+strconv.FormatBool(force), pr, true)
	pr.CloseWithError(errUploadEnded) // ends the writer, however the request went
	if perr := <-packed; perr != nil && !errors.Is(perr, errUploadEnded) {
		if err == nil {
			resp.Body.Close()
		}
		return "", perr // a file that could not be read: the cause, whatever the server saw
	}
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return string(out), err
}

// drop asks the server to remove a data set.
func (r *remote) drop(ctx context.Context, name string) (string, error) {
	resp, err := r.do(ctx, http.MethodDelete, "/admin/datasets/"+url.PathEscape(name), nil, true)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return string(out), err
}

// busyWait bounds how long a read waits for the server's one admin read
// slot (a backup or stats of another client).
const busyWait = 30 * time.Second

// send sends req; a request without a body is sent again while the server
// answers 503 (busy with another backup or stats), for up to busyWait.
func (r *remote) send(req *http.Request, retry bool) (*http.Response, error) {
	deadline := time.Now().Add(busyWait)
	for {
		resp, err := exchange(req)
		if err != nil || !retry || resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
			return resp, err
		}
		resp.Body.Close()
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(time.Second):
		}
	}
}
