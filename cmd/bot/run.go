package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"

	"newsbrief/config"
)

// runCommand is the long-running bot process.
type runCommand struct {
	io *stdio
	// stopSignals restores default signal handling once shutdown starts,
	// so a second Ctrl-C kills the process at once.
	stopSignals func()
}

func (c *runCommand) name() string     { return "run" }
func (c *runCommand) synopsis() string { return "run the bot: platforms, feeds, digests, HTTP server" }

func (c *runCommand) usage() string {
	return `Usage: bot run [--env-file PATH]

Runs the bot until SIGINT or SIGTERM: Telegram and Discord (each only when
its token is set), feed ingestion, scheduled digests, the delivery outbox,
and one HTTP server on HTTP_ADDR (default 127.0.0.1:8080) with /healthz,
/readyz and /metrics.

Settings come from environment variables (see config.example.env). With no
settings at all it runs on the embedded store at
$XDG_STATE_HOME/newsbrief/state.db ($HOME/.local/state/newsbrief/state.db);
with REDIS_URL it keeps its state in Redis. A bad setting stops start-up
with one line per bad variable and exit status 1.

On SIGINT/SIGTERM it stops taking work, lets deliveries finish (or return
to the outbox), closes the HTTP server and the store, within
SHUTDOWN_TIMEOUT (default 10s), and exits 0.

Flags:
  --env-file PATH  also read KEY=VALUE settings from this file; a variable
                   set in the environment wins over the file

Examples:
  bot run
  bot run --env-file /etc/newsbrief.env
  TELEGRAM_TOKEN=123456:ABC... LOG_LEVEL=debug bot run
  REDIS_URL=redis://127.0.0.1:6379/0 HTTP_ADDR=:8080 LOG_FORMAT=json bot run
`
}

func (c *runCommand) run(ctx context.Context, args []string) error {
	set := newFlagSet(c.name())
	envFile := set.String("env-file", "", "settings file")
	if err := parseFlags(set, args); err != nil {
		return err
	}
	if set.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", set.Arg(0))}
	}
	cfg, err := loadConfig(c.io, *envFile)
	if err != nil {
		return err
	}
	log := newLogger(c.io.stderr, cfg)
	// Libraries that log with the standard log package (discordgo) then go
	// through the same handler: one format, secrets scrubbed.
	slog.SetDefault(log)

	m := NewMain(cfg, log)
	if err := m.Run(ctx); err != nil {
		log.Error("bot: start failed", "error", err)
		return &reportedError{code: exitFail}
	}
	var failure error
	select {
	case <-ctx.Done():
		log.Info("bot: signal received, shutting down", "timeout", cfg.ShutdownTimeout)
	case failure = <-m.Failed():
		log.Error("bot: shutting down after a failure", "error", failure)
	}
	if c.stopSignals != nil {
		c.stopSignals()
	}
	if err := m.Close(); err != nil || failure != nil {
		return &reportedError{code: exitFail}
	}
	return nil
}

// loadConfig reads the environment, plus envFile when set, and validates.
// Bad settings are printed one per line on stderr, nothing else.
func loadConfig(io *stdio, envFile string) (config.Config, error) {
	getenv := io.getenv
	if envFile != "" {
		file, err := config.LoadEnvFile(envFile)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return config.Config{}, &usageError{msg: fmt.Sprintf("--env-file %s: no such file", envFile)}
			}
			return config.Config{}, err
		}
		var unknown []string
		for k := range file {
			if !config.IsKnown(k) {
				unknown = append(unknown, k)
			}
		}
		slices.Sort(unknown)
		for _, k := range unknown {
			fmt.Fprintf(io.stderr, "bot: warning: %s: unknown variable %s (ignored)\n", envFile, k)
		}
		getenv = config.Getenv(file, io.getenv)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			for _, l := range ce.Lines() {
				fmt.Fprintln(io.stderr, l)
			}
			return config.Config{}, &reportedError{code: exitFail}
		}
		return config.Config{}, err
	}
	return cfg, nil
}
