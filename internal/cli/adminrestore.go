package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/server"
)

var (
	_ server.Restorer  = (*storeAdmin)(nil)
	_ server.Validator = (*storeAdmin)(nil)
)

// Restore replaces the server's database with a backup, as `talkgraph
// restore` does with the server stopped, while the server goes on
// answering: its readers see the old data or the new (graph.RestoreLive).
func (a *storeAdmin) Restore(ctx context.Context, r io.Reader, force bool, w io.Writer) error {
	defer a.hold()()
	a.writes.Lock()
	defer a.writes.Unlock()
	info, err := a.store.RestoreLive(ctx, r, force)
	if err != nil {
		if errors.Is(err, graph.ErrInvalid) || errors.Is(err, graph.ErrVersion) || errors.Is(err, graph.ErrConflict) || errors.Is(err, graph.ErrNoSpace) {
			return server.Refused(err)
		}
		return err
	}
	a.stats.seeded()
	hash, err := a.store.ContentHash(ctx)
	if err != nil {
		return err
	}
	printRestored(w, "the backup", hash, info)
	return nil
}

// validateReport is what /admin/validate answers.
type validateReport struct {
	Problems []string `json:"problems"`
}

// Validate checks the data sets of a seed archive against the server's
// database, as `talkgraph validate` does with the server stopped.
func (a *storeAdmin) Validate(ctx context.Context, r io.ReaderAt, size int64, w io.Writer) error {
	defer a.hold()()
	sets, err := readSeedZip(r, size)
	if err != nil {
		return server.Refused(err)
	}
	rep := validateReport{Problems: []string{}}
	err = seed.NewLoader(a.store).Validate(ctx, sets)
	var ps seed.Problems
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			rep.Problems = append(rep.Problems, p.String())
		}
	case err != nil:
		return err
	}
	return json.NewEncoder(w).Encode(rep)
}

// printRestored reports a restore of file, its content hash and whether
// its checksum was verified.
func printRestored(w io.Writer, file, hash string, info graph.RestoreInfo) {
	if info.Checksum == "" {
		fmt.Fprintf(w, "restored %s (content %s, unchecked)\n", file, short(hash))
		return
	}
	fmt.Fprintf(w, "restored %s (content %s, sha256 %s verified)\n", file, short(hash), short(info.Checksum))
}
