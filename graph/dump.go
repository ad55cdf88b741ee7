package graph

import (
	"context"
	"math"

	"github.com/dgraph-io/badger/v4"
)

// Dump calls fn with every key and value of the database, in key order, as
// last written, published or not: tests compare dumps to check that a
// refused write left nothing behind, which a read at the published version
// would not show. The posting blocks are left out: their node numbers
// depend on history, and CheckPostingBlocks checks them against the
// postings. key and value are valid only during the call. It returns
// fn's first error, ctx.Err() when ctx ends, or Badger's read error.
func (s *Store) Dump(ctx context.Context, fn func(key, value []byte) error) error {
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.DefaultIteratorOptions)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if derivedKey(it.Item().Key()) {
			continue
		}
		err := it.Item().Value(func(v []byte) error { return fn(it.Item().Key(), v) })
		if err != nil {
			return err
		}
	}
	return nil
}
