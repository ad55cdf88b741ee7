package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
)

// serveLogBuffer is the server's stderr: the server writes it from many
// goroutines while the test reads it.
type serveLogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *serveLogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *serveLogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serving is one serve command running in-process.
type serving struct {
	url  string
	logs *serveLogBuffer
	stop context.CancelFunc // what SIGTERM does
	done chan error         // receives serve's result
}

// startServe runs `serve --addr 127.0.0.1:0 args...` on the database dir the
// way the root command does (through newServeCmd and globals.newStore), and
// returns once it listens, or with the command's error if it fails first.
func startServe(t *testing.T, dir string, args ...string) (*serving, error) {
	t.Helper()
	logs := &serveLogBuffer{}
	g := &globals{IO: &IO{In: strings.NewReader(""), Out: io.Discard, Err: logs}, DB: dir, NoVocabulary: os.Getenv("TALKGRAPH_NO_VOCABULARY") != ""}
	ready := make(chan string, 1)
	cmd := newServeCmd(g, func(ctx context.Context, opts *serveOptions) error {
		opts.Ready = func(url string) { ready <- url }
		return serveRun(ctx, opts)
	})
	cmd.SetArgs(append([]string{"--addr", "127.0.0.1:0"}, args...))
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	ctx, stop := context.WithCancel(context.Background())
	s := &serving{logs: logs, stop: stop, done: make(chan error, 1)}
	go func() { s.done <- cmd.ExecuteContext(ctx) }()
	select {
	case s.url = <-ready:
	case err := <-s.done:
		stop()
		return nil, err
	case <-time.After(60 * time.Second):
		stop()
		t.Fatalf("serve did not start listening; log:\n%s", logs)
	}
	t.Cleanup(func() {
		stop()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			t.Errorf("serve did not return after its context was cancelled")
		}
	})
	return s, nil
}

// shutdown cancels the context as SIGTERM would and returns serve's result.
func (s *serving) shutdown(t *testing.T) error {
	t.Helper()
	s.stop()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not return after its context was cancelled; log:\n%s", s.logs)
		return nil
	}
}

const serveTestQuery = `query AutomationTalks { talks(mentioning: "automation") { title speakers { name } } }`

// serveQuery sends the automation query as GET /graphql, which an HTTP client
// may replay on a fresh connection when a kept-alive one closes under it.
func serveQuery(c *http.Client, base string) (*http.Response, error) {
	return c.Get(base + "/graphql?" + url.Values{"query": {serveTestQuery}}.Encode())
}

// checkAutomationAnswer reads a complete answer and checks it is the 200
// JSON result naming both automation talks.
func checkAutomationAnswer(res *http.Response) error {
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return errors.New("status " + res.Status + ": " + string(b))
	}
	var body struct {
		Data struct {
			Talks []struct {
				Title string `json:"title"`
			} `json:"talks"`
		} `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		return err
	}
	var titles []string
	for _, tk := range body.Data.Talks {
		titles = append(titles, tk.Title)
	}
	got := strings.Join(titles, "|")
	if len(body.Errors) > 0 || !strings.Contains(got, "Keep calm and automate all the things") || !strings.Contains(got, "DevOps") {
		return errors.New("unexpected answer: " + string(b))
	}
	return nil
}

var serveRequestsMetric = regexp.MustCompile(`(?m)^talkgraph_graphql_requests_total\{executor="compiled",operation="AutomationTalks",outcome="ok"\} (\S+)$`)

// scrapeAutomationCount returns talkgraph_graphql_requests_total for the
// automation query, 0 when the series does not exist yet.
func scrapeAutomationCount(t *testing.T, c *http.Client, base string) float64 {
	t.Helper()
	res, err := c.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.StatusCode, http.StatusOK; got != want {
		t.Fatalf("/metrics status: got %v, want %v", got, want)
	}
	m := serveRequestsMetric.FindSubmatch(b)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkJSONLines checks every line of a --log-format json log is a JSON
// object with a msg.
func checkJSONLines(t *testing.T, logs string) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimRight(logs, "\n"), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line %d is JSON: got %v, want nil error: %q", i+1, err, line)
			continue
		}
		if _, ok := rec["msg"].(string); !ok {
			t.Errorf("log line %d has a msg: got %v, want a string: %q", i+1, rec["msg"], line)
		}
	}
}

// TestServeLifecycle runs serve on an empty database, queries it, checks the
// metrics, then shuts it down with a cancellation (what SIGTERM does) in the
// middle of a burst of queries.
func TestServeLifecycle(t *testing.T) {
	dir := t.TempDir()
	s, err := startServe(t, dir, "--log-format", "json")
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()

	t.Run("query", func(t *testing.T) {
		res, err := serveQuery(client, s.url)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkAutomationAnswer(res); err != nil {
			t.Errorf("answer: got %v, want the automation talks", err)
		}
	})

	t.Run("metrics count the queries", func(t *testing.T) {
		before := scrapeAutomationCount(t, client, s.url)
		if got, want := before, 1.0; got < want {
			t.Errorf("requests{AutomationTalks,ok} after one query: got %v, want at least %v", got, want)
		}
		for range 3 {
			res, err := serveQuery(client, s.url)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkAutomationAnswer(res); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := scrapeAutomationCount(t, client, s.url), before+3; got != want {
			t.Errorf("requests{AutomationTalks,ok} after three more: got %v, want %v", got, want)
		}
	})

	t.Run("graceful shutdown in the middle of a burst", func(t *testing.T) {
		const workers, perWorker, cancelAfter = 50, 5, 40
		var (
			ok, refused, cut atomic.Int64
			mu               sync.Mutex
			failures         []string // answers that were not complete 200 JSON
			otherErrs        []string // transport errors that are not a closed door
			once             sync.Once
			wg               sync.WaitGroup
			start            = make(chan struct{})
		)
		for range workers {
			wg.Go(func() {
				<-start
				for range perWorker {
					res, err := serveQuery(client, s.url)
					switch {
					case err == nil:
						if err := checkAutomationAnswer(res); err != nil {
							mu.Lock()
							failures = append(failures, err.Error())
							mu.Unlock()
							continue
						}
						if ok.Add(1) == cancelAfter {
							once.Do(func() { s.stop() })
						}
					case errors.Is(err, syscall.ECONNREFUSED):
						// Sent after the listener closed.
						refused.Add(1)
					case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF):
						// A connection the kernel had queued but the server
						// never accepted before its listener closed.
						cut.Add(1)
					default:
						mu.Lock()
						otherErrs = append(otherErrs, err.Error())
						mu.Unlock()
					}
				}
			})
		}
		close(start)
		wg.Wait()
		t.Logf("burst: %d complete answers, %d refused, %d reset before being accepted", ok.Load(), refused.Load(), cut.Load())
		if got := failures; len(got) > 0 {
			t.Errorf("incomplete or wrong answers: got %d (%v), want none", len(got), got[0])
		}
		if got := otherErrs; len(got) > 0 {
			t.Errorf("transport errors other than refused or reset: got %d (%v), want none", len(got), got[0])
		}
		if got, want := ok.Load(), int64(cancelAfter); got < want {
			t.Errorf("complete answers: got %v, want at least %v", got, want)
		}
		if got, want := ok.Load()+refused.Load()+cut.Load()+int64(len(failures)+len(otherErrs)), int64(workers*perWorker); got != want {
			t.Errorf("requests accounted for: got %v, want %v", got, want)
		}
		if err := s.shutdown(t); err != nil {
			t.Errorf("serve: got %v, want nil (exit 0)", err)
		}
	})

	t.Run("database opens cleanly afterwards", func(t *testing.T) {
		if err := s.shutdown(t); err != nil {
			t.Fatalf("serve: got %v, want nil", err)
		}
		store := graph.NewStore(dir)
		if err := store.Open(); err != nil {
			t.Fatalf("open: got %v, want nil", err)
		}
		defer store.Close()
		st, err := store.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := st.ByKind[graph.KindTalk], 10; got != want {
			t.Errorf("talks: got %v, want %v", got, want)
		}
		if got, want := len(st.Datasets), 1; got != want {
			t.Errorf("data sets: got %v, want %v", got, want)
		}
	})

	t.Run("logs", func(t *testing.T) {
		logs := s.logs.String()
		checkJSONLines(t, logs)
		for _, want := range []string{`"msg":"talkgraph serving"`, `"msg":"database was empty: seeded the embedded data set"`,
			`"msg":"shutting down"`, `"msg":"stopped"`} {
			if !strings.Contains(logs, want) {
				t.Errorf("log contains %s: got false, want true", want)
			}
		}
		if strings.Contains(logs, "automation") {
			t.Errorf("log contains the query text: got true, want false")
		}
	})
}

func TestServeLogs(t *testing.T) {
	tests := []struct {
		name      string
		format    string
		seeded    bool // the database already holds the data set
		wantLines []string
		notLines  []string
	}{
		{name: "text on an empty database", format: "text",
			wantLines: []string{`msg="talkgraph serving"`, `msg="database was empty: seeded the embedded data set"`, "dataset=dotscale-2017"}},
		{name: "json on an empty database", format: "json",
			wantLines: []string{`"msg":"talkgraph serving"`, `"msg":"database was empty: seeded the embedded data set"`, `"datasets":["dotscale-2017"]`}},
		{name: "json on a seeded database does not seed", format: "json", seeded: true,
			wantLines: []string{`"msg":"talkgraph serving"`},
			notLines:  []string{"database was empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.seeded {
				first, err := startServe(t, dir)
				if err != nil {
					t.Fatal(err)
				}
				if err := first.shutdown(t); err != nil {
					t.Fatal(err)
				}
			}
			s, err := startServe(t, dir, "--log-format", tt.format)
			if err != nil {
				t.Fatalf("serve: %v", err)
			}
			if !strings.HasPrefix(s.url, "http://127.0.0.1:") || strings.HasSuffix(s.url, ":0") {
				t.Errorf("URL: got %v, want http://127.0.0.1:<port>", s.url)
			}
			if err := s.shutdown(t); err != nil {
				t.Errorf("serve: got %v, want nil", err)
			}
			logs := s.logs.String()
			if tt.format == "json" {
				checkJSONLines(t, logs)
			}
			for _, want := range append(tt.wantLines, s.url) {
				if !strings.Contains(logs, want) {
					t.Errorf("log contains %s: got false, want true; log:\n%s", want, logs)
				}
			}
			for _, not := range tt.notLines {
				if strings.Contains(logs, not) {
					t.Errorf("log contains %s: got true, want false; log:\n%s", not, logs)
				}
			}
		})
	}
}

func TestServeStartFailures(t *testing.T) {
	tests := []struct {
		name string
		// setup holds a resource serve needs and returns extra flags.
		setup   func(t *testing.T, dir string) []string
		wantErr []string
		wantIs  error
	}{
		{name: "port taken",
			setup: func(t *testing.T, _ string) []string {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { ln.Close() })
				return []string{"--addr", ln.Addr().String()}
			},
			wantErr: []string{"address already in use", "--addr"}},
		{name: "database held by another process",
			setup: func(t *testing.T, dir string) []string {
				held := graph.NewStore(dir)
				if err := held.Open(); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { held.Close() })
				return nil
			},
			wantErr: []string{"another talkgraph process"},
			wantIs:  graph.ErrLocked},
		{name: "bad log format",
			setup:   func(*testing.T, string) []string { return []string{"--log-format", "xml"} },
			wantErr: []string{`--log-format "xml"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := tt.setup(t, dir)
			s, err := startServe(t, dir, args...)
			if s != nil {
				t.Fatalf("serve: got listening at %s, want an error", s.url)
			}
			if err == nil {
				t.Fatal("serve: got nil error, want one")
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error: got %q, want it to contain %q", err, want)
				}
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v): got false, want true", err, tt.wantIs)
			}
		})
	}
}
