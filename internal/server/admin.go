package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// noDeadline clears a connection deadline.
var noDeadline time.Time

// Admin is the work the command line asks of the server that holds its
// database: while `talkgraph serve` runs, no other process can open the
// database, so `stats`, `backup`, `export`, `seed` and `drop` on the same
// --db come here. The server only moves bytes; what they mean is the
// Admin's.
type Admin interface {
	// Stats writes the database's counts as JSON.
	Stats(ctx context.Context, w io.Writer) error
	// Backup writes a consistent snapshot of the database.
	Backup(ctx context.Context, w io.Writer) error
	// Seed loads the data sets of a seed archive (see internal/cli, seedzip.go)
	// read from r, of size bytes, each atomically, and writes a report line
	// per data set to w. It returns an error made by Refused when the data
	// sets are invalid or refused: the message is then the client's to read.
	Seed(ctx context.Context, r io.ReaderAt, size int64, force bool, w io.Writer) error
	// Drop removes a data set; ErrRefused when another data set refers to
	// its ids or it does not exist (made by Refused).
	Drop(ctx context.Context, name string, w io.Writer) error
}

// ErrRefused marks an Admin error that is the client's doing (invalid data,
// a data set that others refer to): it is answered 422 with its message,
// where other errors are logged and answered "internal error".
var ErrRefused = errors.New("refused")

// Refused wraps err as the client's doing: it is answered 422 with err's
// message.
func Refused(err error) error { return refusedError{err} }

type refusedError struct{ error }

func (refusedError) Is(target error) bool { return target == ErrRefused }
func (e refusedError) Unwrap() error      { return e.error }

// ErrTooLarge marks an Admin error about an upload past the Admin's bounds
// (files, bytes once decompressed): it is answered 413 with its message.
var ErrTooLarge = errors.New("too large")

// TooLarge wraps err as an upload past the bounds: it is answered 413 with
// err's message.
func TooLarge(err error) error { return tooLargeError{err} }

type tooLargeError struct{ error }

func (tooLargeError) Is(target error) bool { return target == ErrTooLarge }
func (e tooLargeError) Unwrap() error      { return e.error }

// maxSeedUpload bounds the body of one seed request; the archive is spooled
// to a temporary file, not held in memory (a zip is read from its end, and
// the loader reads each file twice).
const maxSeedUpload = 1 << 30

// spoolPattern names the spool files of uploads in the temporary
// directory. Each is removed from the directory as soon as it is created
// (the server reads it through its open descriptor), so even a server
// killed mid-upload leaves none; RemoveSpoolLeftovers removes those that
// older servers left.
const spoolPattern = "talkgraph-upload-*.zip"

// adminRoutes adds /admin/… to mux. Reads need the write token, or a
// client on this machine (the command line shares the database directory,
// so it runs here): /graphql serves the same data, but a backup streams
// all of it. A backup and a stats run one at a time. Writes need the write
// token, and a server started without one refuses them.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	if s.Admin == nil {
		return
	}
	reads := make(chan struct{}, 1)
	var token func(*http.Request) bool
	if s.WriteToken != "" {
		token = bearer(s.WriteToken)
	}
	one := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !loopback(r) && (token == nil || !token(r)) {
				http.Error(w, "admin reads are for clients on the server's machine, or need its write token", http.StatusForbidden)
				return
			}
			select {
			case reads <- struct{}{}:
				defer func() { <-reads }()
			default:
				w.Header().Set("Retry-After", "1")
				http.Error(w, "another stats, backup or export is running: retry in a moment", http.StatusServiceUnavailable)
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("GET /admin/stats", one(s.adminStats))
	mux.HandleFunc("GET /admin/backup", one(s.adminBackup))
	mux.HandleFunc("POST /admin/seed", s.authorized(s.adminSeed))
	mux.HandleFunc("DELETE /admin/datasets/{name}", s.authorized(s.adminDrop))
	s.restoreRoutes(mux, token)
}

func (s *Server) adminStats(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := s.Admin.Stats(r.Context(), w); err != nil {
		s.adminError(w, r, err)
	}
}

func (s *Server) adminBackup(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	// A backup of a large database outlasts the server's write timeout; a
	// client that stops reading still meets a deadline, moved at each write.
	if err := s.Admin.Backup(r.Context(), &rollingWriter{w: w, rc: http.NewResponseController(w)}); err != nil {
		// Headers are gone once the stream started: the client sees a
		// short body, which its checksum check refuses.
		s.Logger.ErrorContext(r.Context(), "backup for a client", "err", err)
		panic(http.ErrAbortHandler)
	}
}

func (s *Server) adminSeed(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// A seed of a large data set outlasts the server's read and write
	// timeouts: the upload meets a deadline moved at each read, and the
	// answer waits for the seed (the client's going away cancels it).
	rc.SetWriteDeadline(noDeadline)
	tooBig := fmt.Sprintf("the upload is over %d MiB, the most a seed through the server takes: seed fewer data sets at once, or with the server stopped", maxSeedUpload>>20)
	if r.ContentLength > maxSeedUpload {
		http.Error(w, tooBig, http.StatusRequestEntityTooLarge)
		return
	}
	body := &rollingReader{r: r.Body, rc: rc}
	tmp, done, err := spoolFile()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	defer done()
	size, err := io.Copy(tmp, http.MaxBytesReader(w, body, maxSeedUpload))
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		http.Error(w, tooBig, http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, "reading the upload: "+err.Error(), http.StatusBadRequest)
		return
	}
	force, _ := strconv.ParseBool(r.URL.Query().Get("force"))
	var out bytes.Buffer
	stop := heartbeat(w)
	err = s.Admin.Seed(r.Context(), tmp, size, force, &out)
	stop()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.Logger.InfoContext(r.Context(), "seeded through the API", "report", strings.TrimSpace(out.String()))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(out.Bytes())
}

func (s *Server) adminDrop(w http.ResponseWriter, r *http.Request) {
	http.NewResponseController(w).SetWriteDeadline(noDeadline) // a large data set takes a while
	var out bytes.Buffer
	stop := heartbeat(w)
	err := s.Admin.Drop(r.Context(), r.PathValue("name"), &out)
	stop()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.Logger.InfoContext(r.Context(), "dropped a data set through the API", "dataset", r.PathValue("name"))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(out.Bytes())
}

// heartbeatEvery is how often a long admin write tells its client it is
// at work (a var for the tests).
var heartbeatEvery = 5 * time.Second

// heartbeat sends "102 Processing" every heartbeatEvery until stopped, so
// that a client can tell a server at work on a long seed or drop from a
// stalled one (the command line gives up on a server silent for 30 s).
// Nothing else may write to w, nor change its headers, until stop returns.
func heartbeat(w http.ResponseWriter) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				w.WriteHeader(http.StatusProcessing)
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// rollingWriter moves the connection's write deadline before each write,
// so a long stream is bounded by the gaps between writes, not its length.
type rollingWriter struct {
	w  io.Writer
	rc *http.ResponseController
}

// streamIdle is how long a long admin stream may wait on its client.
const streamIdle = time.Minute

func (rw *rollingWriter) Write(p []byte) (int, error) {
	rw.rc.SetWriteDeadline(time.Now().Add(streamIdle))
	return rw.w.Write(p)
}

// rollingReader moves the connection's read deadline before each read.
type rollingReader struct {
	r  io.ReadCloser
	rc *http.ResponseController
}

func (rr *rollingReader) Read(p []byte) (int, error) {
	rr.rc.SetReadDeadline(time.Now().Add(streamIdle))
	return rr.r.Read(p)
}

func (rr *rollingReader) Close() error { return rr.r.Close() }

// loopback reports whether the request comes from this machine.
func loopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authorized runs h only for requests with the write token.
func (s *Server) authorized(h http.HandlerFunc) http.HandlerFunc {
	var check func(*http.Request) bool
	if s.WriteToken != "" {
		check = bearer(s.WriteToken)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case check == nil:
			http.Error(w, "this server was started without a write token, so it takes no writes: restart it with TALKGRAPH_WRITE_TOKEN set", http.StatusForbidden)
		case !check(r):
			w.Header().Set("WWW-Authenticate", `Bearer realm="talkgraph"`)
			http.Error(w, "writes need the server's write token: set TALKGRAPH_WRITE_TOKEN to the token the server was started with", http.StatusUnauthorized)
		default:
			h(w, r)
		}
	}
}

func (s *Server) adminError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrTooLarge) {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if errors.Is(err, ErrRefused) {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		s.Logger.InfoContext(r.Context(), "admin request stopped", "path", r.URL.Path, "err", err)
		http.Error(w, "the request was cancelled, or the server is stopping: it was stopped, and what it was writing was not published", http.StatusServiceUnavailable)
		return
	}
	s.Logger.ErrorContext(r.Context(), "admin request", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// spoolFile creates an upload's spool file and removes its name at once:
// the file lives while the server holds it open, and goes with the
// process however it ends. Where an open file cannot be removed, done
// removes it; done closes it in any case.
func spoolFile() (f *os.File, done func(), err error) {
	f, err = os.CreateTemp("", spoolPattern)
	if err != nil {
		return nil, nil, err
	}
	if os.Remove(f.Name()) == nil {
		return f, func() { f.Close() }, nil
	}
	return f, func() { f.Close(); os.Remove(f.Name()) }, nil
}

// RemoveSpoolLeftovers removes the spool files that servers killed in
// the middle of an upload left in the temporary directory (servers before
// spoolFile kept the name until the upload ended). A server still reading
// one keeps it through its open descriptor.
func RemoveSpoolLeftovers() {
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), spoolPattern))
	for _, p := range left {
		os.Remove(p)
	}
}
