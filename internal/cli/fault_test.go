package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/gen"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// The fault tests run talkgraph as a child process (this test binary,
// re-executed as the CLI) and kill it with SIGKILL. go test ./... (and CI)
// runs a few rounds, enough to land kills before, during and after a commit
// now and then without slowing every run; the long form, before a release or
// after a change to the store's write path, is
//
//	go test ./internal/cli -run KillDuringSeed -fault-rounds 100 -timeout 30m
var faultRounds = flag.Int("fault-rounds", 5, "rounds of the kill -9 tests (100 for the long form)")

func TestMain(m *testing.M) {
	// The commands' tests are about dotScale: the embedded data they seed
	// leaves the vocabulary out, unless a test sets the variable back
	// (TestEmbeddedVocabulary).
	if _, set := os.LookupEnv("TALKGRAPH_NO_VOCABULARY"); !set {
		os.Setenv("TALKGRAPH_NO_VOCABULARY", "1")
	}
	if os.Getenv("TALKGRAPH_TEST_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], SystemIO()))
	}
	if mode := os.Getenv("TALKGRAPH_TEST_RAW"); mode != "" && rawWriteHook != nil {
		os.Exit(rawWriteHook(mode, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// rawWriteHook is the raw writer of BenchmarkSeedScale, where it builds.
var rawWriteHook func(mode string, args []string) int

// child returns the command running talkgraph with args.
func child(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "TALKGRAPH_TEST_MAIN=1")
	return cmd
}

// contentHash opens the database, checks it and returns its content hash.
func contentHash(t *testing.T, dir string) string {
	t.Helper()
	s := graph.NewStore(dir)
	s.Analyzer = analyzer
	if err := s.Open(); err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	defer s.Close()
	h, err := s.ContentHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// twoVersions writes two different data sets under the same name and
// returns their directories and the content hash each gives when seeded.
func twoVersions(t *testing.T, talks int) (dirs [2]string, hashes [2]string) {
	root := t.TempDir()
	for i := range dirs {
		dirs[i] = filepath.Join(root, fmt.Sprint(i), "synthetic")
		if err := gen.Write(dirs[i], gen.Config{Talks: talks, Seed: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(root, fmt.Sprintf("ref-%d", i))
		if out, err := child("--db", db, "seed", dirs[i]).CombinedOutput(); err != nil {
			t.Fatalf("reference seed: %v: %s", err, out)
		}
		hashes[i] = contentHash(t, db)
	}
	return dirs, hashes
}

// killRounds runs *faultRounds times: start a child that moves the
// database at db from the state it holds (hashes[cur]) to the other, kill it
// at a random moment within 1.5 × took, and check that the database holds
// exactly one of the two states; then after(round), if set. It returns how
// often each was found.
func killRounds(t *testing.T, db string, took time.Duration, hashes [2]string, start func(next int) *exec.Cmd, after func(round int)) map[string]int {
	t.Helper()
	cur, outcomes := 0, map[string]int{}
	for round := 0; round < *faultRounds; round++ {
		next := 1 - cur
		cmd := start(next)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(took) * 3 / 2)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		switch contentHash(t, db) {
		case hashes[cur]:
			outcomes["old"]++
		case hashes[next]:
			outcomes["new"]++
			cur = next
		default:
			t.Fatalf("round %d: the database holds neither the old nor the new graph", round)
		}
		if after != nil {
			after(round)
		}
	}
	return outcomes
}

// TestKillDuringSeed kills a seeding process at random points; the database
// must then hold exactly the old or the new data set, never a mix.
func TestKillDuringSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test: not in -short")
	}
	killDuringSeed(t)
}

// TestKillDuringRebuildSeed: the same when every seed is written into a
// new database that then replaces the old one (the path of a large seed
// by the command line, taken here by small ones): after a kill at any
// moment, the next open finds the old database or the new one, and
// nothing is left beside it.
func TestKillDuringRebuildSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test: not in -short")
	}
	t.Setenv(rebuildMinEnv, "-1")
	killDuringSeed(t)
}

func killDuringSeed(t *testing.T) {
	dirs, hashes := twoVersions(t, 200)
	db := filepath.Join(t.TempDir(), "db")
	if out, err := child("--db", db, "seed", dirs[0]).CombinedOutput(); err != nil {
		t.Fatalf("first seed: %v: %s", err, out)
	}
	// Time a complete re-seed, the operation the rounds interrupt, so the
	// kills land before, during and after its commit.
	start := time.Now()
	for _, d := range []string{dirs[1], dirs[0]} {
		if out, err := child("--db", db, "seed", "--force", d).CombinedOutput(); err != nil {
			t.Fatalf("re-seed: %v: %s", err, out)
		}
	}
	took := time.Since(start) / 2
	outcomes := killRounds(t, db, took, hashes, func(next int) *exec.Cmd {
		return child("--db", db, "seed", "--force", dirs[next])
	}, func(round int) {
		if names := testdb.DirNames(t, filepath.Dir(db)); !slices.Equal(names, []string{"db"}) {
			t.Fatalf("round %d: beside the database after the next open: %v", round, names)
		}
	})
	t.Logf("%d rounds, seed takes %v: %v", *faultRounds, took, outcomes)
}

// TestSecondSeedWhileOneRuns: the second is refused with one clear line and
// the first finishes unharmed.
func TestSecondSeedWhileOneRuns(t *testing.T) {
	dirs, hashes := twoVersions(t, 600)
	db := filepath.Join(t.TempDir(), "db")
	first := child("--db", db, "seed", dirs[0])
	var firstOut bytes.Buffer
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the first holds the database (its directory has a LOCK).
	for i := 0; i < 200; i++ {
		if _, err := os.Stat(filepath.Join(db, "LOCK")); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	out, err := child("--db", db, "seed", dirs[1]).CombinedOutput()
	if err == nil {
		t.Fatalf("second seed: got success, want a refusal")
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "another talkgraph process") {
		t.Errorf("second seed: got %q, want one line naming another talkgraph process", out)
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("first seed: %v: %s", err, firstOut.String())
	}
	if got := contentHash(t, db); got != hashes[0] {
		t.Errorf("after both: got content %s, want the first seed's %s", got, hashes[0])
	}
}
