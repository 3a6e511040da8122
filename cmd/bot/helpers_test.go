package main

import (
	"log/slog"
	"path/filepath"
	"testing"

	"newsbrief/config"
)

// testConfig is the default configuration with a temp state file and a
// free loopback port.
func testConfig(t *testing.T) config.Config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{
			"HOME":       dir,
			"STATE_PATH": filepath.Join(dir, "state.db"),
			"HTTP_ADDR":  "127.0.0.1:0",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
