package export

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// WriteJSONLD writes src as JSON-LD 1.1 under DefaultBase;
// WriteJSONLDBase takes another base. It returns the Source's error or the
// first write error.
func WriteJSONLD(w io.Writer, src Source) error { return WriteJSONLDBase(w, src, "") }

// WriteJSONLDBase writes src as one JSON-LD 1.1 document whose @context is
// inline (prefixes only, so that no processor needs the network) and whose
// @graph holds one node object per line: the statements WriteNQuadsBase
// writes, so that the document expands to the same RDF graph. A subject's
// statements may be spread over several node objects (a node, then each
// relation it starts), which JSON-LD merges. An empty base means
// DefaultBase. It returns an error wrapping graph.ErrInvalid for a base
// CheckBase refuses, the Source's error or the first write error.
func WriteJSONLDBase(w io.Writer, src Source, base string) error {
	if base != "" {
		if err := CheckBase(base); err != nil {
			return err
		}
	}
	v := newVocab(base)
	px := v.prefixes()
	out := newLines(w)
	if err := out.put(`{"@context": `, px.context(), `,`+"\n"+`"@graph": [`); err != nil {
		return err
	}
	sep := "\n"
	var b bytes.Buffer
	err := eachStatements(src, v, func(ts []triple) error {
		for _, obj := range px.nodeObjects(ts) {
			b.Reset()
			b.WriteString(sep)
			obj.write(&b)
			if err := out.put(b.String()); err != nil {
				return err
			}
			sep = ",\n"
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := out.put("\n]}\n"); err != nil {
		return err
	}
	return out.flush()
}

// prefixes maps prefix names to namespaces, longest namespace first so
// that an IRI is compacted by the most specific one.
type prefixes []struct{ name, ns string }

func (v vocab) prefixes() prefixes {
	px := prefixes{
		{"id", v.base + "id/"},
		{"ev", v.base + "evidence/"},
		{"tg", v.ns()},
		{"schema", nsSchema},
		{"xsd", nsXSD},
		{"rdf", nsRDF},
	}
	slices.SortStableFunc(px, func(a, b struct{ name, ns string }) int { return len(b.ns) - len(a.ns) })
	return px
}

// context returns the @context object. Every namespace ends in / or #, so
// each prefix may start a compact IRI (JSON-LD 1.1's prefix flag).
func (px prefixes) context() string {
	var b bytes.Buffer
	b.WriteString(`{"@version": 1.1`)
	for _, name := range []string{"schema", "tg", "id", "ev", "xsd", "rdf"} {
		for _, p := range px {
			if p.name == name {
				b.WriteString(", " + jsonString(p.name) + ": " + jsonString(p.ns))
			}
		}
	}
	b.WriteString("}")
	return b.String()
}

// compact returns iri as prefix:suffix when a namespace holds it, else as
// it is.
func (px prefixes) compact(iri string) string {
	for _, p := range px {
		if rest, ok := strings.CutPrefix(iri, p.ns); ok && rest != "" && !strings.HasPrefix(rest, "//") {
			return p.name + ":" + rest
		}
	}
	return iri
}

// nodeObject is one JSON-LD node object: its @id, its @type and its other
// properties in the order they first came, each with its values as JSON.
type nodeObject struct {
	id    string
	types []string
	keys  []string
	vals  map[string][]string
}

// nodeObjects groups statements by subject, in the order subjects first
// come.
func (px prefixes) nodeObjects(ts []triple) []*nodeObject {
	var objs []*nodeObject
	bySubj := map[string]*nodeObject{}
	for _, t := range ts {
		o := bySubj[t.s]
		if o == nil {
			o = &nodeObject{id: px.compact(t.s), vals: map[string][]string{}}
			bySubj[t.s] = o
			objs = append(objs, o)
		}
		if t.p == rdfType && t.o.iri != "" {
			o.types = append(o.types, px.compact(t.o.iri))
			continue
		}
		k := px.compact(t.p)
		if _, ok := o.vals[k]; !ok {
			o.keys = append(o.keys, k)
		}
		o.vals[k] = append(o.vals[k], px.value(t.o))
	}
	return objs
}

// value returns an object as a JSON-LD value: a node reference, a value
// object with its language or datatype, or a string (an xsd:string).
func (px prefixes) value(o term) string {
	switch {
	case o.iri != "":
		return `{"@id": ` + jsonString(px.compact(o.iri)) + `}`
	case o.lang != "":
		return `{"@value": ` + jsonString(o.value) + `, "@language": ` + jsonString(o.lang) + `}`
	case o.dtype != "":
		return `{"@value": ` + jsonString(o.value) + `, "@type": ` + jsonString(px.compact(o.dtype)) + `}`
	}
	return jsonString(o.value)
}

func (o *nodeObject) write(b *bytes.Buffer) {
	b.WriteString(`{"@id": ` + jsonString(o.id))
	if len(o.types) > 0 {
		b.WriteString(`, "@type": `)
		list(b, quoteAll(o.types))
	}
	for _, k := range o.keys {
		b.WriteString(", " + jsonString(k) + ": ")
		list(b, o.vals[k])
	}
	b.WriteString("}")
}

// list writes one JSON value as it is, several as an array.
func list(b *bytes.Buffer, vals []string) {
	if len(vals) == 1 {
		b.WriteString(vals[0])
		return
	}
	b.WriteString("[" + strings.Join(vals, ", ") + "]")
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = jsonString(s)
	}
	return out
}

// jsonString returns s as a JSON string, with <, > and & as they are.
// Most strings (ids, IRIs, names) need no escape and are only quoted.
func jsonString(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 || r == '"' || r == '\\' || r == 0x2028 || r == 0x2029 || r == utf8.RuneError
	}) {
		return `"` + s + `"`
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
