package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
)

// startServeChild runs serve as a child process with a write token and returns
// its URL once it listens.
func startServeChild(t *testing.T, db, token string) (url string, stop func()) {
	t.Helper()
	cmd := child("--db", db, "serve", "--addr", "127.0.0.1:0", "--log-format", "json")
	cmd.Env = append(cmd.Env, "TALKGRAPH_WRITE_TOKEN="+token)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		var rec struct{ Msg, URL string }
		if json.Unmarshal(lines.Bytes(), &rec) == nil && rec.Msg == "talkgraph serving" {
			url = rec.URL
			break
		}
	}
	if url == "" {
		cmd.Process.Kill()
		t.Fatal("serve did not start")
	}
	go io.Copy(io.Discard, stderr)
	return url, func() { cmd.Process.Signal(syscall.SIGKILL); cmd.Wait() }
}

func mutateOnce(client *http.Client, url, token string, i int) bool {
	q := fmt.Sprintf(`mutation { upsertEntity(input: {id: "m-%d", kind: CONCEPT, name: "Mutation %d"}) { id } }`, i, i)
	body, _ := json.Marshal(map[string]string{"query": q})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return false
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode == 200 && strings.Contains(string(b), fmt.Sprintf(`"m-%d"`, i)) && !strings.Contains(string(b), `"errors"`)
}

// TestKillDuringMutations kills the server during a stream of mutations:
// every mutation it acknowledged must be in the database afterwards.
func TestKillDuringMutations(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test: not in -short")
	}
	db := filepath.Join(t.TempDir(), "db")
	const token = "fault-token"
	rounds := max(3, *faultRounds/4)
	next := 0
	var acked []int
	for round := 0; round < rounds; round++ {
		url, kill := startServeChild(t, db, token)
		client := &http.Client{Timeout: 5 * time.Second}
		deadline := time.Now().Add(time.Duration(50+rand.IntN(400)) * time.Millisecond)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for time.Now().Before(deadline) || next%7 != 0 {
				if !mutateOnce(client, url, token, next) {
					return
				}
				acked = append(acked, next)
				next++
			}
		}()
		time.Sleep(time.Until(deadline))
		kill()
		<-done
		next++ // the one in flight at the kill may or may not have landed
	}
	s := graph.NewStore(db)
	s.Analyzer = analyzer
	if err := s.Open(); err != nil {
		t.Fatalf("open after kills: %v", err)
	}
	defer s.Close()
	tx := s.Begin(context.Background())
	defer tx.Discard()
	for _, i := range acked {
		if _, err := tx.Node(fmt.Sprintf("m-%d", i)); err != nil {
			t.Errorf("acknowledged mutation m-%d: %v", i, err)
		}
	}
	if len(acked) == 0 {
		t.Fatal("no mutation was acknowledged: the test proved nothing")
	}
	t.Logf("%d rounds, %d acknowledged mutations, all present", rounds, len(acked))
}
