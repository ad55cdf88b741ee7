package server_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/talkgraph/talkgraph/internal/server"
)

// chromiumPath finds the browser the test drives. Without one the test
// skips, except in CI, where a missing browser is a broken job.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found (/usr/bin/chromium, chromium or chromium-browser on PATH): CI must install it")
	}
	t.Skip("no Chromium found (/usr/bin/chromium, chromium or chromium-browser on PATH): install it to run the browser test")
	return ""
}

// pageLog records what the page does, from the listener of the tab: it runs
// on chromedp's read loop, so it only appends under a lock.
type pageLog struct {
	mu       sync.Mutex
	requests []string // URLs of every request the page made
	problems []string // exceptions, console errors and warnings, browser log errors
}

func (l *pageLog) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request != nil {
			l.requests = append(l.requests, ev.Request.URL)
		}
	case *runtime.EventExceptionThrown:
		if d := ev.ExceptionDetails; d != nil {
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			l.problems = append(l.problems, "exception: "+msg)
		}
	case *cdplog.EventEntryAdded:
		// The browser's own log: CSP violations, failed loads. The browser
		// asks for /favicon.ico by itself at some point after the load; the
		// server has none, and that 404 is not the page's doing.
		if e := ev.Entry; e != nil && e.Level == cdplog.EntryLevelError && !strings.HasSuffix(e.URL, "/favicon.ico") {
			l.problems = append(l.problems, fmt.Sprintf("log %s: %s %s", e.Source, e.Text, e.URL))
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var parts []string
			for _, a := range ev.Args {
				if a == nil {
					continue
				}
				if len(a.Value) > 0 {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			l.problems = append(l.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " ")))
		}
	}
}

func (l *pageLog) snapshot() (requests, problems []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.requests), slices.Clone(l.problems)
}

// JavaScript read from the page. GraphiQL 3.9 uses CodeMirror 5, whose
// wrapper element holds the editor as .CodeMirror; getValue returns the whole
// text, unlike the DOM, which only holds the lines in view.
const (
	queryEditorText = `(() => {
		const el = document.querySelector('.graphiql-query-editor .CodeMirror');
		return el && el.CodeMirror ? el.CodeMirror.getValue() : '';
	})()`
	docsRootTypes = `(() => {
		const el = document.querySelector('.graphiql-doc-explorer .graphiql-doc-explorer-root-type');
		return el && el.parentElement ? el.parentElement.textContent : '';
	})()`
	resultText = `(() => {
		const el = document.querySelector('.graphiql-response .result-window .CodeMirror');
		return el && el.CodeMirror ? el.CodeMirror.getValue() : '';
	})()`
)

// containsAll returns a JavaScript predicate true once expr's string value
// contains every one of subs.
func containsAll(expr string, subs ...string) string {
	var conds []string
	for _, s := range subs {
		conds = append(conds, fmt.Sprintf("v.includes(%q)", s))
	}
	return fmt.Sprintf(`((v) => %s)(%s)`, strings.Join(conds, " && "), expr)
}

func TestBrowserGraphiQL(t *testing.T) {
	execPath := chromiumPath(t)
	examples, err := server.Examples()
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, nil)
	origin, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}

	// The whole test, browser start included, is bounded; the steps get 60s.
	browserCtx, log := startBrowser(t, execPath, 90*time.Second, "graphiql")
	ctx, cancel := context.WithTimeout(browserCtx, 60*time.Second)
	defer cancel()

	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond),
			chromedp.WithPollingTimeout(30*time.Second))
	}

	t.Run("editor opens on the automation example", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/graphiql"),
			chromedp.WaitVisible(chromedp.CSS(".graphiql-container")),
			chromedp.WaitVisible(chromedp.CSS(".graphiql-query-editor .CodeMirror")),
			poll(containsAll(queryEditorText, `talks(mentioning: "automation")`)),
		)
		if err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](queryEditorText))
			t.Fatalf("waiting for the automation example in the editor: %v; editor holds %q", err, text)
		}
		tabs, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](
			`Array.from(document.querySelectorAll('.graphiql-tab'), (el) => el.classList.contains('graphiql-tab-active'))`))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(tabs), len(examples); got != want {
			t.Errorf("tabs: got %v, want %v (one per example)", got, want)
		}
		if got, want := slices.Index(tabs, true), 0; got != want {
			t.Errorf("active tab: got %v, want %v", got, want)
		}
	})
	if t.Failed() {
		return
	}

	t.Run("execute shows the automation talks", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.WaitEnabled(chromedp.CSS(".graphiql-execute-button")),
			chromedp.Click(chromedp.CSS(".graphiql-execute-button")),
			chromedp.WaitVisible(chromedp.CSS(".graphiql-response .result-window")),
			poll(containsAll(resultText, automationTalk, devOpsTalk)),
		)
		if err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](resultText))
			t.Fatalf("waiting for the result: %v; result pane holds %q", err, text)
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](resultText))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, `"errors"`) {
			t.Errorf("result has errors: got %s, want none", text)
		}
	})

	t.Run("docs pane shows the root type", func(t *testing.T) {
		docs := `button[aria-label="Show Documentation Explorer"]`
		err := chromedp.Do(ctx,
			chromedp.WaitVisible(chromedp.CSS(docs)),
			chromedp.Click(chromedp.CSS(docs)),
			chromedp.WaitVisible(chromedp.CSS(".graphiql-doc-explorer")),
			// Root Types: <div><span class="…-root-type">query</span>: <a>Query</a></div>
			poll(containsAll(docsRootTypes, "query: Query")),
		)
		if err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](docsRootTypes))
			t.Fatalf("waiting for the docs pane: %v; root types read %q", err, text)
		}
		if _, err := chromedp.Run(ctx, chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Hide Documentation Explorer"]`))); err != nil {
			t.Errorf("docs button after a click: %v", err)
		}
	})

	requests, problems := log.snapshot()
	t.Run("every request stays on the test server", func(t *testing.T) {
		checkSameOrigin(t, requests, origin, "/graphiql",
			"/graphiql/assets/react.production.min.js",
			"/graphiql/assets/graphiql.min.js",
			"/graphiql/assets/graphiql-init.js",
			"/graphiql/assets/examples.json",
			"/graphql")
	})
	t.Run("no script errors", func(t *testing.T) {
		if got := problems; len(got) > 0 {
			t.Errorf("console errors and exceptions: got %v, want none", got)
		}
	})
}

// saveFailure keeps a screenshot and the HTML of the page for a failed run,
// named after page, in a directory that outlives the test (t.TempDir is
// removed with it).
func saveFailure(t *testing.T, browserCtx context.Context, page string) {
	dir, err := os.MkdirTemp("", "talkgraph-"+page+"-test-")
	if err != nil {
		t.Logf("no directory for the screenshot: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(browserCtx, 10*time.Second)
	defer cancel()
	if img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		name := filepath.Join(dir, page+".png")
		if err := os.WriteFile(name, img, 0o644); err == nil {
			t.Logf("screenshot: %s", name)
		}
	} else {
		t.Logf("screenshot: %v", err)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		name := filepath.Join(dir, page+".html")
		if err := os.WriteFile(name, []byte(html), 0o644); err == nil {
			t.Logf("page HTML: %s", name)
		}
	}
}

// checkSameOrigin checks that every request the page made (data: URLs
// aside) went to origin, and that the page asked for each of want.
func checkSameOrigin(t *testing.T, requests []string, origin *url.URL, want ...string) {
	t.Helper()
	if len(requests) == 0 {
		t.Fatal("requests recorded: got none, want the page's")
	}
	var paths []string
	for _, r := range requests {
		if strings.HasPrefix(r, "data:") {
			continue
		}
		u, err := url.Parse(r)
		if err != nil {
			t.Errorf("request URL %q: %v", r, err)
			continue
		}
		if got, want := u.Scheme+"://"+u.Host, origin.Scheme+"://"+origin.Host; got != want {
			t.Errorf("origin of %s: got %v, want %v", r, got, want)
		}
		paths = append(paths, u.Path)
	}
	for _, w := range want {
		if !slices.Contains(paths, w) {
			t.Errorf("request to %s: got none, want one; requests %v", w, paths)
		}
	}
}

// startBrowser starts headless Chromium at execPath with the flags this
// machine needs (as root: no sandbox; no background traffic), bounded by
// limit, recording the page's requests and problems in the returned log.
// When the test fails, a screenshot and the HTML of page are kept.
func startBrowser(t *testing.T, execPath string, limit time.Duration, page string, extra ...chromedp.ExecAllocatorOption) (context.Context, *pageLog) {
	t.Helper()
	parent, cancelAll := context.WithTimeout(context.Background(), limit)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, append(opts, extra...)...)
	log := &pageLog{}
	// WithListener sees the tab's events from its start; the target enables
	// the Network and Runtime domains itself.
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithListener(log.listen))
	t.Cleanup(func() {
		if t.Failed() {
			saveFailure(t, browserCtx, page)
		}
		cancelBrowser()
		cancelAlloc()
		cancelAll()
	})
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start Chromium %s: %v", execPath, err)
	}
	return browserCtx, log
}
