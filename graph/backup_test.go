package graph_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// backupOf returns a backup of s and its content hash.
func backupOf(t *testing.T, s *graph.Store) ([]byte, string) {
	t.Helper()
	ctx := context.Background()
	h, err := s.ContentHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), h
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	backup, want := backupOf(t, fixtureStore(t))
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
			dst := testdb.OpenDir(t, t.TempDir())
			c.prepare(dst)
			before, _ := dst.ContentHash(ctx)
			info, err := dst.Restore(ctx, bytes.NewReader(backup), c.force)
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
			case c.wantErr == nil && info.Checksum == "":
				t.Errorf("checksum: got none, want the backup's")
			case c.wantErr != nil && got != before:
				t.Errorf("a refused restore changed the database")
			}
			if names := testdb.DirNames(t, filepath.Dir(dst.Path)); !slices.Equal(names, []string{filepath.Base(dst.Path)}) {
				t.Errorf("beside the database: got %v, want only the database", names)
			}
			if c.wantErr == nil {
				// The restored database takes writes.
				seedSet(t, dst, "later", []graph.Node{{ID: "later-node", Kind: graph.KindConcept, Name: "Later"}}, nil, nil)
			}
		})
	}
}

// TestRestoreDamagedBackupChangesNothing: a flipped bit anywhere, a cut, or
// garbage is refused before the database is touched, with no directory left.
func TestRestoreDamagedBackupChangesNothing(t *testing.T) {
	ctx := context.Background()
	backup, _ := backupOf(t, fixtureStore(t))
	flip := func(i int) []byte {
		b := slices.Clone(backup)
		b[i] ^= 0x10
		return b
	}
	cases := []struct {
		name    string
		data    []byte
		wantMsg string
	}{
		{"a bit flipped in the header", flip(3), "not a talkgraph backup"},
		{"a bit flipped in the first key", flip(40), "checksum does not match"},
		{"a bit flipped in the middle", flip(len(backup) / 2), "checksum does not match"},
		{"a bit flipped in the trailer", flip(len(backup) - 5), "checksum does not match"},
		{"cut short", backup[:len(backup)-100], "checksum"},
		{"not a backup at all", []byte("not a backup at all"), "not a talkgraph backup"},
		{"a huge length", []byte("\xff\xff\xff\xff\xff\xff\xff\x7f"), "not a talkgraph backup"},
		{"empty", nil, "not a talkgraph backup"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := fixtureStore(t)
			before, _ := s.ContentHash(ctx)
			_, err := s.Restore(ctx, bytes.NewReader(c.data), true)
			if !errors.Is(err, graph.ErrInvalid) || !strings.Contains(err.Error(), c.wantMsg) {
				t.Fatalf("got %v, want %v saying %q", err, graph.ErrInvalid, c.wantMsg)
			}
			if after, _ := s.ContentHash(ctx); after != before {
				t.Errorf("content changed by a refused restore")
			}
			if names := testdb.DirNames(t, filepath.Dir(s.Path)); len(names) != 1 {
				t.Errorf("beside the database: got %v, want only the database", names)
			}
			seedSet(t, s, "later", []graph.Node{{ID: "later-node", Kind: graph.KindConcept, Name: "Later"}}, nil, nil)
		})
	}
}

// TestRestoreLegacyBackup: a backup from before checksums (Badger's stream
// alone) is restored, and Restore says it was not checked.
func TestRestoreLegacyBackup(t *testing.T) {
	ctx := context.Background()
	src := fixtureStore(t)
	want, _ := src.ContentHash(ctx)
	var buf bytes.Buffer
	if _, err := graph.RawDB(src).NewStreamAt(graph.RawDB(src).MaxVersion()).Backup(&buf, 0); err != nil {
		t.Fatal(err)
	}
	dst := testdb.OpenDir(t, t.TempDir())
	info, err := dst.Restore(ctx, &buf, false)
	if err != nil {
		t.Fatal(err)
	}
	if info.Checksum != "" {
		t.Errorf("checksum: got %q, want none", info.Checksum)
	}
	if got, _ := dst.ContentHash(ctx); got != want {
		t.Errorf("content hash: got %s, want %s", got, want)
	}
}

// TestRestoreIntoNoDatabase: a restore into a path with no database
// creates it only when the backup is good.
func TestRestoreIntoNoDatabase(t *testing.T) {
	ctx := context.Background()
	backup, want := backupOf(t, fixtureStore(t))
	cases := []struct {
		name    string
		data    []byte
		wantErr bool
	}{
		{"a good backup creates the database", backup, false},
		{"a bad backup creates nothing", backup[:len(backup)/2], true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			s := graph.NewStore(filepath.Join(parent, "db"))
			defer s.Close()
			_, err := s.Restore(ctx, bytes.NewReader(c.data), false)
			if got := err != nil; got != c.wantErr {
				t.Fatalf("got %v, want error %v", err, c.wantErr)
			}
			names := testdb.DirNames(t, parent)
			if c.wantErr {
				if len(names) != 0 {
					t.Errorf("after a refused restore: got %v, want nothing", names)
				}
				return
			}
			if got, _ := s.ContentHash(ctx); got != want {
				t.Errorf("content hash: got %s, want %s", got, want)
			}
			if !slices.Equal(names, []string{"db"}) {
				t.Errorf("after the restore: got %v, want [db]", names)
			}
			st, err := os.Stat(s.Path)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Mode().Perm(); got != 0o755 {
				t.Errorf("restored directory: got mode %v, want %v as a new database has", got, os.FileMode(0o755))
			}
		})
	}
}

func TestBackupOfCanceledContextIsRefused(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := fixtureStore(t).Backup(ctx, &buf); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want %v", err, context.Canceled)
	}
	_, err := testdb.OpenDir(t, t.TempDir()).Restore(context.Background(), &buf, false)
	if !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("restoring a canceled backup: got %v, want %v", err, graph.ErrInvalid)
	}
}
