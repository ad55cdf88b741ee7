package graph

// FilterTalks returns the talks of ids that f selects, in the order given:
// the talks of a node (a conference's, a speaker's) that a client narrows
// further, as TalkIDs narrows all talks. An id that is no talk is left out.
// It reads the talk index and returns the store's read errors.
func (tx *Tx) FilterTalks(ids []string, f TalkFilter) ([]string, error) {
	idx, err := tx.talkIndex()
	if err != nil {
		return nil, err
	}
	q := idx.query(f)
	var out []string
	if q.none {
		return out, nil
	}
	for _, id := range ids {
		if t, ok := idx.id(id); ok && idx.match(t, q) {
			out = append(out, id)
		}
	}
	return out, nil
}
