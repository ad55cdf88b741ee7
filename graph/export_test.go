package graph

import "github.com/dgraph-io/badger/v4"

// RawDB gives graph's own tests the Badger database under a store, to
// write what no store method writes (corrupt keys, another format version).
func RawDB(s *Store) *badger.DB { return s.db }

// SetPendingPostingOps sets a seed's budget of recorded posting changes, so
// that a test takes the path of a large seed; it returns the previous one.
func SetPendingPostingOps(n int) int { old := pendingPostingOps; pendingPostingOps = n; return old }
