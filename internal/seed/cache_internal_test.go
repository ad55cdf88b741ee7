package seed

import (
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

func dotscaleForCache(t *testing.T) []*Set {
	t.Helper()
	sets, err := Discover(os.DirFS("../../seeds"), "dotscale-2017", "seeds/dotscale-2017")
	if err != nil || len(sets) != 1 || len(sets[0].Files) < 2 {
		t.Fatalf("discover: got %d sets (%v), want one of several files", len(sets), err)
	}
	return sets
}

// TestParseCacheBounded: files are kept parsed between passes only while
// they fit in the cache budget; past it they are parsed again.
func TestParseCacheBounded(t *testing.T) {
	sets := dotscaleForCache(t)
	files := len(sets[0].Files)
	for _, tc := range []struct {
		name       string
		cacheBytes int64
		min, max   int // cached files
	}{
		{"default budget", defaultCacheBytes, files, files},
		{"budget of one byte", 1, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLoader(nil)
			l.cacheBytes = tc.cacheBytes
			pl, err := l.validate(context.Background(), sets)
			if err != nil {
				t.Fatalf("validate: got %v, want nil", err)
			}
			if n := len(pl.parsed); n < tc.min || n > tc.max {
				t.Errorf("cached files: got %d, want %d to %d", n, tc.min, tc.max)
			}
		})
	}
}

// TestSeedWithoutCache: a seed that parses files again in the write pass
// stores the same as one that keeps them.
func TestSeedWithoutCache(t *testing.T) {
	seedWith := func(cacheBytes int64) map[string]string {
		s := graph.NewStore(t.TempDir())
		if err := s.Open(); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		l := NewLoader(s)
		l.cacheBytes = cacheBytes
		if _, err := l.Seed(context.Background(), dotscaleForCache(t)); err != nil {
			t.Fatalf("seed: %v", err)
		}
		out := map[string]string{}
		err := s.Dump(context.Background(), func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		delete(out, "ddotscale-2017") // holds the seed time
		delete(out, "!id")            // each database has its own identity
		return out
	}
	cached, uncached := seedWith(defaultCacheBytes), seedWith(1)
	if len(cached) == 0 {
		t.Fatal("keys: got none, want the data set")
	}
	if !reflect.DeepEqual(uncached, cached) {
		t.Errorf("store without cache: got %d keys, want the %d of a cached seed, same values", len(uncached), len(cached))
	}
}
