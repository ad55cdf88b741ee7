package textindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/talkgraph/talkgraph/graph"
)

// TestFold checks Fold on names people write, and that its shortcut for
// plain words gives what the general path gives.
func TestFold(t *testing.T) {
	a := MustNew()
	for _, c := range []struct{ in, want string }{
		{"PostgreSQL", "postgresql"},
		{"postgresql", "postgresql"},
		{"K8s", "k8s"},
		{"2017", "2017"},
		{"", ""},
		{"Mazières", "mazieres"},
		{"ÉCOLE", "ecole"},
		{"Node.js", "node js"},
		{"C++", "c"},
		{"  Site   Reliability  ", "site reliability"},
		{"dot-Scale_2017", "dot scale 2017"},
	} {
		if got := a.Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	seed := rand.Uint64()
	r := rand.New(rand.NewPCG(seed, 0))
	const chars = "abcXYZ019 .-éÉ_"
	for range 20000 {
		b := make([]rune, r.IntN(8))
		for i := range b {
			b[i] = []rune(chars)[r.IntN(len([]rune(chars)))]
		}
		s := string(b)
		if got, want := a.Fold(s), a.foldText(s); got != want {
			t.Fatalf("seed %d: Fold(%q) = %q, the general path gives %q", seed, s, got, want)
		}
	}
}

// TestTokensConcurrent analyses the same texts from many goroutines at
// once, as the seed and the dictionary do, through one word cache: each
// gets what a fresh analyzer gives alone (go test -race checks the cache's
// locking).
func TestTokensConcurrent(t *testing.T) {
	texts := map[string]string{
		"en": "Keep calm and automate all the things: running Kafka's clusters",
		"fr": "Les données expliquées, la sécurité des systèmes distribués",
		"de": "Verteilte Systeme und ihre Beobachtbarkeit",
		"zz": "Ünknown längüage, folded only",
	}
	want := map[string][]graph.Token{}
	for lang, text := range texts {
		want[lang] = MustNew().Tokens(lang, text)
		if len(want[lang]) == 0 {
			t.Fatalf("%s: no tokens", lang)
		}
	}
	a := MustNew()
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				for lang, text := range texts {
					if got := a.Tokens(lang, text); !slices.Equal(got, want[lang]) {
						errs <- fmt.Sprintf("%s: got %v, want %v", lang, got, want[lang])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
