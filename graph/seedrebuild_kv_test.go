package graph

import (
	"bytes"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"
)

// TestAppendKVAsProtobuf: the hand-made encoding of a key-value pair for
// the stream writer reads back, through Badger's own decoding, as the
// pair: empty values, versions of every width, long keys and values.
func TestAppendKVAsProtobuf(t *testing.T) {
	type pair struct {
		key, value []byte
		version    uint64
		stream     uint32
	}
	cases := []pair{
		{[]byte("n"), nil, 1, 1},
		{[]byte("t\x00en\x00latency\x00\xff\xfe\x00\x07talk-1"), nil, 1 << 40, streamAbove},
		{bytes.Repeat([]byte("k"), 300), bytes.Repeat([]byte{0x80}, 70000), 127, streamBlocks},
		{[]byte("!published"), []byte{0, 0, 0, 0, 0, 0, 0, 9}, 128, 0},
	}
	buf := z.NewBuffer(1<<20, "test")
	defer buf.Release()
	for _, c := range cases {
		appendKV(buf, c.key, c.value, c.version, c.stream)
	}
	list, err := badger.BufferToKVList(buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Kv) != len(cases) {
		t.Fatalf("got %d pairs, want %d", len(list.Kv), len(cases))
	}
	for i, got := range list.Kv {
		want := cases[i]
		if !bytes.Equal(got.Key, want.key) || !bytes.Equal(got.Value, want.value) || got.Version != want.version || got.StreamId != want.stream {
			t.Errorf("pair %d: got key %q value %d bytes version %d stream %d, want %q %d %d %d",
				i, got.Key, len(got.Value), got.Version, got.StreamId, want.key, len(want.value), want.version, want.stream)
		}
	}
}
