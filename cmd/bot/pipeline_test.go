package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"newsbrief/delivery"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

// fakeBotAPI is just enough of the Telegram Bot API for `bot run` to start
// and deliver: getMe, getUpdates (empty long polls), sendMessage (recorded).
type fakeBotAPI struct {
	*httptest.Server
	mu   sync.Mutex
	sent []map[string]string // form values of each sendMessage
}

func newFakeBotAPI(t *testing.T) *fakeBotAPI {
	f := &fakeBotAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		switch method {
		case "getMe":
			_, _ = w.Write([]byte(`{"ok":true,"result":{"id":42,"is_bot":true,"first_name":"News","username":"news_test_bot"}}`))
		case "getUpdates":
			select {
			case <-r.Context().Done():
			case <-time.After(200 * time.Millisecond):
			}
			_, _ = w.Write([]byte(`{"ok":true,"result":[]}`))
		case "sendMessage":
			if err := r.ParseForm(); err != nil {
				t.Errorf("sendMessage form: %v", err)
			}
			vals := map[string]string{}
			for k := range r.PostForm {
				vals[k] = r.PostForm.Get(k)
			}
			f.mu.Lock()
			f.sent = append(f.sent, vals)
			n := len(f.sent)
			f.mu.Unlock()
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": map[string]any{
				"message_id": n, "date": time.Now().Unix(),
				"chat": map[string]any{"id": vals["chat_id"], "type": "private"},
			}})
		default:
			_, _ = w.Write([]byte(`{"ok":true,"result":true}`))
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeBotAPI) messages() []map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.sent...)
}

// TestE2EArticleReachesTelegram runs the whole pipeline in the real binary:
// POST /v1/articles → ingest → briefing → fan-out to an instant subscription
// → outbox → delivery worker → Telegram sendMessage; then the delivery log
// records it.
func TestE2EArticleReachesTelegram(t *testing.T) {
	botBinary(t)
	tg := newFakeBotAPI(t)
	path := filepath.Join(t.TempDir(), "state.db")
	chat := store.ChatRef{Platform: store.Telegram, ChatID: "1001"}

	st, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := st.PutSubscription(context.Background(), store.Subscription{
		ChatRef: chat, Mode: store.ModeInstant, DigestTime: "08:00", TimeZone: "UTC",
		Active: true, Created: now, Updated: now,
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	const ingestToken = "e2e-ingest-token-0123456789"
	p := startBot(t, map[string]string{
		"HOME":             t.TempDir(),
		"STATE_PATH":       path,
		"HTTP_ADDR":        "127.0.0.1:0",
		"TELEGRAM_TOKEN":   "42:e2e-telegram-token_abcdefghijklmnop",
		"TELEGRAM_API_URL": tg.URL,
		"INGEST_TOKEN":     ingestToken,
		"LOG_LEVEL":        "debug",
	}, "run")
	base := p.waitListening()

	seedText, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{
		"title":  "Witkoff meets Putin in Moscow",
		"url":    "https://news.example/witkoff-putin",
		"source": "Example News",
		"body":   string(seedText),
	})
	req, _ := http.NewRequest("POST", base+"/v1/articles", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+ingestToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var posted struct {
		ID string `json:"id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&posted)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || posted.ID == "" {
		t.Fatalf("POST /v1/articles = %d, id %q", resp.StatusCode, posted.ID)
	}

	// The briefing is readable back through the API.
	req, _ = http.NewRequest("GET", base+"/v1/articles/"+posted.ID+"/briefing", nil)
	req.Header.Set("Authorization", "Bearer "+ingestToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Title string `json:"title"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&b)
	resp.Body.Close()
	if resp.StatusCode != 200 || b.Title != "Witkoff meets Putin in Moscow" {
		t.Errorf("GET briefing = %d, title %q", resp.StatusCode, b.Title)
	}

	// The subscriber gets exactly one message.
	waitFor(t, func() bool { return len(tg.messages()) > 0 })
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Errorf("SIGTERM exit code %d; stderr:\n%s", code, p.stderr)
	}
	msgs := tg.messages()
	if len(msgs) != 1 || msgs[0]["chat_id"] != "1001" || !strings.Contains(msgs[0]["text"], "Witkoff") {
		t.Errorf("sendMessage calls = %v, want one to chat 1001 about Witkoff", msgs)
	}

	st, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ok, err := st.Delivered(context.Background(), chat, delivery.BriefKey(posted.ID))
	if err != nil || !ok {
		t.Errorf("Delivered(%s, %s) = %v, %v; want true", chat, delivery.BriefKey(posted.ID), ok, err)
	}
	items, err := st.Outbox(context.Background(), "")
	if err != nil || len(items) != 0 {
		t.Errorf("outbox after delivery = %+v, %v; want empty", items, err)
	}
}

// TestMainMountsPlatformHandlers: in webhook / HTTP-interactions mode the
// adapters' handlers answer on the process's HTTP server at the configured
// paths, and refuse unauthenticated requests.
func TestMainMountsPlatformHandlers(t *testing.T) {
	tg := newFakeBotAPI(t)
	dir := t.TempDir()
	cfg, err := loadConfig(&stdio{stderr: os.Stderr, getenv: func(k string) string {
		return map[string]string{
			"STATE_PATH":              filepath.Join(dir, "state.db"),
			"HTTP_ADDR":               "127.0.0.1:0",
			"TELEGRAM_TOKEN":          "42:e2e-telegram-token_abcdefghijklmnop",
			"TELEGRAM_API_URL":        tg.URL,
			"TELEGRAM_WEBHOOK_URL":    "https://bot.example.org/hooks/telegram",
			"TELEGRAM_WEBHOOK_SECRET": "hook-secret",
			"DISCORD_TOKEN":           "discord-token-abc",
			"DISCORD_PUBLIC_KEY":      strings.Repeat("ab", 32),
			"DISCORD_API_URL":         tg.URL, // never reached in this test before Run
		}[k]
	}}, "")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMain(cfg, discardLogger())
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	base := "http://" + m.Addr()

	post := func(path string, header map[string]string) int {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(`{"update_id":1}`))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("/hooks/telegram", nil); code != http.StatusUnauthorized {
		t.Errorf("telegram webhook without secret = %d, want 401", code)
	}
	if code := post("/hooks/telegram", map[string]string{"X-Telegram-Bot-Api-Secret-Token": "hook-secret"}); code != http.StatusOK {
		t.Errorf("telegram webhook with secret = %d, want 200", code)
	}
	if code := post(discordInteractionsPath, map[string]string{"X-Signature-Ed25519": "00", "X-Signature-Timestamp": "1"}); code != http.StatusUnauthorized {
		t.Errorf("discord interactions with a bad signature = %d, want 401", code)
	}
	if code := post("/hooks/other", nil); code != http.StatusNotFound {
		t.Errorf("unknown path = %d, want 404", code)
	}
}
