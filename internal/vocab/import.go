package vocab

import (
	"context"
	"embed"
	"fmt"
	"strings"

	"github.com/talkgraph/talkgraph/internal/importer"
)

// NoticeFile is the file of the data set that carries the registries'
// licence notices.
const NoticeFile = "NOTICE"

//go:embed licenses
var licenses embed.FS

var licenceFiles = map[Format]string{
	CNCF:        "licenses/cncf-landscape.LICENSE",
	Linguist:    "licenses/linguist.LICENSE",
	SimpleIcons: "licenses/simple-icons.LICENSE.md",
}

// Import builds the data set set from the registries and returns its seed
// files, checked by the seed loader's validation, and a NOTICE file with
// the registries' licences. It returns seed.Problems when the result
// fails validation (a bug of the converter or a limit of the format).
func Import(ctx context.Context, regs []*Registry, set string, known []Known) (map[string][]byte, *Report, error) {
	g, rep := Build(regs, known)
	var names []string
	for _, r := range regs {
		names = append(names, baseName(r.File))
	}
	from := strings.Join(names, ", ")
	files, err := importer.Files(ctx, g, set, from)
	if err != nil {
		return nil, nil, err
	}
	if err := importer.Validate(ctx, set, files); err != nil {
		return nil, nil, fmt.Errorf("the vocabulary would not validate (a bug of the converter, or a limit of the seed format): %w", err)
	}
	notice, err := Notice(regs, from)
	if err != nil {
		return nil, nil, err
	}
	files[NoticeFile] = notice
	return files, rep, nil
}

// Notice returns the NOTICE of a data set made from regs: where each
// registry comes from and its licence, in full.
func Notice(regs []*Registry, from string) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s from %s.\n\n", importer.Marker, from)
	b.WriteString("This data set is converted by talkgraph from public registries. Their facts\n" +
		"are used under their licences, given in full below; the brands and names are\n" +
		"their owners'.\n\n")
	for _, r := range regs {
		info := registryInfo[r.Format]
		fmt.Fprintf(&b, "- %s, %s: %s licence.\n", info.name, r.URL, info.licence)
	}
	seen := map[Format]bool{}
	for _, r := range regs {
		if seen[r.Format] {
			continue
		}
		seen[r.Format] = true
		text, err := licenses.ReadFile(licenceFiles[r.Format])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "\n\n==== %s (%s) ====\n\n%s", registryInfo[r.Format].name, registryInfo[r.Format].licence, text)
	}
	return []byte(b.String()), nil
}

func baseName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		return s[i+1:]
	}
	return s
}
