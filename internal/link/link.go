// Package link proposes "mentions" relations that the seed files do not
// state yet: it finds the names and aliases of known entities in the
// titles and descriptions of talks and keeps only what it is sure of.
//
// A match is a run of whole words equal to a name (case and accents
// folded), or, for a topic, to its stems in the text's language. What it
// takes for sure:
//   - a name of two words or more ("Apache Kafka", "end-to-end encryption");
//     a person only so, never by a first name or one word;
//   - a name written as no dictionary word is (HashiCorp, k8s, iOS), an
//     acronym in capitals (TLS, AWS), a topic (security, Datenschutz);
//   - one word that is no ordinary word ("Ansible", "Kubernetes").
//
// A name that is an ordinary word or short (Go, Rust, Signal, Helm, Chef),
// and a name several entities share, needs its case as the name writes it
// and a context: an entity of the same family (its maker, its topic, a
// project filed under the same topic, another programming language)
// surely named in the same talk, stated by its relations, or named by
// several other talks of its conference. A word that is part of a longer
// proper name ("Google Lunar X Prize") is not the entity.
package link

import (
	"fmt"
	"sort"

	"github.com/talkgraph/talkgraph/graph"
)

// Proposal is one proposed relation: talk mentions entity, with where the
// name was found.
type Proposal struct {
	// Talk is the talk that mentions Entity, or the person who works at
	// it (Type works_at).
	Talk, Entity string
	Type         string // "mentions", or "works_at" for a person
	Field        string // "name" or "description.<lang>"
	Offset       int    // byte offset of the match in that field
	Text         string // the matched text as written
	Sentence     string // the sentence that holds it, the evidence
}

// Quote is the proposal's evidence quote: the sentence of the talk that
// names the entity.
func (p Proposal) Quote() string {
	if p.Sentence != "" {
		return p.Sentence
	}
	return fmt.Sprintf("%s@%d: %s", p.Field, p.Offset, p.Text)
}

// Options tune what counts as stated.
type Options struct {
	// Derived reports whether an edge's evidence comes only from a file of
	// earlier proposals (which are proposed again, not treated as stated).
	Derived func(graph.Evidence) bool
	// Talks, when set, says which talks to link (others are context only).
	Talks func(*graph.Node) bool
}

// Find proposes mentions for every talk the transaction sees (or those
// opts.Talks keeps) against every entity it holds, ordered by talk then
// entity. An entity is proposed once per talk, at its first sure match.
func Find(tx *graph.Tx, an graph.Analyzer, opts Options) ([]Proposal, error) {
	ix := NewIndex(an)
	if err := ix.AddEntities(tx); err != nil {
		return nil, err
	}
	return ix.Link(tx, opts)
}

func sortProposals(out []Proposal) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Talk != out[j].Talk {
			return out[i].Talk < out[j].Talk
		}
		return out[i].Entity < out[j].Entity
	})
}
