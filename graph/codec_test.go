package graph

import (
	"reflect"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	nodes := []Node{
		{ID: "n", Kind: KindTool, Name: "N"},
		{ID: "full", Kind: KindTalk, Name: "Ünïcode — name", Aliases: []string{"a", "b"},
			Description: map[string]string{"en": "x", "fr": "é"}, Props: map[string]string{"date": "2017-04-24"},
			Dataset: "d", File: "seeds/d/f.yaml", Line: 42},
	}
	for _, n := range nodes {
		t.Run(n.ID, func(t *testing.T) {
			var got Node
			b := encodeNode(&n)
			if err := decodeNode(b, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, n) {
				t.Errorf("got %+v, want %+v", got, n)
			}
			if k := kindOf(b); k != n.Kind {
				t.Errorf("kindOf: got %s, want %s", k, n.Kind)
			}
		})
	}
	ev := []Evidence{{Source: "s", Quote: "« q »", File: "f", Line: 3, Dataset: "d"}, {Source: "t", Dataset: "d"}}
	got, err := decodeEvidence(encodeEvidence(ev), "d")
	if err != nil || !reflect.DeepEqual(got, ev) {
		t.Errorf("evidence: got %+v %v, want %+v", got, err, ev)
	}
	for _, bad := range [][]byte{{0xff}, {5, 'a'}, {}} {
		if err := decodeNode(bad, new(Node)); err == nil {
			t.Errorf("decodeNode(%v): got no error, want one", bad)
		}
	}
}
