package graph

import (
	"context"
	"errors"
	"slices"
	"time"
)

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

// NodeSets returns the kind of node id and the data sets that define it
// (several for a node they share, see shared.go), for the loader's checks
// against what is stored; ok is false when there is no such node. It
// returns the store's error.
func (s *Store) NodeSets(ctx context.Context, id string) (k Kind, sets []string, ok bool, err error) {
	tx := s.Begin(ctx)
	defer tx.Discard()
	n, err := tx.Node(id)
	if errors.Is(err, ErrNotFound) {
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, false, err
	}
	return n.Kind, slices.Clone(n.owners()), true, nil
}
