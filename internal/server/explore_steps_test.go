package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/talkgraph/talkgraph/graph"
)

// exploreSuggest: the page loads with a labelled search box, and a partial
// word is offered the names the server suggests.
func exploreSuggest(t *testing.T, x *explorer) {
	err := chromedp.Do(x.ctx,
		chromedp.Navigate(x.base+"/explore"),
		chromedp.WaitVisible(chromedp.CSS("#search")),
		x.poll(explorerIdle),
	)
	if err != nil {
		t.Fatalf("loading /explore: %v", err)
	}
	var label string
	x.eval(t, `document.querySelector('label[for="search"]').textContent`, &label)
	if label == "" {
		t.Error("search box: no label")
	}
	// Typed letter by letter, the start of a name offers it (suggest), as
	// the start of one of its words does; a typo offers the name as a
	// did-you-mean.
	for _, tc := range []struct {
		text, id, name string
		typo           bool
	}{
		{"Kaf", "kafka", "Apache Kafka", false},
		{"consen", "stellar-consensus-protocol", "Stellar Consensus Protocol", false},
		{"hashicrop", "hashicorp", "HashiCorp", true},
	} {
		hit := fmt.Sprintf(`#search-list li.hit[data-id=%q]`, tc.id)
		x.eval(t, `(() => { const i = document.getElementById('search'); i.value = ''; i.dispatchEvent(new Event('input')); return true; })()`, new(bool))
		for _, r := range tc.text {
			if err := chromedp.Do(x.ctx, chromedp.SendKeys(chromedp.CSS("#search"), string(r))); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(x.ctx, chromedp.WaitVisible(chromedp.CSS(hit))); err != nil {
			var shown string
			x.eval(t, `document.getElementById('search-list').textContent`, &shown)
			t.Fatalf("typing %q: waiting for %s: %v; the list shows %q", tc.text, tc.name, err, shown)
		}
		var text string
		x.eval(t, fmt.Sprintf(`document.querySelector(%q).textContent`, hit), &text)
		if !strings.Contains(text, tc.name) || strings.Contains(text, "did you mean") != tc.typo {
			t.Errorf("typing %q: the hit reads %q, want %s (did you mean: %v)", tc.text, text, tc.name, tc.typo)
		}
	}
	x.eval(t, `(() => {
		const i = document.getElementById('search');
		i.value = '';
		i.dispatchEvent(new Event('input'));
		return document.getElementById('search-list').hidden;
	})()`, new(bool))
}

// exploreSearch: picking a name in the search box draws that entity's
// neighbourhood.
func exploreSearch(t *testing.T, x *explorer) {
	x.pick(t, "#search", "Kafka", "kafka", "explore-search.png")
	var hitText string
	x.eval(t, `document.getElementById('search').value`, &hitText)
	if hitText != "Apache Kafka" {
		t.Errorf("search box after the pick: got %q, want %q", hitText, "Apache Kafka")
	}
	err := chromedp.Do(x.ctx, x.poll(`(() => {
		const x = window.talkgraphExplorer;
		return !x.busy && x.cy.getElementById('kafka').length === 1 &&
			x.cy.getElementById('talk-rise-of-real-time').length === 1;
	})()`))
	if err != nil {
		var ids []string
		x.eval(t, `window.talkgraphExplorer.cy.nodes().map((n) => n.id())`, &ids)
		t.Fatalf("waiting for Neha Narkhede's talk on the graph: %v; nodes %v", err, ids)
	}
	// One expansion: the nodes are Kafka and its neighbours, every
	// relation touches Kafka.
	var expanded []string
	x.eval(t, `window.talkgraphExplorer.state.expanded`, &expanded)
	if !slices.Equal(expanded, []string{"kafka"}) {
		t.Errorf("expanded: got %v, want [kafka]", expanded)
	}
	var stray int
	x.eval(t, `window.talkgraphExplorer.cy.edges().filter((e) => e.source().id() !== 'kafka' && e.target().id() !== 'kafka').length`, &stray)
	if stray != 0 {
		t.Errorf("relations not touching kafka after one expansion: got %d, want 0", stray)
	}
	var talkName, talkKind string
	x.eval(t, `window.talkgraphExplorer.cy.getElementById('talk-rise-of-real-time').data('name')`, &talkName)
	x.eval(t, `window.talkgraphExplorer.cy.getElementById('talk-rise-of-real-time').data('kind')`, &talkKind)
	if talkName != "The rise of real time" || talkKind != "TALK" {
		t.Errorf("talk node: got %q (%s), want %q (TALK)", talkName, talkKind, "The rise of real time")
	}
	var search string
	x.eval(t, `location.search`, &search)
	if search != "?focus=kafka" {
		t.Errorf("URL query: got %q, want %q", search, "?focus=kafka")
	}
}

// explorePath: a path between two picked entities is highlighted, and the
// URL records it (kept in x.sharedURL for exploreDeepLinks).
func explorePath(t *testing.T, x *explorer) {
	x.pick(t, "#path-from", "Kafka", "kafka", "")
	x.pick(t, "#path-to", "SRE", "sre", "")
	// The only chains run through the conference: nothing is drawn, the
	// panel says so and offers the path through it.
	err := chromedp.Do(x.ctx,
		chromedp.Click(chromedp.CSS("#path-go")),
		chromedp.WaitVisible(chromedp.CSS("#details-body button")),
	)
	if err != nil {
		t.Fatalf("waiting for the answer: %v", err)
	}
	type answer struct {
		Text, Button string
		Highlighted  int
	}
	told, err := chromedp.Run(x.ctx, chromedp.Evaluate[answer](`({ text: document.getElementById('details-body').textContent,
		button: document.querySelector('#details-body button').textContent,
		highlighted: window.talkgraphExplorer.cy.$('.highlight').length })`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(told.Text, "dotScale 2017 (a conference)") || told.Button != "Draw the path through dotscale-2017" || told.Highlighted != 0 {
		t.Errorf("panel: got %+v, want the conference named, its button, nothing highlighted", told)
	}
	err = chromedp.Do(x.ctx,
		chromedp.Click(chromedp.CSS("#details-body button")),
		x.poll(`(() => { const x = window.talkgraphExplorer; return !x.busy && x.cy.$('.highlight').length > 0; })()`),
	)
	if err != nil {
		var status string
		x.eval(t, `document.getElementById('status').textContent`, &status)
		t.Fatalf("waiting for the path: %v; status %q", err, status)
	}
	var p explorePathView
	x.eval(t, readExplorePath, &p)
	checkExplorePath(t, p, "kafka", "sre", 4)
	if p.From != "Apache Kafka" || p.To != "Site Reliability Engineering" {
		t.Errorf("path inputs: got %q → %q, want %q → %q", p.From, p.To, "Apache Kafka", "Site Reliability Engineering")
	}
	// The neighbourhood stays; what is not on the path is faded.
	var faded, talk int
	x.eval(t, `window.talkgraphExplorer.cy.$('.faded').length`, &faded)
	x.eval(t, `window.talkgraphExplorer.cy.getElementById('neha-narkhede').length`, &talk)
	if faded == 0 || talk != 1 {
		t.Errorf("after the path: %d faded elements, neha-narkhede present %d; want some faded, the neighbourhood kept", faded, talk)
	}
	var search string
	x.eval(t, `location.search`, &search)
	if want := "?focus=kafka&from=kafka&to=sre&via=dotscale-2017"; search != want {
		t.Errorf("URL query: got %q, want %q", search, want)
	}
	x.eval(t, `location.href`, &x.sharedURL)
}

// exploreEvidence: clicking a relation shows its evidence.
func exploreEvidence(t *testing.T, x *explorer) {
	// The highlighted relation at Kafka, clicked at its middle on screen.
	type target struct {
		ID     string  `json:"id"`
		X      float64 `json:"x"`
		Y      float64 `json:"y"`
		Quote  string  `json:"quote"`
		Source string  `json:"source"`
	}
	at, err := chromedp.Run(x.ctx, chromedp.Evaluate[target](`(() => {
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
	err = chromedp.Do(x.ctx,
		chromedp.MouseClickXY(at.X, at.Y),
		chromedp.WaitVisible(chromedp.CSS("#details .evidence blockquote")),
	)
	if err != nil {
		t.Fatalf("clicking the relation %s at (%.0f, %.0f): %v", at.ID, at.X, at.Y, err)
	}
	var selected []string
	x.eval(t, `window.talkgraphExplorer.cy.edges(':selected').map((e) => e.id())`, &selected)
	if !slices.Equal(selected, []string{at.ID}) {
		t.Errorf("selected relations: got %v, want [%s]", selected, at.ID)
	}
	var quote, source, title string
	x.eval(t, `document.querySelector('#details .evidence blockquote').textContent`, &quote)
	x.eval(t, `document.querySelector('#details .evidence figcaption').textContent`, &source)
	x.eval(t, `document.getElementById('details-title').textContent`, &title)
	if quote != at.Quote {
		t.Errorf("evidence panel quote: got %q, want %q", quote, at.Quote)
	}
	if !strings.Contains(source, at.Source) {
		t.Errorf("evidence panel source: got %q, want it to name %q", source, at.Source)
	}
	if title != "Relation" {
		t.Errorf("panel title: got %q, want %q", title, "Relation")
	}
	x.shoot(t, "explore.png")
}

// exploreDeepLinks: the URLs the page writes restore the same view.
func exploreDeepLinks(t *testing.T, x *explorer) {
	// The URL the page wrote: the same neighbourhood and path.
	err := chromedp.Do(x.ctx,
		chromedp.Navigate(x.sharedURL),
		x.poll(`(() => { const x = window.talkgraphExplorer; return !!x && !x.busy && x.cy.$('.highlight').length > 0; })()`),
	)
	if err != nil {
		t.Fatalf("loading %s: %v", x.sharedURL, err)
	}
	var p explorePathView
	x.eval(t, readExplorePath, &p)
	checkExplorePath(t, p, "kafka", "sre", 4)
	var n int
	x.eval(t, `window.talkgraphExplorer.cy.getElementById('talk-rise-of-real-time').length + window.talkgraphExplorer.cy.getElementById('neha-narkhede').length`, &n)
	if n != 2 {
		t.Errorf("%s: Kafka's neighbourhood is not drawn", x.sharedURL)
	}

	// A path alone.
	err = chromedp.Do(x.ctx,
		chromedp.Navigate(x.base+"/explore?from=kafka&to=sre&via=dotscale-2017"),
		x.poll(`(() => { const x = window.talkgraphExplorer; return !!x && !x.busy && x.cy.$('.highlight').length > 0; })()`),
	)
	if err != nil {
		t.Fatalf("loading /explore?from=kafka&to=sre&via=dotscale-2017: %v", err)
	}
	x.eval(t, readExplorePath, &p)
	checkExplorePath(t, p, "kafka", "sre", 4)
	x.eval(t, `window.talkgraphExplorer.cy.nodes().length`, &n)
	if n != len(p.Nodes) {
		t.Errorf("/explore?from=kafka&to=sre&via=dotscale-2017: %d nodes drawn, want the %d of the path", n, len(p.Nodes))
	}
	if p.From != "Apache Kafka" || p.To != "Site Reliability Engineering" {
		t.Errorf("path inputs: got %q → %q, want the names", p.From, p.To)
	}
	x.shoot(t, "explore-path.png")

	// A neighbourhood alone.
	err = chromedp.Do(x.ctx,
		chromedp.Navigate(x.base+"/explore?focus=kafka"),
		x.poll(`(() => { const x = window.talkgraphExplorer; return !!x && !x.busy && x.cy.getElementById('talk-rise-of-real-time').length === 1; })()`),
	)
	if err != nil {
		t.Fatalf("loading /explore?focus=kafka: %v", err)
	}
	var focus bool
	x.eval(t, `window.talkgraphExplorer.cy.getElementById('kafka').hasClass('focus')`, &focus)
	if !focus {
		t.Error("/explore?focus=kafka: kafka is not the focus")
	}
}

// exploreExpand: clicking a node expands it.
func exploreExpand(t *testing.T, x *explorer) {
	type point struct {
		X     float64 `json:"x"`
		Y     float64 `json:"y"`
		Nodes int     `json:"nodes"`
	}
	at, err := chromedp.Run(x.ctx, chromedp.Evaluate[point](`(() => {
		const cy = window.talkgraphExplorer.cy;
		const p = cy.getElementById('talk-rise-of-real-time').renderedPosition();
		const box = cy.container().getBoundingClientRect();
		return { x: box.left + p.x, y: box.top + p.y, nodes: cy.nodes().length };
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(x.ctx,
		chromedp.MouseClickXY(at.X, at.Y),
		x.poll(`(() => {
			const x = window.talkgraphExplorer;
			return !x.busy && x.state.expanded.includes('talk-rise-of-real-time');
		})()`),
	)
	if err != nil {
		t.Fatalf("clicking the talk at (%.0f, %.0f): %v", at.X, at.Y, err)
	}
	var n int
	x.eval(t, `window.talkgraphExplorer.cy.nodes().length`, &n)
	if n <= at.Nodes {
		t.Errorf("nodes after the expansion: got %d, want more than %d", n, at.Nodes)
	}
	var search, title string
	x.eval(t, `location.search`, &search)
	if want := "?focus=kafka,talk-rise-of-real-time"; search != want {
		t.Errorf("URL query: got %q, want %q", search, want)
	}
	x.eval(t, `document.querySelector('#details .entity-name').textContent`, &title)
	if title != "The rise of real time" {
		t.Errorf("details panel: got %q, want the talk", title)
	}
	x.shoot(t, "explore-expanded.png")
}

// exploreFilters: the legend matches the nodes' colours, and its filters
// hide kinds and relation types.
func exploreFilters(t *testing.T, x *explorer) {
	// The legend has one entry per kind, in the colour of the nodes.
	var kinds int
	x.eval(t, `document.querySelectorAll('#legend .check').length`, &kinds)
	if kinds != len(graph.Kinds) {
		t.Errorf("legend entries: got %d, want %d (one per kind)", kinds, len(graph.Kinds))
	}
	var same bool
	x.eval(t, `(() => {
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
		x.eval(t, fmt.Sprintf(`window.talkgraphExplorer.cy.getElementById(%q).visible()`, id), &v)
		return v
	}
	// toggle clicks a filter's checkbox through the DOM: a mouse click
	// at coordinates can miss when the side panel reflows under load.
	toggle := func(id string) {
		var done bool
		x.eval(t, fmt.Sprintf(`(document.getElementById(%q).click(), true)`, id), &done)
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
	x.eval(t, `location.search`, &search)
	if !hidden || !strings.Contains(search, "hidekinds=PERSON") {
		t.Errorf("Person unchecked: neha-narkhede visible %v, URL %q; want hidden, hidekinds=PERSON", visible("neha-narkhede"), search)
	}
	toggle("kind-PERSON")
	if !becomes("neha-narkhede", true) {
		t.Error("Person checked again: neha-narkhede hidden, want visible")
	}

	var aboutEdge string
	x.eval(t, `window.talkgraphExplorer.cy.edges('[type = "about"]')[0].id()`, &aboutEdge)
	toggle("type-about")
	hidden = becomes(aboutEdge, false)
	x.eval(t, `location.search`, &search)
	if !hidden || !strings.Contains(search, "hidetypes=about") {
		t.Errorf("about unchecked: %s visible %v, URL %q; want hidden, hidetypes=about", aboutEdge, visible(aboutEdge), search)
	}
	toggle("type-about")
	if !becomes(aboutEdge, true) {
		t.Errorf("about checked again: %s hidden, want visible", aboutEdge)
	}
}

// exploreShorterPath: a path around the conference is drawn, and the panel
// tells of the shorter one through it, which its button draws.
func exploreShorterPath(t *testing.T, x *explorer) {
	err := chromedp.Do(x.ctx,
		chromedp.Navigate(x.base+"/explore?from=andrew-shafer&to=marco-slot"),
		x.poll(`(() => { const x = window.talkgraphExplorer; return !!x && !x.busy && x.cy.$('.highlight').length > 0; })()`),
		chromedp.WaitVisible(chromedp.CSS("#details-body .path-shorter button")),
	)
	if err != nil {
		t.Fatalf("loading the path: %v", err)
	}
	var p explorePathView
	x.eval(t, readExplorePath, &p)
	checkExplorePath(t, p, "andrew-shafer", "marco-slot", 6)
	if slices.Contains(p.Nodes, "dotscale-2017") {
		t.Errorf("path %v: passes through the conference, want it around", p.Nodes)
	}
	var note string
	x.eval(t, `document.querySelector('#details-body .path-shorter').textContent`, &note)
	if want := "A shorter path, of 4 hops, passes through dotScale 2017 (conference)"; !strings.Contains(note, want) {
		t.Errorf("note: got %q, want it to hold %q", note, want)
	}
	err = chromedp.Do(x.ctx,
		chromedp.Click(chromedp.CSS("#details-body .path-shorter button")),
		x.poll(`(() => { const x = window.talkgraphExplorer; return !x.busy && x.cy.$('.highlight').contains(x.cy.getElementById('dotscale-2017')); })()`),
	)
	if err != nil {
		t.Fatalf("drawing the shorter path: %v", err)
	}
	x.eval(t, readExplorePath, &p)
	checkExplorePath(t, p, "andrew-shafer", "marco-slot", 4)
	var search string
	x.eval(t, `location.search`, &search)
	if want := "from=andrew-shafer&to=marco-slot&via=dotscale-2017"; !strings.HasSuffix(search, want) {
		t.Errorf("URL query: got %q, want it to end in %q", search, want)
	}
}
