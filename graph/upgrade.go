package graph

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/dgraph-io/badger/v4"
)

// upgradable is the one older format Open upgrades in place: format 5 holds
// every key of format 6 but the posting blocks, which are derived from its
// postings.
const upgradable = 5

// upgrade builds the posting blocks of a format 5 database from its
// postings, publishes them, and only then writes format version 6: an
// upgrade killed before the end leaves format 5, and the next Open upgrades
// it again (rebuilding a term's blocks overwrites what an earlier attempt
// wrote, and the node numbers it gave are read back). Like the rollback
// of initVersions, it runs with no other writer: at open, before the store
// serves any, or in a restore, which holds writeMu already (taking it here
// deadlocked the restore of a format 5 backup).
func (s *Store) upgrade() error {
	ts := s.nextVersion()
	read := s.db.NewTransactionAt(s.published.Load(), false)
	defer read.Discard()
	wb := s.db.NewWriteBatchAt(ts)
	defer wb.Cancel()
	ops := newPostingOps(read)
	err := eachTerm(read, tagPosting, func(lang, term string) error {
		return ops.rebuildTerm(read, lang, term, wb.Set, wb.Delete)
	})
	if err != nil {
		return err
	}
	if err := dropOrphanBlocks(read, wb.Delete); err != nil {
		return err
	}
	if err := ops.writeNums(wb.Set); err != nil {
		return err
	}
	if err := wb.Flush(); err != nil {
		return err
	}
	if err := s.publish(ts); err != nil {
		return err
	}
	ts = s.nextVersion()
	txn := s.db.NewTransactionAt(ts, true)
	defer txn.Discard()
	if err := txn.Set(versionKey(), binary.BigEndian.AppendUint32(nil, FormatVersion)); err != nil {
		return err
	}
	if err := txn.CommitAt(ts, nil); err != nil {
		return err
	}
	return s.publish(ts)
}

// dropOrphanBlocks deletes the blocks of every term without postings. An
// upgrade killed after publishing its blocks leaves format 5, which a
// format 5 release may write again: the blocks of a term whose last
// postings it deleted would outlive them.
func dropOrphanBlocks(read *badger.Txn, del func(k []byte) error) error {
	return eachTerm(read, tagBlock, func(lang, term string) error {
		has := false
		err := eachKey(read, prefix(tagPosting, lang, term), func([]byte) error { has = true; return errStop })
		if err != nil && !errors.Is(err, errStop) {
			return err
		}
		if has {
			return nil // rebuilt from its postings
		}
		return eachKey(read, prefix(tagBlock, lang, term), del)
	})
}

// eachTerm calls fn with every (lang, term) that has keys of tag (postings
// or blocks: both are tag lang 0 term 0 ...), seeking from one term to the
// next.
func eachTerm(txn *badger.Txn, tag byte, fn func(lang, term string) error) error {
	p := []byte{tag}
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); {
		k := it.Item().Key()
		i := bytes.IndexByte(k[1:], sep)
		j := -1
		if i >= 0 {
			j = bytes.IndexByte(k[2+i:], sep)
		}
		if j < 0 {
			it.Next() // not a key of a term
			continue
		}
		lang, term := string(k[1:1+i]), string(k[2+i:2+i+j])
		// Past every key of the term: its prefix ends in 0, and the next
		// term's starts with the same bytes and 1 or more, or differs before.
		next := append(prefix(tag, lang, term)[:len(k[:2+i+j])], 1)
		if err := fn(lang, term); err != nil {
			return err
		}
		it.Seek(next)
	}
	return nil
}
