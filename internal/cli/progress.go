package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/talkgraph/talkgraph/internal/seed"
)

// progressLine shows how far a long seed has come on one terminal line,
// rewritten in place: the data set, the phase, what is done of what there
// is, the rate and the time left in the phase. A seed that ends within
// progressDelay shows nothing, and a line is written at most every
// progressEvery.
type progressLine struct {
	w     io.Writer
	now   func() time.Time
	start time.Time // of the seed
	last  time.Time // of the last line written
	shown bool
	// the phase under way: its name, when it began, and what was done then
	phase      string
	phaseStart time.Time
	phaseFrom  int64
}

const (
	progressDelay = 2 * time.Second
	progressEvery = 250 * time.Millisecond
)

func newProgressLine(w io.Writer, now func() time.Time) *progressLine {
	return &progressLine{w: w, now: now, start: now()}
}

// update takes a report of the loader's.
func (p *progressLine) update(r seed.Progress) {
	t := p.now()
	key := r.Set + "\x00" + r.Phase
	if key != p.phase {
		p.phase, p.phaseStart, p.phaseFrom = key, t, r.Done
	}
	if t.Sub(p.start) < progressDelay || t.Sub(p.last) < progressEvery && r.Done < r.Total {
		return
	}
	p.last, p.shown = t, true
	fmt.Fprintf(p.w, "\r\033[K%s", progressText(r, t.Sub(p.phaseStart), r.Done-p.phaseFrom))
}

// clear removes the line, once the seed has ended.
func (p *progressLine) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// progressText says where a phase is: what is done of what there is, and,
// once the phase has run a second, its rate and the time left at that rate.
func progressText(r seed.Progress, took time.Duration, moved int64) string {
	s := fmt.Sprintf("%s: %s %s of %s", r.Set, r.Phase, amount(r.Done, r.Unit, false), amount(r.Total, r.Unit, true))
	if r.Total > 0 {
		s += fmt.Sprintf(" (%d%%)", r.Done*100/r.Total)
	}
	if took < time.Second || moved <= 0 {
		return s
	}
	rate := float64(moved) / took.Seconds()
	s += fmt.Sprintf(", %s/s", amount(int64(rate), r.Unit, true))
	if left := r.Total - r.Done; left > 0 {
		s += fmt.Sprintf(", %s left", roundLeft(time.Duration(float64(left)/rate*float64(time.Second))))
	}
	return s
}

// amount writes n of unit for people: bytes in KB, MB or GB, keys in
// thousands or millions, followed by the unit when named.
func amount(n int64, unit string, named bool) string {
	f := float64(n)
	if unit == "bytes" {
		switch {
		case n >= 1<<30:
			return fmt.Sprintf("%.1f GB", f/(1<<30))
		case n >= 1<<20:
			return fmt.Sprintf("%.0f MB", f/(1<<20))
		}
		return fmt.Sprintf("%.0f KB", f/(1<<10))
	}
	var s string
	switch {
	case n >= 1e6:
		s = fmt.Sprintf("%.1fM", f/1e6)
	case n >= 1e4:
		s = fmt.Sprintf("%.0fk", f/1e3)
	default:
		s = fmt.Sprint(n)
	}
	if named {
		s += " " + unit
	}
	return s
}

// roundLeft rounds a time left to what a person reads: seconds under a
// minute, then minutes and seconds by tens, then minutes.
func roundLeft(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < 10*time.Minute:
		return d.Round(10 * time.Second).String()
	}
	return d.Round(time.Minute).String()
}
