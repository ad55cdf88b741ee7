package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/server"
)

// hubTalks is how many talks mention the hub concept of seedHub.
const hubTalks = 320

// seedHub adds a data set "hub" to the store: a concept that hubTalks
// talks mention, each talk given by one of ten speakers; hub-talk-000 and
// hub-talk-001 also share a rare concept and their speaker, so each is the
// other's most similar talk.
func seedHub(tb testing.TB, s *graph.Store) {
	tb.Helper()
	w, err := s.BeginDataset(context.Background(), "hub")
	if err != nil {
		tb.Fatal(err)
	}
	ev := []graph.Evidence{{Source: "hub-programme", Quote: "the programme"}}
	nodes := []graph.Node{
		{ID: "hub-programme", Kind: graph.KindSource, Name: "Hub programme"},
		{ID: "hub-concept", Kind: graph.KindConcept, Name: "Hub concept"},
		{ID: "rare-concept", Kind: graph.KindConcept, Name: "Rare concept"},
	}
	var edges []graph.Edge
	kinds := map[string]graph.Kind{}
	for i := range 10 {
		nodes = append(nodes, graph.Node{ID: fmt.Sprintf("hub-speaker-%d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Hub speaker %d", i)})
	}
	for i := range hubTalks {
		id := fmt.Sprintf("hub-talk-%03d", i)
		nodes = append(nodes, graph.Node{ID: id, Kind: graph.KindTalk, Name: fmt.Sprintf("Hub talk %d", i)})
		edges = append(edges,
			graph.Edge{From: id, Type: "mentions", To: "hub-concept", Evidence: ev},
			graph.Edge{From: fmt.Sprintf("hub-speaker-%d", i%10), Type: "gave", To: id, Evidence: ev})
	}
	for _, id := range []string{"hub-talk-000", "hub-talk-001"} {
		edges = append(edges, graph.Edge{From: id, Type: "about", To: "rare-concept", Evidence: ev})
	}
	edges = append(edges, graph.Edge{From: "hub-speaker-0", Type: "gave", To: "hub-talk-001", Evidence: ev})
	for i := range nodes {
		kinds[nodes[i].ID] = nodes[i].Kind
		if err := w.PutNode(&nodes[i]); err != nil {
			w.Abort()
			tb.Fatal(err)
		}
	}
	for _, e := range edges {
		if err := w.PutEdge(e, kinds[e.From], kinds[e.To]); err != nil {
			w.Abort()
			tb.Fatal(err)
		}
	}
	if err := w.Commit(graph.DatasetInfo{}); err != nil {
		tb.Fatal(err)
	}
}

// TestExploreHubBrowser opens /explore on a concept with hundreds of
// relations: the first page is drawn, the panel says how many there are,
// "Show more" draws the next page, and a talk's panel lists its similar
// talks.
func TestExploreHubBrowser(t *testing.T) {
	execPath := chromiumPath(t)
	ts := newTestServer(t, func(_ *server.Server, st *storeStats) { seedHub(t, st.store) })
	browserCtx, _ := startBrowser(t, execPath, 240*time.Second, "explore", chromedp.WindowSize(1400, 900))
	ctx, cancel := context.WithTimeout(browserCtx, 200*time.Second)
	defer cancel()
	poll := func(t *testing.T, what, expr string) {
		t.Helper()
		err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond),
			chromedp.WithPollingTimeout(60*time.Second)))
		if err != nil {
			status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
			t.Fatalf("waiting for %s: %v; status %q", what, err, status)
		}
	}
	str := func(t *testing.T, expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	drawn := `window.talkgraphExplorer.cy.getElementById('hub-concept').connectedEdges().length`

	t.Run("a hub shows its first page and how many there are", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/explore?focus=hub-concept")); err != nil {
			t.Fatal(err)
		}
		poll(t, "the hub drawn", explorerIdle+` && `+drawn+` === 50`)
		if got, want := str(t, `document.getElementById('more-count').textContent`), fmt.Sprintf("50 of %d relations shown. ", hubTalks); got != want {
			t.Errorf("panel: got %q, want %q", got, want)
		}
		if got, want := str(t, `document.getElementById('more-relations').textContent`), "Show 50 more"; got != want {
			t.Errorf("button: got %q, want %q", got, want)
		}
	})
	t.Run("show more draws the next page", func(t *testing.T) {
		for page := 2; page <= 3; page++ {
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#more-relations"))); err != nil {
				t.Fatal(err)
			}
			poll(t, fmt.Sprintf("page %d", page), explorerIdle+fmt.Sprintf(` && %s === %d`, drawn, 50*page))
			if got, want := str(t, `document.getElementById('more-count').textContent`), fmt.Sprintf("%d of %d relations shown. ", 50*page, hubTalks); got != want {
				t.Errorf("panel after page %d: got %q, want %q", page, got, want)
			}
		}
	})
	t.Run("a talk's panel lists its similar talks", func(t *testing.T) {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.talkgraphExplorer.expand('hub-talk-000'), true`)); err != nil {
			t.Fatal(err)
		}
		poll(t, "similar talks", explorerIdle+` && !!document.querySelector('#similar-talks li[data-id]')`)
		if got, want := str(t, `document.querySelector('#similar-talks li[data-id]').dataset.id`), "hub-talk-001"; got != want {
			t.Errorf("most similar talk: got %s, want %s", got, want)
		}
		if got := str(t, `document.querySelector('#similar-talks li[data-id]').textContent`); got != "Hub talk 1 — shares Hub concept, Rare concept, Hub speaker 0" {
			t.Errorf("most similar talk's line: got %q", got)
		}
		// TALKGRAPH_SCREENSHOT_DIR keeps a picture, to look at.
		if dir := os.Getenv("TALKGRAPH_SCREENSHOT_DIR"); dir != "" {
			img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, "explore-hub.png"), img, 0o644)
			}
			if err != nil {
				t.Error(err)
			}
		}
	})
}
