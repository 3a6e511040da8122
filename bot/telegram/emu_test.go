package telegram_test

// Happy paths against telegram-test-api@4.2.1, an independent Bot API
// emulator from npm (pinned in testdata/tgemu/package-lock.json; CI runs
// `npm ci` there). It lacks setMyCommands, getChatMember, long polling and
// error injection, and sends no webhook secret; those paths are covered
// against telegramtest above.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"newsbrief/bot"
	"newsbrief/bot/telegram"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

var emu struct {
	once sync.Once
	url  string
	cmd  *exec.Cmd
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if emu.cmd != nil {
		_ = emu.cmd.Process.Signal(syscall.SIGTERM)
		_ = emu.cmd.Wait() // exit status after SIGTERM is not interesting
	}
	os.Exit(code)
}

// emulator starts telegram-test-api once per test binary and returns its
// base URL. Without node or the installed package the test is skipped,
// unless CI=true, where it fails.
func emulator(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("testdata", "tgemu")
	skip := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format+" (run npm ci in "+dir+")", args...)
	}
	if _, err := exec.LookPath("node"); err != nil {
		skip("node not installed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "telegram-test-api")); err != nil {
		skip("telegram-test-api not installed: %v", err)
	}
	emu.once.Do(func() {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			emu.err = err
			return
		}
		port := l.Addr().(*net.TCPAddr).Port
		_ = l.Close() // the emulator cannot bind port 0 itself
		cmd := exec.Command("node", "start.js")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), fmt.Sprintf("TG_PORT=%d", port))
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if testing.Verbose() {
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		}
		if err := cmd.Start(); err != nil {
			emu.err = err
			return
		}
		emu.cmd = cmd
		url := fmt.Sprintf("http://127.0.0.1:%d", port)
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if r, err := http.Get(url + "/botX:1/getMe"); err == nil {
				_ = r.Body.Close()
				break
			}
			if time.Now().After(deadline) {
				emu.err = fmt.Errorf("telegram-test-api did not answer on %s", url)
				return
			}
		}
		emu.url = url
	})
	if emu.err != nil {
		t.Fatal(emu.err)
	}
	return emu.url
}

// emuClient plays the user through the emulator's client API.
type emuClient struct {
	t     *testing.T
	url   string
	token string
}

var emuAlice = map[string]any{"id": 42, "first_name": "Alice", "username": "alice", "is_bot": false}

func (c emuClient) post(path string, body any, out any) {
	c.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(c.url+path, "application/json", bytes.NewReader(b))
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("POST %s: %s", path, resp.Status)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			c.t.Fatalf("POST %s: %v", path, err)
		}
	}
}

// say sends text from Alice in her private chat; a leading /word is marked
// as a command. extra fields are merged into the message.
func (c emuClient) say(text string, extra map[string]any) {
	c.t.Helper()
	msg := map[string]any{
		"botToken": c.token, "from": emuAlice, "date": time.Now().Unix(), "text": text,
		"chat": map[string]any{"id": 42, "type": "private", "first_name": "Alice"},
	}
	for k, v := range extra {
		msg[k] = v
	}
	path := "/sendMessage"
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		msg["entities"] = []map[string]any{{"offset": 0, "length": len(cmd), "type": "bot_command"}}
		path = "/sendCommand"
	}
	c.post(path, msg, nil)
}

type emuMessage struct {
	ChatID                string `json:"chat_id"`
	Text                  string `json:"text"`
	ParseMode             string `json:"parse_mode"`
	DisableWebPagePreview string `json:"disable_web_page_preview"`
}

// replies waits until the bot sent at least n unread messages to Alice.
func (c emuClient) replies(n int) []emuMessage {
	c.t.Helper()
	var got []emuMessage
	for deadline := time.Now().Add(15 * time.Second); len(got) < n; time.Sleep(50 * time.Millisecond) {
		var resp struct {
			Result []struct {
				Message emuMessage `json:"message"`
			} `json:"result"`
		}
		c.post("/getUpdates", map[string]any{"token": c.token, "chatId": 42}, &resp)
		for _, r := range resp.Result {
			got = append(got, r.Message)
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("got %d bot messages, want %d: %+v", len(got), n, got)
		}
	}
	return got
}

// emuBot runs a Bot against the emulator under its own token.
func emuBot(t *testing.T) (emuClient, *telegram.Bot, *boltstore.Store) {
	t.Helper()
	url := emulator(t)
	tok := fmt.Sprintf("%d:EMU-%s", time.Now().UnixNano()%1e9, strings.ReplaceAll(t.Name(), "/", "-"))
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "state.db"), boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	b, err := telegram.New(telegram.Config{
		Token: tok, APIURL: url, Service: bot.New(st, nil, testLogger(t)), State: st, Logger: testLogger(t),
		PollTimeout: time.Second, LeaseTTL: 5 * time.Second, Limits: fastLimits,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return emuClient{t: t, url: url, token: tok}, b, st
}

func TestEmulatorStartAndHelp(t *testing.T) {
	c, b, _ := emuBot(t)
	if b.Username() == "" {
		t.Error("no username from getMe")
	}
	// setMyCommands is unsupported there (HTTP 500): the bot still serves.
	c.say("/start", nil)
	got := c.replies(1)
	if !strings.Contains(got[0].Text, "/subscribe") || got[0].ParseMode != "HTML" {
		t.Errorf("welcome = %+v", got[0])
	}
	c.say("/help", nil)
	if got = c.replies(1); !strings.Contains(got[0].Text, "/time HH:MM [Area/City]") {
		t.Errorf("help = %q", got[0].Text)
	}
}

func TestEmulatorBrief(t *testing.T) {
	c, _, _ := emuBot(t)
	article := seedText(t)
	c.say("/brief Talks <script>x</script> & more\n"+article, nil)
	got := c.replies(1)
	text := strings.Join(textsOf(got), "\n")
	for _, want := range []string{"<b>Talks &lt;script&gt;x&lt;/script&gt; &amp; more</b>", "<b>Met</b>", "<b>Said</b>", "<b>Attacks</b>"} {
		if !strings.Contains(text, want) {
			t.Errorf("briefing lacks %q:\n%s", want, text)
		}
	}
	for i, m := range got {
		checkMessage(t, fmt.Sprintf("message %d", i), m.Text)
	}
	// As a reply to the message holding the article.
	c.say("/brief", map[string]any{"reply_to_message": map[string]any{
		"message_id": 1, "from": emuAlice, "date": time.Now().Unix(), "text": article,
		"chat": map[string]any{"id": 42, "type": "private"},
	}})
	if got = c.replies(1); !strings.Contains(got[0].Text, "<b>Met</b>") {
		t.Errorf("reply briefing = %q", got[0].Text)
	}
	// Bad input gets one line saying what to do.
	c.say("/brief", nil)
	if got = c.replies(1); !strings.Contains(got[0].Text, "Send /brief followed by") {
		t.Errorf("empty /brief = %q", got[0].Text)
	}
}

func TestEmulatorForwardedArticle(t *testing.T) {
	c, _, _ := emuBot(t)
	c.say(seedText(t), map[string]any{
		"forward_from_chat": map[string]any{"id": -1001777, "title": "World News", "type": "channel"},
		"forward_date":      time.Now().Unix(),
	})
	if got := c.replies(1); !strings.Contains(got[0].Text, "Steve Witkoff") {
		t.Errorf("automatic briefing = %q", got[0].Text)
	}
}

func TestEmulatorSubscribeAndAlert(t *testing.T) {
	c, b, st := emuBot(t)
	c.say("/subscribe drones", nil)
	if got := c.replies(1); !strings.Contains(got[0].Text, "Subscribed") {
		t.Fatalf("confirmation = %q", got[0].Text)
	}
	c.say("/subscriptions", nil)
	if got := c.replies(1); !strings.Contains(got[0].Text, "Topics: drones") {
		t.Errorf("/subscriptions = %q", got[0].Text)
	}
	sub, err := st.GetSubscription(context.Background(), bot.ChatRef(store.Telegram, "42"))
	if err != nil {
		t.Fatal(err)
	}
	// The delivery worker's path: Sender.Send.
	brief, err := bot.New(st, nil, nil).Brief(context.Background(), seedText(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Send(context.Background(), sub.ChatRef, sub.ThreadID, "brief:emu", bot.Message{Kind: bot.KindBriefing, Briefing: &brief}); err != nil {
		t.Fatal(err)
	}
	if got := c.replies(1); !strings.Contains(got[0].Text, "<b>Attacks</b>") {
		t.Errorf("alert = %q", got[0].Text)
	}
	c.say("/time 25:99", nil)
	if got := c.replies(1); !strings.Contains(got[0].Text, "HH:MM") {
		t.Errorf("/time 25:99 = %q", got[0].Text)
	}
	c.say("/time 07:30 Europe/Kyiv", nil)
	if got := c.replies(1); !strings.Contains(got[0].Text, "07:30 (Europe/Kyiv)") {
		t.Errorf("/time = %q", got[0].Text)
	}
}

func textsOf(ms []emuMessage) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}
