package cli

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bigProgramme writes a frab XML programme of n events, each with an
// abstract and two speakers; version changes every title.
func bigProgramme(t *testing.T, path string, n, version int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<schedule><conference><acronym>big</acronym><title>Big Conf</title></conference>\n<day date=\"2025-01-02\"><room name=\"A\">\n")
	for i := range n {
		fmt.Fprintf(&b, "<event id=\"%d\"><date>2025-01-02T10:00:00+01:00</date><title>Talk %d, version %d</title>"+
			"<abstract>%s</abstract><persons><person>Speaker %d</person><person>Speaker %d</person></persons></event>\n",
			i, i, version, strings.Repeat("A *paragraph* of the abstract, with words. ", 20), i%500, (i+7)%500)
	}
	b.WriteString("</room></day></schedule>\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// outHash hashes the files of an import's directory ("" when absent).
func outHash(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", e.Name(), len(data))
		h.Write(data)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// importVersions writes two versions of a big programme and imports each
// once into a directory of its own: it returns the inputs, the hashes of
// what each import writes, and how long one import takes.
func importVersions(t *testing.T, events int) (inputs [2]string, hashes [2]string, took time.Duration) {
	t.Helper()
	root := t.TempDir()
	start := time.Now()
	for i := range inputs {
		inputs[i] = filepath.Join(root, fmt.Sprintf("v%d.xml", i))
		bigProgramme(t, inputs[i], events, i)
		out := filepath.Join(root, fmt.Sprintf("ref-%d", i), "big")
		if b, err := child("import", inputs[i], "--out", out).CombinedOutput(); err != nil {
			t.Fatalf("reference import: %v: %s", err, b)
		}
		hashes[i] = outHash(t, out)
	}
	return inputs, hashes, time.Since(start) / 2
}

// TestSignalDuringImport stops an import with SIGTERM or SIGINT at a
// random moment: it either finished (the new files) or says it was
// interrupted and left --out as it was, with nothing beside it.
func TestSignalDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("signal test: not in -short")
	}
	inputs, hashes, took := importVersions(t, 1500)
	parent := t.TempDir()
	out := filepath.Join(parent, "big")
	cur, outcomes := -1, map[string]int{}
	for round := range *faultRounds {
		next := (cur + 1) % 2
		cmd := child("import", inputs[next], "--out", out)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(took) * 3 / 2)))
		sig := []os.Signal{syscall.SIGTERM, os.Interrupt}[round%2]
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		got := outHash(t, out)
		switch {
		case err == nil && got == hashes[next]:
			outcomes["finished"]++
			cur = next
		case err != nil && (strings.Contains(stderr.String(), "import interrupted: nothing written") || killedBy(cmd, sig)):
			// killedBy: the signal came before the process set its handler
			if cur >= 0 && got != hashes[cur] || cur < 0 && got != "" {
				t.Fatalf("round %d (%v): interrupted, but --out changed", round, sig)
			}
			outcomes["interrupted"]++
		default:
			t.Fatalf("round %d (%v): exit %v, stderr %q: neither finished nor interrupted", round, sig, err, stderr.String())
		}
		if left, _ := filepath.Glob(filepath.Join(parent, ".*")); len(left) > 0 {
			t.Fatalf("round %d (%v): left %v beside --out", round, sig, left)
		}
	}
	t.Logf("%d rounds, an import takes %v: %v", *faultRounds, took, outcomes)
}

// TestKillDuringImport kills an import with SIGKILL at a random moment:
// --out then holds the old files or the new ones, never a mix, and the
// next import removes what the killed one left beside it.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test: not in -short")
	}
	inputs, hashes, took := importVersions(t, 1500)
	parent := t.TempDir()
	out := filepath.Join(parent, "big")
	if b, err := child("import", inputs[0], "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("first import: %v: %s", err, b)
	}
	cur, outcomes := 0, map[string]int{}
	for round := range *faultRounds {
		next := 1 - cur
		cmd := child("import", inputs[next], "--out", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(took) * 3 / 2)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		switch outHash(t, out) {
		case hashes[cur]:
			outcomes["old"]++
		case hashes[next]:
			outcomes["new"]++
			cur = next
		default:
			t.Fatalf("round %d: --out holds neither the old nor the new import", round)
		}
	}
	if b, err := child("import", inputs[1-cur], "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("import after the kills: %v: %s", err, b)
	}
	if left, _ := filepath.Glob(filepath.Join(parent, ".*")); len(left) > 0 {
		t.Errorf("after an import that finished: left %v beside --out", left)
	}
	t.Logf("%d rounds, an import takes %v: %v", *faultRounds, took, outcomes)
}

// killedBy reports whether the finished cmd died of sig, unhandled.
func killedBy(cmd *exec.Cmd, sig os.Signal) bool {
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}
