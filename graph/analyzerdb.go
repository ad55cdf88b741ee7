package graph

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// analyzerName is the meta key recording the analysis a database was
// indexed with (see keys.go).
const analyzerName = "analyzer"

func analyzerKey() []byte { return key(tagMeta, analyzerName) }

var registry sync.Map // name -> Analyzer

// RegisterAnalyzer makes a known by its Name, so that a database indexed
// with it is read with it whatever analysis its Store was given
// (internal/textindex registers its own). PlainAnalyzer is registered.
func RegisterAnalyzer(a Analyzer) { registry.Store(a.Name(), a) }

func init() { RegisterAnalyzer(PlainAnalyzer{}) }

// checkAnalyzer records the Store's analysis in a new database; in one that
// records another, it switches to that one when it is registered, and
// otherwise returns an error wrapping ErrAnalyzer.
func (s *Store) checkAnalyzer() error {
	want := s.Analyzer.Name()
	txn := s.db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	item, err := txn.Get(analyzerKey())
	if errors.Is(err, badger.ErrKeyNotFound) && s.readOnly {
		return nil // nothing indexed yet, or nothing this process may write
	}
	if errors.Is(err, badger.ErrKeyNotFound) {
		w := s.db.NewTransactionAt(s.published.Load(), true)
		defer w.Discard()
		if err := w.Set(analyzerKey(), []byte(want)); err != nil {
			return fmt.Errorf("open %s: record the text analysis: %w", s.Path, err)
		}
		return w.CommitAt(s.published.Load(), nil)
	}
	if err != nil {
		return fmt.Errorf("open %s: read the text analysis: %w", s.Path, err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return fmt.Errorf("open %s: read the text analysis: %w", s.Path, err)
	}
	if got := string(v); got != want {
		if a, ok := registry.Load(got); ok {
			s.Analyzer = a.(Analyzer)
			return nil
		}
		return fmt.Errorf("open %s: %w: it was indexed with %q and this talkgraph analyses text with %q; re-seed into a new directory (talkgraph --db NEW seed)", s.Path, ErrAnalyzer, got, want)
	}
	return nil
}
