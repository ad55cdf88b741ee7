package graph

// A search can be widened: a word of the query that no text holds may be
// a typo of one that some do, the last word may be the start of a word
// still being typed, a word of a compounding language may be part of
// longer ones ("Datenbank" of "Graphdatenbanken"), two words may be one
// ("open telemetry"). An Expander, given by the caller (the store knows no
// dictionary), proposes those other index terms; the search scores each
// word of the query by the best of its term and its alternatives, an
// alternative's score scaled by its Factor, so that what was typed ranks
// above what was guessed.

// Expander proposes other index terms for a word of a query.
type Expander interface {
	// Expand returns the alternatives of a word of the query in lang: w
	// tells the word and what the index holds of it. It may return nil.
	Expand(lang string, w QueryWord) []Alternative
}

// QueryWord is one word of a query, as the search gives it to an Expander.
type QueryWord struct {
	Term    string // its index term in the language
	Surface string // as typed, case and accents folded
	DF      int    // how many texts hold Term: 0 for a typo or an unknown word
	Last    bool   // the query's last word: it may be the start of one
	Next    string // the next word's surface, "" for the last: two words may be one
}

// Alternative is an index term a word of the query may stand for.
type Alternative struct {
	Term   string
	Factor float64 // in (0, 1): what a match through it is worth
	// Why says what the alternative is: "typo", "prefix", "part", "joined"
	// (this word and the next as one), "split" (this word as two terms,
	// Term holding both, separated by a space).
	Why string
	// Spans tells how many query words the alternative stands for (2 for
	// "joined"), so that the next word is not searched again.
	Spans int
}

// SearchedWord is what a search made of one word of the query in one
// language: its term, whether texts hold it, and the alternatives it
// searched too.
type SearchedWord struct {
	Lang, Surface, Term string
	DF                  int
	Alternatives        []Alternative
}

// Corrected reports whether no text holds the word as typed and the search
// searched alternatives instead.
func (w SearchedWord) Corrected() bool { return w.DF == 0 && len(w.Alternatives) > 0 }

// Dictionary is what a search box needs of a dictionary of the store's
// words and names: an Expander for the search, and the names that match
// text being typed, for suggestions.
type Dictionary interface {
	Expander
	// Names returns up to limit nodes whose name, an alias or id matches
	// text as typed so far, best first; only nodes of kinds when kinds is
	// not empty.
	Names(text string, kinds []Kind, limit int) []NameMatch
}

// NameMatch is a node whose name, an alias or id matches text being typed.
type NameMatch struct {
	ID    string
	Kind  Kind
	Match string // the name, alias or id matched, case and accents folded
	// How: "exact" (the whole name), "prefix" (its start, or the start of
	// one of its words), "typo" (the start, within one or two edits).
	How   string
	Edits int // edits of a "typo" match
}
