package cli

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/server"
)

// serverRecordName is the file a running server writes in its database
// directory, so that other commands on the same --db find it: while the
// server holds the database no other process can open it, and they go
// through the server instead.
const serverRecordName = "talkgraph-server.json"

// serverRecord is what that file holds. A command trusts it only once the
// server it names has proved it holds this very database (see prove).
type serverRecord struct {
	URL string `json:"url"`
	// Instance is a random id the server sends back from /healthz.
	Instance string    `json:"instance"`
	PID      int       `json:"pid"`
	Writes   bool      `json:"writes"` // started with a write token
	Started  time.Time `json:"started"`
	// Database is the identity stored inside the database (graph.Store.ID);
	// Dev and Inode are its directory's, as the server found them.
	Database string `json:"database"`
	Dev      uint64 `json:"dev"`
	Inode    uint64 `json:"inode"`
	// Key is a secret the server proves it knows, answering a challenge
	// with an HMAC of it: the file is its owner's alone, so a process of
	// another user can neither read it nor write one that is trusted.
	Key string `json:"key"`
}

// writeServerRecord writes rec into the database directory db, readable by
// its owner only, through a temporary file renamed into place, and returns
// a function that removes it.
func writeServerRecord(db string, rec serverRecord) (remove func(), err error) {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(db, serverRecordName)
	tmp := path + ".tmp"
	os.Remove(tmp) // one left by a killed server may have other permissions
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

// Headers of a server's identity in /healthz answers; the client sends a
// random challenge, which the server answers with an HMAC under the key of
// its record.
const (
	challengeHeader = "Talkgraph-Challenge"
	proofHeader     = "Talkgraph-Proof"
	databaseHeader  = "Talkgraph-Database"
	dirHeader       = "Talkgraph-Dir" // device:inode of the database directory
	pidHeader       = "Talkgraph-Pid"
)

// serverIdentity is what a running server tells of itself in /healthz.
type serverIdentity struct {
	instance, database, dir string
	pid                     int
	key                     []byte
}

// newServerIdentity returns the identity of a server that holds store at
// dir.
func newServerIdentity(store *graph.Store, dir string) *serverIdentity {
	key := make([]byte, 32)
	rand.Read(key)
	return &serverIdentity{instance: newInstance(), database: store.ID(), dir: dir, pid: os.Getpid(), key: key}
}

// record returns the record of the server listening at url.
func (id *serverIdentity) record(url string, writes bool) serverRecord {
	dev, ino, _ := dirIdentity(id.dir)
	return serverRecord{URL: url, Instance: id.instance, PID: id.pid, Writes: writes, Started: time.Now().UTC(),
		Database: id.database, Dev: dev, Inode: ino, Key: hex.EncodeToString(id.key)}
}

// answer adds the identity to a /healthz answer. The directory is looked
// at each time, so an answer tells of the directory now at its path.
func (id *serverIdentity) answer(h http.Header, r *http.Request) {
	dev, ino, _ := dirIdentity(id.dir)
	dir := strconv.FormatUint(dev, 10) + ":" + strconv.FormatUint(ino, 10)
	h.Set(server.InstanceHeader, id.instance)
	h.Set(databaseHeader, id.database)
	h.Set(dirHeader, dir)
	h.Set(pidHeader, strconv.Itoa(id.pid))
	if c := r.Header.Get(challengeHeader); c != "" && len(c) <= 128 {
		h.Set(proofHeader, proof(id.key, c, id.instance, id.database, dir, strconv.Itoa(id.pid)))
	}
}

// proof is the HMAC of a challenge and the identity under key.
func proof(key []byte, parts ...string) string {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
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

// findServer returns the server recorded in the database directory db once
// it has proved it holds this database, else nil. A record that is there
// but not proved (copied with the directory, forged, left by a killed
// server, naming another database) is ignored with one line on warn.
func findServer(ctx context.Context, db string, warn io.Writer) *serverRecord {
	path := filepath.Join(db, serverRecordName)
	rec, why := readServerRecord(path, db)
	if rec != nil {
		why = rec.prove(ctx, db)
	}
	if why != "" {
		fmt.Fprintf(warn, "note: the record names a server that does not hold this database; ignored (%s: %s)\n", escapeText(path), escapeText(why))
		return nil
	}
	return rec
}

// readServerRecord reads the record at path. It returns nil and "" when
// there is none, nil and why when it cannot be trusted as a file.
func readServerRecord(path, db string) (*serverRecord, string) {
	st, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ""
	}
	if err != nil {
		return nil, err.Error()
	}
	if why := privateFile(st, db); why != "" {
		return nil, why
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err.Error()
	}
	defer f.Close()
	var rec serverRecord
	if err := json.NewDecoder(io.LimitReader(f, 64<<10)).Decode(&rec); err != nil || rec.URL == "" {
		return nil, "not a server record"
	}
	return &rec, ""
}

// prove checks that the server rec names holds the database at db: the
// directory is the one the record was written for, the process lives and
// holds the database's lock, and the server at the URL answers a fresh
// challenge with the record's key and identity. It returns why not, or "".
func (rec *serverRecord) prove(ctx context.Context, db string) string {
	dev, ino, ok := dirIdentity(db)
	switch {
	case ok && (dev != rec.Dev || ino != rec.Inode):
		return "it was written for another directory: a copy of a database's directory?"
	case rec.PID <= 0 || !pidAlive(rec.PID):
		return fmt.Sprintf("its process %d has ended", rec.PID)
	}
	if holder, known := lockHolder(db); known && holder != rec.PID {
		return fmt.Sprintf("its process %d does not hold the database", rec.PID)
	}
	u, err := url.Parse(rec.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("its address %q is not a server's", rec.URL)
	}
	key, err := hex.DecodeString(rec.Key)
	if err != nil || len(key) < 16 {
		return "it holds no key to check the server with"
	}
	return rec.challenge(ctx, key)
}

// challenge asks the server for /healthz with a random challenge and checks
// its identity and proof.
func (rec *serverRecord) challenge(ctx context.Context, key []byte) string {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	c := hex.EncodeToString(nonce)
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rec.URL+"/healthz", nil)
	if err != nil {
		return err.Error()
	}
	req.Header.Set(challengeHeader, c)
	resp, err := serverClient.Do(req)
	if err != nil {
		return fmt.Sprintf("nothing answers at %s", rec.URL)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	h := resp.Header
	dir := strconv.FormatUint(rec.Dev, 10) + ":" + strconv.FormatUint(rec.Inode, 10)
	want := proof(key, c, rec.Instance, rec.Database, dir, strconv.Itoa(rec.PID))
	switch {
	case resp.StatusCode != http.StatusOK:
		return fmt.Sprintf("%s answered %s", rec.URL, resp.Status)
	case h.Get(server.InstanceHeader) != rec.Instance || h.Get(databaseHeader) != rec.Database ||
		h.Get(dirHeader) != dir || h.Get(pidHeader) != strconv.Itoa(rec.PID):
		return fmt.Sprintf("the server at %s holds another database", rec.URL)
	case !hmac.Equal([]byte(h.Get(proofHeader)), []byte(want)):
		return fmt.Sprintf("the server at %s did not prove it is the one that wrote the record", rec.URL)
	}
	return ""
}

// lockedByServer turns the error of opening the database at db into a
// servedError when a running server holds it and proves it; a record it
// cannot trust is told on warn.
func lockedByServer(ctx context.Context, db string, err error, warn io.Writer) error {
	if !errors.Is(err, graph.ErrLocked) {
		return err
	}
	if rec := findServer(ctx, db, warn); rec != nil {
		return &servedError{rec: rec, err: err}
	}
	return err
}
