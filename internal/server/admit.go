package server

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/httpapi"
)

// Admission control. A server that starts every request it receives
// finishes none under overload: the work in flight shares the cores until
// every request passes its deadline. So GraphQL operations run in two
// lanes of bounded concurrency, each with a short queue:
//
//   - heavy: operations seen to take heavyAfter or more (or, never run
//     before, estimated by the guard to cost more than lightCost); as
//     many at once as the
//     machine has cores (Config.MaxBusy), the rest waiting at most
//     Config.QueueWait, and never longer than leaves them time to run
//     before their deadline;
//   - light: everything else, four times as many at once, so that a cheap
//     question is never queued behind an expensive one.
//
// An operation that cannot start in time is answered at once, 503 with
// Retry-After, having cost almost nothing. How long an operation takes is
// learned per query text (a moving average of its runs), so a question
// that turned out heavy goes to the heavy lane from its next run on, even
// while its first run is still going.

// heavyAfter is the running time from which an operation is heavy: a
// cheap question takes a few milliseconds.
const heavyAfter = 50 * time.Millisecond

// lightCost is the guard's estimated cost up to which an operation never
// run before is taken for light.
const lightCost = 1000

// admission decides when operations run.
type admission struct {
	heavy, light *lane
	wait         time.Duration
	costs        *costTable
	cores        int
	rejected     func(lane string) // counts a refusal, for /metrics
}

func newAdmission(busy int, wait time.Duration, rejected func(string)) *admission {
	busy = max(1, busy)
	return &admission{
		heavy:    newLane("heavy", busy, 16*busy),
		light:    newLane("light", 4*busy, 64*busy),
		wait:     wait,
		costs:    newCostTable(4096),
		cores:    runtime.GOMAXPROCS(0),
		rejected: rejected,
	}
}

// admit takes a slot for req in its lane, waiting a little when the lane is
// full. It returns the function to call once the operation has run, or a
// *httpapi.Busy.
func (a *admission) admit(ctx context.Context, req *executor.Request) (func(), error) {
	key := req.OperationName + "\x00" + req.Query
	cost, _ := guard.ReportedCost(ctx)
	heavy, expect := a.costs.classify(key, cost)
	l := a.light
	if heavy {
		l = a.heavy
	}
	wait := a.wait
	if l == a.light {
		wait = min(wait, 500*time.Millisecond)
	}
	if d, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(d)-expect) // it must have time to run
	}
	release, ok := l.acquire(ctx, wait, expect)
	if !ok {
		if a.rejected != nil {
			a.rejected(l.name)
		}

		return nil, &httpapi.Busy{RetryAfter: l.retryAfter(expect),
			Reason: fmt.Sprintf("the server is busy with %d %s questions and cannot start this one in time: retry in a moment", l.size(), l.name)}
	}
	// The time of a run is counted at the share of a core it had, about:
	// a cheap question among heavy ones is not heavy.
	running := len(a.heavy.slots) + len(a.light.slots)
	end := a.costs.start(key, min(1, float64(a.cores)/float64(max(1, running))))
	return func() { end(); release() }, nil
}

// lane is a bounded number of slots and a bounded queue for them.
type lane struct {
	name       string
	slots      chan struct{}
	waiting    atomic.Int64
	maxWaiting int64
}

func newLane(name string, size, queue int) *lane {
	return &lane{name: name, slots: make(chan struct{}, size), maxWaiting: int64(queue)}
}

func (l *lane) size() int { return cap(l.slots) }

// acquire takes a slot, waiting at most wait, and returns the function
// that gives it back. It does not wait at all when the queue is full, or
// when the runs ahead, each expected to take expect, would not leave room
// in time.
func (l *lane) acquire(ctx context.Context, wait, expect time.Duration) (func(), bool) {
	release := func() { <-l.slots }
	select {
	case l.slots <- struct{}{}:
		return release, true
	default:
	}
	if wait <= 0 {
		return nil, false
	}
	ahead := l.waiting.Add(1)
	defer l.waiting.Add(-1)
	if ahead > l.maxWaiting || time.Duration(ahead)*expect/time.Duration(l.size()) > wait {
		return nil, false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}: // waiters are served in turn
		return release, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// retryAfter estimates when a slot should be free: the queue ahead, each
// taking about expect, shared among the slots.
func (l *lane) retryAfter(expect time.Duration) time.Duration {
	ahead := time.Duration(l.waiting.Load() + 1)
	return max(time.Second, ahead*expect/time.Duration(l.size()))
}

// costTable learns how long operations take, by query text.
type costTable struct {
	mu      sync.Mutex
	max     int
	entries map[string]*costEntry
}

type costEntry struct {
	runs    int
	avg     time.Duration // moving average of the runs' times
	running int           // runs going on
	since   time.Time     // start of the oldest run going on, roughly
}

func newCostTable(max int) *costTable {
	return &costTable{max: max, entries: map[string]*costEntry{}}
}

// classify tells whether key is heavy, and how long a run is expected to
// take (0: not known yet). It is heavy when its runs took heavyAfter or
// more on average; before any ended, when one has been going on for
// heavyAfter already, or when the guard estimates it costly (an estimate
// is a bound: lists count as many as they may hold).
func (t *costTable) classify(key string, cost int) (heavy bool, expect time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	switch {
	case e != nil && e.runs > 0:
		return e.avg >= heavyAfter, e.avg
	case e != nil && e.running > 0 && time.Since(e.since) >= heavyAfter:
		return true, time.Since(e.since)
	}
	return cost > lightCost, 0
}

// start records that a run of key starts, and returns the function that
// records its end; share is the part of a core it is expected to have.
func (t *costTable) start(key string, share float64) func() {
	t0 := time.Now()
	t.mu.Lock()
	e := t.entries[key]
	if e == nil {
		if len(t.entries) >= t.max {
			for k, old := range t.entries { // forget one that is not running
				if old.running == 0 {
					delete(t.entries, k)
					break
				}
			}
		}
		e = &costEntry{}
		t.entries[key] = e
	}
	if e.running == 0 {
		e.since = t0
	}
	e.running++
	t.mu.Unlock()
	return func() {
		d := time.Duration(float64(time.Since(t0)) * share)
		t.mu.Lock()
		defer t.mu.Unlock()
		e.running--
		if e.runs++; e.runs == 1 {
			e.avg = d
		} else {
			e.avg += (d - e.avg) / 4
		}
	}
}
