package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"sync"
	"time"
)

// Time-outs of every request the command line sends to a server. A request
// may last as long as its server keeps sending: the answer, a stream's
// bytes, or (during a long seed) the "102 Processing" a server sends every
// few seconds; it ends with a clear error once nothing came for idleTimeout.
const (
	connectTimeout = 5 * time.Second
	// healthTimeout bounds the whole check of a server's identity.
	healthTimeout = 5 * time.Second
)

// idleTimeout is how long a request waits for a sign of life (a var for
// the tests).
var idleTimeout = 30 * time.Second

// serverClient sends every request of the command line to a server: it
// bounds the connection and the TLS handshake, and follows no redirect (a
// write token goes to the server that proved itself, nowhere else).
var serverClient = &http.Client{
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   connectTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
	},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// errStalled is the cause of a request cut by its idle time-out.
var errStalled = errors.New("stalled")

// exchange sends req with serverClient under an idle time-out: the
// request's context is cancelled once nothing was sent or received for
// idleTimeout. The response's body must be closed. Its errors say what
// happened, naming the server: it did not answer, it stalled.
func exchange(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	w := &watchdog{timer: time.AfterFunc(idleTimeout, func() { cancel(errStalled) })}
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		Got1xxResponse: func(int, textproto.MIMEHeader) error { w.alive(); return nil },
		WroteRequest:   func(httptrace.WroteRequestInfo) { w.alive() },
	})
	req = req.WithContext(ctx)
	if req.Body != nil {
		req.Body = &aliveReader{r: req.Body, w: w}
	}
	resp, err := serverClient.Do(req)
	if err != nil {
		w.stop()
		cause := context.Cause(ctx)
		cancel(nil)
		return nil, requestError(req.URL, cause, err)
	}
	resp.Body = &aliveReader{r: resp.Body, w: w, done: func() { w.stop(); cancel(nil) }, url: req.URL, ctx: ctx}
	return resp, nil
}

// requestError says why a request to a server failed.
func requestError(u *url.URL, cause, err error) error {
	base := &url.URL{Scheme: u.Scheme, Host: u.Host}
	switch {
	case errors.Is(cause, errStalled):
		return fmt.Errorf("the server at %s sent nothing for %v and was given up: it is stalled or overloaded; see its log, or stop it and run the command again", base, idleTimeout)
	case cause != nil && !errors.Is(cause, context.Canceled):
		return fmt.Errorf("the request to %s was cut: %w", base, cause)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("the request to %s was interrupted: %w", base, context.Canceled)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the server at %s did not answer within %v: is it running, and reachable?", base, connectTimeout)
	}
	return fmt.Errorf("the server at %s did not answer: %w", base, err)
}

// watchdog restarts the idle timer at each sign of life.
type watchdog struct {
	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
}

func (w *watchdog) alive() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.timer.Reset(idleTimeout)
	}
}

func (w *watchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	w.timer.Stop()
}

// aliveReader tells the watchdog of each read; a response's body reports
// the idle time-out as requestError does, and ends the watch when closed.
type aliveReader struct {
	r    io.ReadCloser
	w    *watchdog
	done func()
	url  *url.URL
	ctx  context.Context
}

func (a *aliveReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.w.alive()
	}
	if err != nil && a.ctx != nil && !errors.Is(err, io.EOF) {
		if cause := context.Cause(a.ctx); cause != nil {
			return n, requestError(a.url, cause, err)
		}
	}
	return n, err
}

func (a *aliveReader) Close() error {
	if a.done != nil {
		defer a.done()
	}
	return a.r.Close()
}

// tokenSafe reports whether a write token may be sent to the server at u:
// over https, or to an address of this machine's loopback.
func tokenSafe(u *url.URL) bool {
	if u.Scheme == "https" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return u.Scheme == "http" && ip != nil && ip.IsLoopback()
}
