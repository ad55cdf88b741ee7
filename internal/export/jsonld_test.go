package export_test

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/talkgraph/talkgraph/internal/export"
	"github.com/talkgraph/talkgraph/internal/testdb"
)

// offline is a JSON-LD document loader that loads nothing: the export's
// context is inline, and a processor must never need the network for it.
type offline struct{}

func (offline) LoadDocument(u string) (*ld.RemoteDocument, error) {
	return nil, fmt.Errorf("load %s: want nothing fetched, the @context is inline", u)
}

// TestJSONLDExpands has json-gold, a JSON-LD 1.1 processor, turn the JSON-LD
// into RDF offline and compares the statements with the N-Quads export's,
// in the same run everywhere (TestRDFWithRdflib does it with rdflib when
// Debian's python3-rdflib is there).
func TestJSONLDExpands(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := testdb.Begin(t, testdb.SeededFrom(t, c.fsys, c.display))
			doc, err := ld.DocumentFromReader(bytes.NewReader(render(t, export.JSONLD, tx)))
			if err != nil {
				t.Fatalf("read JSON-LD: %v", err)
			}
			opts := ld.NewJsonLdOptions("")
			opts.ProcessingMode = ld.JsonLd_1_1
			opts.Format = "application/n-quads"
			opts.DocumentLoader = offline{}
			out, err := ld.NewJsonLdProcessor().ToRDF(doc, opts)
			if err != nil {
				t.Fatalf("json-gold ToRDF: got %v, want the statements", err)
			}
			got := statementSet(t, out.(string))
			want := statementSet(t, string(render(t, export.NQuads, tx)))
			for _, s := range slices.Sorted(maps.Keys(want)) {
				if !got[s] {
					t.Errorf("JSON-LD: got no %s, want it as in the N-Quads", s)
				}
			}
			for _, s := range slices.Sorted(maps.Keys(got)) {
				if !want[s] {
					t.Errorf("JSON-LD: got %s, which the N-Quads do not hold", s)
				}
			}
		})
	}
}

// statementSet reads N-Quads into a set of statements written one way
// whatever the escaping (a plain literal and an xsd:string one are one).
func statementSet(t *testing.T, doc string) map[string]bool {
	t.Helper()
	qs, err := parseNQuads(doc)
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, q := range qs {
		o := q.o
		if o.dtype == "http://www.w3.org/2001/XMLSchema#string" {
			o.dtype = ""
		}
		set[fmt.Sprintf("%c<%s> <%s> %c%q@%s^^%s g=%q", q.s.kind, q.s.value, q.p.value, o.kind, o.value, o.lang, o.dtype, q.g.value)] = true
	}
	return set
}
