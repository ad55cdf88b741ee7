package graph

import "github.com/dgraph-io/badger/v4"

// RawDB gives graph's own tests the Badger database under a store, to
// write what no store method writes (corrupt keys, another format version).
func RawDB(s *Store) *badger.DB { return s.db }

// SetSpoolBudget sets the memory a seed's spool holds before it writes a
// run, so that a test takes the path of a large seed (many runs merged); it
// returns the previous one.
func SetSpoolBudget(n int) int { old := spoolBudget; spoolBudget = n; return old }

// SetDropEvery sets how many bytes a new database takes between two drops
// of its tables' pages from memory; it returns the previous setting.
func SetDropEvery(n int64) int64 { old := dropEvery; dropEvery = n; return old }

// Rebuilds returns how many seeds wrote a new database since s was made.
func Rebuilds(s *Store) int { return s.rebuilds }

// TalkIndexes returns the talk index kept for tx's version (waiting for
// it) and one built anew at that version, each written out by dumpIndex,
// and how many indexes were patched rather than built so far.
func TalkIndexes(tx *Tx) (kept, fresh string, patches int, err error) {
	k, err := tx.talkIndex()
	if err != nil {
		return "", "", 0, err
	}
	f, err := tx.buildTalkIndex()
	if err != nil {
		return "", "", 0, err
	}
	tx.s.agg.mu.Lock()
	patches = tx.s.agg.patches
	tx.s.agg.mu.Unlock()
	return dumpIndex(k), dumpIndex(f), patches, nil
}

// BuildTalkIndex builds the talk index at tx's version, keeping nothing.
func BuildTalkIndex(tx *Tx) error { _, err := tx.buildTalkIndex(); return err }

// RepatchTalkIndex patches the index kept for tx's version as if a write
// had touched ids, at the same version: what a patch costs, without the
// write.
func RepatchTalkIndex(tx *Tx, ids ...string) error {
	idx, err := tx.talkIndex()
	if err != nil {
		return err
	}
	touched := map[string]struct{}{}
	for _, id := range ids {
		touched[id] = struct{}{}
	}
	_, _, err = tx.patchTalkIndex(idx, touched)
	return err
}

// ScanTalkIndexKeys reads what a build of the talk index reads (every node
// record, every forward adjacency key) and does nothing with it: the floor
// of a build.
func ScanTalkIndexKeys(tx *Tx) (int, error) {
	n := 0
	count := func(k, v []byte) error { n++; return nil }
	if err := tx.scanRaw([]byte{tagNode}, true, count); err != nil {
		return 0, err
	}
	err := tx.scanRaw([]byte{tagOut}, false, count)
	return n, err
}

// TalkIndexKept reports whether the store keeps a talk index of its
// published version, without building one.
func TalkIndexKept(s *Store) bool {
	s.agg.mu.Lock()
	defer s.agg.mu.Unlock()
	return s.agg.idx != nil && s.agg.idx.ver == s.published.Load()
}
