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

// sourceStatements are the quotes of the sources other than the article,
// each read against its document by hand (the documents are on the web,
// not at hand as the article is): for each piece of evidence, the words of
// its quote that state the relation. A quote that leaves the relation to be
// guessed — a bare email address for an employer, a notice about security
// reports for who makes a tool — has no entry and fails the test below, as
// does a new quote nobody has read against its source yet.
var sourceStatements = []struct {
	from, typ, to, source string
	says                  string
}{
	{"linkedin", "uses", "kafka", "confluent-blog-kafka-trillion-2015", "LinkedIn’s deployment of Apache Kafka"},
	{"ansible-playbook", "part_of", "ansible", "ansible-docs-playbooks", "Playbooks are Ansible’s configuration, deployment, and orchestration language"},
	{"ansible-tower", "open_sourced_as", "awx", "github-ansible-awx", "the upstream project for Tower, a commercial derivative of AWX"},
	{"hashicorp", "makes", "vault", "github-hashicorp-vault", "Vault 1.15.1. The Licensed Work is (c) 2023 HashiCorp"},
	{"stellar", "uses", "stellar-consensus-protocol", "stanford-david-mazieres-bio", "the Stellar blockchain (for which he developed the Stellar consensus protocol"},
	// A title slide: the talk, its speaker's handle, employer, conference and day.
	{"clay-smith", "gave", "talk-searching-for-the-server-in-serverless", "speakerdeck-clay-smith-dotscale-2017", "Searching for the Server in Serverless @smithclay"},
	{"talk-searching-for-the-server-in-serverless", "part_of", "dotscale-2017", "speakerdeck-clay-smith-dotscale-2017", "Searching for the Server in Serverless @smithclay New Relic dotScale April 24, 2017"},
	{"clay-smith", "works_at", "new-relic", "speakerdeck-clay-smith-dotscale-2017", "@smithclay New Relic"},
	{"speakerdeck-clay-smith-dotscale-2017", "about", "talk-searching-for-the-server-in-serverless", "speakerdeck-clay-smith-dotscale-2017", "Searching for the Server in Serverless"},
	// A report on the 2015 edition: "this conference" is dotScale.
	{"dotconferences", "organizes", "dotscale-2017", "duchess-france-dotscale-2015", "part of a series of tech events lead by the DotConferences team"},
	{"mitchell-hashimoto", "founded", "hashicorp", "microsoft-opensource-hashicorp-2018", "HashiCorp was founded by Mitchell Hashimoto"},
	{"armon-dadgar", "founded", "hashicorp", "microsoft-opensource-hashicorp-2018", "HashiCorp was founded by Mitchell Hashimoto and Armon Dadgar"},
	{"neha-narkhede", "founded", "confluent", "opensource-com-neha-narkhede-2016", "Neha Narkhede co-founded a company called Confluent"},
	{"adrian-cole", "works_at", "pivotal", "voxxed-adrian-cole-2016", "Adrian works at Pivotal"},
	{"ulf-adams", "works_at", "google", "awesome-bazel", "Ulf Adams (Google)"},
	{"marco-slot", "works_at", "citus-data", "pgconf-eu-2017-marco-slot", "I'm a principal engineer at Citus Data"},
	{"aish-raj-dahal", "works_at", "pagerduty", "elixirconf-2018-aish-dahal", "Aish works as an Engineer at PagerDuty"},
	{"david-mazieres", "works_at", "stanford-university", "stanford-david-mazieres-bio", "a professor of Computer Science at Stanford University"},
	{"david-mazieres", "founded", "stellar-development-foundation", "stanford-david-mazieres-bio", "a co-founder of the Stellar Development Foundation"},
	{"david-mazieres", "created", "stellar-consensus-protocol", "stanford-david-mazieres-bio", "he developed the Stellar consensus protocol"},
}

// names reports whether text names node n: its name or an alias, without
// regard to case.
func names(text string, n *graph.Node) bool {
	text = strings.ToLower(text)
	for _, name := range append([]string{n.Name}, n.Aliases...) {
		if strings.Contains(text, strings.ToLower(name)) {
			return true
		}
	}
	return false
}

// TestSourceQuotesStateTheirRelation: every quote of a source other than
// the article has been read against its source (sourceStatements), holds
// the words that state its relation, and names both ends of it — in the
// quote, or, for the person a biography, an interview or slides are about
// ("I'm a principal engineer…"), in the source's name.
func TestSourceQuotesStateTheirRelation(t *testing.T) {
	tx := seededTx(t)
	type key struct{ from, typ, to, source string }
	read := map[key]string{}
	for _, s := range sourceStatements {
		read[key{s.from, s.typ, s.to, s.source}] = s.says
	}
	seen := map[key]bool{}
	err := tx.EachEdge(func(e graph.Edge) error {
		for _, ev := range e.Evidence {
			if ev.Source == article {
				continue
			}
			k := key{e.From, e.Type, e.To, ev.Source}
			seen[k] = true
			says, ok := read[k]
			if !ok {
				t.Errorf("%s %s %s: quote %q from %s: not read against its source (no entry in sourceStatements); if it states the relation, add the words that do", e.From, e.Type, e.To, ev.Quote, ev.Source)
				continue
			}
			if !strings.Contains(ev.Quote, says) {
				t.Errorf("%s %s %s: quote %q from %s: does not hold %q", e.From, e.Type, e.To, ev.Quote, ev.Source, says)
			}
			src := node(t, tx, ev.Source)
			for _, end := range []string{e.From, e.To} {
				if n := node(t, tx, end); !names(ev.Quote, n) && !names(src.Name, n) {
					t.Errorf("%s %s %s: quote %q from %s: names not %s (%s), nor does its source", e.From, e.Type, e.To, ev.Quote, ev.Source, end, n.Name)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sourceStatements {
		if !seen[key{s.from, s.typ, s.to, s.source}] {
			t.Errorf("sourceStatements: %s %s %s from %s: no such evidence in the data set", s.from, s.typ, s.to, s.source)
		}
	}
}
