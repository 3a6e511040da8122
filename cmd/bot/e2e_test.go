package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests build the real binary and run `bot run` as a separate
// process: configuration from the environment, signals, exit codes, the
// state file surviving SIGKILL.

var (
	buildOnce sync.Once
	buildDir  string
	buildPath string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir) // temp dir of the built binary
	}
	os.Exit(code)
}

// botBinary builds cmd/bot once per test run (go build -o into a temp dir).
func botBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "newsbrief-e2e-")
		if buildErr != nil {
			return
		}
		buildPath = filepath.Join(buildDir, "bot")
		cmd := exec.Command("go", "build", "-o", buildPath, "-ldflags", "-X main.version=e2e-test", ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

// lockedBuffer collects a process's output for a test to read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// botProc is a running `bot` process.
type botProc struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdout *lockedBuffer
	stderr *lockedBuffer
	done   chan struct{}
	err    error // Wait's result, valid after done
}

// startBot starts the binary with exactly env (nothing inherited) and args.
func startBot(t *testing.T, env map[string]string, args ...string) *botProc {
	t.Helper()
	cmd := exec.Command(botBinary(t), args...)
	cmd.Env = []string{}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Dir = t.TempDir()
	p := &botProc{t: t, cmd: cmd, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill() // a test failed before stopping it
			<-p.done
		}
	})
	return p
}

var listeningRE = regexp.MustCompile(`msg="http: listening" addr=(\S+)|"msg":"http: listening","addr":"([^"]+)"`)

// waitListening waits for the "http: listening" log line and returns the
// base URL. It fails the test if the process exits first.
func (p *botProc) waitListening() string {
	p.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(p.stderr.String()); m != nil {
			return "http://" + m[1] + m[2]
		}
		select {
		case <-p.done:
			p.t.Fatalf("bot exited before listening (%v); stderr:\n%s", p.err, p.stderr)
		case <-deadline:
			p.t.Fatalf("bot did not start listening within 30s; stderr:\n%s", p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// listeningOrExit waits for the "http: listening" line or the exit.
func (p *botProc) listeningOrExit() (string, bool) {
	p.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(p.stderr.String()); m != nil {
			return "http://" + m[1] + m[2], true
		}
		select {
		case <-p.done:
			return "", false
		case <-deadline:
			p.t.Fatalf("bot neither listened nor exited within 30s; stderr:\n%s", p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop sends sig and waits (generously) for the exit; it returns the exit code.
func (p *botProc) stop(sig syscall.Signal) int {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
	return p.wait()
}

// wait waits for the process to exit and returns its exit code (-1 when
// killed by a signal).
func (p *botProc) wait() int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.t.Fatalf("bot did not exit within 30s; stderr:\n%s", p.stderr)
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		p.t.Fatal(p.err)
	}
	return 0
}

// runOnce runs a short bot command with exactly env and returns its
// combined output and exit code.
func runOnce(t *testing.T, env map[string]string, args ...string) (string, int) {
	t.Helper()
	p := startBot(t, env, args...)
	code := p.wait()
	return p.stdout.String() + p.stderr.String(), code
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestE2ERunEmptyEnvironment: no configuration at all (only HOME, and a
// free port instead of 8080): the bot starts on the embedded store under
// $HOME, answers /healthz, /readyz and /metrics, and exits 0 on SIGTERM.
func TestE2ERunEmptyEnvironment(t *testing.T) {
	home := t.TempDir()
	p := startBot(t, map[string]string{"HOME": home, "HTTP_ADDR": "127.0.0.1:0"}, "run")
	base := p.waitListening()

	if code, body := httpGet(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, body := httpGet(t, base+"/readyz"); code != 200 || body != "ok\n" {
		t.Errorf("/readyz = %d %q", code, body)
	}
	code, body := httpGet(t, base+"/metrics")
	for _, want := range []string{"# TYPE go_goroutines gauge", `newsbrief_build_info{commit=`, `version="e2e-test"`, "process_start_time_seconds"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics (%d) lacks %q", code, want)
		}
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "state", "newsbrief", "state.db")); err != nil {
		t.Errorf("default state file: %v", err)
	}
	// bot healthcheck (the Docker HEALTHCHECK) finds the same server from
	// HTTP_ADDR.
	addr := strings.TrimPrefix(base, "http://")
	if out, code := runOnce(t, map[string]string{"HTTP_ADDR": addr}, "healthcheck"); code != 0 || out != "" {
		t.Errorf("bot healthcheck while running: exit %d, output %q", code, out)
	}
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0; stderr:\n%s", code, p.stderr)
	}
	if out, code := runOnce(t, map[string]string{"HTTP_ADDR": addr}, "healthcheck"); code != 1 || !strings.HasPrefix(out, "bot healthcheck: unhealthy: ") {
		t.Errorf("bot healthcheck after stop: exit %d, output %q", code, out)
	}
	logs := p.stderr.String()
	for _, want := range []string{
		"telegram: off (TELEGRAM_TOKEN not set)",
		"discord: off (DISCORD_TOKEN not set)",
		"shutdown: done",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "level=WARN") {
		t.Errorf("unexpected warnings or errors:\n%s", logs)
	}
	if p.stdout.String() != "" {
		t.Errorf("stdout = %q, want nothing (logs go to stderr)", p.stdout)
	}
}

// TestE2EBadVariable: a bad value exits non-zero with exactly one line,
// naming the variable, and never the secret.
func TestE2EBadVariable(t *testing.T) {
	tests := []struct {
		name, key, value string
		secret           bool
	}{
		{"timezone", "DIGEST_TIMEZONE", "Europe/Kiev2", false},
		{"log level", "LOG_LEVEL", "verbose", false},
		{"http addr", "HTTP_ADDR", "localhost", false},
		{"interval", "FEED_INTERVAL", "5 minutes", false},
		{"telegram token", "TELEGRAM_TOKEN", "not-a-valid-token-but-secret", true},
		{"redis url", "REDIS_URL", "mysql://user:hunter2@db", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HOME": t.TempDir(), tt.key: tt.value}
			if tt.key != "HTTP_ADDR" {
				env["HTTP_ADDR"] = "127.0.0.1:0"
			}
			p := startBot(t, env, "run")
			code := p.wait()
			stderr := p.stderr.String()
			if code == 0 {
				t.Errorf("exit code 0, want non-zero")
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], tt.key+": ") || !strings.Contains(lines[0], "expected") {
				t.Errorf("stderr = %q, want exactly one line starting %q", stderr, tt.key+": ")
			}
			if tt.secret && (strings.Contains(stderr, tt.value) || strings.Contains(stderr, "hunter2")) {
				t.Errorf("stderr shows the secret: %q", stderr)
			}
			if !tt.secret && !strings.Contains(stderr, fmt.Sprintf("%q", tt.value)) {
				t.Errorf("stderr does not quote the value %q: %q", tt.value, stderr)
			}
			if p.stdout.String() != "" {
				t.Errorf("stdout = %q", p.stdout)
			}
		})
	}
}

// TestE2ETokensNeverLogged: with every secret set and LOG_LEVEL=debug, no
// log line contains any of them, in any encoding. The platforms point at a
// local server that refuses everything, so whatever the adapters do, they
// talk only to loopback.
func TestE2ETokensNeverLogged(t *testing.T) {
	// A Bot API that accepts the token (so the Telegram adapter starts and
	// long-polls) and just enough of Discord's REST API for the adapter in
	// HTTP-interactions mode to register its commands.
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/getMe"):
			_, _ = w.Write([]byte(`{"ok":true,"result":{"id":987654321,"is_bot":true,"first_name":"News","username":"news_test_bot"}}`))
		case strings.HasSuffix(r.URL.Path, "/getUpdates"):
			select {
			case <-r.Context().Done():
			case <-time.After(200 * time.Millisecond):
			}
			_, _ = w.Write([]byte(`{"ok":true,"result":[]}`))
		case strings.HasPrefix(r.URL.Path, "/bot"):
			_, _ = w.Write([]byte(`{"ok":true,"result":true}`))
		case strings.Contains(r.URL.Path, "/users/@me"):
			_, _ = w.Write([]byte(`{"id":"123456789012345678","username":"newsbrief","bot":true}`))
		case strings.Contains(r.URL.Path, "/applications/@me"):
			_, _ = w.Write([]byte(`{"id":"123456789012345678","name":"newsbrief"}`))
		case strings.Contains(r.URL.Path, "/commands"):
			_, _ = w.Write([]byte(`[]`))
		default:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"401: Unauthorized","code":0}`))
		}
	}))
	defer fake.Close()

	secrets := map[string]string{
		"TELEGRAM_TOKEN":          "987654321:AAE-telegramSecretPart_1234567890abcdefXYZ",
		"TELEGRAM_WEBHOOK_SECRET": "webhookSecretValue_0123456789",
		"DISCORD_TOKEN":           "MTAxDiscordSecret.GhFz1d.abcdefghijklmnopqrstuvwxyz012345",
		"INGEST_TOKEN":            "ingestSecretToken0123456789abcdef",
	}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			env := map[string]string{
				"HOME":             t.TempDir(),
				"HTTP_ADDR":        "127.0.0.1:0",
				"LOG_LEVEL":        "debug",
				"LOG_FORMAT":       format,
				"TELEGRAM_API_URL": fake.URL,
				"DISCORD_API_URL":  fake.URL,
				// HTTP interactions mode: no gateway to fake.
				"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32),
				"FETCH_ALLOW_NETS":   "127.0.0.0/8",
			}
			for k, v := range secrets {
				env[k] = v
			}
			p := startBot(t, env, "run")
			base := p.waitListening()
			// Both adapters connect to the fakes: /readyz turns 200.
			waitFor(t, func() bool {
				resp, err := http.Get(base + "/readyz")
				if err != nil {
					return false
				}
				resp.Body.Close()
				return resp.StatusCode == 200
			})
			httpGet(t, base+"/healthz")
			httpGet(t, base+"/metrics")
			req, _ := http.NewRequest("POST", base+"/v1/articles?token="+secrets["INGEST_TOKEN"], strings.NewReader("Not an article."))
			req.Header.Set("Authorization", "Bearer "+secrets["INGEST_TOKEN"])
			req.Header.Set("Content-Type", "text/plain")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
			if code := p.stop(syscall.SIGTERM); code != 0 {
				t.Errorf("exit code %d after SIGTERM, want 0", code)
			}
			out := p.stdout.String() + p.stderr.String()
			if !strings.Contains(out, "level") {
				t.Fatalf("no log output at all:\n%s", out)
			}
			for k, v := range secrets {
				for _, enc := range []string{v, url.PathEscape(v), url.QueryEscape(v), v[len(v)/2:]} {
					if strings.Contains(out, enc) {
						t.Errorf("%s appears in the logs (as %q):\n%s", k, enc, out)
					}
				}
			}
		})
	}
}

// TestMainInProcess runs Main as the e2e tests of other packages will: on
// 127.0.0.1:0 with a temp state file, plus test components that record the
// shutdown order.
func TestMainInProcess(t *testing.T) {
	cfg := testConfig(t)
	var mu sync.Mutex
	var events []string
	record := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, s)
	}
	m := NewMain(cfg, discardLogger())
	m.extra = []component{
		{name: "deliverer", stage: stageDelivery, run: func(ctx context.Context) error {
			record("delivery started")
			<-ctx.Done()
			record("delivery stopping")
			return nil
		}},
		{name: "poller", stage: stageIntake, run: func(ctx context.Context) error {
			record("intake started")
			<-ctx.Done()
			time.Sleep(50 * time.Millisecond) // finishing a poll
			record("intake stopped")
			return ctx.Err()
		}},
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, _ := httpGet(t, "http://"+m.Addr()+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d", code)
	}
	// Both components run before Close.
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(events) == 2 })
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	mu.Lock()
	got := strings.Join(events[2:], ", ")
	mu.Unlock()
	if want := "intake stopped, delivery stopping"; got != want {
		t.Errorf("shutdown order = %q, want %q", got, want)
	}
	if err := m.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := http.Get("http://" + m.Addr() + "/healthz"); err == nil {
		t.Error("HTTP server still answers after Close")
	}
}

func TestMainComponentFailure(t *testing.T) {
	cfg := testConfig(t)
	m := NewMain(cfg, discardLogger())
	m.extra = []component{{name: "feeds", stage: stageIntake, run: func(ctx context.Context) error {
		return errors.New("cannot poll")
	}}}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-m.Failed():
		if err == nil || err.Error() != "feeds: cannot poll" {
			t.Errorf("Failed() = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("component failure not reported")
	}
	if err := m.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestMainShutdownTimeout(t *testing.T) {
	cfg := testConfig(t)
	cfg.ShutdownTimeout = time.Second
	release := make(chan struct{})
	defer close(release)
	m := NewMain(cfg, discardLogger())
	m.extra = []component{{name: "stuck", stage: stageDelivery, run: func(ctx context.Context) error {
		<-release // ignores ctx
		return nil
	}}}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := m.Close()
	if err == nil || !strings.Contains(err.Error(), "delivery components did not stop within 1s") {
		t.Errorf("Close = %v, want a timeout error", err)
	}
}

func TestMainStartFailureClosesStore(t *testing.T) {
	cfg := testConfig(t)
	busy := NewMain(cfg, discardLogger())
	if err := busy.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	// Same port: Listen fails, and the second Main must release its store.
	cfg2 := testConfig(t)
	cfg2.HTTPAddr = busy.Addr()
	m := NewMain(cfg2, discardLogger())
	if err := m.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "listen on") {
		t.Fatalf("Run on a busy port = %v", err)
	}
	m3 := NewMain(cfg2, discardLogger())
	m3.Config.HTTPAddr = "127.0.0.1:0"
	if err := m3.Run(context.Background()); err != nil {
		t.Fatalf("state file still locked after a failed start: %v", err)
	}
	_ = m3.Close()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
