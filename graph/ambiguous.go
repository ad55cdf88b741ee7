package graph

// pick returns the one node of ids (the nodes name folds to) that name
// designates: the only one, the one whose id is name, the only one whose
// name is name; else an *AmbiguousError.
func (tx *Tx) pick(ids []string, name string) (*Node, error) {
	if len(ids) == 1 {
		return tx.Node(ids[0])
	}
	nodes := make([]*Node, 0, len(ids))
	for _, id := range ids {
		n, err := tx.Node(id)
		if err != nil {
			return nil, err
		}
		if id == name {
			return n, nil
		}
		nodes = append(nodes, n)
	}
	var named []*Node
	for _, n := range nodes {
		if n.Name == name {
			named = append(named, n)
		}
	}
	if len(named) == 1 {
		return named[0], nil
	}
	return nil, tx.ambiguous(name, nodes)
}

// ambiguous builds the error listing nodes, with each talk's conference.
func (tx *Tx) ambiguous(name string, nodes []*Node) error {
	e := &AmbiguousError{Name: name}
	for _, n := range nodes {
		c := Candidate{ID: n.ID, Kind: n.Kind, Name: n.Name}
		if n.Kind == KindTalk {
			confs, err := tx.LinkedIDs(n.ID, Out, "part_of", KindConference, 1)
			if err != nil {
				return err
			}
			if len(confs) > 0 {
				c.Conference = confs[0]
			}
		}
		e.Candidates = append(e.Candidates, c)
	}
	return e
}
