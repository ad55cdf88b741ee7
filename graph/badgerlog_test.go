package graph

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestBadgerLogsThroughTheStoreLogger: the options a store opens Badger
// with carry the store's Logger (Badger's own printed to the terminal),
// and each of Badger's messages comes at its level: advice on cache sizes
// and information as debug, other warnings as warnings, errors as errors.
func TestBadgerLogsThroughTheStoreLogger(t *testing.T) {
	var buf bytes.Buffer
	s := NewStore(t.TempDir())
	s.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	l, ok := s.options(s.Path).Logger.(badgerLogger)
	if !ok {
		t.Fatalf("Badger's logger: got %T, want the store's", s.options(s.Path).Logger)
	}
	for _, tc := range []struct {
		log   func(string, ...any)
		msg   string
		level string
	}{
		{l.Warningf, "%s might be too small. Metrics: %s\n", "level=DEBUG"},
		{l.Warningf, "Cache life expectancy (in seconds): %+v\n", "level=DEBUG"},
		{l.Warningf, "While compacting level 0: %v", "level=WARN"},
		{l.Errorf, "Failure %v", "level=ERROR"},
		{l.Infof, "Table created: %d", "level=DEBUG"},
	} {
		buf.Reset()
		tc.log(tc.msg, "x", "y")
		if got := buf.String(); !strings.Contains(got, tc.level) || !strings.Contains(got, "badger: ") {
			t.Errorf("%q: got %q, want %s from badger", tc.msg, got, tc.level)
		}
	}
}
