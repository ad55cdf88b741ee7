package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/server"
)

// A heavy question by the guard's estimate (cost over a thousand), and a
// cheap one.
const (
	hostileHeavy = `{ talks(first: 1000) { similar(first: 5) { talk { id } } } }`
	hostileCheap = `{ talk(id: "talk-devops") { title } }`
)

// TestHostileOverloadLanes fills the heavy lane (one slot, one waiter) with
// a question held in execution: the next heavy one waits and is then
// answered 503 with Retry-After, the one after that at once; a cheap
// question, /healthz, /readyz and /metrics are answered all along; once the
// slot is free, heavy questions run again.
func TestHostileOverloadLanes(t *testing.T) {
	env := newHostileEnv(t, func(s *server.Server) { s.MaxBusy, s.QueueWait = 1, 300*time.Millisecond })
	entered, release := make(chan struct{}), make(chan struct{})
	var first1 atomic.Bool
	hold := func(context.Context) {
		if first1.CompareAndSwap(false, true) { // the first question only
			close(entered)
			<-release
		}
	}
	env.hold.Store(&hold)
	first := make(chan hostileResult, 1)
	go func() {
		a, err := env.trySend(t, hostileRequest{body: jsonQuery(hostileHeavy)}, strings.NewReader(jsonQuery(hostileHeavy)))
		first <- hostileResult{a, err}
	}()
	<-entered
	busy := hostileCase{status: 503, code: "SERVICE_UNAVAILABLE", inMessage: []string{"busy with 1 heavy questions", "retry in a moment"}}
	waited := make(chan hostileResult, 1)
	go func() { // waits in the queue, then gives up
		a, err := env.trySend(t, hostileRequest{body: jsonQuery(hostileHeavy)}, strings.NewReader(jsonQuery(hostileHeavy)))
		waited <- hostileResult{a, err}
	}()
	for deadline := time.Now().Add(hostileHangAfter); ; { // the queue is full once the second waits
		a := env.send(t, hostileRequest{body: jsonQuery(hostileHeavy)})
		if a.status == http.StatusServiceUnavailable {
			checkRefusal(t, a, busy)
			if s, err := strconv.Atoi(a.header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("Retry-After: got %q, want whole seconds", a.header.Get("Retry-After"))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a heavy question past the queue: got %d, want 503", a.status)
		}
	}
	r := <-waited
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkRefusal(t, r.a, busy)
	for _, target := range []string{"/healthz", "/readyz", "/metrics"} {
		if a := env.send(t, hostileRequest{method: http.MethodGet, target: target}); a.status != http.StatusOK {
			t.Errorf("%s while the heavy lane is full: got %d", target, a.status)
		}
	}
	if a := env.send(t, hostileRequest{body: jsonQuery(hostileCheap)}); a.status != http.StatusOK || !strings.Contains(string(a.data), "DevOps") {
		t.Errorf("a cheap question while the heavy lane is full: got %d %.300s", a.status, a.body)
	}
	m := env.send(t, hostileRequest{method: http.MethodGet, target: "/metrics"})
	if !strings.Contains(m.body, `talkgraph_graphql_busy_total{lane="heavy"}`) {
		t.Errorf("/metrics: want the heavy lane's refusals counted")
	}
	close(release)
	if r := <-first; r.err != nil || r.a.status != http.StatusOK || len(r.a.errors) > 0 {
		t.Errorf("the held heavy question: got %v %d %.300s", r.err, r.a.status, r.a.body)
	}
	if a := env.send(t, hostileRequest{body: jsonQuery(hostileHeavy)}); a.status != http.StatusOK {
		t.Errorf("a heavy question once the lane is free: got %d %.300s", a.status, a.body)
	}
	env.checkNormalQuery(t)
}

// TestHostileOverloadStorm: for a second and a half, twelve clients send
// heavy questions (each held 60 ms in execution, so that it is heavy on
// the small test data too) to a server that runs one at a time, while two
// ask cheap questions and one /healthz. Every answer is whole: a heavy one
// is data or a 503 with Retry-After, never a time-out; heavy questions
// complete; cheap ones and /healthz are never refused.
func TestHostileOverloadStorm(t *testing.T) {
	env := newHostileEnv(t, func(s *server.Server) { s.MaxBusy, s.QueueWait = 1, 100*time.Millisecond })
	slow := func(ctx context.Context) {
		if strings.HasPrefix(executor.RequestID(ctx), "heavy") {
			time.Sleep(60 * time.Millisecond)
		}
	}
	env.hold.Store(&slow)
	stop := time.Now().Add(1500 * time.Millisecond)
	var done, busy, cheap, health atomic.Int64
	var wg sync.WaitGroup
	client := func(body string, count *atomic.Int64, heavy bool) {
		r := hostileRequest{body: body}
		if heavy {
			r.header = http.Header{"X-Request-Id": {"heavy"}}
		}
		for time.Now().Before(stop) {
			a, err := env.trySend(t, r, strings.NewReader(body))
			switch {
			case err != nil:
				t.Errorf("no answer: %v", err)
				return
			case a.status == http.StatusOK && len(a.errors) == 0 && a.hasData:
				count.Add(1)
			case heavy && a.status == http.StatusServiceUnavailable && a.header.Get("Retry-After") != "" && a.code() == "SERVICE_UNAVAILABLE":
				busy.Add(1)
				time.Sleep(5 * time.Millisecond)
			default:
				t.Errorf("heavy %v: got %d %.300s", heavy, a.status, a.body)
				return
			}
		}
	}
	for range 12 {
		wg.Go(func() { client(jsonQuery(hostileHeavy), &done, true) })
	}
	for range 2 {
		wg.Go(func() { client(jsonQuery(hostileCheap), &cheap, false) })
	}
	wg.Go(func() {
		for time.Now().Before(stop) {
			if a := env.send(t, hostileRequest{method: http.MethodGet, target: "/healthz"}); a.status != http.StatusOK {
				t.Errorf("/healthz: got %d", a.status)
				return
			}
			health.Add(1)
		}
	})
	wg.Wait()
	t.Logf("heavy: %d done, %d refused; cheap: %d; healthz: %d", done.Load(), busy.Load(), cheap.Load(), health.Load())
	if done.Load() == 0 || cheap.Load() == 0 || health.Load() == 0 {
		t.Errorf("heavy done %d, cheap %d, healthz %d: want each answered", done.Load(), cheap.Load(), health.Load())
	}
	env.checkNormalQuery(t)
}
