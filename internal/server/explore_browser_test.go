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

	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond),
			chromedp.WithPollingTimeout(30*time.Second))
	}
	eval := func(t *testing.T, expr string, v any) {
		t.Helper()
		var err error
		switch v := v.(type) {
		case *string:
			*v, err = chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		case *bool:
			*v, err = chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		case *int:
			*v, err = chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		case *[]string:
			*v, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
		case *explorePathView:
			*v, err = chromedp.Run(ctx, chromedp.Evaluate[explorePathView](expr))
		default:
			t.Fatalf("eval into %T", v)
		}
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
	}
	shoot := func(t *testing.T, name string) {
		t.Helper()
		img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		file := filepath.Join(shots, name)
		if err := os.WriteFile(file, img, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
	}
	// pick types text into a combobox, waits for the hit with the id wanted,
	// moves to it with the arrow keys and chooses it with Enter.
	pick := func(t *testing.T, input, text, id, shot string) {
		t.Helper()
		list := strings.TrimPrefix(input, "#") + "-list"
		hit := fmt.Sprintf(`#%s li.hit[data-id=%q]`, list, id)
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(input)),
			chromedp.SendKeys(chromedp.CSS(input), text),
			chromedp.WaitVisible(chromedp.CSS(hit)),
		)
		if err != nil {
			var shown string
			eval(t, fmt.Sprintf(`document.getElementById(%q).textContent`, list), &shown)
			t.Fatalf("typing %q into %s: waiting for the hit %s: %v; list shows %q", text, input, id, err, shown)
		}
		var ids []string
		eval(t, fmt.Sprintf(`Array.from(document.querySelectorAll('#%s li.hit'), (li) => li.dataset.id)`, list), &ids)
		i := slices.Index(ids, id)
		for range i + 1 {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
				t.Fatal(err)
			}
		}
		var active string
		eval(t, fmt.Sprintf(`(() => {
			const a = document.querySelector(%q).getAttribute('aria-activedescendant');
			const li = a && document.getElementById(a);
			return li && li.getAttribute('aria-selected') === 'true' ? li.dataset.id : '';
		})()`, input), &active)
		if active != id {
			t.Fatalf("%s after %d × ArrowDown: active option %q, want %q (hits %v)", input, i+1, active, id, ids)
		}
		if shot != "" {
			shoot(t, shot)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("search for Kafka draws its neighbourhood", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/explore"),
			chromedp.WaitVisible(chromedp.CSS("#search")),
			poll(explorerIdle),
		)
		if err != nil {
			t.Fatalf("loading /explore: %v", err)
		}
		var label string
		eval(t, `document.querySelector('label[for="search"]').textContent`, &label)
		if label == "" {
			t.Error("search box: no label")
		}
		// A partial word finds nothing in the full-text index; the names the
		// server suggests for it are offered instead.
		err = chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.CSS("#search"), "Kaf"),
			chromedp.WaitVisible(chromedp.CSS(`#search-list li.hit[data-id="kafka"]`)),
		)
		if err != nil {
			t.Fatalf("typing Kaf: waiting for the suggestion Apache Kafka: %v", err)
		}
		var suggestion string
		eval(t, `document.querySelector('#search-list li.hit[data-id="kafka"]').textContent`, &suggestion)
		if !strings.Contains(suggestion, "Apache Kafka") || !strings.Contains(suggestion, "did you mean") {
			t.Errorf("suggestion for Kaf: got %q, want Apache Kafka as a did-you-mean", suggestion)
		}
		eval(t, `(() => {
			const i = document.getElementById('search');
			i.value = '';
			i.dispatchEvent(new Event('input'));
			return document.getElementById('search-list').hidden;
		})()`, new(bool))
		pick(t, "#search", "Kafka", "kafka", "explore-search.png")
		var hitText string
		eval(t, `document.getElementById('search').value`, &hitText)
		if hitText != "Apache Kafka" {
			t.Errorf("search box after the pick: got %q, want %q", hitText, "Apache Kafka")
		}
		err = chromedp.Do(ctx, poll(`(() => {
			const x = window.talkgraphExplorer;
			return !x.busy && x.cy.getElementById('kafka').length === 1 &&
				x.cy.getElementById('talk-rise-of-real-time').length === 1;
		})()`))
		if err != nil {
			var ids []string
			eval(t, `window.talkgraphExplorer.cy.nodes().map((n) => n.id())`, &ids)
			t.Fatalf("waiting for Neha Narkhede's talk on the graph: %v; nodes %v", err, ids)
		}
		// One expansion: the nodes are Kafka and its neighbours, every
		// relation touches Kafka.
		var expanded []string
		eval(t, `window.talkgraphExplorer.state.expanded`, &expanded)
		if !slices.Equal(expanded, []string{"kafka"}) {
			t.Errorf("expanded: got %v, want [kafka]", expanded)
		}
		var stray int
		eval(t, `window.talkgraphExplorer.cy.edges().filter((e) => e.source().id() !== 'kafka' && e.target().id() !== 'kafka').length`, &stray)
		if stray != 0 {
			t.Errorf("relations not touching kafka after one expansion: got %d, want 0", stray)
		}
		var talkName, talkKind string
		eval(t, `window.talkgraphExplorer.cy.getElementById('talk-rise-of-real-time').data('name')`, &talkName)
		eval(t, `window.talkgraphExplorer.cy.getElementById('talk-rise-of-real-time').data('kind')`, &talkKind)
		if talkName != "The rise of real time" || talkKind != "TALK" {
			t.Errorf("talk node: got %q (%s), want %q (TALK)", talkName, talkKind, "The rise of real time")
		}
		var search string
		eval(t, `location.search`, &search)
		if search != "?focus=kafka" {
			t.Errorf("URL query: got %q, want %q", search, "?focus=kafka")
		}
	})
	if t.Failed() {
		return
	}

	var sharedURL string
	t.Run("path from Kafka to SRE is highlighted", func(t *testing.T) {
		pick(t, "#path-from", "Kafka", "kafka", "")
		pick(t, "#path-to", "SRE", "sre", "")
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS("#path-go")),
			poll(`(() => { const x = window.talkgraphExplorer; return !x.busy && x.cy.$('.highlight').length > 0; })()`),
		)
		if err != nil {
			var status string
			eval(t, `document.getElementById('status').textContent`, &status)
			t.Fatalf("waiting for the path: %v; status %q", err, status)
		}
		var p explorePathView
		eval(t, readExplorePath, &p)
		checkExplorePath(t, p, "kafka", "sre", 4)
		if p.From != "Apache Kafka" || p.To != "Site Reliability Engineering" {
			t.Errorf("path inputs: got %q → %q, want %q → %q", p.From, p.To, "Apache Kafka", "Site Reliability Engineering")
		}
		// The neighbourhood stays; what is not on the path is faded.
		var faded, talk int
		eval(t, `window.talkgraphExplorer.cy.$('.faded').length`, &faded)
		eval(t, `window.talkgraphExplorer.cy.getElementById('neha-narkhede').length`, &talk)
		if faded == 0 || talk != 1 {
			t.Errorf("after the path: %d faded elements, neha-narkhede present %d; want some faded, the neighbourhood kept", faded, talk)
		}
		var search string
		eval(t, `location.search`, &search)
		if want := "?focus=kafka&from=kafka&to=sre"; search != want {
			t.Errorf("URL query: got %q, want %q", search, want)
		}
		eval(t, `location.href`, &sharedURL)
	})
	if t.Failed() {
		return
	}

	t.Run("clicking a relation shows its evidence", func(t *testing.T) {
		// The highlighted relation at Kafka, clicked at its middle on screen.
		type target struct {
			ID     string  `json:"id"`
			X      float64 `json:"x"`
			Y      float64 `json:"y"`
			Quote  string  `json:"quote"`
			Source string  `json:"source"`
		}
		at, err := chromedp.Run(ctx, chromedp.Evaluate[target](`(() => {
			const cy = window.talkgraphExplorer.cy;
			const e = cy.edges('.highlight').filter((e) => e.source().id() === 'kafka' || e.target().id() === 'kafka')[0];
			const m = e.renderedMidpoint();
			const box = cy.container().getBoundingClientRect();
			const ev = e.data('evidence')[0];
			return { id: e.id(), x: box.left + m.x, y: box.top + m.y, quote: ev.quote, source: ev.source.name };
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if at.Quote == "" {
			t.Fatalf("relation %s: no quote in its data", at.ID)
		}
		err = chromedp.Do(ctx,
			chromedp.MouseClickXY(at.X, at.Y),
			chromedp.WaitVisible(chromedp.CSS("#details .evidence blockquote")),
		)
		if err != nil {
			t.Fatalf("clicking the relation %s at (%.0f, %.0f): %v", at.ID, at.X, at.Y, err)
		}
		var selected []string
		eval(t, `window.talkgraphExplorer.cy.edges(':selected').map((e) => e.id())`, &selected)
		if !slices.Equal(selected, []string{at.ID}) {
			t.Errorf("selected relations: got %v, want [%s]", selected, at.ID)
		}
		var quote, source, title string
		eval(t, `document.querySelector('#details .evidence blockquote').textContent`, &quote)
		eval(t, `document.querySelector('#details .evidence figcaption').textContent`, &source)
		eval(t, `document.getElementById('details-title').textContent`, &title)
		if quote != at.Quote {
			t.Errorf("evidence panel quote: got %q, want %q", quote, at.Quote)
		}
		if !strings.Contains(source, at.Source) {
			t.Errorf("evidence panel source: got %q, want it to name %q", source, at.Source)
		}
		if title != "Relation" {
			t.Errorf("panel title: got %q, want %q", title, "Relation")
		}
		shoot(t, "explore.png")
	})
	if t.Failed() {
		return
	}

	t.Run("deep links restore the view", func(t *testing.T) {
		// The URL the page wrote: the same neighbourhood and path.
		err := chromedp.Do(ctx,
			chromedp.Navigate(sharedURL),
			poll(`(() => { const x = window.talkgraphExplorer; return !!x && !x.busy && x.cy.$('.highlight').length > 0; })()`),
		)
		if err != nil {
			t.Fatalf("loading %s: %v", sharedURL, err)
		}
		var p explorePathView
		eval(t, readExplorePath, &p)
		checkExplorePath(t, p, "kafka", "sre", 4)
		var n int
		eval(t, `window.talkgraphExplorer.cy.getElementById('talk-rise-of-real-time').length + window.talkgraphExplorer.cy.getElementById('neha-narkhede').length`, &n)
		if n != 2 {
			t.Errorf("%s: Kafka's neighbourhood is not drawn", sharedURL)
		}

		// A path alone.
		err = chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/explore?from=kafka&to=sre"),
			poll(`(() => { const x = window.talkgraphExplorer; return !!x && !x.busy && x.cy.$('.highlight').length > 0; })()`),
		)
		if err != nil {
			t.Fatalf("loading /explore?from=kafka&to=sre: %v", err)
		}
		eval(t, readExplorePath, &p)
		checkExplorePath(t, p, "kafka", "sre", 4)
		eval(t, `window.talkgraphExplorer.cy.nodes().length`, &n)
		if n != len(p.Nodes) {
			t.Errorf("/explore?from=kafka&to=sre: %d nodes drawn, want the %d of the path", n, len(p.Nodes))
		}
		if p.From != "Apache Kafka" || p.To != "Site Reliability Engineering" {
			t.Errorf("path inputs: got %q → %q, want the names", p.From, p.To)
		}
		shoot(t, "explore-path.png")

		// A neighbourhood alone.
		err = chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/explore?focus=kafka"),
			poll(`(() => { const x = window.talkgraphExplorer; return !!x && !x.busy && x.cy.getElementById('talk-rise-of-real-time').length === 1; })()`),
		)
		if err != nil {
			t.Fatalf("loading /explore?focus=kafka: %v", err)
		}
		var focus bool
		eval(t, `window.talkgraphExplorer.cy.getElementById('kafka').hasClass('focus')`, &focus)
		if !focus {
			t.Error("/explore?focus=kafka: kafka is not the focus")
		}
	})
	if t.Failed() {
		return
	}

	t.Run("clicking a node expands it", func(t *testing.T) {
		type point struct {
			X     float64 `json:"x"`
			Y     float64 `json:"y"`
			Nodes int     `json:"nodes"`
		}
		at, err := chromedp.Run(ctx, chromedp.Evaluate[point](`(() => {
			const cy = window.talkgraphExplorer.cy;
			const p = cy.getElementById('talk-rise-of-real-time').renderedPosition();
			const box = cy.container().getBoundingClientRect();
			return { x: box.left + p.x, y: box.top + p.y, nodes: cy.nodes().length };
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		err = chromedp.Do(ctx,
			chromedp.MouseClickXY(at.X, at.Y),
			poll(`(() => {
				const x = window.talkgraphExplorer;
				return !x.busy && x.state.expanded.includes('talk-rise-of-real-time');
			})()`),
		)
		if err != nil {
			t.Fatalf("clicking the talk at (%.0f, %.0f): %v", at.X, at.Y, err)
		}
		var n int
		eval(t, `window.talkgraphExplorer.cy.nodes().length`, &n)
		if n <= at.Nodes {
			t.Errorf("nodes after the expansion: got %d, want more than %d", n, at.Nodes)
		}
		var search, title string
		eval(t, `location.search`, &search)
		if want := "?focus=kafka,talk-rise-of-real-time"; search != want {
			t.Errorf("URL query: got %q, want %q", search, want)
		}
		eval(t, `document.querySelector('#details .entity-name').textContent`, &title)
		if title != "The rise of real time" {
			t.Errorf("details panel: got %q, want the talk", title)
		}
		shoot(t, "explore-expanded.png")
	})
	if t.Failed() {
		return
	}

	t.Run("legend and filters", func(t *testing.T) {
		// The legend has one entry per kind, in the colour of the nodes.
		var kinds int
		eval(t, `document.querySelectorAll('#legend .check').length`, &kinds)
		if kinds != 9 {
			t.Errorf("legend entries: got %d, want 9 (one per kind)", kinds)
		}
		var same bool
		eval(t, `(() => {
			const sw = document.querySelector('#legend .check[data-kind="TALK"] .swatch');
			const node = window.talkgraphExplorer.cy.getElementById('talk-rise-of-real-time');
			const probe = document.createElement('span');
			probe.style.color = node.data('color');
			document.body.append(probe);
			const want = getComputedStyle(probe).color;
			probe.remove();
			return getComputedStyle(sw).backgroundColor === want;
		})()`, &same)
		if !same {
			t.Error("legend: the talk swatch is not the colour of talk nodes")
		}
		visible := func(id string) bool {
			var v bool
			eval(t, fmt.Sprintf(`window.talkgraphExplorer.cy.getElementById(%q).visible()`, id), &v)
			return v
		}
		// toggle clicks a filter's checkbox through the DOM: a mouse click
		// at coordinates can miss when the side panel reflows under load.
		toggle := func(id string) {
			var done bool
			eval(t, fmt.Sprintf(`(document.getElementById(%q).click(), true)`, id), &done)
		}
		// becomes waits until the element's visibility is want: a filter's
		// change handler may run after the click returns.
		becomes := func(id string, want bool) bool {
			for i := 0; i < 50; i++ {
				if visible(id) == want {
					return true
				}
				time.Sleep(100 * time.Millisecond)
			}
			return false
		}
		var search string
		toggle("kind-PERSON")
		hidden := becomes("neha-narkhede", false)
		eval(t, `location.search`, &search)
		if !hidden || !strings.Contains(search, "hidekinds=PERSON") {
			t.Errorf("Person unchecked: neha-narkhede visible %v, URL %q; want hidden, hidekinds=PERSON", visible("neha-narkhede"), search)
		}
		toggle("kind-PERSON")
		if !becomes("neha-narkhede", true) {
			t.Error("Person checked again: neha-narkhede hidden, want visible")
		}

		var aboutEdge string
		eval(t, `window.talkgraphExplorer.cy.edges('[type = "about"]')[0].id()`, &aboutEdge)
		toggle("type-about")
		hidden = becomes(aboutEdge, false)
		eval(t, `location.search`, &search)
		if !hidden || !strings.Contains(search, "hidetypes=about") {
			t.Errorf("about unchecked: %s visible %v, URL %q; want hidden, hidetypes=about", aboutEdge, visible(aboutEdge), search)
		}
		toggle("type-about")
		if !becomes(aboutEdge, true) {
			t.Errorf("about checked again: %s hidden, want visible", aboutEdge)
		}
	})

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
