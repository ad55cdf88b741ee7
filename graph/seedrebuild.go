package graph

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"
)

// A large seed into a store no one else uses (Store.BulkLoad) is written
// into a new database beside the old one, which then takes the old one's
// place as a restore does (see restore.go): the old database's keys, but
// those the seed replaces, merged in key order with the seed's, streamed
// into tables at Badger's last level (its StreamWriter) without a memtable,
// a log or a compaction. Every key is written once, at the seed's version,
// which the new database publishes. A kill before the switch leaves a
// directory that the next Open deletes, and an interrupted seed deletes it
// at once: the old database was never touched.

// DefaultRebuildMin is the smallest spool a BulkLoad seed rebuilds the
// database for (Store.RebuildMin): below it, writing in place costs less
// than a new database.
const DefaultRebuildMin = 64 << 20

// rebuild reports whether the seed should write a new database: the store
// allows it, and the seed is large, and large beside what the database
// holds (the copy of the rest then costs at most about the seed itself;
// the spool's records are not compressed, the database's tables are,
// about threefold).
func (w *DatasetWriter) rebuild() bool {
	s := w.s
	if !s.BulkLoad || s.InMemory || s.readOnly {
		return false
	}
	least := s.RebuildMin
	switch {
	case least < 0:
		return true
	case least == 0:
		least = DefaultRebuildMin
	}
	size := w.sp.size()
	return size >= least && size >= 3*tablesSize(s.Path)
}

// tablesSize returns the bytes the tables and value logs in dir take on
// disk (a value log is a sparse file of its greatest size).
func tablesSize(dir string) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var n int64
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); ext == ".sst" || ext == ".vlog" {
			n += int64(allocated(filepath.Join(dir, e.Name())))
		}
	}
	return n
}

// Streams of the new database: keys below the posting blocks, the blocks
// (made as the postings after them pass), and the keys after them. Badger
// needs each stream sorted, and their ranges apart.
const (
	streamBelow = 1 + iota
	streamBlocks
	streamAbove
)

func streamOf(k []byte) uint32 {
	switch {
	case k[0] < tagBlock:
		return streamBelow
	case k[0] == tagBlock:
		return streamBlocks
	}
	return streamAbove
}

// rebuildSink writes the new database: the seed's keys, and between them
// the old database's keys the seed leaves as they were.
type rebuildSink struct {
	w      *DatasetWriter
	unlock func() // the restore lock, held until the switch is made
	dir    string
	db     *badger.DB
	sw     *badger.StreamWriter
	buf    *z.Buffer
	old    *badger.Iterator // the old version, every key but the blocks
	// resident drops the pages of the tables written from the process's
	// memory, every dropEvery bytes streamed.
	resident *residentTables
	streamed int64
}

// dropEvery is how many bytes a new database takes between two drops of
// its tables' pages (a variable so that tests drop after every write).
var dropEvery int64 = 64 << 20

// rebuildBuffer is how much a stream write carries.
const rebuildBuffer = 4 << 20

// newRebuildSink starts a new database beside the store's. It returns nil
// and no error when another restore or rebuild in the same directory
// holds its lock: the seed is then written in place.
func newRebuildSink(w *DatasetWriter) (*rebuildSink, error) {
	s := w.s
	unlock, ok, err := lockDir(filepath.Dir(s.Path))
	if err != nil || !ok {
		return nil, err
	}
	if err := finishSwitch(s.Path); err != nil {
		unlock()
		return nil, err
	}
	dir, err := os.MkdirTemp(filepath.Dir(s.Path), restorePrefix(s.Path)+"new-")
	if err != nil {
		unlock()
		return nil, err
	}
	if st, err := os.Stat(s.Path); err == nil {
		os.Chmod(dir, st.Mode().Perm())
	}
	// Nothing reads the new database, nor writes it but the stream.
	opts := s.options(dir).WithBlockCacheSize(1 << 20).WithNumCompactors(0).WithMemTableSize(8 << 20)
	db, err := badger.OpenManaged(opts)
	if err != nil {
		os.RemoveAll(dir)
		unlock()
		return nil, fmt.Errorf("open a new database: %w", err)
	}
	r := &rebuildSink{w: w, unlock: unlock, dir: dir, db: db, sw: db.NewStreamWriter(), buf: z.NewBuffer(rebuildBuffer+(1<<20), "talkgraph.rebuild"),
		resident: newResidentTables(dir)}
	if err := r.sw.Prepare(); err != nil {
		r.cancel()
		return nil, err
	}
	r.old = w.read.NewIterator(badger.IteratorOptions{})
	r.old.Rewind()
	return r, nil
}

// copyBelow passes on the old keys below k (all of them when k is nil),
// but the blocks; the old version's published key says the seed's.
func (r *rebuildSink) copyBelow(k []byte) error {
	for ; r.old.Valid(); r.old.Next() {
		item := r.old.Item()
		ok := item.Key()
		if k != nil && bytes.Compare(ok, k) >= 0 {
			return nil
		}
		if ok[0] == tagBlock {
			continue
		}
		if bytes.Equal(ok, publishedKey()) {
			if err := r.emit(ok, u64(r.w.ts)); err != nil {
				return err
			}
			continue
		}
		if err := item.Value(func(v []byte) error { return r.emit(ok, v) }); err != nil {
			return err
		}
	}
	return nil
}

// skip passes over the old key k, which the seed replaces.
func (r *rebuildSink) skip(k []byte) error {
	if err := r.copyBelow(k); err != nil {
		return err
	}
	if r.old.Valid() && bytes.Equal(r.old.Item().Key(), k) {
		r.old.Next()
	}
	return nil
}

func (r *rebuildSink) emit(k, v []byte) error {
	appendKV(r.buf, k, v, r.w.ts, streamOf(k))
	if r.buf.LenNoPadding() < rebuildBuffer {
		return nil
	}
	return r.write()
}

// appendKV appends to buf what badger.KVToBuffer would of a pb.KV with
// these fields, encoded by hand: the protobuf library's reflection was a
// tenth of a large seed's writing. Fields in number order, empty ones left
// out, as proto3 does.
func appendKV(buf *z.Buffer, k, v []byte, version uint64, stream uint32) {
	n := 1 + uvarintLen(uint64(len(k))) + len(k)
	if len(v) > 0 {
		n += 1 + uvarintLen(uint64(len(v))) + len(v)
	}
	if version > 0 {
		n += 1 + uvarintLen(version)
	}
	if stream > 0 {
		n += 1 + uvarintLen(uint64(stream))
	}
	b := buf.SliceAllocate(n)[:0]
	b = append(binary.AppendUvarint(append(b, 1<<3|2), uint64(len(k))), k...)
	if len(v) > 0 {
		b = append(binary.AppendUvarint(append(b, 2<<3|2), uint64(len(v))), v...)
	}
	if version > 0 {
		b = binary.AppendUvarint(append(b, 4<<3), version)
	}
	if stream > 0 {
		binary.AppendUvarint(append(b, 10<<3), uint64(stream))
	}
}

func uvarintLen(x uint64) int {
	n := 1
	for ; x >= 0x80; x >>= 7 {
		n++
	}
	return n
}

// write hands the buffer to the stream writer, checking first that the
// disk has room (Badger writes its tables through mmap: a full disk would
// be a SIGBUS).
func (r *rebuildSink) write() error {
	if r.buf.LenNoPadding() == 0 {
		return nil
	}
	if err := CheckFreeSpace(r.dir, 0); err != nil {
		return err
	}
	if err := r.w.ctx.Err(); err != nil {
		return err
	}
	n := int64(r.buf.LenNoPadding())
	if err := r.sw.Write(r.buf); err != nil {
		return err
	}
	r.buf.Reset()
	if r.streamed += n; r.streamed >= dropEvery {
		r.streamed = 0
		r.resident.drop()
	}
	return nil
}

func (r *rebuildSink) set(k, v []byte) error {
	if err := r.skip(k); err != nil {
		return err
	}
	return r.emit(k, v)
}

func (r *rebuildSink) del(k []byte) error { return r.skip(k) }

func (r *rebuildSink) setBlock(k, v []byte) error  { return r.emit(k, v) }
func (r *rebuildSink) delBlock([]byte) error       { return nil }
func (r *rebuildSink) copyBlock(k, v []byte) error { return r.emit(k, v) }

// finish writes the old keys after the seed's last, and closes the new
// database, synced.
func (r *rebuildSink) finish() error {
	if err := r.copyBelow(nil); err != nil {
		return err
	}
	if err := r.write(); err != nil {
		return err
	}
	r.old.Close()
	r.old = nil
	if err := r.sw.Flush(); err != nil {
		return err
	}
	r.buf.Release()
	r.buf = nil
	err := r.db.Close()
	r.db = nil
	if err != nil {
		return err
	}
	return syncTree(r.dir)
}

// cancel drops the new database.
func (r *rebuildSink) cancel() {
	if r.old != nil {
		r.old.Close()
		r.old = nil
	}
	if r.db != nil {
		r.sw.Cancel()
		r.db.Close()
		r.db = nil
	}
	if r.buf != nil {
		r.buf.Release()
		r.buf = nil
	}
	os.RemoveAll(r.dir)
	r.release()
}

// release lets go of the restore lock.
func (r *rebuildSink) release() {
	if r.unlock != nil {
		r.unlock()
		r.unlock = nil
	}
}

// switchTo puts the new database dir in the store's place: the old one is
// closed, the switch is made as a restore's (a kill at any moment leaves
// one database or the other), and the new one opened. The caller holds
// the writer lock and the restore lock; nothing else uses the store.
func (s *Store) switchTo(dir string) error {
	s.agg.shutdown()
	s.rebuilds++
	err := s.db.Close()
	s.db = nil
	if err != nil {
		os.RemoveAll(dir)
		if oerr := s.open(); oerr != nil {
			return fmt.Errorf("close the database: %w (and reopen it: %v)", err, oerr)
		}
		return fmt.Errorf("close the database: %w", err)
	}
	if err := switchIn(s.Path, dir); err != nil {
		return fmt.Errorf("switch to the new database: %w", err)
	}
	if s.BulkLoad {
		// Opening the new database reads every table's index and bloom
		// filter through its mapping (Badger checks their checksums),
		// about 500 MB of file pages counted in the process's RSS at a
		// million talks. The seed's garbage, which its soft memory limit
		// let grow to about 700 MB, goes back to the system first, so the
		// two do not add up (a peak RSS of 1.29 GB without this).
		debug.FreeOSMemory()
	}
	return s.open()
}
