// Package export writes the graph out in formats other tools read: JSON and
// NDJSON, GraphML (Gephi, Cytoscape, networkx), Graphviz DOT, Cypher for
// Neo4j, standard RDF as N-Quads and JSON-LD (schema.org terms), N-Quads in
// Dgraph's dialect with a schema, and talkgraph's own YAML seed files. Every writer reads a Source (a *graph.Tx, or the Subgraph around a
// focus node) in its stable order, so the same data always gives the same
// bytes.
package export

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/talkgraph/talkgraph/graph"
)

// Format names an output format.
type Format string

// The formats. YAML writes a directory of seed files; the others write one
// stream.
const (
	JSON    Format = "json"
	NDJSON  Format = "ndjson"
	GraphML Format = "graphml"
	DOT     Format = "dot"
	Cypher  Format = "cypher"
	NQuads  Format = "nquads"
	JSONLD  Format = "jsonld"
	Dgraph  Format = "dgraph"
	YAML    Format = "yaml"
)

// Formats lists every format, in the order help texts show them.
var Formats = []Format{JSON, NDJSON, GraphML, DOT, Cypher, NQuads, JSONLD, Dgraph, YAML}

// ParseFormat returns the format named s. It returns an error listing the
// formats when s names none.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", s, FormatList())
}

// FormatList returns the format names joined by ", ".
func FormatList() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// Source is what the writers read: every node in id order, then every edge
// in canonical direction in (from, type, to) order with its evidence. A
// Source may be read more than once. *graph.Tx and *Subgraph are Sources.
type Source interface {
	EachNode(fn func(*graph.Node) error) error
	EachEdge(fn func(graph.Edge) error) error
}

// Options are what some formats take besides a Source.
type Options struct {
	// Base is the base IRI of talkgraph's ids and terms in nquads and
	// jsonld ("" for DefaultBase; see CheckBase).
	Base string
}

// Write writes src to w in a stream format (every format but YAML) with
// the default Options. It returns an error for YAML, the error of the
// Source, or the first write error.
func Write(w io.Writer, f Format, src Source) error { return WriteOptions(w, f, src, Options{}) }

// WriteOptions writes src to w in a stream format with opts. It returns an
// error for YAML, an error wrapping graph.ErrInvalid for a base CheckBase
// refuses, the error of the Source, or the first write error.
func WriteOptions(w io.Writer, f Format, src Source, opts Options) error {
	var write func(io.Writer, Source) error
	switch f {
	case JSON:
		write = WriteJSON
	case NDJSON:
		write = WriteNDJSON
	case GraphML:
		write = WriteGraphML
	case DOT:
		write = WriteDOT
	case Cypher:
		write = WriteCypher
	case NQuads:
		write = func(w io.Writer, src Source) error { return WriteNQuadsBase(w, src, opts.Base) }
	case JSONLD:
		write = func(w io.Writer, src Source) error { return WriteJSONLDBase(w, src, opts.Base) }
	case Dgraph:
		write = WriteDgraph
	default:
		return fmt.Errorf("export %s: not a stream format", f)
	}
	if err := write(w, src); err != nil {
		return fmt.Errorf("export %s: %w", f, err)
	}
	return nil
}

// lines buffers a writer; each item is written whole with put, which
// returns the writer's first error so a long export stops on a closed pipe.
type lines struct {
	w *bufio.Writer
}

func newLines(w io.Writer) *lines { return &lines{w: bufio.NewWriterSize(w, 64<<10)} }

func (l *lines) put(parts ...string) error {
	for _, p := range parts {
		if _, err := l.w.WriteString(p); err != nil {
			return err
		}
	}
	return nil
}

func (l *lines) flush() error { return l.w.Flush() }

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
