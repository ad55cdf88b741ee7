package graph

import "github.com/dgraph-io/badger/v4"

// RawDB gives graph's own tests the Badger database under a store, to
// write what no store method writes (corrupt keys, another format version).
func RawDB(s *Store) *badger.DB { return s.db }

// SetResolve turns on or off scoring a multi-word search's last nodes met
// from their text, so that a benchmark compares both in one run; it
// returns the previous setting.
func SetResolve(on bool) bool { old := resolve; resolve = on; return old }
