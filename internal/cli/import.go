package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/importer"
)

type importOptions struct {
	IO         *IO
	Files      []string
	Out        string
	Format     string
	Conference string
	Lang       string
	People     string
	// Seed, when set, seeds the written data set into the database, as
	// `talkgraph seed DIR` would (through a running server that holds it).
	Seed *seedOptions
}

func newImportCmd(g *globals, runF func(context.Context, *importOptions) error) *cobra.Command {
	opts := &importOptions{IO: g.IO}
	var seedToo bool
	cmd := &cobra.Command{
		Use:   "import FILE... --out DIR",
		Short: "Write a data set of seed files from a conference programme",
		Long: `Read a conference programme (frab schedule XML, frab or pretalx schedule
JSON, Sessionize "All data" JSON; the format is detected from the content)
and write one data set of seed files into DIR, whose name is the data set's.
The files are validated before anything is written; DIR must be new, empty,
or hold exactly what an earlier import wrote (it is then replaced whole).
A people file (--people, else people.yaml beside the first FILE) merges
spellings of one person and splits people who share a name.`,
		Example: `  talkgraph import schedule.xml --out seeds/38c3
  talkgraph import schedule.json --out seeds/datenfest-2024
  talkgraph import sessionize.json --conference "CloudSummit 2025" --out seeds/cloudsummit-2025
  talkgraph import schedule.xml --out seeds/38c3 --seed   # and load it into the database`,
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
				opts.Seed = &seedOptions{IO: g.IO, Paths: []string{opts.Out}, DB: g.DB, InMemory: g.InMemory, Store: g.seedStore}
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
	f.StringVar(&opts.Format, "format", "", "the input format: "+importer.FormatList()+" (default: detected)")
	f.StringVar(&opts.Conference, "conference", "", "the conference's name (required for Sessionize, which names none)")
	f.StringVar(&opts.Lang, "lang", "en", "the language of texts whose language the programme does not give")
	f.StringVar(&opts.People, "people", "", "a people file (same:/distinct: entries); default people.yaml beside the first FILE")
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
	var format importer.Format
	if opts.Format != "" {
		if format, err = importer.ParseFormat(opts.Format); err != nil {
			return flagError{err}
		}
	}
	inputs, err := readInputs(opts, format)
	if err != nil {
		return err
	}
	files, err := importer.Import(ctx, inputs, format, set, o)
	if err != nil {
		return err
	}
	if err := importer.WriteDir(opts.Out, files); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(opts.IO.Out, "%s: wrote %v into %s\n", set, names, opts.Out)
	if opts.Seed != nil {
		return seedRun(ctx, opts.Seed)
	}
	return nil
}

// importOpts reads the people file and the language.
func importOpts(opts *importOptions) (importer.Options, error) {
	o := importer.Options{Conference: opts.Conference, Lang: opts.Lang}
	if len(opts.Lang) != 2 {
		return o, flagError{fmt.Errorf("--lang %q: give a two-letter language code such as en or de", opts.Lang)}
	}
	path := opts.People
	if path == "" {
		beside := filepath.Join(filepath.Dir(opts.Files[0]), "people.yaml")
		if _, err := os.Stat(beside); err != nil {
			return o, nil
		}
		path = beside
		fmt.Fprintf(opts.IO.Err, "people: using %s\n", path)
	}
	p, err := importer.ReadPeople(path)
	if err != nil {
		return o, err
	}
	o.People = p
	return o, nil
}

// readInputs reads the files, refusing a Sessionize one without
// --conference up front.
func readInputs(opts *importOptions, format importer.Format) ([]importer.Input, error) {
	var inputs []importer.Input
	for _, name := range opts.Files {
		data, err := importer.ReadFile(name)
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
