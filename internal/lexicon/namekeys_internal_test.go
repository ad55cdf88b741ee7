package lexicon

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestNameKeysOrder: the names' transducer built from keys compared in
// place holds the keys, values and order that building every key as a
// string and sorting the strings gives — texts that are prefixes of
// others, equal texts whose entries' numbers sort as decimals ("10"
// before "9"), irregular spaces.
func TestNameKeysOrder(t *testing.T) {
	names := []string{"kafka", "kafka streams", "kafka", "kafka  streams ", " a b c d e f g h i j", "kafka stream", "b", "kafka"}
	var keys []nameKey
	var texts []string
	var want []string
	entry := 0
	for i, folded := range names {
		words := strings.Fields(folded)
		texts = append(texts, strings.Join(words, " "))
		off := 0
		for w := range min(len(words), maxNameWord) {
			if w > 0 {
				off += len(words[w-1]) + 1
			}
			keys = append(keys, nameKey{name: int32(i), off: int32(off), entry: int32(entry)})
			want = append(want, fmt.Sprintf("%s\x00%d=%d", strings.Join(words[w:], " "), entry, entry))
			entry++
		}
	}
	slices.Sort(want)
	f, err := buildNameFST(keys, texts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := each(f, nil, nil, nil, func(k []byte, v uint64) bool {
		got = append(got, fmt.Sprintf("%s=%d", k, v))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("keys:\ngot  %q\nwant %q", got, want)
	}
	if len(want) < 12 {
		t.Fatalf("only %d keys: the case does not reach two-digit entries", len(want))
	}
}
