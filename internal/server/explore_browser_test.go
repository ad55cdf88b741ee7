package server_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// explorerIdle is true once the explorer has started and no graph request
// or layout is running.
const explorerIdle = `(() => { const x = window.talkgraphExplorer; return !!x && !x.busy; })()`

// explorePathView is what the page shows of a highlighted path.
type explorePathView struct {
	Nodes []string    `json:"nodes"` // ids of the nodes in class highlight
	Edges [][2]string `json:"edges"` // [source, target] of the edges in class highlight
	From  string      `json:"from"`  // the path inputs
	To    string      `json:"to"`
}

const readExplorePath = `(() => {
	const cy = window.talkgraphExplorer.cy;
	return {
		nodes: cy.nodes('.highlight').map((n) => n.id()),
		edges: cy.edges('.highlight').map((e) => [e.source().id(), e.target().id()]),
		from: document.getElementById('path-from').value,
		to: document.getElementById('path-to').value,
	};
})()`

// checkExplorePath checks that the highlighted elements are one chain of at most
// maxHops relations from one id to the other, followed either way.
func checkExplorePath(t *testing.T, p explorePathView, from, to string, maxHops int) {
	t.Helper()
	hops := len(p.Edges)
	if hops < 1 || hops > maxHops {
		t.Fatalf("highlighted relations: got %d %v, want 1 to %d", hops, p.Edges, maxHops)
	}
	if got, want := len(p.Nodes), hops+1; got != want {
		t.Errorf("highlighted nodes: got %d %v, want %d (hops + 1)", got, p.Nodes, want)
	}
	// Walk from `from`, each relation used once, either direction.
	at, used := from, make([]bool, hops)
	seen := []string{from}
	for range hops {
		next := ""
		for i, e := range p.Edges {
			if used[i] {
				continue
			}
			if e[0] == at {
				next = e[1]
			} else if e[1] == at {
				next = e[0]
			} else {
				continue
			}
			used[i] = true
			break
		}
		if next == "" {
			t.Fatalf("highlighted relations %v: no chain from %s (stuck at %s)", p.Edges, from, at)
		}
		at = next
		seen = append(seen, at)
	}
	if at != to {
		t.Errorf("highlighted chain %v: ends at %s, want %s", seen, at, to)
	}
	for _, id := range seen {
		if !slices.Contains(p.Nodes, id) {
			t.Errorf("node %s of the chain: not highlighted (highlighted %v)", id, p.Nodes)
		}
	}
}

// explorer is the browser on /explore that the steps of TestExploreBrowser
// share: each step starts from the page the one before left.
type explorer struct {
	ctx       context.Context
	base      string // the test server's URL
	shots     string // where screenshots go
	sharedURL string // the deep link explorePath read, for exploreDeepLinks
}

func (x *explorer) poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond),
		chromedp.WithPollingTimeout(30*time.Second))
}

// eval evaluates expr in the page into v, failing the test on an error.
func (x *explorer) eval(t *testing.T, expr string, v any) {
	t.Helper()
	var err error
	switch v := v.(type) {
	case *string:
		*v, err = chromedp.Run(x.ctx, chromedp.Evaluate[string](expr))
	case *bool:
		*v, err = chromedp.Run(x.ctx, chromedp.Evaluate[bool](expr))
	case *int:
		*v, err = chromedp.Run(x.ctx, chromedp.Evaluate[int](expr))
	case *[]string:
		*v, err = chromedp.Run(x.ctx, chromedp.Evaluate[[]string](expr))
	case *explorePathView:
		*v, err = chromedp.Run(x.ctx, chromedp.Evaluate[explorePathView](expr))
	default:
		t.Fatalf("eval into %T", v)
	}
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
}

func (x *explorer) shoot(t *testing.T, name string) {
	t.Helper()
	img, err := chromedp.Run(x.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	file := filepath.Join(x.shots, name)
	if err := os.WriteFile(file, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// pick types text into a combobox, waits for the hit with the id wanted,
// moves to it with the arrow keys and chooses it with Enter.
func (x *explorer) pick(t *testing.T, input, text, id, shot string) {
	t.Helper()
	list := strings.TrimPrefix(input, "#") + "-list"
	hit := fmt.Sprintf(`#%s li.hit[data-id=%q]`, list, id)
	err := chromedp.Do(x.ctx,
		chromedp.Click(chromedp.CSS(input)),
		chromedp.SendKeys(chromedp.CSS(input), text),
		chromedp.WaitVisible(chromedp.CSS(hit)),
	)
	if err != nil {
		var shown string
		x.eval(t, fmt.Sprintf(`document.getElementById(%q).textContent`, list), &shown)
		t.Fatalf("typing %q into %s: waiting for the hit %s: %v; list shows %q", text, input, id, err, shown)
	}
	var ids []string
	x.eval(t, fmt.Sprintf(`Array.from(document.querySelectorAll('#%s li.hit'), (li) => li.dataset.id)`, list), &ids)
	i := slices.Index(ids, id)
	for range i + 1 {
		if err := chromedp.Do(x.ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
			t.Fatal(err)
		}
	}
	var active string
	x.eval(t, fmt.Sprintf(`(() => {
		const a = document.querySelector(%q).getAttribute('aria-activedescendant');
		const li = a && document.getElementById(a);
		return li && li.getAttribute('aria-selected') === 'true' ? li.dataset.id : '';
	})()`, input), &active)
	if active != id {
		t.Fatalf("%s after %d × ArrowDown: active option %q, want %q (hits %v)", input, i+1, active, id, ids)
	}
	if shot != "" {
		x.shoot(t, shot)
	}
	if err := chromedp.Do(x.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
}

// TestExploreBrowser walks /explore in a real browser as a person would,
// one step after another on the same page; a failed step stops the walk,
// since the next starts from what it left. Every request must then have
// stayed on the test server, with no script error.
func TestExploreBrowser(t *testing.T) {
	execPath := chromiumPath(t)
	ts := newTestServer(t, nil)
	origin, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	// Screenshots go to TALKGRAPH_SCREENSHOT_DIR when set (to look at them),
	// else to a directory removed with the test.
	shots := os.Getenv("TALKGRAPH_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	browserCtx, log := startBrowser(t, execPath, 120*time.Second, "explore", chromedp.WindowSize(1400, 900))
	ctx, cancel := context.WithTimeout(browserCtx, 90*time.Second)
	defer cancel()
	x := &explorer{ctx: ctx, base: ts.URL, shots: shots}
	for _, step := range []struct {
		name string
		run  func(*testing.T, *explorer)
	}{
		{"a partial word is offered names", exploreSuggest},
		{"search for Kafka draws its neighbourhood", exploreSearch},
		{"path from Kafka to SRE is highlighted", explorePath},
		{"clicking a relation shows its evidence", exploreEvidence},
		{"deep links restore the view", exploreDeepLinks},
		{"clicking a node expands it", exploreExpand},
		{"legend and filters", exploreFilters},
		{"a shorter path through the conference is offered", exploreShorterPath},
	} {
		if !t.Run(step.name, func(t *testing.T) { step.run(t, x) }) {
			break
		}
	}
	requests, problems := log.snapshot()
	t.Run("every request stays on the test server", func(t *testing.T) {
		checkSameOrigin(t, requests, origin, "/explore",
			"/explore/assets/cytoscape.min.js",
			"/explore/assets/explore.js",
			"/explore/assets/explore.css",
			"/graphql")
	})
	t.Run("no script errors", func(t *testing.T) {
		if got := problems; len(got) > 0 {
			t.Errorf("console errors, warnings and exceptions: got %v, want none", got)
		}
	})
}
