package server

import (
	"runtime"
	"time"

	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/httpapi"
)

// Config is what an operator may set about the server (serve's flags bind
// to it), with its defaults defined once, in DefaultConfig.
type Config struct {
	// Addr is the address to listen on (host:port).
	Addr string
	// CORSOrigins are the origins allowed to call the API from a browser;
	// none by default.
	CORSOrigins []string
	// MaxBody is the largest request body in bytes (413 beyond).
	MaxBody int64
	// Limits are the query guard's, and the work one request may do.
	Limits guard.Limits
	// WriteToken, when set, is the bearer token mutations must carry; without
	// it no mutation runs. It is never logged.
	WriteToken string
	// HideSuggestions removes "Did you mean …?" from validation errors.
	HideSuggestions bool
	// RequestTimeout bounds the work of one GraphQL request: store reads
	// stop when it passes.
	RequestTimeout time.Duration
	// MaxInFlight bounds concurrent GraphQL requests; more are answered 503
	// at once rather than queued without bound.
	MaxInFlight int
	// Executor runs queries: ExecutorCompiled (the default, also when
	// empty) or ExecutorGraphQLGo, graphql-go's executor for every
	// request.
	Executor string
	// MaxBusy is how many heavy operations run at once (see admit.go);
	// light ones run four times as many. 0 or less lets every request run
	// at once, as before admission control.
	MaxBusy int
	// QueueWait is how long an operation may wait for room in its lane
	// before it is answered 503 (a light one at most 500 ms).
	QueueWait time.Duration

	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int
}

// The executors Config.Executor names.
const (
	ExecutorCompiled  = "compiled"
	ExecutorGraphQLGo = "graphql-go"
)

// DefaultConfig returns the defaults: loopback port 8080, the guard's
// default limits, timeouts that bound slow clients, a 1 MiB body and a
// 64 KiB header cap.
func DefaultConfig() Config {
	return Config{
		Addr:              "127.0.0.1:8080",
		MaxBody:           httpapi.DefaultMaxBody,
		Limits:            guard.Default(),
		RequestTimeout:    5 * time.Second,
		MaxInFlight:       128,
		Executor:          ExecutorCompiled,
		MaxBusy:           runtime.GOMAXPROCS(0),
		QueueWait:         time.Second,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
