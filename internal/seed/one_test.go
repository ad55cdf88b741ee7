package seed_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// TestSeedOneAbortsLateProblems: a single data set is checked and written in
// the same pass; a problem in its last file, found after the first files
// were written, still leaves the store as it was, and every problem is
// reported.
func TestSeedOneAbortsLateProblems(t *testing.T) {
	fsys := fstest.MapFS{
		"late/a.yaml": {Data: []byte(`nodes:
  - {id: src-a, kind: source, name: A source}
  - {id: tool-a, kind: tool, name: Tool A}
  - {id: concept-a, kind: concept, name: Concept A}
edges:
  - {from: tool-a, type: implements, to: concept-a, evidence: [{source: src-a, quote: "A implements it"}]}
`)},
		"late/b.yaml": {Data: []byte(`edges:
  - {from: tool-a, type: implements, to: concept-nowhere, evidence: [{source: src-a}]}
  - {from: tool-nowhere, type: implements, to: concept-a, evidence: [{source: src-a}]}
`)},
	}
	s := testdb.OpenDir(t, t.TempDir())
	mustSeed(t, seed.NewLoader(s), dotscaleSets(t))
	before := hashStore(t, s)
	_, err := seed.NewLoader(s).Seed(context.Background(), setAt(t, fsys, "late", "late"))
	var ps seed.Problems
	if !errors.As(err, &ps) || len(ps) != 2 {
		t.Fatalf("got %v, want two problems", err)
	}
	for i, want := range []string{"late/b.yaml:2:", "late/b.yaml:3:"} {
		if !strings.HasPrefix(ps[i].String(), want) {
			t.Errorf("problem %d: got %q, want it to start with %q", i, ps[i].String(), want)
		}
	}
	if after := hashStore(t, s); after != before {
		t.Errorf("store hash: got %s, want %s (unchanged)", after, before)
	}
	if _, err := s.Dataset(context.Background(), "late"); err == nil {
		t.Errorf("data set late: got a record, want none")
	}
}
