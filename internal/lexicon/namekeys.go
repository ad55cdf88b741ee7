package lexicon

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/vellum"

	"github.com/talkgraph/talkgraph/graph"
)

// nameKey is a key of the names' transducer before it is written: the
// words of a folded name from one of them on, joined by single spaces,
// then 0 and the entry's number in decimal. Keys are compared in place
// rather than built as strings first: a name has several, and a database
// of a million talks tens of millions.
type nameKey struct {
	name  int32 // index in the texts the keys are of
	off   int32 // byte offset of the key's first word in its text
	entry int32 // index in Dict.entries, the key's value
}

// buildNames builds the names' transducers: each folded name and alias,
// from each of its first words on, so that "consen" finds "Stellar
// Consensus Protocol". d.nodes must be built. It returns the store's read
// errors, and one wrapping graph.ErrNotFound for a name of no node.
func (d *Dict) buildNames(tx *graph.Tx) error {
	var keys [2][]nameKey
	var texts []string // by name: its words joined by single spaces
	err := tx.Names(func(folded, id string) error {
		i, ok := d.nodeIndex(id)
		if !ok {
			return fmt.Errorf("lexicon: %s: %w", id, graph.ErrNotFound)
		}
		n := &d.nodes[i]
		n.nameLen = min(n.nameLen, utf8.RuneCountInString(folded))
		text := strings.Join(strings.Fields(folded), " ")
		if text == "" {
			return nil
		}
		if text == folded {
			text = folded // one copy kept, not two
		}
		name := int32(len(d.shown))
		d.shown, texts = append(d.shown, folded), append(texts, text)
		isID := folded == d.an.Fold(id) && folded != n.name
		off := 0
		for w := range maxNameWord {
			part := min(w, 1)
			keys[part] = append(keys[part], nameKey{name: name, off: int32(off), entry: int32(len(d.entries))})
			d.entries = append(d.entries, entry{node: i, name: name, word: int16(w), isID: isID})
			next := strings.IndexByte(text[off:], ' ')
			if next < 0 {
				break
			}
			off += next + 1
		}
		return nil
	})
	if err != nil {
		return err
	}
	for part := range keys {
		if d.names[part], err = buildNameFST(keys[part], texts); err != nil {
			return err
		}
	}
	return nil
}

// buildNameFST sorts keys, of texts, and writes their transducer.
func buildNameFST(keys []nameKey, texts []string) (*vellum.FST, error) {
	slices.SortFunc(keys, func(a, b nameKey) int {
		// A text that is a prefix of another sorts first, as its 0 does.
		if c := strings.Compare(texts[a.name][a.off:], texts[b.name][b.off:]); c != 0 {
			return c
		}
		var x, y [12]byte
		return bytes.Compare(strconv.AppendInt(x[:0], int64(a.entry), 10), strconv.AppendInt(y[:0], int64(b.entry), 10))
	})
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return nil, err
	}
	var key []byte
	for _, k := range keys {
		key = append(append(key[:0], texts[k.name][k.off:]...), 0)
		key = strconv.AppendInt(key, int64(k.entry), 10)
		if err := b.Insert(key, uint64(k.entry)); err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
	}
	if err := b.Close(); err != nil {
		return nil, err
	}
	return vellum.Load(buf.Bytes())
}
