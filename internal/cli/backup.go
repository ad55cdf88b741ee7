package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
)

type backupOptions struct {
	IO    *IO
	File  string
	Force bool
	DB    string // the database directory, where a running server records itself
	Store func(context.Context) (*graph.Store, error)
}

func newBackupCmd(g *globals, runF func(context.Context, *backupOptions) error) *cobra.Command {
	opts := &backupOptions{IO: g.IO}
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write the database to a backup file",
		Long: `Write the database, as of now, to FILE (- for standard output): Badger's
backup format between a header and a SHA-256 checksum that restore
verifies. A regular file is written beside its final name and renamed, so
an interrupted backup never leaves a partial file under that name; a
symlink is followed, and a FIFO or device is written into.`,
		Example: "  talkgraph backup talkgraph.bak\n  talkgraph restore talkgraph.bak --db /tmp/copy",
		Args:    argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File, opts.Store = args[0], g.openReadStore
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
		return writeBackup(ctx, opts, newRemote(rec).backup, func() string { return "" })
	}
	if err != nil {
		return err
	}
	defer store.Close()
	return writeBackup(ctx, opts, store.Backup, func() string { h, _ := store.ContentHash(ctx); return h })
}

// writeBackup writes the backup that backup makes to opts.File (standard
// output for -), and reports the content hash that hash gives, if any.
func writeBackup(ctx context.Context, opts *backupOptions, backup func(context.Context, io.Writer) error, hash func() string) error {
	if opts.File == "-" {
		return backup(ctx, opts.IO.Out)
	}
	target, regular, err := backupTarget(opts.File)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if regular {
		err = backupToFile(ctx, backup, target)
	} else {
		err = backupThrough(ctx, backup, target)
	}
	if err != nil {
		return err
	}
	if h := hash(); h != "" {
		fmt.Fprintf(opts.IO.Out, "wrote %s (content %s)\n", opts.File, short(h))
		return nil
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s\n", opts.File)
	return nil
}

// backupTarget follows symlinks from name to the file to write, and says
// whether it is a regular file (or none yet): only those are replaced by
// rename. A FIFO, a device or /dev/stdout is written through.
func backupTarget(name string) (string, bool, error) {
	target, err := filepath.EvalSymlinks(name)
	if errors.Is(err, os.ErrNotExist) {
		if _, lerr := os.Lstat(name); lerr == nil {
			return name, false, nil // a dangling symlink: create its target through it
		}
		return name, true, nil
	}
	if err != nil {
		return "", false, err
	}
	st, err := os.Stat(target)
	if err != nil {
		return "", false, err
	}
	if st.IsDir() {
		return "", false, fmt.Errorf("%s is a directory: give a file name, e.g. %s", name, filepath.Join(name, "talkgraph.bak"))
	}
	return target, st.Mode().IsRegular(), nil
}

// backupToFile writes beside name and renames, so an interrupted backup
// never leaves a partial file under that name.
func backupToFile(ctx context.Context, backup func(context.Context, io.Writer) error, name string) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), filepath.Base(name)+".*.tmp")
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: directory %s does not exist: create it or choose another", filepath.Dir(name))
	}
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
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// backupThrough writes into an existing special file (or a dangling
// symlink's target) in place.
func backupThrough(ctx context.Context, backup func(context.Context, io.Writer) error, name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := backup(ctx, f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func short(h string) string { return h[:min(12, len(h))] }

func newRestoreCmd(g *globals, runF func(context.Context, *backupOptions) error) *cobra.Command {
	opts := &backupOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the database with a backup",
		Long: `Replace the database with the backup in FILE (- for standard input). The
backup is loaded and checked (its checksum, its format) in a new directory
beside the database, which then takes the old one's place in one step: a
restore killed at any moment leaves the old database or the new one. A
database that holds data is refused unless --force.

While 'talkgraph serve' holds the database, the backup goes to the server
(with its write token, TALKGRAPH_WRITE_TOKEN), which checks it and puts it
in place of its data in one step while it goes on answering.`,
		Args: argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File, opts.DB = args[0], g.DB
			// Restore opens the store itself, once the backup is checked:
			// a refused restore creates no database.
			opts.Store = func(context.Context) (*graph.Store, error) { return g.newStore(), nil }
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
	info, err := store.Restore(ctx, r, opts.Force)
	if errors.Is(err, graph.ErrLocked) && opts.DB != "" {
		// The lock is found before the backup is read: a server that
		// holds the database takes it whole.
		if rec := served(lockedByServer(ctx, opts.DB, err, opts.IO.Err)); rec != nil {
			out, err := newRemote(rec).restore(ctx, r, opts.Force)
			fmt.Fprint(opts.IO.Out, strings.Replace(out, "the backup", opts.File, 1))
			return err
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: the restore stopped before it replaced anything: the database is as it was, and what was loaded is deleted", context.Cause(ctx))
		}
		return err
	}
	hash, err := store.ContentHash(ctx)
	if err != nil {
		return err
	}
	if info.Checksum == "" {
		fmt.Fprintf(opts.IO.Err, "warning: %s has no checksum (a backup from before talkgraph checked backups), so damage in it could not be detected; take a new backup now\n", opts.File)
	}
	printRestored(opts.IO.Out, opts.File, hash, info)
	return nil
}
