package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSpoolMergesInOrder: whatever its budget (all in memory, or runs of a
// few records written and merged) and however its memory buffer is cut
// into sorted segments, a spool gives back every record, by key
// (bytes order: keys that share their first 16 bytes, keys prefixes of
// others, bytes above 0x7f), the records of one key in the order they
// came.
func TestSpoolMergesInOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	type rec struct {
		key string
		op  spoolOp
		val string
		seq int
	}
	var all []rec
	for i := range 5000 {
		var k []byte
		switch r.IntN(4) {
		case 0: // long keys sharing their first 16 bytes and more
			k = fmt.Appendf(nil, "t\x00en\x00latencylatency\x00%03d", r.IntN(200))
		case 1: // prefixes of each other
			k = bytes.Repeat([]byte{'a'}, 1+r.IntN(20))
		case 2:
			k = []byte{tagBlock, byte(0x80 + r.IntN(0x7f)), byte(r.IntN(3))}
		default:
			k = fmt.Appendf(nil, "n%d", r.IntN(300))
		}
		all = append(all, rec{string(k), spoolOp(r.IntN(5)), fmt.Sprint(i), i})
	}
	want := slices.Clone(all)
	slices.SortStableFunc(want, func(a, b rec) int { return bytes.Compare([]byte(a.key), []byte(b.key)) })
	for _, tc := range []struct{ budget, segment int }{{64 << 20, 1 << 16}, {64 << 20, 300}, {2 << 10, 7}, {200, 1 << 16}} {
		budget := tc.budget
		t.Run(fmt.Sprintf("budget=%d/segment=%d", budget, tc.segment), func(t *testing.T) {
			defer func(n int) { sortSegment = n }(sortSegment)
			sortSegment = tc.segment
			sp := newSpool(t.TempDir(), budget)
			defer sp.release()
			for _, x := range all {
				if err := sp.add(x.op, []byte(x.key), []byte(x.val)); err != nil {
					t.Fatal(err)
				}
			}
			if budget < 64<<20 && len(sp.runs) < 2 {
				t.Fatalf("budget %d: %d runs, want several", budget, len(sp.runs))
			}
			m, err := sp.merge()
			if err != nil {
				t.Fatal(err)
			}
			defer m.close()
			var got []rec
			for {
				ok, err := m.next()
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
				for _, x := range m.recs {
					got = append(got, rec{string(m.key), x.op, string(x.val), 0})
				}
			}
			if len(got) != len(want) {
				t.Fatalf("got %d records, want %d", len(got), len(want))
			}
			for i := range want {
				if w := want[i]; got[i].key != w.key || got[i].op != w.op || got[i].val != w.val {
					t.Fatalf("record %d: got %q %d %q, want %q %d %q", i, got[i].key, got[i].op, got[i].val, w.key, w.op, w.val)
				}
			}
		})
	}
}

// TestSpoolStops: a spool whose stop func reports an error stops sorting
// and writing with that error.
func TestSpoolStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	sp := newSpool(t.TempDir(), 64<<20)
	defer sp.release()
	sp.stop = ctx.Err
	for i := range 3 * sortSegment {
		if err := sp.add(opSet, fmt.Appendf(nil, "k%d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if _, err := sp.merge(); !errors.Is(err, context.Canceled) {
		t.Errorf("merge after cancel: got %v, want %v", err, context.Canceled)
	}
	if err := sp.spill(); !errors.Is(err, context.Canceled) {
		t.Errorf("spill after cancel: got %v, want %v", err, context.Canceled)
	}
}
