package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheckCommand GETs /healthz of a running `bot run`; the Dockerfile's
// HEALTHCHECK runs it because distroless images have no curl.
type healthcheckCommand struct {
	io *stdio
}

func (c *healthcheckCommand) name() string { return "healthcheck" }
func (c *healthcheckCommand) synopsis() string {
	return "check a running bot's /healthz (exit 0 healthy, 1 not)"
}

func (c *healthcheckCommand) usage() string {
	return `Usage: bot healthcheck [--env-file PATH] [--url URL] [--timeout DURATION]

GETs http://HTTP_ADDR/healthz (a wildcard host such as ":8080" or
"0.0.0.0:8080" is reached on loopback) and exits 0 when it answers 200,
1 otherwise. Used as the Docker HEALTHCHECK.

Flags:
  --env-file PATH     read settings from this file too (environment wins)
  --url URL           check this URL instead of the one HTTP_ADDR implies
  --timeout DURATION  give up after this long (default 3s)

Examples:
  bot healthcheck
  HTTP_ADDR=:9090 bot healthcheck
  bot healthcheck --url http://127.0.0.1:8080/readyz
`
}

func (c *healthcheckCommand) run(ctx context.Context, args []string) error {
	set := newFlagSet(c.name())
	envFile := set.String("env-file", "", "settings file")
	target := set.String("url", "", "URL to check")
	timeout := set.Duration("timeout", 3*time.Second, "timeout")
	if err := parseFlags(set, args); err != nil {
		return err
	}
	if set.NArg() > 0 {
		return &usageError{msg: "healthcheck takes no arguments"}
	}
	u := *target
	if u == "" {
		cfg, err := loadConfig(c.io, *envFile)
		if err != nil {
			return err
		}
		u = "http://" + dialAddr(cfg.HTTPAddr) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return &usageError{msg: fmt.Sprintf("bad URL %q", u)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s answered %s", u, resp.Status)
	}
	return nil
}

// dialAddr turns a listen address into one to connect to: a wildcard or
// empty host becomes loopback.
func dialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	switch strings.Trim(host, "[]") {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return net.JoinHostPort(host, port)
}
