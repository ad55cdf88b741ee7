package textindex

import (
	"math/rand/v2"
	"testing"
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
