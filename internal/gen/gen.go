// Package gen writes deterministic synthetic data sets in the seed format,
// for benchmarks at scales the real data does not reach: N talks over many
// conference editions, about N/2 speakers, companies, tools and concepts,
// with a long-tailed spread of mentions (a few concepts in many talks, most
// in few) and English and French descriptions of realistic length.
package gen

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Config says what to generate.
type Config struct {
	Talks int
	Seed  uint64
	// TalksPerEdition is the size of one conference edition (default 50).
	TalksPerEdition int
}

// Sizes derived from the talk count.
type sizes struct{ talks, editions, people, companies, tools, concepts int }

func (c Config) sizes() sizes {
	per := c.TalksPerEdition
	if per <= 0 {
		per = 50
	}
	n := max(c.Talks, 1)
	return sizes{
		talks:     n,
		editions:  max(1, (n+per-1)/per),
		people:    max(2, n/2),
		companies: max(2, n/100),
		tools:     max(4, n/20),
		concepts:  max(4, n/50),
	}
}

// Write writes the data set into dir (created if needed), one file per
// conference edition plus files of at most 1000 people, companies, tools or
// concepts, streaming: memory does not grow with the talk count.
func Write(dir string, c Config) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &generator{cfg: c, sz: c.sizes(), rng: rand.New(rand.NewPCG(c.Seed, 0x7a1c))}
	g.mentionZipf = rand.NewZipf(g.rng, 1.2, 4, uint64(g.sz.concepts-1))
	g.toolZipf = rand.NewZipf(g.rng, 1.1, 4, uint64(g.sz.tools-1))
	steps := []func(string) error{g.writeSources, g.writeCompanies, g.writeTools, g.writeConcepts, g.writePeople, g.writeEditions}
	for _, step := range steps {
		if err := step(dir); err != nil {
			return err
		}
	}
	return nil
}

type generator struct {
	cfg         Config
	sz          sizes
	rng         *rand.Rand
	mentionZipf *rand.Zipf
	toolZipf    *rand.Zipf
}

// file writes one YAML file through a buffered writer.
type file struct {
	f *os.File
	w *bufio.Writer
}

func create(dir, name string) (*file, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	return &file{f, bufio.NewWriterSize(f, 1<<16)}, nil
}

func (f *file) printf(format string, a ...any) { fmt.Fprintf(f.w, format, a...) }

func (f *file) close() error {
	if err := f.w.Flush(); err != nil {
		f.f.Close()
		return err
	}
	return f.f.Close()
}

func (f *file) node(id, kind, name string, aliases []string, en, fr string, props ...string) {
	f.printf("  - id: %s\n    kind: %s\n    name: %q\n", id, kind, name)
	if len(aliases) > 0 {
		f.printf("    aliases: [%q]\n", strings.Join(aliases, `", "`))
	}
	f.printf("    description:\n      en: %q\n      fr: %q\n", en, fr)
	if len(props) > 0 {
		f.printf("    props:\n")
		for i := 0; i+1 < len(props); i += 2 {
			f.printf("      %s: %q\n", props[i], props[i+1])
		}
	}
}

func (f *file) edge(from, typ, to, source, quote string) {
	f.printf("  - from: %s\n    type: %s\n    to: %s\n    evidence:\n      - source: %s\n        quote: %q\n", from, typ, to, source, quote)
}

// chunks writes count nodes in files of at most 1000, named prefix-NNN.yaml.
func (g *generator) chunks(dir, prefix string, count int, fn func(f *file, i int)) error {
	for start := 0; start < count; start += 1000 {
		f, err := create(dir, fmt.Sprintf("%s-%03d.yaml", prefix, start/1000))
		if err != nil {
			return err
		}
		f.printf("nodes:\n")
		for i := start; i < min(count, start+1000); i++ {
			fn(f, i)
		}
		if err := f.close(); err != nil {
			return err
		}
	}
	return nil
}
