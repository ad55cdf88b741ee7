package textindex_test

import (
	"context"
	"errors"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

// open opens a store at dir with the given analysis.
func open(t *testing.T, dir string, a graph.Analyzer) *graph.Store {
	t.Helper()
	s := graph.NewStore(dir)
	s.Analyzer = a
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func put(t *testing.T, s *graph.Store, nodes []graph.Node) {
	t.Helper()
	w, err := s.BeginDataset(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if err := w.PutNode(&n); err != nil {
			w.Abort()
			t.Fatal(err)
		}
	}
	if err := w.Commit(graph.DatasetInfo{}); err != nil {
		t.Fatal(err)
	}
}

// TestEveryLanguage: each description is analysed in its own language, so
// an inflected word finds its stem's other forms in German, Spanish,
// Italian and Dutch as in English and French, a language bleve has no
// stemmer for is still found by its words without their accents, and in a
// multilingual corpus each query ranks the text of its language first.
func TestEveryLanguage(t *testing.T) {
	s := open(t, t.TempDir(), textindex.MustNew())
	put(t, s, []graph.Node{
		{ID: "talk-de", Kind: graph.KindTalk, Name: "Vortrag A", Props: map[string]string{"lang": "de"},
			Description: map[string]string{"de": "Wie man eine verteilte Datenbank betreibt und skaliert."}},
		{ID: "talk-es", Kind: graph.KindTalk, Name: "Charla B",
			Description: map[string]string{"es": "Las bases de datos distribuidas y sus réplicas."}},
		{ID: "talk-it", Kind: graph.KindTalk, Name: "Intervento C",
			Description: map[string]string{"it": "Gestire i contenitori in produzione."}},
		{ID: "talk-nl", Kind: graph.KindTalk, Name: "Lezing D",
			Description: map[string]string{"nl": "Het beheren van grote databanken."}},
		{ID: "talk-en", Kind: graph.KindTalk, Name: "Talk E",
			Description: map[string]string{"en": "Running distributed databases at scale."}},
		{ID: "talk-fr", Kind: graph.KindTalk, Name: "Exposé F",
			Description: map[string]string{"fr": "Exploiter des bases de données réparties."}},
		{ID: "talk-pl", Kind: graph.KindTalk, Name: "Wykład G",
			Description: map[string]string{"pl": "Zarządzanie bazą danych w chmurze."}},
	})
	tx := s.Begin(context.Background())
	defer tx.Discard()
	for _, tc := range []struct{ query, want string }{
		{"Datenbanken", "talk-de"},
		{"verteilten", "talk-de"},
		{"distribuida", "talk-es"},
		{"réplica", "talk-es"},
		{"contenitore", "talk-it"},
		{"databank", "talk-nl"},
		{"database", "talk-en"},
		{"répartie", "talk-fr"},
		{"zarzadzanie", "talk-pl"},
		{"chmurze", "talk-pl"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			hits, err := tx.Search(tc.query, nil, nil, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 || hits[0].ID != tc.want {
				t.Fatalf("Search(%q): got %v, want %s first", tc.query, hits, tc.want)
			}
		})
	}
}

// TestAnalyzerRecorded: a database records the analysis it was indexed
// with; opened with another registered analysis it is read with its own,
// and with one that is not registered it is refused, unchanged.
func TestAnalyzerRecorded(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, graph.PlainAnalyzer{})
	put(t, s, []graph.Node{{ID: "kafka", Kind: graph.KindTool, Name: "Kafka"}})
	s.Close()

	again := open(t, dir, textindex.MustNew())
	if got, want := again.Analyzer.Name(), (graph.PlainAnalyzer{}).Name(); got != want {
		t.Errorf("analysis after reopening: got %s, want %s", got, want)
	}
	again.Close()

	dir = t.TempDir()
	open(t, dir, unknownAnalyzer{}).Close()
	other := graph.NewStore(dir)
	other.Analyzer = textindex.MustNew()
	err := other.Open()
	if !errors.Is(err, graph.ErrAnalyzer) {
		other.Close()
		t.Fatalf("open with an unknown analysis: got %v, want %v", err, graph.ErrAnalyzer)
	}
	t.Logf("refusal: %v", err)
}

type unknownAnalyzer struct{ graph.PlainAnalyzer }

func (unknownAnalyzer) Name() string { return "unknown/1" }
