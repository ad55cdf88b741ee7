package seeds_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/talkgraph/talkgraph/graph"
)

// minQuoteWords is the fewest words a quote may have: fewer cannot state a
// relation ("Vagrant" matches anything that names Vagrant).
const minQuoteWords = 3

// weakQuote says what is wrong with q as evidence for a relation between
// nodes from and to, or "" when nothing is.
func weakQuote(q string, from, to *graph.Node) string {
	words := 0
	for _, f := range strings.Fields(q) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			words++
		}
	}
	if words < minQuoteWords {
		return "has fewer than 3 words"
	}
	for _, n := range []*graph.Node{from, to} {
		for _, name := range append([]string{n.ID, n.Name}, n.Aliases...) {
			if strings.EqualFold(strings.TrimSpace(q), name) {
				return "is only the name of " + n.ID
			}
		}
	}
	return ""
}

func TestWeakQuote(t *testing.T) {
	hashicorp := &graph.Node{ID: "hashicorp", Name: "HashiCorp", Aliases: []string{"Hashicorp"}}
	vagrant := &graph.Node{ID: "vagrant", Name: "Vagrant"}
	tests := []struct {
		name, quote string
		weak        bool
	}{
		{"empty", "", true},
		{"one word, the tool's name", "Vagrant", true},
		{"an alias in another case, in a sentence", "hashicorp makes tools", false},
		{"the alias alone", "  hashicorp ", true},
		{"two words", "outil Vagrant", true},
		{"punctuation is no word", "Vagrant - Terraform", true},
		{"a sentence that states it", "On pourra citer par exemple: • Vagrant", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := weakQuote(tt.quote, hashicorp, vagrant) != ""; got != tt.weak {
				t.Errorf("weakQuote(%q) is weak: got %v, want %v", tt.quote, got, tt.weak)
			}
		})
	}
}

// Every relation has evidence, and every piece of evidence a quote that can
// state the relation.
func TestEveryEvidenceHasAQuoteThatStatesItsRelation(t *testing.T) {
	tx := seededTx(t)
	edges := 0
	err := tx.EachEdge(func(e graph.Edge) error {
		edges++
		from, to := node(t, tx, e.From), node(t, tx, e.To)
		if len(e.Evidence) == 0 {
			t.Errorf("%s %s %s: got no evidence, want at least one", e.From, e.Type, e.To)
		}
		for _, ev := range e.Evidence {
			if why := weakQuote(ev.Quote, from, to); why != "" {
				t.Errorf("%s %s %s: quote %q from %s %s", e.From, e.Type, e.To, ev.Quote, ev.Source, why)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if edges == 0 {
		t.Fatal("edges: got none, want the data set's")
	}
}

// The article is not in the repository (see /work/shared/sources/README.md):
// CI keeps a copy in shared/sources beside the clone. The test looks for it
// in every directory above this one and skips when there is none.
const articleFile = "dotscale-2017-article-fr.txt"

func readArticle(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "shared", "sources", articleFile))
		if err == nil {
			return string(b)
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("%s not found in shared/sources above the repository: skipping", articleFile)
		}
		dir = parent
	}
}

// spaced joins every run of white space into one space: a quote is one line
// of YAML, while the article breaks lines and sets lists on lines of their own.
func spaced(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestArticleQuotesOccurInTheArticle(t *testing.T) {
	text := spaced(readArticle(t))
	tx := seededTx(t)
	quotes := 0
	err := tx.EachEdge(func(e graph.Edge) error {
		for _, ev := range e.Evidence {
			if ev.Source != article {
				continue
			}
			quotes++
			if !strings.Contains(text, spaced(ev.Quote)) {
				t.Errorf("%s %s %s: quote %q: not in the article, want it word for word", e.From, e.Type, e.To, ev.Quote)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if quotes == 0 {
		t.Fatal("quotes citing the article: got none")
	}
	if v := node(t, tx, "dotscale-2017").Props["video"]; !strings.Contains(text, v) {
		t.Errorf("video page of dotScale 2017: got %q, not in the article", v)
	}
}
