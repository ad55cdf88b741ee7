package seeds_test

// Data-set tests: each asks the seeded graph a question about dotScale 2017
// and checks the answer the article (or the source named) supports, so that
// the facts put right in issue 14 stay right.

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

const article = "article-dotscale-2017-fr"

// seededTx returns a read transaction on the embedded data set, loaded into
// a real in-memory store.
func seededTx(t *testing.T) *graph.Tx {
	t.Helper()
	tx := testdb.Seeded(t).Begin(context.Background())
	t.Cleanup(tx.Discard)
	return tx
}

// linked answers "which nodes of kind k does id reach by relation name",
// sorted; an empty kind keeps every kind.
func linked(t *testing.T, tx *graph.Tx, id, name string, k graph.Kind) []string {
	t.Helper()
	rels, err := tx.Relations(id, graph.Out, name, -1)
	if err != nil {
		t.Fatalf("relations %s of %s: %v", name, id, err)
	}
	var ids []string
	for _, r := range rels {
		if k == "" || r.OtherKind == k {
			ids = append(ids, r.Other())
		}
	}
	slices.Sort(ids)
	return ids
}

func node(t *testing.T, tx *graph.Tx, id string) *graph.Node {
	t.Helper()
	n, err := tx.Node(id)
	if err != nil {
		t.Fatalf("node %s: %v", id, err)
	}
	return n
}

func TestTalksMentionOnlyWhatTheirSpeakerSaid(t *testing.T) {
	tx := seededTx(t)
	tests := []struct {
		entity string
		talks  []string // the talks that mention it
		byArt  bool     // the article mentions it (the author's own words)
	}{
		{"vagrant", nil, true},
		{"terraform", nil, true},
		{"consul", nil, true},
		{"cloud-computing", nil, true},
		{"hashicorp", nil, true},
		{"distributed-systems", nil, true},
		{"fault-tolerance", nil, true},
		{"load-balancing", nil, true},
		{"cdn", nil, true},
		{"twelve-factor-app", nil, true},
		{"peter-bourgon-blog", nil, true},
		{"stream-processing", nil, true},
		{"scalability", []string{"talk-scaling-out-postgresql", "talk-scaling-security"}, true},
		{"vault", []string{"talk-scaling-security"}, false},
		{"zipkin", []string{"talk-observability-3-ways"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.entity, func(t *testing.T) {
			if got := linked(t, tx, tt.entity, "mentioned_in", graph.KindTalk); !slices.Equal(got, tt.talks) {
				t.Errorf("talks that mention %s: got %v, want %v", tt.entity, got, tt.talks)
			}
			got := slices.Contains(linked(t, tx, tt.entity, "mentioned_in", graph.KindSource), article)
			if got != tt.byArt {
				t.Errorf("the article mentions %s: got %v, want %v", tt.entity, got, tt.byArt)
			}
		})
	}
}

func TestDotConferencesOrganizesDotScale(t *testing.T) {
	tx := seededTx(t)
	if got, want := node(t, tx, "dotconferences").Kind, graph.KindOrganization; got != want {
		t.Errorf("kind of dotConferences: got %s, want %s", got, want)
	}
	if got, want := linked(t, tx, "dotscale-2017", "organized_by", ""), []string{"dotconferences"}; !slices.Equal(got, want) {
		t.Errorf("dotScale 2017 organized by: got %v, want %v", got, want)
	}
	if got := linked(t, tx, "dotscale-2017", "part_of", ""); len(got) != 0 {
		t.Errorf("dotScale 2017 part of: got %v, want nothing", got)
	}
}

func TestStructuredFacts(t *testing.T) {
	tx := seededTx(t)
	tests := []struct {
		name, id, prop, want string
	}{
		{"Bazel was open-sourced in 2015", "bazel", "open_sourced", "2015"},
		{"the talks' video page", "dotscale-2017", "video", "https://www.dotconferences.com/talks"},
		{"Mitchell Hashimoto co-founded HashiCorp", "mitchell-hashimoto", "role", "Co-founder of HashiCorp"},
		{"the first talk", "talk-rise-of-real-time", "order", "1"},
		{"the second talk", "talk-observability-3-ways", "order", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := node(t, tx, tt.id).Props[tt.prop]; got != tt.want {
				t.Errorf("%s of %s: got %q, want %q", tt.prop, tt.id, got, tt.want)
			}
		})
	}
}

func TestRelationsHeldAsData(t *testing.T) {
	tx := seededTx(t)
	tests := []struct {
		name, from, rel string
		want            []string
	}{
		{"HashiCorp's founders", "hashicorp", "founded_by", []string{"armon-dadgar", "mitchell-hashimoto"}},
		{"Blaze's open-source version", "blaze", "open_sourced_as", []string{"bazel"}},
		{"Ansible Tower's announced open-sourcing", "ansible-tower", "open_sourced_as", []string{"awx"}},
		{"playbooks are a part of Ansible", "ansible-playbook", "part_of", []string{"ansible"}},
		{"playbooks are no longer merely related to Ansible", "ansible-playbook", "related_to", nil},
		{"HashiCorp makes", "hashicorp", "makes", []string{"consul", "terraform", "vagrant", "vault"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linked(t, tx, tt.from, tt.rel, ""); !slices.Equal(got, tt.want) {
				t.Errorf("%s %s: got %v, want %v", tt.from, tt.rel, got, tt.want)
			}
		})
	}
}

// The article's "1,4 milliard" is what the article says, not a fact about
// Kafka: no description states it, and the figure LinkedIn published comes
// with a source of its own that has a url.
func TestKafkaVolumeIsTheArticlesWord(t *testing.T) {
	tx := seededTx(t)
	err := tx.EachNode(func(n *graph.Node) error {
		for lang, d := range n.Description {
			for _, figure := range []string{"1.4 billion", "1,4 milliard"} {
				if strings.Contains(d, figure) {
					t.Errorf("description (%s) of %s states %q: got it, want it only in the article's quote", lang, n.ID, figure)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rels, err := tx.Relations("linkedin", graph.Out, "uses", -1)
	if err != nil || len(rels) != 1 {
		t.Fatalf("linkedin uses: got %d relations (%v), want 1", len(rels), err)
	}
	bySource := map[string]string{}
	for _, ev := range rels[0].Evidence {
		bySource[ev.Source] = ev.Quote
	}
	if q := bySource[article]; !strings.Contains(q, "1,4 milliard") {
		t.Errorf("the article's quote on linkedin uses kafka: got %q, want the 1,4 milliard it says", q)
	}
	const published = "confluent-blog-kafka-trillion-2015"
	if q := bySource[published]; !strings.Contains(q, "1.1 trillion") {
		t.Errorf("the published figure's quote: got %q, want 1.1 trillion", q)
	}
	if u := node(t, tx, published).Props["url"]; u == "" {
		t.Errorf("url of %s: got none, want one", published)
	}
}

func TestModellingFixes(t *testing.T) {
	tx := seededTx(t)
	if got := node(t, tx, "sql").Aliases; slices.Contains(got, "Relational database") {
		t.Errorf("aliases of sql: got %v, want no \"Relational database\"", got)
	}
	var ordered []string
	if err := tx.EachNode(func(n *graph.Node) error {
		if n.Kind == graph.KindTalk && n.Props["order"] != "" {
			ordered = append(ordered, n.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ordered)
	if want := []string{"talk-observability-3-ways", "talk-rise-of-real-time"}; !slices.Equal(ordered, want) {
		t.Errorf("talks with a known place in the programme: got %v, want %v", ordered, want)
	}
}

// The talk titled "DevOps" and the concept keep their shared name: a name
// that reads two ways is resolved as ambiguous, not renamed away.
func TestDevOpsNameIsShared(t *testing.T) {
	tx := seededTx(t)
	got, err := tx.Lookup("DevOps")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if want := []string{"devops", "talk-devops"}; !slices.Equal(got, want) {
		t.Errorf("ids named DevOps: got %v, want %v", got, want)
	}
}
