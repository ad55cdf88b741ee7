package graph_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := fixtureStore(t)
	want, err := src.ContentHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := src.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		prepare func(*graph.Store)
		force   bool
		wantErr error
	}{
		{"into an empty database", func(*graph.Store) {}, false, nil},
		{"into a database with data, refused", func(s *graph.Store) { seedSet(t, s, "other", fixtureNodes[:2], nil, nil) }, false, graph.ErrConflict},
		{"into a database with data, forced", func(s *graph.Store) { seedSet(t, s, "other", fixtureNodes[:2], nil, nil) }, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dst := MustOpen(t)
			c.prepare(dst)
			before, _ := dst.ContentHash(ctx)
			err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), c.force)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("got %v, want %v", err, c.wantErr)
			}
			got, err := dst.ContentHash(ctx)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.wantErr == nil && got != want:
				t.Errorf("content hash: got %s, want %s", got, want)
			case c.wantErr != nil && got != before:
				t.Errorf("a refused restore changed the database")
			}
			if c.wantErr == nil {
				// The restored database takes writes.
				seedSet(t, dst, "later", []graph.Node{{ID: "later-node", Kind: graph.KindConcept, Name: "Later"}}, nil, nil)
			}
		})
	}
}

func TestRestoreGarbageLosesNothing(t *testing.T) {
	ctx := context.Background()
	for _, garbage := range []string{"not a backup at all", "\xff\xff\xff\xff\xff\xff\xff\x7f", ""} {
		t.Run(fmt.Sprintf("%q", garbage), func(t *testing.T) {
			s := fixtureStore(t)
			before, _ := s.ContentHash(ctx)
			if err := s.Restore(ctx, strings.NewReader(garbage), true); err == nil {
				t.Fatal("got no error, want one")
			}
			if after, _ := s.ContentHash(ctx); after != before {
				t.Errorf("content changed by a refused restore")
			}
			seedSet(t, s, "later", []graph.Node{{ID: "later-node", Kind: graph.KindConcept, Name: "Later"}}, nil, nil)
		})
	}
}
