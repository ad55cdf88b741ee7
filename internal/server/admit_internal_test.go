package server

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/httpapi"
)

// TestClassify: a question never run is heavy when the guard estimates it
// costly; once run, as its runs took (at the share of a core they had);
// while a first run goes on past heavyAfter, the next is heavy.
func TestClassify(t *testing.T) {
	tab := newCostTable(2)
	if heavy, _ := tab.classify("cheap", 10); heavy {
		t.Errorf("an unknown question of cost 10: got heavy")
	}
	if heavy, _ := tab.classify("big", lightCost+1); !heavy {
		t.Errorf("an unknown question of cost %d: got light", lightCost+1)
	}
	end := tab.start("slow", 1)
	tab.mu.Lock()
	tab.entries["slow"].since = time.Now().Add(-2 * heavyAfter)
	tab.mu.Unlock()
	if heavy, _ := tab.classify("slow", 10); !heavy {
		t.Errorf("a question whose first run goes on past heavyAfter: got light")
	}
	end()
	for _, c := range []struct {
		took  time.Duration
		share float64
		heavy bool
	}{
		{time.Millisecond, 1, false},
		{2 * heavyAfter, 1, true},
		{2 * heavyAfter, 0.25, false}, // a quarter of a core: its own work was half heavyAfter
	} {
		tab := newCostTable(10)
		end := tab.start("q", c.share)
		tab.mu.Lock()
		t0 := time.Now()
		tab.mu.Unlock()
		time.Sleep(c.took)
		_ = t0
		end()
		if heavy, _ := tab.classify("q", 0); heavy != c.heavy {
			t.Errorf("a question that took %v at share %v: got heavy %v, want %v", c.took, c.share, heavy, c.heavy)
		}
	}
	for _, k := range []string{"a", "b", "c"} {
		tab.start(k, 1)()
	}
	if n := len(tab.entries); n > 2 {
		t.Errorf("entries: got %d, want at most 2", n)
	}
}

// TestAdmit: a full lane refuses at once when its queue is full, after the
// wait otherwise, and at once when the deadline leaves no time to run.
func TestAdmit(t *testing.T) {
	a := newAdmission(1, 50*time.Millisecond, nil)
	heavy := func(ctx context.Context) (func(), error) {
		ctx, cost := guard.WithCostReport(ctx)
		*cost = lightCost + 1
		return a.admit(ctx, &executor.Request{Query: "{ heavy }"})
	}
	done, err := heavy(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var busy *httpapi.Busy
	if _, err := heavy(context.Background()); !errors.As(err, &busy) || busy.RetryAfter < time.Second {
		t.Errorf("a second heavy question: got %v, want Busy after the wait", err)
	}
	a.heavy.waiting.Store(a.heavy.maxWaiting)
	if _, err := heavy(context.Background()); !errors.As(err, &busy) {
		t.Errorf("with the queue full: got %v, want Busy", err)
	}
	a.heavy.waiting.Store(0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if _, err := heavy(ctx); !errors.As(err, &busy) {
		t.Errorf("with no time left: got %v, want Busy", err)
	}
	done()
	again, err := heavy(context.Background())
	if err != nil {
		t.Errorf("once the slot is free: got %v", err)
	} else {
		again()
	}
	// A run expected to take longer than the wait would allow is refused
	// at once (a wait of an hour would hang the test).
	l := newLane("x", 1, 10)
	held, _ := l.acquire(context.Background(), 0, 0)
	if _, ok := l.acquire(context.Background(), time.Hour, 2*time.Hour); ok {
		t.Errorf("a run of two hours behind a full lane, with an hour to wait: got a slot")
	}
	held()
	light, err := a.admit(context.Background(), &executor.Request{Query: "{ light }"})
	if err != nil {
		t.Errorf("a light question: got %v", err)
	} else {
		light()
	}
}
