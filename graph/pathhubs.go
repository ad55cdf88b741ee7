package graph

import "fmt"

// DefaultHubRelations is how many relations make a node a hub for
// PathAvoiding when PathOptions.HubRelations is 0.
const DefaultHubRelations = 200

// PathOptions say what PathAvoiding may pass through.
type PathOptions struct {
	MaxHops int
	// HubRelations: a node with more relations than this is a hub
	// (0: DefaultHubRelations).
	HubRelations int
	// Via holds the ids of hubs, conferences and sources a path may pass
	// through all the same.
	Via map[string]bool
}

// PathResult is a path that avoids hubs and what it avoided.
type PathResult struct {
	// Relations is one shortest path that passes through no hub (Via
	// apart), in walking order; nil when there is none within MaxHops.
	Relations []Relation
	// Shorter is one shortest path through hubs (conferences and nodes with
	// more than HubRelations relations; never through a source Via does
	// not name) when it is shorter than Relations, or there is none; and
	// Hubs the hubs it passes through. Nil when there is no such path.
	Shorter []Relation
	Hubs    []string
}

// PathAvoiding returns one shortest chain of relations from one node to
// another, as Path does, that passes through no conference, no source and
// no node with more than o.HubRelations relations, but those o.Via names:
// every two talks of a conference are two hops apart through it, so a path
// through a hub says nothing of how its ends are related. The ends
// themselves may be hubs. It also returns a shorter path through hubs when
// one exists, so the answer can say so. It returns ErrInvalid for MaxHops
// outside 0..MaxHops or a negative HubRelations, and the store's errors.
func (tx *Tx) PathAvoiding(from, to string, o PathOptions) (PathResult, error) {
	if o.MaxHops < 0 || o.MaxHops > MaxHops {
		return PathResult{}, fmt.Errorf("maxHops %d: %w: use 0 to %d", o.MaxHops, ErrInvalid, MaxHops)
	}
	if o.HubRelations < 0 {
		return PathResult{}, fmt.Errorf("hub relations %d: %w: give 1 or more", o.HubRelations, ErrInvalid)
	}
	if o.HubRelations == 0 {
		o.HubRelations = DefaultHubRelations
	}
	ps, err := tx.newPathSearch()
	if err != nil {
		return PathResult{}, err
	}
	isHub := func(id string, k Kind) (bool, error) {
		if o.Via[id] {
			return false, nil
		}
		if k == KindSource || k == KindConference {
			return true, nil
		}
		d, err := ps.degree(id)
		return d > o.HubRelations, err
	}
	ps.closed = isHub
	var res PathResult
	if res.Relations, err = ps.search(from, to, o.MaxHops); err != nil {
		return PathResult{}, err
	}
	shorter := o.MaxHops
	if res.Relations != nil {
		if len(res.Relations) == 0 {
			return res, nil // from is to: nothing is shorter
		}
		shorter = len(res.Relations) - 1
	}
	// The same search through hubs, sources apart (Via's aside), no longer
	// than it would have to be to say something.
	ps.closed = func(id string, k Kind) (bool, error) { return k == KindSource && !o.Via[id], nil }
	if res.Shorter, err = ps.search(from, to, shorter); err != nil || res.Shorter == nil {
		return res, err
	}
	for _, r := range res.Shorter[:len(res.Shorter)-1] {
		id := r.Other()
		k, err := tx.KindOf(id)
		if err != nil {
			return PathResult{}, err
		}
		if hub, err := isHub(id, k); err != nil {
			return PathResult{}, err
		} else if hub {
			res.Hubs = append(res.Hubs, id)
		}
	}
	return res, nil
}
