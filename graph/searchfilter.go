package graph

import (
	"fmt"
	"slices"
)

// filter is what a search keeps: nodes of some kinds, and, when ids is not
// nil, only those nodes.
type filter struct {
	kinds []Kind
	ids   map[string]bool
}

// newFilter builds the filter of o: a conference's talks are read once,
// through the reverse part_of adjacency. It returns an error wrapping
// ErrNotFound when o.Conference is not a conference's id.
func (tx *Tx) newFilter(o SearchOptions) (*filter, error) {
	f := &filter{kinds: o.Kinds}
	if o.Conference == "" {
		return f, nil
	}
	k, err := tx.KindOf(o.Conference)
	if err != nil {
		return nil, fmt.Errorf("search conference: %w", err)
	}
	if k != KindConference {
		return nil, fmt.Errorf("search conference: %q is a %s, not a conference: %w", o.Conference, k, ErrNotFound)
	}
	ids, err := tx.LinkedIDs(o.Conference, In, "part_of", KindTalk, -1)
	if err != nil {
		return nil, err
	}
	f.ids = make(map[string]bool, len(ids))
	for _, id := range ids {
		f.ids[id] = true
	}
	return f, nil
}

func (f *filter) acceptID(id string) bool { return f.ids == nil || f.ids[id] }

func (f *filter) accept(id string, k Kind) bool {
	return f.acceptID(id) && (len(f.kinds) == 0 || slices.Contains(f.kinds, k))
}
