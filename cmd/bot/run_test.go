package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadConfigEnvFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bot.env")
	content := "# settings\nHTTP_ADDR=127.0.0.1:9999\nLOG_FORMAT=json\nDIGEST_TIMEZNE=Europe/Kyiv\nTELEGRAM_TOKEN='123:abc'\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	io := &stdio{stderr: &stderr, getenv: func(k string) string {
		return map[string]string{"HTTP_ADDR": "127.0.0.1:7777"}[k]
	}}
	cfg, err := loadConfig(io, file)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTPAddr != "127.0.0.1:7777" || cfg.LogFormat != "json" || cfg.Telegram.Token.Reveal() != "123:abc" {
		t.Errorf("cfg: addr %s (want the environment's), format %s, token set %v", cfg.HTTPAddr, cfg.LogFormat, cfg.Telegram.Token.IsSet())
	}
	if got, want := stderr.String(), "bot: warning: "+file+": unknown variable DIGEST_TIMEZNE (ignored)\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.env")
	if err := os.WriteFile(bad, []byte("DIGEST_TIME=25:00\nSHUTDOWN_TIMEOUT=0s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	io := &stdio{stderr: &stderr, getenv: func(string) string { return "" }}

	_, err := loadConfig(io, bad)
	var re *reportedError
	if !errors.As(err, &re) || re.code != exitFail {
		t.Fatalf("err = %v, want reportedError(1)", err)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "DIGEST_TIME: ") || !strings.HasPrefix(lines[1], "SHUTDOWN_TIMEOUT: ") {
		t.Errorf("stderr = %q, want one line per bad variable", stderr.String())
	}

	_, err = loadConfig(io, filepath.Join(dir, "missing.env"))
	var ue *usageError
	if !errors.As(err, &ue) || !strings.Contains(ue.msg, "no such file") {
		t.Errorf("missing env file: err = %v", err)
	}

	syntax := filepath.Join(dir, "syntax.env")
	if err := os.WriteFile(syntax, []byte("JUST A LINE\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err = loadConfig(io, syntax); err == nil || err.Error() != syntax+":1: expected KEY=VALUE" {
		t.Errorf("bad env file: err = %v", err)
	}
}

func TestRunCommandArgs(t *testing.T) {
	_, errOut, code := runCLI(t, "", nil, "run", "extra")
	if code != 2 || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("bot run extra: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runCLI(t, "", map[string]string{"LOG_LEVEL": "chatty"}, "run")
	if code != 1 || errOut != "LOG_LEVEL: unknown log level \"chatty\" (expected debug, info, warn or error)\n" {
		t.Errorf("bot run with a bad variable: exit %d, stderr %q", code, errOut)
	}
}
