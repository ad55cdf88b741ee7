package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
)

type backupOptions struct {
	IO    *IO
	File  string
	Force bool
	Store func(context.Context) (*graph.Store, error)
}

func newBackupCmd(g *globals, runF func(context.Context, *backupOptions) error) *cobra.Command {
	opts := &backupOptions{IO: g.IO}
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write the database to a backup file",
		Long: `Write the database, as of now, to FILE in Badger's backup format (- for
standard output). The file is written beside its final name and renamed, so
an interrupted backup never leaves a partial file under that name.`,
		Example: "  talkgraph backup talkgraph.bak\n  talkgraph restore talkgraph.bak --db /tmp/copy",
		Args:    argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File, opts.Store = args[0], g.openStore
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return backupRun(cmd.Context(), opts)
		},
	}
}

func backupRun(ctx context.Context, opts *backupOptions) error {
	store, err := opts.Store(ctx)
	if rec := served(err); rec != nil {
		// The server streams a snapshot of one version, as a local backup.
		return writeBackup(ctx, opts, newRemote(rec).backup, func() (string, error) { return "", nil })
	}
	if err != nil {
		return err
	}
	defer store.Close()
	return writeBackup(ctx, opts, store.Backup, func() (string, error) { return store.ContentHash(ctx) })
}

// writeBackup writes a backup made by backup to opts.File (or standard
// output for -) and reports the content hash that hash returns, if any.
func writeBackup(ctx context.Context, opts *backupOptions, backup func(context.Context, io.Writer) error, hash func() (string, error)) error {
	if opts.File == "-" {
		return backup(ctx, opts.IO.Out)
	}
	tmp, err := os.CreateTemp(filepath.Dir(opts.File), filepath.Base(opts.File)+".*.tmp")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := backup(ctx, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), opts.File); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if h, _ := hash(); h != "" {
		fmt.Fprintf(opts.IO.Out, "wrote %s (content %s)\n", opts.File, short(h))
		return nil
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s\n", opts.File)
	return nil
}

func short(h string) string { return h[:min(12, len(h))] }

func newRestoreCmd(g *globals, runF func(context.Context, *backupOptions) error) *cobra.Command {
	opts := &backupOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the database with a backup",
		Long: `Replace the database with the backup in FILE (- for standard input). A
database that holds data is refused unless --force.`,
		Args: argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			opts.Store = func(context.Context) (*graph.Store, error) {
				s := g.newStore()
				return s, s.Open()
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return restoreRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace a database that holds data")
	return cmd
}

func restoreRun(ctx context.Context, opts *backupOptions) error {
	var r io.Reader = opts.IO.In
	if opts.File != "-" {
		f, err := os.Open(opts.File)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		defer f.Close()
		r = f
	}
	store, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Restore(ctx, r, opts.Force); err != nil {
		return err
	}
	hash, err := store.ContentHash(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "restored %s (content %s)\n", opts.File, short(hash))
	return nil
}
