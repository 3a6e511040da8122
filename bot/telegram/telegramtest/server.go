// Package telegramtest is a fake Telegram Bot API server for tests: it
// speaks the real wire protocol (POST /bot<token>/<method>, form-encoded
// parameters, {"ok":…} JSON answers) for getMe, getUpdates with long-poll
// timeout, sendMessage, setMyCommands, getChat, getChatMember, setWebhook
// and deleteWebhook; it queues user updates given as raw JSON, records what
// the bot sent, injects errors (429 with retry_after, 403, group
// migration) and can enforce Telegram's flood limits.
package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BotID and BotUsername identify the fake bot (getMe).
const (
	BotID       = 777000111
	BotUsername = "newsbrief_test_bot"
)

// Sent is one message the bot sent.
type Sent struct {
	Method                string
	ChatID                string
	Text                  string
	ParseMode             string
	ThreadID              string
	ReplyTo               string
	DisableWebPagePreview bool
	At                    time.Time
}

// Fault is an error the server answers instead of performing a method.
type Fault struct {
	// ChatID limits the fault to requests for that chat ("" = any).
	ChatID string
	// Code is the HTTP status and error_code (429, 403, 400…).
	Code        int
	Description string
	// RetryAfter and MigrateTo fill "parameters".
	RetryAfter int
	MigrateTo  int64
	// Times is how many requests fail (0 = 1).
	Times int
}

// Limits are the flood limits the server enforces on sendMessage when set
// (zero values disable each). Telegram documents about 30 messages per
// second overall, 1 per second per chat and 20 per minute per group.
type Limits struct {
	Global   int // messages per second, all chats
	PerChat  int // messages per second, one chat
	PerGroup int // messages per minute, one group (negative chat id)
}

// TelegramLimits are Telegram's documented broadcast limits.
var TelegramLimits = Limits{Global: 30, PerChat: 1, PerGroup: 20}

// Chat is a chat the server knows for getChat.
type Chat struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Title    string `json:"title,omitempty"`
	Username string `json:"username,omitempty"`
	IsForum  bool   `json:"is_forum,omitempty"`
}

// Server is the fake Bot API. Create it with NewServer; it is safe for
// concurrent use.
type Server struct {
	*httptest.Server
	Token string

	mu          sync.Mutex
	wake        chan struct{} // closed and replaced when an update arrives
	updates     []queued
	nextUpdate  int
	nextMessage int
	sent        []Sent
	calls       map[string]int
	commands    string
	webhookURL  string
	secret      string
	members     map[string]map[string]string // chat -> user -> status
	chats       map[string]Chat              // id and @username -> chat
	faults      map[string][]*Fault
	limits      Limits
	global      []time.Time
	perChat     map[string][]time.Time
	floods      int
	webhookErrs int
	faulted     map[string][]time.Time
	keepAll     bool
}

type queued struct {
	id  int
	raw json.RawMessage
}

// NewServer starts a fake Bot API for token. Point tgbotapi at
// s.Endpoint(). Close it when done.
func NewServer(token string) *Server {
	s := &Server{
		Token:       token,
		wake:        make(chan struct{}),
		nextUpdate:  1000,
		nextMessage: 1,
		calls:       map[string]int{},
		members:     map[string]map[string]string{},
		chats:       map[string]Chat{},
		faults:      map[string][]*Fault{},
		perChat:     map[string][]time.Time{},
		faulted:     map[string][]time.Time{},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is the tgbotapi endpoint pattern for this server.
func (s *Server) Endpoint() string { return s.URL + "/bot%s/%s" }

// SetLimits makes sendMessage answer 429 when a limit would be exceeded.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// IgnoreOffset makes getUpdates behave like a server that never drops
// confirmed updates: every call returns all queued updates, so only the
// bot's own checkpoint keeps it from handling one twice.
func (s *Server) IgnoreOffset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keepAll = true
}

// Faulted returns when method answered with an injected fault.
func (s *Server) Faulted(method string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.faulted[method]...)
}

// Floods returns how many 429 answers the limits caused.
func (s *Server) Floods() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.floods
}

// SetMember sets a user's status in a chat ("creator", "administrator",
// "member", "left", "kicked"). Users default to "member".
func (s *Server) SetMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := strconv.FormatInt(chatID, 10)
	if s.members[c] == nil {
		s.members[c] = map[string]string{}
	}
	s.members[c][strconv.FormatInt(userID, 10)] = status
}

// AddChat makes a chat known to getChat (by id and by @username).
func (s *Server) AddChat(c Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[strconv.FormatInt(c.ID, 10)] = c
	if c.Username != "" {
		s.chats["@"+strings.ToLower(c.Username)] = c
	}
}

// Fail makes the next f.Times calls of method (for f.ChatID) fail with f.
func (s *Server) Fail(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults[method] = append(s.faults[method], &f)
}

// PushUpdate queues a user update given as Bot API JSON. Its update_id is
// replaced by the server's next id (so fixtures can be reused), which is
// returned. While a webhook is set the update is POSTed to it instead.
func (s *Server) PushUpdate(raw []byte) (int, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return 0, fmt.Errorf("telegramtest: update JSON: %w", err)
	}
	s.mu.Lock()
	s.nextUpdate++
	id := s.nextUpdate
	m["update_id"] = json.RawMessage(strconv.Itoa(id))
	b, _ := json.Marshal(m)
	hook, secret := s.webhookURL, s.secret
	if hook == "" {
		s.updates = append(s.updates, queued{id: id, raw: b})
		close(s.wake)
		s.wake = make(chan struct{})
	}
	s.mu.Unlock()
	if hook != "" {
		return id, s.post(hook, secret, b)
	}
	return id, nil
}

// post delivers one update to the webhook as Telegram does.
func (s *Server) post(hook, secret string, b []byte) error {
	req, err := http.NewRequest(http.MethodPost, hook, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("telegramtest: webhook: %w", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		s.mu.Lock()
		s.webhookErrs++
		s.mu.Unlock()
		return fmt.Errorf("telegramtest: webhook answered %s", resp.Status)
	}
	return nil
}

// Pending reports how many queued updates the bot has not confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// Sent returns the messages sent so far.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// SentTo returns the messages sent to chatID.
func (s *Server) SentTo(chatID int64) []Sent {
	c := strconv.FormatInt(chatID, 10)
	var out []Sent
	for _, m := range s.Sent() {
		if m.ChatID == c {
			out = append(out, m)
		}
	}
	return out
}

// WaitSent waits until chatID got at least n messages and returns them.
func (s *Server) WaitSent(ctx context.Context, chatID int64, n int) ([]Sent, error) {
	for {
		if got := s.SentTo(chatID); len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return s.SentTo(chatID), fmt.Errorf("telegramtest: waiting for %d messages to %d: %w", n, chatID, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// Calls returns how often method was called.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Commands returns the JSON the bot last gave setMyCommands.
func (s *Server) Commands() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands
}

// Webhook returns the webhook URL and secret the bot set ("" when none).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookURL, s.secret
}

type response struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	RetryAfter int   `json:"retry_after,omitempty"`
	MigrateTo  int64 `json:"migrate_to_chat_id,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, r response) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(r)
}

func fail(w http.ResponseWriter, code int, desc string) {
	writeJSON(w, code, response{ErrorCode: code, Description: desc})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		fail(w, http.StatusNotFound, "Not Found")
		return
	}
	if token != s.Token {
		fail(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		fail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(w, http.StatusBadRequest, "Bad Request: "+err.Error())
		return
	}
	s.mu.Lock()
	s.calls[method]++
	if f := s.takeFault(method, r.Form.Get("chat_id")); f != nil {
		s.faulted[method] = append(s.faulted[method], time.Now())
		s.mu.Unlock()
		resp := response{ErrorCode: f.Code, Description: f.Description}
		if f.RetryAfter > 0 || f.MigrateTo != 0 {
			resp.Parameters = &responseParams{RetryAfter: f.RetryAfter, MigrateTo: f.MigrateTo}
		}
		writeJSON(w, f.Code, resp)
		return
	}
	s.mu.Unlock()
	switch method {
	case "getMe":
		writeJSON(w, 200, response{OK: true, Result: map[string]any{
			"id": BotID, "is_bot": true, "first_name": "newsbrief", "username": BotUsername,
			"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
		}})
	case "getUpdates":
		s.getUpdates(w, r)
	case "sendMessage":
		s.sendMessage(w, r)
	case "setMyCommands":
		s.mu.Lock()
		s.commands = r.Form.Get("commands")
		s.mu.Unlock()
		writeJSON(w, 200, response{OK: true, Result: true})
	case "setWebhook":
		s.mu.Lock()
		s.webhookURL = r.Form.Get("url")
		s.secret = r.Form.Get("secret_token")
		s.mu.Unlock()
		writeJSON(w, 200, response{OK: true, Result: true, Description: "Webhook was set"})
	case "deleteWebhook":
		s.mu.Lock()
		s.webhookURL, s.secret = "", ""
		if r.Form.Get("drop_pending_updates") == "true" {
			s.updates = nil
		}
		s.mu.Unlock()
		writeJSON(w, 200, response{OK: true, Result: true, Description: "Webhook was deleted"})
	case "getChat":
		s.mu.Lock()
		c, ok := s.chats[strings.ToLower(r.Form.Get("chat_id"))]
		s.mu.Unlock()
		if !ok {
			fail(w, 400, "Bad Request: chat not found")
			return
		}
		writeJSON(w, 200, response{OK: true, Result: c})
	case "getChatMember":
		s.getChatMember(w, r)
	default:
		fail(w, http.StatusNotFound, "Not Found: method not found")
	}
}

// takeFault pops a matching fault; s.mu is held.
func (s *Server) takeFault(method, chat string) *Fault {
	for i, f := range s.faults[method] {
		if f.ChatID != "" && f.ChatID != chat {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			s.faults[method] = append(s.faults[method][:i], s.faults[method][i+1:]...)
		}
		return f
	}
	return nil
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	limit, _ := strconv.Atoi(r.Form.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(r.Form.Get("timeout"))
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.webhookURL != "" {
			s.mu.Unlock()
			fail(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
			return
		}
		// Like Telegram, an offset confirms every update before it.
		if !s.keepAll {
			kept := s.updates[:0]
			for _, u := range s.updates {
				if u.id >= offset {
					kept = append(kept, u)
				}
			}
			s.updates = kept
		}
		if len(s.updates) > 0 || timeout <= 0 {
			n := min(limit, len(s.updates))
			out := make([]json.RawMessage, n)
			for i := range n {
				out[i] = s.updates[i].raw
			}
			s.mu.Unlock()
			writeJSON(w, 200, response{OK: true, Result: out})
			return
		}
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-wake:
		case <-deadline.C:
			timeout = 0
		case <-r.Context().Done():
			return
		}
	}
}

func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) {
	chat := r.Form.Get("chat_id")
	text := r.Form.Get("text")
	if chat == "" || strings.TrimSpace(text) == "" {
		fail(w, 400, "Bad Request: message text is empty")
		return
	}
	if n := len([]rune(text)); n > 4096 {
		fail(w, 400, "Bad Request: message is too long")
		return
	}
	now := time.Now()
	s.mu.Lock()
	if wait := s.flood(chat, now); wait > 0 {
		s.floods++
		s.mu.Unlock()
		writeJSON(w, 429, response{ErrorCode: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", wait),
			Parameters: &responseParams{RetryAfter: wait}})
		return
	}
	id := s.nextMessage
	s.nextMessage++
	s.sent = append(s.sent, Sent{
		Method: "sendMessage", ChatID: chat, Text: text, ParseMode: r.Form.Get("parse_mode"),
		ThreadID: r.Form.Get("message_thread_id"), ReplyTo: r.Form.Get("reply_to_message_id"),
		DisableWebPagePreview: r.Form.Get("disable_web_page_preview") == "true", At: now,
	})
	s.mu.Unlock()
	chatID, _ := strconv.ParseInt(chat, 10, 64)
	typ := "private"
	if chatID < 0 {
		typ = "supergroup"
	}
	writeJSON(w, 200, response{OK: true, Result: map[string]any{
		"message_id": id, "date": now.Unix(), "text": text,
		"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "newsbrief", "username": BotUsername},
		"chat": map[string]any{"id": chatID, "type": typ},
	}})
}

// flood applies the limits to a message to chat at now and records it when
// allowed; it returns the seconds to wait when not. s.mu is held.
func (s *Server) flood(chat string, now time.Time) int {
	l := s.limits
	prune := func(ts []time.Time, window time.Duration) []time.Time {
		k := 0
		for k < len(ts) && now.Sub(ts[k]) >= window {
			k++
		}
		return ts[k:]
	}
	s.global = prune(s.global, time.Second)
	if l.Global > 0 && len(s.global) >= l.Global {
		return 1
	}
	hist := prune(s.perChat[chat], time.Minute)
	s.perChat[chat] = hist
	if l.PerChat > 0 {
		recent := 0
		for _, t := range hist {
			if now.Sub(t) < time.Second {
				recent++
			}
		}
		if recent >= l.PerChat {
			return 1
		}
	}
	if l.PerGroup > 0 && strings.HasPrefix(chat, "-") && len(hist) >= l.PerGroup {
		return int(time.Minute-now.Sub(hist[0]))/int(time.Second) + 1
	}
	s.global = append(s.global, now)
	s.perChat[chat] = append(hist, now)
	return 0
}

func (s *Server) getChatMember(w http.ResponseWriter, r *http.Request) {
	chat, user := r.Form.Get("chat_id"), r.Form.Get("user_id")
	s.mu.Lock()
	if c, ok := s.chats[strings.ToLower(chat)]; ok {
		chat = strconv.FormatInt(c.ID, 10)
	}
	status, ok := s.members[chat][user]
	s.mu.Unlock()
	if !ok {
		status = "member"
	}
	uid, _ := strconv.ParseInt(user, 10, 64)
	res := map[string]any{
		"status": status,
		"user":   map[string]any{"id": uid, "is_bot": uid == BotID, "first_name": "User"},
	}
	if status == "administrator" {
		res["can_post_messages"] = true
		res["can_be_edited"] = false
	}
	writeJSON(w, 200, response{OK: true, Result: res})
}
