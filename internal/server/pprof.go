package server

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// Pprof serves Go's profiling endpoints (/debug/pprof/, as net/http/pprof)
// on an address of its own, apart from the API: profiles show the process's
// internals, so they are off unless asked for, and a firewall or a loopback
// address can keep them private while the API is public.
type Pprof struct {
	srv *http.Server
	ln  net.Listener
}

// StartPprof listens on addr and serves the profiling endpoints until Stop.
// It returns an error when addr cannot be listened on.
func StartPprof(addr string) (*Pprof, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pprof: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// No write timeout: a CPU profile or a trace streams for as long as asked.
	p := &Pprof{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, ln: ln}
	go p.srv.Serve(ln) //nolint:errcheck // it ends with Stop, or with the listener
	return p, nil
}

// URL returns the address the endpoints are at.
func (p *Pprof) URL() string { return "http://" + p.ln.Addr().String() + "/debug/pprof/" }

// Stop closes the listener and the connections, without waiting for a
// profile being taken.
func (p *Pprof) Stop(ctx context.Context) error { return p.srv.Shutdown(ctx) }
