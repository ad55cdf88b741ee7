package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/server"
)

// serverRecordName is the file a running server writes in its database
// directory, so that other commands on the same --db find it: while the
// server holds the database no other process can open it, and they go
// through the server instead.
const serverRecordName = "talkgraph-server.json"

// serverRecord is what that file holds.
type serverRecord struct {
	URL string `json:"url"`
	// Instance is a random id the server sends back from /healthz: a record
	// left by a killed server whose port another process took since is not
	// mistaken for a live one.
	Instance string    `json:"instance"`
	PID      int       `json:"pid"`
	Writes   bool      `json:"writes"` // started with a write token
	Started  time.Time `json:"started"`
}

// writeServerRecord writes rec into the database directory db, through a
// temporary file renamed into place, and returns a function that removes it.
func writeServerRecord(db string, rec serverRecord) (remove func(), err error) {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(db, serverRecordName)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("record the server's address: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("record the server's address: %w", err)
	}
	return func() { os.Remove(path) }, nil
}

// newInstance returns a random id for a server's record.
func newInstance() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// dialableURL turns the URL of a server listening on every address
// (0.0.0.0 or [::]) into one a client on this machine can dial.
func dialableURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	if ip := net.ParseIP(p.Hostname()); ip != nil && ip.IsUnspecified() {
		p.Host = net.JoinHostPort("127.0.0.1", p.Port())
	}
	return p.String()
}

// servedError is the error of opening a database that a running server
// holds: commands that can go through the server look for it with
// errors.As, the others print it.
type servedError struct {
	rec *serverRecord
	err error
}

func (e *servedError) Error() string {
	return fmt.Sprintf("%v (the server at %s holds it)", e.err, e.rec.URL)
}
func (e *servedError) Unwrap() error { return e.err }

// served returns the server that holds the database when err says a
// server holds it, else nil.
func served(err error) *serverRecord {
	var se *servedError
	if errors.As(err, &se) {
		return se.rec
	}
	return nil
}

// findServer returns the server recorded in the database directory db when
// it answers, else nil: a record left by a killed server is ignored.
func findServer(ctx context.Context, db string) *serverRecord {
	b, err := os.ReadFile(filepath.Join(db, serverRecordName))
	if err != nil {
		return nil
	}
	var rec serverRecord
	if json.Unmarshal(b, &rec) != nil || rec.URL == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rec.URL+"/healthz", nil)
	if err != nil {
		return nil
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(server.InstanceHeader) != rec.Instance {
		return nil
	}
	return &rec
}

// lockedByServer turns the error of opening the database at db into a
// servedError when a running server holds it.
func lockedByServer(ctx context.Context, db string, err error) error {
	if !errors.Is(err, graph.ErrLocked) {
		return err
	}
	if rec := findServer(ctx, db); rec != nil {
		return &servedError{rec: rec, err: err}
	}
	return err
}
