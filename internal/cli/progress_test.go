package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/internal/seed"
)

// TestProgressLine: a seed shows nothing in its first two seconds, then
// one line rewritten in place, at most four times a second, saying the
// set, the phase, how far, the rate and the time left in the phase; the
// line is cleared at the end, and a seed that never showed one clears
// nothing.
func TestProgressLine(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var out bytes.Buffer
	p := newProgressLine(&out, clock)
	report := func(d time.Duration, r seed.Progress) string {
		now = now.Add(d)
		out.Reset()
		p.update(r)
		return out.String()
	}
	load := func(done int64) seed.Progress {
		return seed.Progress{Set: "s1m", Phase: "load", Done: done, Total: 2800 << 20, Unit: "bytes"}
	}
	if got := report(time.Second, load(10<<20)); got != "" {
		t.Errorf("after a second: got %q, want nothing yet", got)
	}
	got := report(1500*time.Millisecond, load(100<<20))
	for _, want := range []string{"\r\033[K", "s1m: load", "100 MB of 2.7 GB", "(3%)", "MB/s", "left"} {
		if !strings.Contains(got, want) {
			t.Errorf("after 2.5 s: got %q, want it to hold %q", got, want)
		}
	}
	if got := report(100*time.Millisecond, load(110<<20)); got != "" {
		t.Errorf("100 ms later: got %q, want nothing (at most every 250 ms)", got)
	}
	// A new phase starts its own rate: 45M keys of 90M in 10 s, 45M left.
	report(time.Second, seed.Progress{Set: "s1m", Phase: "write", Done: 0, Total: 90e6, Unit: "keys"})
	got = report(10*time.Second, seed.Progress{Set: "s1m", Phase: "write", Done: 45e6, Total: 90e6, Unit: "keys"})
	for _, want := range []string{"s1m: write 45.0M of 90.0M keys (50%)", "4.5M keys/s", "10s left"} {
		if !strings.Contains(got, want) {
			t.Errorf("write phase: got %q, want it to hold %q", got, want)
		}
	}
	out.Reset()
	p.clear()
	if out.String() != "\r\033[K" {
		t.Errorf("clear: got %q, want the line erased", out.String())
	}

	var quiet bytes.Buffer
	q := newProgressLine(&quiet, clock)
	q.update(load(1))
	q.clear()
	if quiet.Len() != 0 {
		t.Errorf("a short seed: got %q, want nothing written", quiet.String())
	}
}
