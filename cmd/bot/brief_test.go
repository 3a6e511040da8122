package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsbrief/briefing"
)

const seed = "../../testdata/seed-article.txt"

// runCLI runs the bot in-process with args and returns stdout, stderr and
// the exit code.
func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(context.Background(), nil, args, &stdio{
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		getenv: func(k string) string { return env[k] },
	})
	return out.String(), errb.String(), code
}

func seedBriefing(t *testing.T) briefing.Briefing {
	t.Helper()
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	return briefing.Brief(briefing.Article{Body: string(b)})
}

func TestBriefText(t *testing.T) {
	out, errOut, code := runCLI(t, "", nil, "brief", seed)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if want := briefing.RenderText(seedBriefing(t)); out != want {
		t.Errorf("stdout = %q, want RenderText of the seed briefing %q", out, want)
	}
	out, _, code = runCLI(t, "", nil, "brief", "--format", "markdown", seed)
	if want := briefing.RenderMarkdown(seedBriefing(t)); code != 0 || out != want {
		t.Errorf("markdown: exit %d, stdout %q, want %q", code, out, want)
	}
}

func TestBriefStdinSameAsFile(t *testing.T) {
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	// CRLF and a BOM do not change the briefing.
	in := "\xef\xbb\xbf" + strings.ReplaceAll(string(b), "\n", "\r\n")
	fromStdin, errOut, code := runCLI(t, in, nil, "brief", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	fromFile, _, _ := runCLI(t, "", nil, "brief", "--json", seed)
	if fromStdin != fromFile {
		t.Errorf("stdin briefing differs from file briefing:\n%s\n%s", fromStdin, fromFile)
	}
}

// TestBriefJSONLinesWithErrors: several inputs in order; a missing file and
// a binary file give one error line each, the good ones are printed, exit 1.
func TestBriefJSONLinesWithErrors(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "image.png")
	if err := os.WriteFile(binary, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o600); err != nil {
		t.Fatal(err)
	}
	latin1 := filepath.Join(dir, "latin1.txt")
	if err := os.WriteFile(latin1, []byte("Caf\xe9 au lait"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.txt")
	if err := os.WriteFile(other, []byte("Mr Putin said: \"We will see.\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.txt")

	out, errOut, code := runCLI(t, "", nil, "brief", "--json", seed, missing, binary, other, latin1, dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	wantErr := "bot brief: " + missing + ": no such file\n" +
		"bot brief: " + binary + ": not a text file (binary or invalid UTF-8)\n" +
		"bot brief: " + latin1 + ": not a text file (binary or invalid UTF-8)\n" +
		"bot brief: " + dir + ": is a directory, not a file\n"
	if errOut != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, wantErr)
	}

	var got []briefing.Briefing
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var b briefing.Briefing
		if err := json.Unmarshal(sc.Bytes(), &b); err != nil {
			t.Fatalf("line %q is not a briefing: %v", sc.Text(), err)
		}
		got = append(got, b)
	}
	otherText, _ := os.ReadFile(other)
	want := []briefing.Briefing{seedBriefing(t), briefing.Brief(briefing.Article{Body: string(otherText)})}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("JSON Lines (-want +got):\n%s", d)
	}
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("stdout has %d lines, want 2 (one per good input)", n)
	}
}

func TestBriefSeveralTextInputsHaveHeaders(t *testing.T) {
	out, _, code := runCLI(t, "", nil, "brief", seed, seed)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	r := briefing.RenderText(seedBriefing(t))
	want := "==> " + seed + " <==\n" + r + "\n==> " + seed + " <==\n" + r
	if out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
}

func TestBriefUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"brief"}, "bot brief: no input: give one or more files, URLs, or - for standard input\n"},
		{"bad format", []string{"brief", "--format", "html", seed}, `bot brief: unknown format "html" (want text or markdown)` + "\n"},
		{"json and format", []string{"brief", "--json", "--format", "text", seed}, "bot brief: use either --json or --format, not both\n"},
		{"stdin twice", []string{"brief", "-", "-"}, `bot brief: "-" (standard input) given more than once` + "\n"},
		{"unknown flag", []string{"brief", "--yaml", seed}, "bot brief: flag provided but not defined: -yaml\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", nil, tt.args...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			if want := tt.want + "Run 'bot brief -h' for usage.\n"; errOut != want {
				t.Errorf("stderr = %q, want %q", errOut, want)
			}
		})
	}
}

func TestBriefEmptyAndLargeInput(t *testing.T) {
	_, errOut, code := runCLI(t, " \n\n", nil, "brief", "-")
	if code != 1 || errOut != "bot brief: -: empty: no article text\n" {
		t.Errorf("empty stdin: exit %d, stderr %q", code, errOut)
	}
	big := strings.Repeat("All work and no play makes a long article. ", (maxBriefFileBytes/40)+10)
	_, errOut, code = runCLI(t, big, nil, "brief", "-")
	if code != 1 || errOut != "bot brief: -: too large (over 5 MiB); an article is much shorter\n" {
		t.Errorf("large stdin: exit %d, stderr %q", code, errOut)
	}
}

// TestBriefURL: a URL is fetched through the safe fetcher; loopback is
// refused unless FETCH_ALLOW_NETS opens it.
func TestBriefURLRefusedWithoutAllowNets(t *testing.T) {
	_, errOut, code := runCLI(t, "", map[string]string{}, "brief", "http://127.0.0.1:1/article")
	if code != 1 || !strings.HasPrefix(errOut, "bot brief: http://127.0.0.1:1/article: ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want one error line", code, errOut)
	}
	_, errOut, code = runCLI(t, "", map[string]string{"FETCH_TIMEOUT": "never"}, "brief", "https://example.org/a")
	want := `bot brief: https://example.org/a: cannot fetch URLs: bad configuration: FETCH_TIMEOUT: not a duration "never" (expected a duration such as 90s, 10m, 6h or 30d)` + "\n"
	if code != 1 || errOut != want {
		t.Errorf("bad config: exit %d, stderr %q, want %q", code, errOut, want)
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, name := range []string{"run", "brief", "version", "healthcheck", "help"} {
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", nil, name, "-h")
			if code != 0 || errOut != "" || !strings.HasPrefix(out, "Usage: bot "+name) || !strings.Contains(out, "Example") {
				t.Errorf("bot %s -h: exit %d, stderr %q, stdout %q", name, code, errOut, out)
			}
			out2, _, code := runCLI(t, "", nil, "help", name)
			if code != 0 || out2 != out {
				t.Errorf("bot help %s differs from bot %s -h", name, name)
			}
		})
	}
	out, _, code := runCLI(t, "", nil, "--help")
	if code != 0 || !strings.Contains(out, "Commands:") || !strings.Contains(out, "healthcheck") {
		t.Errorf("bot --help: exit %d, %q", code, out)
	}
	_, errOut, code := runCLI(t, "", nil)
	if code != 2 || !strings.Contains(errOut, "Usage: bot COMMAND") {
		t.Errorf("bot (no args): exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runCLI(t, "", nil, "frobnicate")
	if code != 2 || errOut != "bot: unknown command \"frobnicate\"\nRun 'bot help' for the list of commands.\n" {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
	out, _, code = runCLI(t, "", nil, "version")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || lines[0] != "bot dev" || !strings.HasPrefix(lines[1], "commit ") || !strings.HasPrefix(lines[2], "go1.") {
		t.Errorf("bot version: exit %d, %q", code, out)
	}
}

func TestDialAddr(t *testing.T) {
	tests := map[string]string{
		":8080":          "127.0.0.1:8080",
		"0.0.0.0:8080":   "127.0.0.1:8080",
		"[::]:8080":      "[::1]:8080",
		"127.0.0.1:9000": "127.0.0.1:9000",
		"bot.local:80":   "bot.local:80",
	}
	for in, want := range tests {
		if got := dialAddr(in); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
