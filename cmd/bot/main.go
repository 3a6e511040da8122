// Command bot is newsbrief's single binary: the long-running bot process
// (bot run), a command-line briefer (bot brief), and small helpers (version,
// healthcheck, help). This package only wires the other packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	// Embed the IANA time zone database: digest time zones must resolve on
	// minimal images (scratch, distroless) and machines without tzdata.
	_ "time/tzdata"
)

// Set at build time: go build -ldflags "-X main.version=v1.2.3 -X main.commit=abc123".
var (
	version = "dev"
	commit  = ""
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := runMain(ctx, stop, os.Args[1:], &stdio{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
	})
	stop()
	os.Exit(code)
}

// stdio is what a command reads and writes; tests replace it.
type stdio struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is one subcommand: its own type, file, FlagSet and usage.
type command interface {
	// name is the subcommand word.
	name() string
	// synopsis is the one-line summary shown by `bot help`.
	synopsis() string
	// usage is the full help text with examples.
	usage() string
	// run executes the command with its arguments (after the subcommand word).
	run(ctx context.Context, args []string) error
}

func commands(io *stdio, stopSignals func()) []command {
	return []command{
		&runCommand{io: io, stopSignals: stopSignals},
		&briefCommand{io: io},
		&versionCommand{io: io},
		&healthcheckCommand{io: io},
		&helpCommand{io: io},
	}
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError is a command-line mistake: printed with a hint, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// reportedError means the command already printed its errors: exit with code.
type reportedError struct{ code int }

func (e *reportedError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// runMain dispatches args to a subcommand and returns the exit code.
// stopSignals restores default signal handling (a second Ctrl-C kills).
func runMain(ctx context.Context, stopSignals func(), args []string, io *stdio) int {
	cmds := commands(io, stopSignals)
	if len(args) == 0 {
		fmt.Fprint(io.stderr, topUsage(cmds))
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(io.stdout, topUsage(cmds))
		return exitOK
	case "-v", "-version", "--version":
		args = []string{"version"}
	}
	for _, c := range cmds {
		if c.name() != args[0] {
			continue
		}
		err := c.run(ctx, args[1:])
		var ue *usageError
		var re *reportedError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			fmt.Fprint(io.stdout, c.usage())
			return exitOK
		case errors.As(err, &ue):
			fmt.Fprintf(io.stderr, "bot %s: %s\nRun 'bot %s -h' for usage.\n", c.name(), ue.msg, c.name())
			return exitUsage
		case errors.As(err, &re):
			return re.code
		default:
			fmt.Fprintf(io.stderr, "bot %s: %v\n", c.name(), err)
			return exitFail
		}
	}
	fmt.Fprintf(io.stderr, "bot: unknown command %q\nRun 'bot help' for the list of commands.\n", args[0])
	return exitUsage
}

// newFlagSet returns a FlagSet that reports errors to the caller instead of
// printing or exiting: runMain prints usage and errors in one place.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("bot "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: err.Error()}
	}
	return nil
}
