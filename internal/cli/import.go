package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/importer"
	"github.com/talkgraph/talkgraph/internal/vocab"
)

type importOptions struct {
	IO         *IO
	Files      []string
	Out        string
	Format     string
	Conference string
	Lang       string
	People     string
	Tracks     string
	// SourceURLs are where the registry files are published, in order.
	SourceURLs []string
	// Match names the data sets whose entities registry entries join.
	Match   []string
	Verbose bool
	// Seed, when set, seeds the written data set into the database, as
	// `talkgraph seed DIR` would (through a running server that holds it).
	Seed *seedOptions
}

func newImportCmd(g *globals, runF func(context.Context, *importOptions) error) *cobra.Command {
	opts := &importOptions{IO: g.IO}
	var seedToo bool
	cmd := &cobra.Command{
		Use:   "import FILE... --out DIR",
		Short: "Write a data set of seed files from a conference programme or public registries",
		Long: `Read a conference programme (frab schedule XML, frab or pretalx schedule
JSON, Sessionize "All data" JSON; the format is detected from the content)
and write one data set of seed files into DIR, whose name is the data set's.

Or read public registries of tools, languages and brands (the CNCF
landscape's landscape.yml, GitHub Linguist's languages.yml, simple-icons'
simple-icons.json) and write them as one vocabulary data set: the same thing
in two registries is one entity, and an entry named like an entity of
another data set (--match DIRS, else the embedded sets and the sets beside
DIR) is that entity. A NOTICE file keeps the registries' licences.
The files are validated before anything is written; DIR must be new, empty,
or hold exactly what an earlier import wrote (it is then replaced whole).
A person is the person of another data set (--match DIRS, else the
embedded sets and those beside DIR) the programme gives the same id, or
who has the same full name; a one-word name is a person of this
conference only; placeholders (TBA, "Vous / You") are no persons. A people
file (--people, else people.yaml beside the first FILE) merges spellings
of one person and splits people who share a name. Each track becomes a
topic its talks are about (an entity of that name when another data set
has one); a tracks file (--tracks, else tracks.yaml beside the first FILE)
merges track names and tells channels from topics.`,
		Example: `  talkgraph import schedule.xml --out seeds/38c3
  talkgraph import schedule.json --out seeds/datenfest-2024
  talkgraph import sessionize.json --conference "CloudSummit 2025" --out seeds/cloudsummit-2025
  talkgraph import schedule.xml --out seeds/38c3 --seed   # and load it into the database
  talkgraph import landscape.yml languages.yml simple-icons.json --out seeds/vocabulary`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return flagError{errors.New("give the programme FILE to import (schedule.xml, schedule.json or a Sessionize export)")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if opts.Out == "" {
				return flagError{errors.New("--out DIR is required: the directory of the data set to write")}
			}
			if seedToo {
				opts.Seed = &seedOptions{IO: g.IO, Paths: []string{opts.Out}, DB: g.DB, InMemory: g.InMemory, Vocabulary: !g.NoVocabulary, Store: g.seedStore}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return importRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&seedToo, "seed", false, "then seed the data set into the database (through a running server that holds it, with its write token)")
	f.StringVar(&opts.Out, "out", "", "the data set directory to write (its name is the data set's)")
	f.StringVar(&opts.Format, "format", "", "the input format: "+importer.FormatList()+", "+vocabFormatList()+" (default: detected)")
	f.StringVar(&opts.Conference, "conference", "", "the conference's name (required for Sessionize, which names none)")
	f.StringVar(&opts.Lang, "lang", "en", "the language of texts whose language the programme does not give")
	f.StringVar(&opts.People, "people", "", "a people file (same:/distinct: entries); default people.yaml beside the first FILE")
	f.StringVar(&opts.Tracks, "tracks", "", "a tracks file (same:/channels:/topics: entries); default tracks.yaml beside the first FILE")
	f.StringArrayVar(&opts.SourceURLs, "source-url", nil, "where a registry FILE is published (one per FILE, in order; default: the registry's own address)")
	f.StringArrayVar(&opts.Match, "match", nil, "data sets whose entities registry entries join (default: the embedded sets and those beside --out)")
	f.BoolVar(&opts.Verbose, "verbose", false, "list every note of a registry import")
	return cmd
}

func importRun(ctx context.Context, opts *importOptions) error {
	set := filepath.Base(filepath.Clean(opts.Out))
	if err := graph.CheckID(set); err != nil {
		return flagError{fmt.Errorf("--out %s: the directory's name is the data set's name: %w", opts.Out, err)}
	}
	o, err := importOpts(opts)
	if err != nil {
		return err
	}
	registries, err := readRegistries(ctx, opts)
	if err != nil || registries != nil {
		if err != nil {
			return err
		}
		return vocabImportRun(ctx, opts, set, registries)
	}
	var format importer.Format
	if opts.Format != "" {
		if format, err = importer.ParseFormat(opts.Format); err != nil {
			return flagError{fmt.Errorf("%w, %s", err, vocabFormatList())}
		}
	}
	inputs, err := readInputs(ctx, opts, format)
	if err != nil {
		return err
	}
	if o.Known, err = knownToImport(ctx, opts, set); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w (%w)", importer.ErrInterrupted, ctx.Err())
		}
		return err
	}
	w := &warnings{out: opts.IO.Err}
	o.Warn = w.add
	files, rep, err := importer.Import(ctx, inputs, format, set, o)
	w.flush()
	if err != nil {
		return err
	}
	if err := importer.WriteDir(ctx, opts.Out, files); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(opts.IO.Out, "%s: wrote %v into %s\n", set, names, opts.Out)
	printImportReport(opts.IO.Out, set, rep)
	if opts.Seed != nil {
		return seedRun(ctx, opts.Seed)
	}
	return nil
}

// importOpts reads the people and tracks files and the language.
func importOpts(opts *importOptions) (importer.Options, error) {
	o := importer.Options{Conference: opts.Conference, Lang: opts.Lang}
	if len(opts.Lang) != 2 {
		return o, flagError{fmt.Errorf("--lang %q: give a two-letter language code such as en or de", opts.Lang)}
	}
	if path := mappingFile(opts, opts.People, "people"); path != "" {
		p, err := importer.ReadPeople(path)
		if err != nil {
			return o, err
		}
		o.People = p
	}
	if path := mappingFile(opts, opts.Tracks, "tracks"); path != "" {
		t, err := importer.ReadTracks(path)
		if err != nil {
			return o, err
		}
		o.Tracks = t
	}
	return o, nil
}

// mappingFile returns the path of the people or tracks file: the flag's,
// else NAME.yaml beside the first input when there is one, else "".
func mappingFile(opts *importOptions, flag, name string) string {
	if flag != "" {
		return flag
	}
	beside := filepath.Join(filepath.Dir(opts.Files[0]), name+".yaml")
	if _, err := os.Stat(beside); err != nil {
		return ""
	}
	fmt.Fprintf(opts.IO.Err, "%s: using %s\n", name, beside)
	return beside
}

// readInputs reads the files, refusing a Sessionize one without
// --conference up front.
func readInputs(ctx context.Context, opts *importOptions, format importer.Format) ([]importer.Input, error) {
	var inputs []importer.Input
	for _, name := range opts.Files {
		data, err := importer.ReadFile(ctx, name)
		if err != nil {
			return nil, err
		}
		f := format
		if f == "" {
			if f, err = importer.Detect(name, data); err != nil {
				return nil, err
			}
		}
		if f == importer.Sessionize && opts.Conference == "" {
			return nil, flagError{fmt.Errorf("%s is a Sessionize export, which names no conference: give its name with --conference NAME", name)}
		}
		inputs = append(inputs, importer.Input{Name: name, Data: data})
	}
	return inputs, nil
}

func vocabFormatList() string {
	names := make([]string, len(vocab.Formats))
	for i, f := range vocab.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// readRegistries reads the files when they are registry files (--format
// names a registry, or every file is detected as one); it returns nil for
// programmes, and refuses a mix.
func readRegistries(ctx context.Context, opts *importOptions) ([]registryInput, error) {
	forced, isRegistry := vocab.ParseFormat(opts.Format)
	if opts.Format != "" && !isRegistry {
		return nil, nil
	}
	var out []registryInput
	for _, name := range opts.Files {
		data, err := importer.ReadFile(ctx, name)
		if err != nil {
			return nil, err
		}
		f, ok := forced, isRegistry
		if !ok {
			f, ok = vocab.Detect(data)
		}
		switch {
		case ok:
			out = append(out, registryInput{name, data, f})
		case len(out) > 0:
			return nil, flagError{fmt.Errorf("%s is not a registry file while %s is: import programmes and registries apart", name, out[0].name)}
		}
	}
	if len(out) > 0 && len(out) < len(opts.Files) {
		return nil, flagError{fmt.Errorf("%s is a registry file while %s is not: import programmes and registries apart", out[0].name, opts.Files[0])}
	}
	return out, nil
}

// maxWarnings is how many of an import's warnings are printed; the rest
// are counted.
const maxWarnings = 20

// warnings prints an import's warnings on stderr, the first maxWarnings
// in full.
type warnings struct {
	out  io.Writer
	more int
	n    int
}

func (w *warnings) add(msg string) {
	if w.n++; w.n > maxWarnings {
		w.more++
		return
	}
	fmt.Fprintf(w.out, "warning: %s\n", escapeText(msg))
}

func (w *warnings) flush() {
	if w.more > 0 {
		fmt.Fprintf(w.out, "warning: and %d more like these\n", w.more)
	}
}
