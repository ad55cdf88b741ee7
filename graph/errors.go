package graph

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Callers test them with errors.Is; the HTTP and CLI layers
// map each to a status and an error code in one place.
var (
	// ErrNotFound: the node, data set or name does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule of the model (an id, a kind, a
	// relation between kinds that the type does not allow).
	ErrInvalid = errors.New("invalid input")
	// ErrConflict: the change would break another data set's references.
	ErrConflict = errors.New("conflict")
	// ErrLocked: another process holds the database.
	ErrLocked = errors.New("database is locked")
	// ErrNotDatabase: the directory holds something that is not a talkgraph database.
	ErrNotDatabase = errors.New("not a talkgraph database")
	// ErrVersion: the database was written by another version of the key layout.
	ErrVersion = errors.New("unsupported database format version")
	// ErrNoDatabase: there is no database at the path, and the caller asked
	// not to create one (Store.MustExist).
	ErrNoDatabase = errors.New("no talkgraph database")
	// ErrNoSpace: the file system has too little free space for the write to
	// be safe (Badger would die of SIGBUS on a full disk); nothing was
	// written. Writes succeed again once space is freed.
	ErrNoSpace = errors.New("not enough free disk space")
	// ErrReadOnly: the database was opened read-only (a read-only mount).
	ErrReadOnly = errors.New("database is read-only")
	// ErrAnalyzer: the database was indexed with a text analysis this
	// program does not have.
	ErrAnalyzer = errors.New("database indexed with another text analysis")
)

// NotFoundError is an ErrNotFound that names what was looked for and the
// closest known names, so a caller can say "did you mean".
type NotFoundError struct {
	What     string   // e.g. `entity "kafak"`
	Closest  []string // closest known names, best first
	Fallback string   // what to do, e.g. "check the spelling"
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("%s not found", e.What)
	if len(e.Closest) > 0 {
		msg += ": did you mean "
		for i, c := range e.Closest {
			if i > 0 {
				msg += ", "
			}
			msg += fmt.Sprintf("%q", c)
		}
		msg += "?"
	}
	return msg
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// quoteClipped quotes a name a client gave for a message: whole when it is
// no longer than a stored name may be, else its start and its length, so a
// huge argument is not sent back whole.
func quoteClipped(s string) string {
	if len(s) <= MaxNameLen {
		return strconv.Quote(s)
	}
	cut := MaxNameLen / 3
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:cut]), len(s))
}

// ErrAmbiguous: a name designates several nodes and nothing given tells
// which (see Tx.Resolve).
var ErrAmbiguous = errors.New("ambiguous name")

// Candidate is one of the nodes an ambiguous name designates.
type Candidate struct {
	ID   string
	Kind Kind
	Name string
	// Conference is the id of the conference a talk is part of ("" for
	// other kinds, or a talk of none).
	Conference string
}

// AmbiguousError is an ErrAmbiguous that lists the candidates, in id
// order, so a caller can ask again by id.
type AmbiguousError struct {
	Name       string
	Candidates []Candidate
}

func (e *AmbiguousError) Error() string {
	ids := make([]string, len(e.Candidates))
	for i, c := range e.Candidates {
		ids[i] = fmt.Sprintf("%s (%s)", c.ID, c.Kind)
	}
	return fmt.Sprintf("name %q designates %d entities: %s; ask by id", e.Name, len(ids), strings.Join(ids, ", "))
}

// Is makes errors.Is(err, ErrAmbiguous) true.
func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }
