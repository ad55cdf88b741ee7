package schema_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/gen"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/testdb"
	"github.com/talkgraph/talkgraph/schema"
)

// TestConcurrentReadsDuringReseedsAndMutations runs queries while a data set
// is re-seeded back and forth between two versions and mutations add
// entities. Every answer must be consistent: every talk has its speaker and
// its conference, as in both versions. Run it with -race.
func TestConcurrentReadsDuringReseedsAndMutations(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t)
	var sets [2][]*seed.Set
	for i := range sets {
		dir := filepath.Join(t.TempDir(), "synthetic")
		if err := gen.Write(dir, gen.Config{Talks: 30, Seed: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
		s, err := seed.Discover(os.DirFS(dir), ".", dir)
		if err != nil {
			t.Fatal(err)
		}
		sets[i] = s
	}
	if _, err := seed.NewLoader(store).Seed(ctx, sets[0]); err != nil {
		t.Fatal(err)
	}
	s, err := schema.New(store, nil, schema.WithMutations())
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var writers, readers sync.WaitGroup
	errs := make(chan error, 100)
	writers.Add(2)
	go func() { // re-seeds, forced so each one rewrites
		defer writers.Done()
		l := seed.NewLoader(store)
		l.Force = true
		for i := 0; i < 4; i++ {
			if _, err := l.Seed(ctx, sets[(i+1)%2]); err != nil {
				errs <- fmt.Errorf("seed: %w", err)
				return
			}
		}
	}()
	go func() { // mutations
		defer writers.Done()
		for i := 0; i < 20; i++ {
			q := fmt.Sprintf(`mutation { upsertEntity(input: {id: "c-%d", kind: CONCEPT, name: "C %d"}) { id } }`, i, i)
			if res := do(s, ctx, q, nil); len(res.Errors) > 0 {
				errs <- fmt.Errorf("mutation: %v", res.Errors)
				return
			}
		}
	}()
	for r := 0; r < 4; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for !stop.Load() {
				if err := checkConsistent(do(s, ctx, `{ talks(first: 100) { id speakers { id } conference { id } } }`, nil)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	writers.Wait()
	stop.Store(true)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// checkConsistent checks one answer: no errors, all 30 talks, each with
// its speaker and conference.
func checkConsistent(res *executor.Result) error {
	if len(res.Errors) > 0 {
		return fmt.Errorf("query: %v", res.Errors)
	}
	b, err := res.MarshalJSON()
	if err != nil {
		return err
	}
	var out struct {
		Data struct {
			Talks []any `json:"talks"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	talks := out.Data.Talks
	if len(talks) != 30 {
		return fmt.Errorf("got %d talks, want 30: a seed was seen half done", len(talks))
	}
	for _, x := range talks {
		talk := x.(map[string]any)
		if sp, _ := talk["speakers"].([]any); len(sp) == 0 || talk["conference"] == nil {
			return fmt.Errorf("talk %v: got speakers %v and conference %v, want both", talk["id"], talk["speakers"], talk["conference"])
		}
	}
	return nil
}
