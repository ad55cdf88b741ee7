package importer

import (
	"context"
	"errors"
	"fmt"
)

// The caps of one input file. A programme within them imports in bounded
// time and memory (about what it writes, a few times over); one past them
// is refused while its tokens are first read, before anything is decoded,
// naming the place. The largest real programmes (a CCC congress, FOSDEM,
// a big Sessionize event) hold a few thousand events and speakers.
const (
	// MaxEvents caps the events (talks, sessions, breaks) of one file.
	MaxEvents = 20000
	// MaxPersonsPerEvent caps the persons one event lists.
	MaxPersonsPerEvent = 100
	// MaxPersons caps the persons the events of one file list in all
	// (each listing counts; Sessionize's speakers list counts too).
	MaxPersons = 50000
	// MaxListItems caps the items of all JSON lists of one file together:
	// what is decoded is then bounded whatever the lists hold.
	MaxListItems = 1000000
	// MaxRawText caps the raw text of one field that is converted to plain
	// text (an abstract in Markdown or HTML); past it, the field is cut
	// first, with a warning. The stored text is at most graph.MaxTextLen.
	MaxRawText = 64 << 10
)

// ErrInterrupted is returned when the context of an import ends: nothing
// was written. It wraps the context's error.
var ErrInterrupted = errors.New("import interrupted: nothing written")

// interrupted returns an error wrapping ErrInterrupted and ctx's error
// (context.Canceled, or DeadlineExceeded), or nil while ctx lasts.
func interrupted(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return interruptedError{err}
	}
	return nil
}

// interruptedError says ErrInterrupted's sentence only: the cause (a
// signal, a server's deadline) is the caller's to tell.
type interruptedError struct{ cause error }

func (e interruptedError) Error() string   { return ErrInterrupted.Error() }
func (e interruptedError) Unwrap() []error { return []error{ErrInterrupted, e.cause} }

// tokenCheck is how many tokens a reader goes through between two looks
// at the context: a few hundred microseconds of work.
const tokenCheck = 1024

// counter counts what a file holds against the caps while its tokens are
// first read.
type counter struct {
	events, persons, items int
}

func (c *counter) event() error {
	if c.events++; c.events > MaxEvents {
		return fmt.Errorf("the file holds more than %d events, the import's limit: split the programme (by day, say) into files of their own", MaxEvents)
	}
	return nil
}

// person counts the n-th person of an event (from 1).
func (c *counter) person(n int) error {
	if n > MaxPersonsPerEvent {
		return fmt.Errorf("the event lists more than %d persons, the import's limit: a talk's persons are its speakers; check the file", MaxPersonsPerEvent)
	}
	if c.persons++; c.persons > MaxPersons {
		return fmt.Errorf("the events list more than %d persons in all, the import's limit: split the programme (by day, say) into files of their own", MaxPersons)
	}
	return nil
}

func (c *counter) item() error {
	if c.items++; c.items > MaxListItems {
		return fmt.Errorf("the file's lists hold more than %d items in all, the import's limit: check it is a programme", MaxListItems)
	}
	return nil
}
