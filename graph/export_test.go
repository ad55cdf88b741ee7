package graph

import "github.com/dgraph-io/badger/v4"

// RawDB gives graph's own tests the Badger database under a store, to
// write what no store method writes (corrupt keys, another format version).
func RawDB(s *Store) *badger.DB { return s.db }
