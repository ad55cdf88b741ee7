package cli

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/export"
)

type exportOptions struct {
	IO     *IO
	Format export.Format
	Out    string
	Focus  string
	Depth  int
	Schema string
	Base   string
	Force  bool
	Store  func(context.Context) (*graph.Store, error)
}

const exportLong = `Write the whole graph, or the neighbourhood of one node, for another tool.

Formats:
  json     one document {"nodes": [...], "edges": [...]}, every field, evidence included
  ndjson   one object a line: {"type":"node",...} then {"type":"edge","from",
           "relation","to","evidence"} ("relation" is the edge's type)
  graphml  GraphML 1.0 for Gephi, Cytoscape, networkx and yEd; node attributes
           label, kind, name, aliases, description_<lang>, dataset and the
           properties; edge attributes label, type, evidence (JSON), quote, source
  dot      Graphviz: nodes shaped and coloured by kind, edges labelled by type
  cypher   statements for Neo4j 5 (cypher-shell -f FILE): a uniqueness
           constraint, a MERGE per node (labels :Entity and its kind), a
           MATCH…MERGE per relation (GAVE, MENTIONS…) with its evidence as lists
  nquads   standard RDF 1.1 N-Quads: absolute IRIs (talkgraph's ids and terms
           under --base), schema.org classes and properties where one fits,
           language-tagged descriptions, typed literals, and each relation's
           evidence as an RDF 1.1 reification (rdf:Statement) of its triple
  jsonld   the same statements as JSON-LD 1.1, its @context inline
  dgraph   N-Quads in Dgraph's dialect (evidence as Evidence nodes) and a
           Dgraph schema, written to --schema FILE or else beside --out FILE
           with the extension .schema (graph.rdf → graph.schema); prints the
           dgraph live command that loads them, again and again without
           duplicating anything
  yaml     seed files in the directory --out names (required), one
           directory per data set. A data set seeded from files is written
           back into those files: each node and relation in its file and
           place, as it was written (comments included) while unchanged, a
           changed one with its changed fields rewritten, a new one in the
           file holding the most of its kind; so an unchanged database gives
           its files back byte for byte, and one change a diff of a few
           lines. Other data sets (made through the API): nodes in
           <kind>.yaml, relations in edges.yaml, split past 2000 items.
           'talkgraph seed DIR' loads them back. A data set directory that
           already holds seed files is refused unless --force (export into
           seeds/ with --force, and git diff shows what the API changed)

--focus NAME keeps the nodes within --depth hops of the node with that id,
name or alias (relations followed either way, default 1 hop), the
relations among them and the sources their evidence cites.`

const exportExample = `  talkgraph export --format dot | dot -Tsvg > graph.svg
  talkgraph export --format graphml --out talks.graphml
  talkgraph export --format dot --focus kafka --depth 2 | dot -Tsvg > kafka.svg
  talkgraph export --format nquads --out graph.nq
  talkgraph export --format jsonld --base https://example.org/talks/ --out graph.jsonld
  talkgraph export --format dgraph --out graph.rdf  # and graph.schema; prints the dgraph live command
  talkgraph export --format cypher --out graph.cypher && cypher-shell -f graph.cypher
  talkgraph export --format yaml --out seeds-export/ && talkgraph seed seeds-export/`

func newExportCmd(g *globals, runF func(context.Context, *exportOptions) error) *cobra.Command {
	opts := &exportOptions{IO: g.IO}
	var format string
	cmd := &cobra.Command{
		Use:     "export --format FORMAT [--out FILE] [--focus NAME --depth N]",
		Short:   "Write the graph as JSON, GraphML, DOT, Cypher, RDF, Dgraph N-Quads or seed files",
		Long:    exportLong,
		Example: exportExample,
		Args:    argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == "" {
				return flagError{fmt.Errorf("give --format: one of %s", export.FormatList())}
			}
			f, err := export.ParseFormat(format)
			if err != nil {
				return flagError{fmt.Errorf("--format: %w", err)}
			}
			opts.Format = f
			if err := opts.check(cmd.Flags().Changed("depth")); err != nil {
				return err
			}
			opts.Store = g.openSnapshot
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return exportRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "output format: "+export.FormatList()+" (required)")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write to `FILE` instead of standard output (for yaml: the DIRECTORY to write)")
	cmd.Flags().StringVar(&opts.Focus, "focus", "", "export only the neighbourhood of the node this `NAME` names (an id, a name or an alias)")
	cmd.Flags().IntVar(&opts.Depth, "depth", 1, "with --focus: how many hops `N` from the focus node")
	cmd.Flags().StringVar(&opts.Schema, "schema", "", "dgraph: write the Dgraph schema to `FILE` (default: beside --out, with .schema)")
	cmd.Flags().StringVar(&opts.Base, "base", "", "nquads, jsonld: the base `IRI` of talkgraph's ids (IRI/id/…) and terms (IRI/ns#…) (default "+export.DefaultBase+")")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "yaml: replace the seed files of data set directories that already hold some")
	return cmd
}

// check refuses flags that do not go together.
func (opts *exportOptions) check(depthSet bool) error {
	switch {
	case opts.Format == export.YAML && opts.Out == "":
		return flagError{errors.New("--format yaml writes a directory: give it with --out DIR")}
	case opts.Schema != "" && opts.Format != export.Dgraph:
		return flagError{errors.New("--schema goes with --format dgraph only (the Dgraph dialect; nquads is standard RDF)")}
	case opts.Base != "" && opts.Format != export.NQuads && opts.Format != export.JSONLD:
		return flagError{errors.New("--base goes with --format nquads or jsonld only")}
	case opts.Force && opts.Format != export.YAML:
		return flagError{errors.New("--force goes with --format yaml only")}
	case depthSet && opts.Focus == "":
		return flagError{errors.New("--depth goes with --focus ID")}
	case opts.Depth < 0:
		return flagError{fmt.Errorf("--depth %d: give 0 or more hops", opts.Depth)}
	case opts.Out == "-":
		return flagError{errors.New("--out -: leave --out out to write to standard output")}
	}
	if opts.Base != "" {
		if err := export.CheckBase(opts.Base); err != nil {
			return flagError{fmt.Errorf("--base: %w", err)}
		}
	}
	if opts.Format == export.Dgraph && opts.Schema == "" && opts.Out != "" {
		opts.Schema = export.DgraphSchemaPath(opts.Out)
	}
	if opts.Schema != "" && filepath.Clean(opts.Schema) == filepath.Clean(opts.Out) {
		return flagError{fmt.Errorf("the Dgraph schema would overwrite the N-Quads at %s: give --schema another FILE", opts.Out)}
	}
	return nil
}

func exportRun(ctx context.Context, opts *exportOptions) error {
	store, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	tx := store.Begin(ctx)
	defer tx.Discard()
	var src export.Source = tx
	eo := export.Options{Base: opts.Base}
	if opts.Focus != "" {
		if src, err = export.Neighbourhood(tx, opts.Focus, opts.Depth); err != nil {
			return err
		}
	}
	switch {
	case opts.Format == export.YAML:
		return exportYAML(opts, src)
	case opts.Out == "":
		if err := export.WriteOptions(opts.IO.Out, opts.Format, src, eo); err != nil {
			return err
		}
	default:
		err := writeFileAtomic(opts.Out, func(w io.Writer) error { return export.WriteOptions(w, opts.Format, src, eo) })
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "wrote %s\n", opts.Out)
	}
	if opts.Format == export.Dgraph {
		return exportSchema(opts)
	}
	return nil
}

func exportYAML(opts *exportOptions, src export.Source) error {
	names, err := export.WriteYAML(opts.Out, src, opts.Force)
	if errors.Is(err, export.ErrExists) {
		return fmt.Errorf("%w: add --force to replace them, or choose another directory", err)
	}
	if err != nil {
		return err
	}
	sets := map[string]bool{}
	for _, n := range names {
		sets[strings.SplitN(n, "/", 2)[0]] = true
	}
	plural := "s"
	if len(sets) == 1 {
		plural = ""
	}
	fmt.Fprintf(opts.IO.Out, "wrote %d files in %d data set%s to %s\n", len(names), len(sets), plural, opts.Out)
	return nil
}

// exportSchema writes the Dgraph schema where --schema (or --out) says, or
// says on standard error how to get it; with both files written, it prints
// the dgraph live command that loads them.
func exportSchema(opts *exportOptions) error {
	if opts.Schema == "" {
		fmt.Fprintln(opts.IO.Err, "talkgraph: no Dgraph schema written: give --schema FILE, or --out FILE to write FILE's .schema beside it")
		return nil
	}
	if err := writeFileAtomic(opts.Schema, export.WriteDgraphSchema); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s\n", opts.Schema)
	if opts.Out != "" {
		fmt.Fprintf(opts.IO.Out, "load into Dgraph (again after a new export: nothing is duplicated):\n  %s\n", export.DgraphLiveCommand(opts.Out, opts.Schema))
	}
	return nil
}

// writeFileAtomic writes path through a temporary file beside it, renamed
// into place once complete, so a failed export never leaves a partial file
// under that name.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export: cannot write %s: directory %s does not exist: create it or choose another --out", path, filepath.Dir(path))
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("export: %w", err)
	}
	if err := writeMaybeGzip(tmp, strings.HasSuffix(path, ".gz"), write); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// writeMaybeGzip runs write into w, through gzip when zip is set: a file
// named *.gz holds what its name says (dgraph live gunzips *.rdf.gz).
func writeMaybeGzip(w io.Writer, zip bool, write func(io.Writer) error) error {
	if !zip {
		return write(w)
	}
	zw := gzip.NewWriter(w)
	if err := write(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
