package graph_test

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// MustOpen opens a store in a fresh temporary directory and closes it when
// the test ends. The other tests call testdb.OpenDir; rank_test.go, edited
// elsewhere at the moment, still calls this name.
func MustOpen(tb testing.TB) *graph.Store {
	tb.Helper()
	return testdb.OpenDir(tb, tb.TempDir())
}

func readVersion(tb testing.TB, s *graph.Store) (uint32, error) {
	tb.Helper()
	var v uint32
	err := graph.RawDB(s).View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte("!version"))
		if err != nil {
			return err
		}
		b, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if len(b) != 4 {
			return errors.New("version value is not 4 bytes")
		}
		v = binary.BigEndian.Uint32(b)
		return nil
	})
	return v, err
}

func writeVersion(tb testing.TB, s *graph.Store, val []byte) {
	tb.Helper()
	// The store runs Badger in managed mode: writes name their version.
	ts := graph.RawDB(s).MaxVersion() + 1
	txn := graph.RawDB(s).NewTransactionAt(ts, true)
	defer txn.Discard()
	err := txn.Set([]byte("!version"), val)
	if err == nil {
		err = txn.CommitAt(ts, nil)
	}
	if err != nil {
		tb.Fatalf("write version key: %v", err)
	}
}

func TestOpenCreatesVersionAndReopens(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{"empty dir", func(t *testing.T) string { return t.TempDir() }},
		{"missing dir", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a", "db") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			s := graph.NewStore(dir)
			if err := s.Open(); err != nil {
				t.Fatalf("open: got %v, want nil", err)
			}
			v, err := readVersion(t, s)
			if err != nil || v != graph.FormatVersion {
				t.Errorf("version key: got %d (%v), want %d", v, err, graph.FormatVersion)
			}
			if err := s.Close(); err != nil {
				t.Fatalf("close: got %v, want nil", err)
			}
			if graph.RawDB(s) != nil {
				t.Errorf("DB after close: got %v, want nil", graph.RawDB(s))
			}
			if err := s.Close(); err != nil {
				t.Errorf("second close: got %v, want nil", err)
			}
			if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil {
				t.Errorf("MANIFEST after close: got %v, want it to exist", err)
			}
			again := graph.NewStore(dir)
			if err := again.Open(); err != nil {
				t.Fatalf("reopen: got %v, want nil", err)
			}
			defer again.Close()
			if v, err := readVersion(t, again); err != nil || v != graph.FormatVersion {
				t.Errorf("version key after reopen: got %d (%v), want %d", v, err, graph.FormatVersion)
			}
		})
	}
}

func TestOpenInMemory(t *testing.T) {
	s := graph.NewStore("")
	s.InMemory = true
	if err := s.Open(); err != nil {
		t.Fatalf("open in memory: got %v, want nil", err)
	}
	defer s.Close()
	if v, err := readVersion(t, s); err != nil || v != graph.FormatVersion {
		t.Errorf("version key: got %d (%v), want %d", v, err, graph.FormatVersion)
	}
}

func TestOpenRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		// setup prepares dir and returns the files it must still hold
		// after the refused Open, or nil to skip that check.
		setup  func(t *testing.T, dir string) []string
		after  func(t *testing.T, dir string)
		noPath bool
		want   error // nil: any error
	}{
		{
			name:   "no path",
			setup:  func(t *testing.T, dir string) []string { return nil },
			noPath: true,
		},
		{
			name: "unrelated files and a directory",
			setup: func(t *testing.T, dir string) []string {
				if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep me"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(filepath.Join(dir, "photos"), 0o755); err != nil {
					t.Fatal(err)
				}
				return []string{"notes.txt", "photos"}
			},
			want: graph.ErrNotDatabase,
		},
		{
			name: "badger database without version",
			setup: func(t *testing.T, dir string) []string {
				db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
				if err != nil {
					t.Fatal(err)
				}
				err = db.Update(func(txn *badger.Txn) error { return txn.Set([]byte("someone-else"), []byte("x")) })
				if cerr := db.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					t.Fatal(err)
				}
				return nil
			},
			after: func(t *testing.T, dir string) {
				// The foreign database keeps its key and gets no version.
				db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				err = db.View(func(txn *badger.Txn) error {
					if _, err := txn.Get([]byte("someone-else")); err != nil {
						t.Errorf("foreign key: got %v, want it kept", err)
					}
					if _, err := txn.Get([]byte("!version")); !errors.Is(err, badger.ErrKeyNotFound) {
						t.Errorf("version key: got %v, want %v", err, badger.ErrKeyNotFound)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			},
			want: graph.ErrNotDatabase,
		},
		{
			name: "malformed version",
			setup: func(t *testing.T, dir string) []string {
				s := graph.NewStore(dir)
				if err := s.Open(); err != nil {
					t.Fatal(err)
				}
				writeVersion(t, s, []byte{0, 1})
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				return nil
			},
			want: graph.ErrNotDatabase,
		},
		{
			name: "other format version",
			setup: func(t *testing.T, dir string) []string {
				s := graph.NewStore(dir)
				if err := s.Open(); err != nil {
					t.Fatal(err)
				}
				writeVersion(t, s, binary.BigEndian.AppendUint32(nil, graph.FormatVersion+1))
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				return nil
			},
			want: graph.ErrVersion,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			keep := tc.setup(t, dir)
			path := dir
			if tc.noPath {
				path = ""
			}
			s := graph.NewStore(path)
			err := s.Open()
			defer s.Close()
			if err == nil {
				t.Fatalf("open: got nil error, want %v", tc.want)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("open: got %v, want %v", err, tc.want)
			}
			if graph.RawDB(s) != nil {
				t.Errorf("DB after failed open: got %v, want nil", graph.RawDB(s))
			}
			if keep != nil {
				if got := testdb.DirNames(t, dir); !slices.Equal(got, keep) {
					t.Errorf("dir after refused open: got %v, want %v", got, keep)
				}
			}
			if tc.after != nil {
				s.Close()
				tc.after(t, dir)
			}
		})
	}
}

func TestOpenUnrelatedFilesLeftUntouched(t *testing.T) {
	dir := t.TempDir()
	note := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(note, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := graph.NewStore(dir).Open()
	if !errors.Is(err, graph.ErrNotDatabase) {
		t.Fatalf("open: got %v, want %v", err, graph.ErrNotDatabase)
	}
	if got, want := testdb.DirNames(t, dir), []string{"notes.txt"}; !reflect.DeepEqual(got, want) {
		t.Errorf("dir entries: got %v, want %v", got, want)
	}
	if b, err := os.ReadFile(note); err != nil || string(b) != "keep me" {
		t.Errorf("notes.txt: got %q (%v), want %q", b, err, "keep me")
	}
}

func TestOpenLocked(t *testing.T) {
	first := testdb.OpenDir(t, t.TempDir())
	second := graph.NewStore(first.Path)
	err := second.Open()
	if !errors.Is(err, graph.ErrLocked) {
		second.Close()
		t.Fatalf("second open: got %v, want %v", err, graph.ErrLocked)
	}
	if graph.RawDB(second) != nil {
		t.Errorf("DB of refused store: got %v, want nil", graph.RawDB(second))
	}
	if err := second.Close(); err != nil {
		t.Errorf("close of refused store: got %v, want nil", err)
	}
	// The first store still works.
	if v, err := readVersion(t, first); err != nil || v != graph.FormatVersion {
		t.Errorf("first store version: got %d (%v), want %d", v, err, graph.FormatVersion)
	}
}
