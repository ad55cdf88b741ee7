package graph

import "time"

// DatasetInfo describes one seeded data set.
type DatasetInfo struct {
	Name string `json:"name"`
	// Hash is a digest of the data set's files: a seed of the same content is
	// a no-op.
	Hash     string    `json:"hash"`
	Files    []string  `json:"files"`
	Nodes    int       `json:"nodes"`
	Edges    int       `json:"edges"`
	SeededAt time.Time `json:"seeded_at"`
	// Refs lists, by data set, the ids of other data sets this one refers to;
	// a data set with referrers cannot drop those ids.
	Refs map[string][]string `json:"refs,omitempty"`
}
