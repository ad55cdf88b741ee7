package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/gen"
)

// TestAdminSeedStops: a seed sent to a server stops when the server is
// told to stop, or when its client goes (its request's context ends): the
// error says why, the database keeps what it held, and the seed's spool
// is gone.
func TestAdminSeedStops(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "synthetic")
	if err := gen.Write(data, gen.Config{Talks: 3000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	sets, err := setsAt([]string{data}, false)
	if err != nil {
		t.Fatal(err)
	}
	var zip bytes.Buffer
	if err := writeSeedZip(&zip, sets); err != nil {
		t.Fatal(err)
	}
	for _, how := range []string{"the server stops", "the client goes"} {
		t.Run(how, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "db")
			store := graph.NewStore(db)
			store.Analyzer = analyzer
			if err := store.Open(); err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			serving, stopServing := context.WithCancel(context.Background())
			defer stopServing()
			request, cancelRequest := context.WithCancel(context.Background())
			defer cancelRequest()
			admin := &storeAdmin{store: store, stats: &storeStats{store: store}, stop: serving}
			before, err := store.ContentHash(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			var out bytes.Buffer
			go func() { done <- admin.Seed(request, bytes.NewReader(zip.Bytes()), int64(zip.Len()), false, &out) }()
			for !exists(db, "seed-spool-")() { // the seed is writing
				select {
				case err := <-done:
					t.Fatalf("the seed ended before it was stopped: %v", err)
				case <-time.After(5 * time.Millisecond):
				}
			}
			if how == "the server stops" {
				stopServing()
			} else {
				cancelRequest()
			}
			stopped := time.Now()
			err = <-done
			t.Logf("stopped %v after %s", time.Since(stopped), how)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("seed: got %v, want it cancelled", err)
			}
			if how == "the server stops" && !errors.Is(err, errServerStopping) {
				t.Errorf("seed: got %v, want it to say the server is stopping", err)
			}
			if after, err := store.ContentHash(context.Background()); err != nil || after != before {
				t.Errorf("after the stop: content %s (%v), want the old %s", after, err, before)
			}
			if exists(db, "seed-spool-")() {
				t.Errorf("the seed's spool was left in the database directory")
			}
		})
	}
}
