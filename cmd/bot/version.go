package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// versionCommand prints the build's version, commit and Go version.
type versionCommand struct {
	io *stdio
}

func (c *versionCommand) name() string     { return "version" }
func (c *versionCommand) synopsis() string { return "print version, commit and Go version" }

func (c *versionCommand) usage() string {
	return `Usage: bot version

Prints the version and commit the binary was built from (set with
-ldflags "-X main.version=... -X main.commit=...") and the Go version.

Example:
  bot version
`
}

func (c *versionCommand) run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.name())
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{msg: "version takes no arguments"}
	}
	v := buildVersion()
	fmt.Fprintf(c.io.stdout, "bot %s\ncommit %s\n%s %s/%s\n", v.version, v.commit, v.goVersion, runtime.GOOS, runtime.GOARCH)
	return nil
}

type buildInfo struct {
	version, commit, goVersion string
}

// buildVersion returns the -ldflags values, falling back to the VCS
// revision Go stamps into binaries built from a checkout.
func buildVersion() buildInfo {
	b := buildInfo{version: version, commit: commit, goVersion: runtime.Version()}
	if b.commit == "" {
		b.commit = "unknown"
		if info, ok := debug.ReadBuildInfo(); ok {
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && s.Value != "" {
					b.commit = s.Value
				}
			}
		}
	}
	return b
}
