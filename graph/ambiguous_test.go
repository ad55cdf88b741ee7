package graph_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// TestResolveSharedNames: a name several nodes share resolves to the node
// whose id is exactly the name, then to the only node named exactly so;
// otherwise it is an *AmbiguousError listing every node of the name.
func TestResolveSharedNames(t *testing.T) {
	s := testdb.OpenDir(t, t.TempDir())
	seedSet(t, s, "main", []graph.Node{
		{ID: "devops", Kind: graph.KindConcept, Name: "DevOps"},
		{ID: "talk-devops", Kind: graph.KindTalk, Name: "DevOps"},
		{ID: "keynote-a", Kind: graph.KindTalk, Name: "Keynote"},
		{ID: "keynote-b", Kind: graph.KindTalk, Name: "keynote"},
		{ID: "keynote-c", Kind: graph.KindTalk, Name: "KEYNOTE"},
		{ID: "go", Kind: graph.KindTool, Name: "Go", Aliases: []string{"golang"}},
		{ID: "golang", Kind: graph.KindConcept, Name: "Golang community"},
	}, nil, nil)
	tx := begin(t, s)
	for _, tc := range []struct {
		name       string
		want       string   // the id resolved, or "" for ambiguous
		candidates []string // when ambiguous
	}{
		{"devops", "devops", nil},
		{"talk-devops", "talk-devops", nil},
		{"DevOps", "", []string{"devops", "talk-devops"}},
		{"DEVOPS", "", []string{"devops", "talk-devops"}},
		{"Keynote", "keynote-a", nil},
		{"keynote", "keynote-b", nil},
		{"KeyNote", "", []string{"keynote-a", "keynote-b", "keynote-c"}},
		{"golang", "golang", nil},
		{"Golang", "", []string{"go", "golang"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := tx.Resolve(tc.name)
			if tc.want != "" {
				if err != nil || n.ID != tc.want {
					t.Fatalf("Resolve(%q): got %v, %v, want %s", tc.name, n, err, tc.want)
				}
				return
			}
			var amb *graph.AmbiguousError
			if !errors.As(err, &amb) || !errors.Is(err, graph.ErrAmbiguous) {
				t.Fatalf("Resolve(%q): got %v, %v, want an *AmbiguousError", tc.name, n, err)
			}
			var ids []string
			for _, c := range amb.Candidates {
				ids = append(ids, c.ID)
			}
			if strings.Join(ids, " ") != strings.Join(tc.candidates, " ") {
				t.Errorf("candidates: got %v, want %v", ids, tc.candidates)
			}
		})
	}
}

// TestUnknownNameBounded: a name longer than any stored name can be is
// answered after the one index lookup, without scanning the name index;
// a near miss still gets its suggestion.
func TestUnknownNameBounded(t *testing.T) {
	s := fixtureStore(t)
	tx := begin(t, s)
	for _, tc := range []struct {
		name      string
		maxReads  int64
		suggested string
	}{
		{strings.Repeat("kafka ", 170), 1, ""},
		{strings.Repeat("x", 1024), 1, ""},
		{"kafak", 10, "Apache Kafka"},
	} {
		t.Run(tc.name[:min(len(tc.name), 12)], func(t *testing.T) {
			before := s.Reads()
			_, err := tx.Resolve(tc.name)
			var nf *graph.NotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("got %v, want a *NotFoundError", err)
			}
			if got := s.Reads() - before; got > tc.maxReads {
				t.Errorf("store reads: got %d, want at most %d", got, tc.maxReads)
			}
			got := strings.Join(nf.Closest, ",")
			if tc.suggested != "" && !strings.Contains(got, tc.suggested) || tc.suggested == "" && got != "" {
				t.Errorf("suggestions: got %q, want %q", got, tc.suggested)
			}
		})
	}
}
