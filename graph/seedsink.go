package graph

import (
	"github.com/dgraph-io/badger/v4"
)

// batchSink writes a seed in place, through a WriteBatch at the seed's
// version: what it writes stays unseen until the version is published,
// and a failure rolls it back (see version.go).
type batchSink struct {
	w     *DatasetWriter
	wb    *badger.WriteBatch
	chunk []byte // keys and values are copied here: the batch keeps them
}

func newBatchSink(w *DatasetWriter) *batchSink {
	wb := w.s.db.NewWriteBatchAt(w.ts)
	// Each pending transaction holds up to a few MB of entries: Badger's
	// default of 16 pending held most of a large seed's heap.
	wb.SetMaxPendingTxns(4)
	return &batchSink{w: w, wb: wb}
}

// hold copies b into the current chunk; a chunk is left to the garbage
// collector once full, when the batch has long let go of it.
func (s *batchSink) hold(b []byte) []byte {
	if len(b) > cap(s.chunk)-len(s.chunk) {
		s.chunk = make([]byte, 0, max(1<<20, len(b)))
	}
	s.chunk = append(s.chunk, b...)
	return s.chunk[len(s.chunk)-len(b) : len(s.chunk) : len(s.chunk)]
}

func (s *batchSink) set(k, v []byte) error {
	s.w.wrote = true
	return s.wb.Set(s.hold(k), s.hold(v))
}

func (s *batchSink) del(k []byte) error {
	s.w.wrote = true
	return s.wb.Delete(s.hold(k))
}

func (s *batchSink) setBlock(k, v []byte) error  { return s.set(k, v) }
func (s *batchSink) delBlock(k []byte) error     { return s.del(k) }
func (s *batchSink) copyBlock(k, v []byte) error { return nil }
func (s *batchSink) finish() error               { return s.wb.Flush() }
func (s *batchSink) cancel()                     { s.wb.Cancel() }
