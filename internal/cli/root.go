// Package cli holds talkgraph's commands. Each command has an options
// struct, a newXCmd constructor that binds flags into it, and an xRun
// function with the behaviour, writing to injected writers so tests can
// read them.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// IO is where commands read and write.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// Terminal is true when Err is a terminal: progress is shown only then.
	Terminal bool
	// InTerminal is true when In and Err are a terminal: a command asks
	// for a confirmation (drop) only then, where a person reads and types.
	InTerminal bool
}

// SystemIO returns the process's standard streams.
func SystemIO() *IO {
	return &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Terminal: isTerminal(os.Stderr),
		InTerminal: isTerminal(os.Stdin) && isTerminal(os.Stderr)}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// flagError is a usage mistake: it is printed with the usage.
type flagError struct{ err error }

func (e flagError) Error() string { return e.err.Error() }
func (e flagError) Unwrap() error { return e.err }

// exitError carries an exit status without a message of its own (the
// command has already written what went wrong).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs talkgraph with args and returns the exit status. SIGINT or
// SIGTERM cancels the command's context: the command stops its work,
// keeps what the database held, says so, and Main returns 130 or 143.
func Main(args []string, ios *IO) int {
	ctx, stop := signalContext()
	defer stop()
	root := NewRootCmd(ios)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintf(ios.Err, "talkgraph: %s\n", escapeText(err.Error()))
	if sig, ok := interrupted(ctx, err); ok {
		return exitStatus(sig)
	}
	var fe flagError
	if errors.As(err, &fe) {
		fmt.Fprintln(ios.Err)
		fmt.Fprint(ios.Err, cmd.UsageString())
		return 2
	}
	return 1
}

// NewRootCmd builds the command tree.
func NewRootCmd(ios *IO) *cobra.Command {
	g := &globals{IO: ios}
	root := &cobra.Command{
		Use:   "talkgraph",
		Short: "A knowledge graph of tech-conference talks",
		Long: `talkgraph keeps talks, speakers, companies, tools and concepts in an
embedded graph database, every relation with its evidence, and answers
questions about them in GraphQL.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(ios.Out)
	root.SetErr(ios.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return flagError{err} })
	g.bind(root)
	root.AddCommand(
		newSeedCmd(g, nil),
		newValidateCmd(g, nil),
		newStatsCmd(g, nil),
		newQueryCmd(g, nil),
		newSchemaCmd(g, nil),
		newServeCmd(g, nil),
		newGenCmd(g, nil),
		newBackupCmd(g, nil),
		newRestoreCmd(g, nil),
		newExportCmd(g, nil),
		newLinkCmd(g, nil),
		newSeedSchemaCmd(g, nil),
		newImportCmd(g, nil),
		newDropCmd(g, nil),
	)
	return root
}

// exactArgs and friends wrap cobra's argument checks as flag errors, so
// they print the usage.
func argsCheck(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return flagError{err}
		}
		return nil
	}
}
