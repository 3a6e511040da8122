// Package discordtest is a fake Discord for tests: the REST API under
// /api/v9 (commands, interaction callbacks and webhook edits, channel
// messages with nonces, forum threads, injected errors and 429s) and the
// gateway websocket (HELLO, IDENTIFY, READY, heartbeats, RESUME, dispatch),
// enough for the real discordgo client to run against it unchanged.
//
// It follows the protocol facts in /work/shared/PROTOCOLS.md section 2 and
// https://discord.com/developers/docs.
package discordtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Well-known ids of the fake's world.
const (
	AppID          = "100000000000000001"
	BotUserID      = "100000000000000001"
	GuildID        = "400000000000000001"
	TextChannelID  = "300000000000000001"
	OtherChannelID = "300000000000000002"
	ForumChannelID = "300000000000000003"
	UserID         = "500000000000000001"
	Token          = "TESTTOKEN"
)

// Request is one REST request the fake received.
type Request struct {
	Method string
	// Path is the URL path without the /api/v9 prefix, e.g. "/channels/1/messages".
	Path   string
	Query  string
	Header http.Header
	Body   []byte
	At     time.Time
}

// Message is a message the fake holds: posted to a channel, or an
// interaction's original response or follow-up.
type Message struct {
	ID        string
	ChannelID string
	Content   string
	Embeds    []*discordgo.MessageEmbed
	Flags     int
	// Nonce and EnforceNonce as sent by the client.
	Nonce        string
	EnforceNonce bool
	// AllowedMentions is the raw allowed_mentions object sent (nil if absent).
	AllowedMentions json.RawMessage
	// Raw is the last request body that created or edited the message.
	Raw json.RawMessage
}

// Interaction is what the bot did with one interaction the fake sent.
type Interaction struct {
	ID    string
	Token string
	// Sent is when the fake dispatched it; Acked when the callback arrived.
	Sent, Acked time.Time
	// CallbackType is the response type (1 pong, 4 message, 5 deferred,
	// 8 autocomplete result); 0 before the callback.
	CallbackType int
	// CallbackData is the raw "data" of the callback.
	CallbackData json.RawMessage
	// Original is the original response message (after a type 4 callback
	// or the first edit); nil otherwise. Deleted reports a DELETE of it.
	Original *Message
	Edits    int
	Deleted  bool
	// Followups are the follow-up messages, in order.
	Followups []*Message

	gateway bool // dispatched over the gateway: edits need a callback first
}

// Fault makes matching requests fail. Path is matched as a prefix of the
// path without /api/v9; Method "" matches any method.
type Fault struct {
	Method string
	Path   string
	// Status is the HTTP status (429 for a rate limit).
	Status int
	// Code and Message form the JSON error body (ignored for 429).
	Code    int
	Message string
	// RetryAfter is the 429 retry_after, in seconds.
	RetryAfter float64
	// Times is how many requests fail (0 means 1).
	Times int
}

// Server is a running fake Discord. Create it with NewServer and stop it
// with Close.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:PORT (no /api/v9).
	URL string
	// PublicKey and PrivateKey sign HTTP interactions (Sign, PostInteraction).
	PublicKey  ed25519.PublicKey
	PrivateKey ed25519.PrivateKey
	// HeartbeatInterval in ms sent in HELLO (41250 unless changed before the
	// first connection).
	HeartbeatInterval int

	srv *httptest.Server
	up  websocket.Upgrader

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every state change
	nextID       int64
	requests     []Request
	commands     map[string][]*discordgo.ApplicationCommand // scope ("" = global, guild id) -> commands
	channels     map[string]*discordgo.Channel
	messages     map[string][]*Message // channel id -> messages
	interactions map[string]*Interaction
	faults       []*Fault
	conns        []*conn
	files        map[string][]byte
	delays       map[string]time.Duration
	seq          int64
	identifies   []json.RawMessage
	resumes      int
}

type conn struct {
	ws    *websocket.Conn
	wmu   sync.Mutex
	shard [2]int
	ready bool
}

// NewServer starts a fake Discord on a loopback port with one guild, two
// text channels (TextChannelID, OtherChannelID) and a forum
// (ForumChannelID).
func NewServer() *Server {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("discordtest: generate key: %v", err))
	}
	s := &Server{
		PublicKey: pub, PrivateKey: priv, HeartbeatInterval: 41250,
		changed:      make(chan struct{}),
		nextID:       800000000000000000,
		commands:     map[string][]*discordgo.ApplicationCommand{},
		channels:     map[string]*discordgo.Channel{},
		messages:     map[string][]*Message{},
		interactions: map[string]*Interaction{},
		files:        map[string][]byte{},
		delays:       map[string]time.Duration{},
	}
	s.AddChannel(TextChannelID, "news", discordgo.ChannelTypeGuildText)
	s.AddChannel(OtherChannelID, "general", discordgo.ChannelTypeGuildText)
	s.AddChannel(ForumChannelID, "digests", discordgo.ChannelTypeGuildForum)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v9/", s.rest)
	mux.HandleFunc("/ws", s.gateway)
	mux.HandleFunc("/ws/", s.gateway)
	mux.HandleFunc("/files/", s.file)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// Close closes all gateway connections and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.Close() // tearing down; the client reconnects or stops
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// AddChannel adds (or replaces) a channel of the fake guild.
func (s *Server) AddChannel(id, name string, typ discordgo.ChannelType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = &discordgo.Channel{ID: id, GuildID: GuildID, Name: name, Type: typ}
}

// RemoveChannel deletes a channel: further requests get 10003 Unknown Channel.
func (s *Server) RemoveChannel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.channels, id)
}

// AddFile serves content at URL+"/files/"+name (attachments, or pages
// behind a link) and returns that URL.
func (s *Server) AddFile(name string, content []byte) string {
	return s.AddSlowFile(name, content, 0)
}

// AddSlowFile is AddFile with a delay before the answer (a slow site).
func (s *Server) AddSlowFile(name string, content []byte, delay time.Duration) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[name] = content
	s.delays[name] = delay
	return s.URL + "/files/" + name
}

// Fail injects a fault.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// Requests returns the REST requests received so far whose method matches
// (or any, for "") and whose path starts with pathPrefix.
func (s *Server) Requests(method, pathPrefix string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, pathPrefix) {
			out = append(out, r)
		}
	}
	return out
}

// CommandWrites counts the requests that changed command definitions.
func (s *Server) CommandWrites() int {
	n := 0
	for _, r := range s.Requests("", "/applications/") {
		if r.Method != http.MethodGet && strings.Contains(r.Path, "/commands") {
			n++
		}
	}
	return n
}

// Commands returns the registered commands of a scope ("" = global, or a guild id).
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*discordgo.ApplicationCommand(nil), s.commands[guildID]...)
}

// Messages returns copies of the messages posted in a channel, oldest first.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages[channelID] {
		out = append(out, *m)
	}
	return out
}

// Threads returns the threads (forum posts) created in a parent channel.
func (s *Server) Threads(parentID string) []discordgo.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []discordgo.Channel
	for _, c := range s.channels {
		if c.ParentID == parentID {
			out = append(out, *c)
		}
	}
	return out
}

// Interaction returns a copy of what happened to the interaction with token.
func (s *Server) Interaction(token string) (Interaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.interactions[token]
	if !ok {
		return Interaction{}, false
	}
	cp := *in
	if in.Original != nil {
		o := *in.Original
		cp.Original = &o
	}
	cp.Followups = append([]*Message(nil), in.Followups...)
	return cp, true
}

// Identifies returns the raw IDENTIFY payloads received.
func (s *Server) Identifies() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.identifies...)
}

// WaitFor polls cond, re-evaluating it on every state change, until it
// returns true (true) or timeout passes (false).
func (s *Server) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-time.After(50 * time.Millisecond):
		case <-deadline.C:
			return cond()
		}
	}
}

// notify wakes WaitFor; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/files/")
	s.mu.Lock()
	b, ok := s.files[name]
	delay := s.delays[name]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	select {
	case <-time.After(delay):
	case <-r.Context().Done():
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

// rest serves /api/v9/...
func (s *Server) rest(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body, At: time.Now()})
	s.notify()
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == r.Method) && strings.HasPrefix(path, f.Path) {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			s.mu.Unlock()
			if f.Status == http.StatusTooManyRequests {
				w.Header().Set("X-RateLimit-Limit", "5")
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(f.RetryAfter, 'f', -1, 64))
				w.Header().Set("X-RateLimit-Bucket", "fakebucket")
				w.Header().Set("Retry-After", strconv.Itoa(int(f.RetryAfter+0.999)))
				writeJSON(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": f.RetryAfter, "global": false})
				return
			}
			writeError(w, f.Status, f.Code, f.Message)
			return
		}
	}
	s.mu.Unlock()

	if r.Header.Get("Authorization") != "Bot "+Token && !strings.HasPrefix(path, "/interactions/") && !strings.HasPrefix(path, "/webhooks/") {
		writeError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/gateway" || path == "/gateway/bot":
		u := "ws" + strings.TrimPrefix(s.URL, "http") + "/ws"
		writeJSON(w, 200, map[string]any{"url": u, "shards": 1})
	case path == "/users/@me":
		writeJSON(w, 200, map[string]any{"id": BotUserID, "username": "newsbrief", "discriminator": "0", "bot": true})
	case path == "/oauth2/applications/@me" || path == "/applications/@me":
		writeJSON(w, 200, map[string]any{"id": AppID, "name": "newsbrief", "bot_public": true})
	case parts[0] == "applications" && len(parts) >= 3:
		s.commandsRoute(w, r, parts[1:], body)
	case parts[0] == "interactions" && len(parts) == 4 && parts[3] == "callback":
		s.callback(w, parts[1], parts[2], body)
	case parts[0] == "webhooks" && len(parts) >= 3:
		s.webhook(w, r, parts[2], parts[3:], body)
	case parts[0] == "channels" && len(parts) >= 2:
		s.channel(w, r, parts[1], parts[2:], body)
	case parts[0] == "guilds" && len(parts) == 4 && parts[2] == "threads" && parts[3] == "active":
		s.activeThreads(w, parts[1])
	default:
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
	}
}

// commandsRoute serves /applications/{app}/commands[/{id}] and
// /applications/{app}/guilds/{guild}/commands[/{id}].
func (s *Server) commandsRoute(w http.ResponseWriter, r *http.Request, parts []string, body []byte) {
	if parts[0] != AppID {
		writeError(w, http.StatusForbidden, 50001, "Missing Access")
		return
	}
	scope := ""
	rest := parts[1:]
	if rest[0] == "guilds" && len(rest) >= 3 {
		scope = rest[1]
		rest = rest[2:]
	}
	if rest[0] != "commands" {
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notify()
	switch {
	case len(rest) == 1 && r.Method == http.MethodGet:
		writeJSON(w, 200, nonNil(s.commands[scope]))
	case len(rest) == 1 && r.Method == http.MethodPut:
		var cmds []*discordgo.ApplicationCommand
		if err := json.Unmarshal(body, &cmds); err != nil {
			writeError(w, 400, 50035, "Invalid Form Body")
			return
		}
		old := map[string]*discordgo.ApplicationCommand{}
		for _, c := range s.commands[scope] {
			old[fmt.Sprint(c.Type)+"/"+c.Name] = c
		}
		for _, c := range cmds {
			s.normalize(c, scope)
			if o, ok := old[fmt.Sprint(c.Type)+"/"+c.Name]; ok {
				c.ID = o.ID // Discord keeps ids of commands it updates
			}
		}
		s.commands[scope] = cmds
		writeJSON(w, 200, nonNil(cmds))
	case len(rest) == 1 && r.Method == http.MethodPost:
		var c discordgo.ApplicationCommand
		if err := json.Unmarshal(body, &c); err != nil {
			writeError(w, 400, 50035, "Invalid Form Body")
			return
		}
		s.normalize(&c, scope)
		s.commands[scope] = append(s.commands[scope], &c)
		writeJSON(w, 201, c)
	case len(rest) == 2 && r.Method == http.MethodDelete:
		cmds := s.commands[scope]
		for i, c := range cmds {
			if c.ID == rest[1] {
				s.commands[scope] = append(cmds[:i:i], cmds[i+1:]...)
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		writeError(w, 404, 10063, "Unknown application command")
	default:
		writeError(w, http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
	}
}

// normalize fills in what Discord adds to a stored command.
func (s *Server) normalize(c *discordgo.ApplicationCommand, scope string) {
	c.ID = s.newID()
	c.ApplicationID = AppID
	c.GuildID = scope
	c.Version = s.newID()
	if c.Type == 0 {
		c.Type = discordgo.ChatApplicationCommand
	}
	t := true
	c.DefaultPermission = &t
	if c.NSFW == nil {
		f := false
		c.NSFW = &f
	}
	if c.Options == nil && c.Type == discordgo.ChatApplicationCommand {
		c.Options = []*discordgo.ApplicationCommandOption{}
	}
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// messageBody is what a client sends to create or edit a message.
type messageBody struct {
	Content         *string                    `json:"content"`
	Embeds          *[]*discordgo.MessageEmbed `json:"embeds"`
	Flags           int                        `json:"flags"`
	Nonce           json.RawMessage            `json:"nonce"`
	EnforceNonce    bool                       `json:"enforce_nonce"`
	AllowedMentions json.RawMessage            `json:"allowed_mentions"`
}

// limitsError returns why Discord would refuse b (400, 50035 Invalid Form
// Body), or "".
// Specs: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
func limitsError(b messageBody) string {
	n := func(s string) int { return len(utf16.Encode([]rune(s))) }
	if b.Content != nil && n(*b.Content) > 2000 {
		return "content: Must be 2000 or fewer in length."
	}
	if b.Embeds == nil {
		return ""
	}
	if len(*b.Embeds) > 10 {
		return "embeds: Must be 10 or fewer in length."
	}
	total := 0
	for _, e := range *b.Embeds {
		if e == nil {
			continue
		}
		switch {
		case n(e.Title) > 256:
			return "embeds.title: Must be 256 or fewer in length."
		case n(e.Description) > 4096:
			return "embeds.description: Must be 4096 or fewer in length."
		case len(e.Fields) > 25:
			return "embeds.fields: Must be 25 or fewer in length."
		}
		total += n(e.Title) + n(e.Description)
		for _, f := range e.Fields {
			if n(f.Name) > 256 || n(f.Value) > 1024 {
				return "embeds.fields: name or value too long."
			}
			total += n(f.Name) + n(f.Value)
		}
		if e.Footer != nil {
			if n(e.Footer.Text) > 2048 {
				return "embeds.footer.text: Must be 2048 or fewer in length."
			}
			total += n(e.Footer.Text)
		}
		if e.Author != nil {
			if n(e.Author.Name) > 256 {
				return "embeds.author.name: Must be 256 or fewer in length."
			}
			total += n(e.Author.Name)
		}
	}
	if total > 6000 {
		return "embeds: Embed size exceeds maximum size of 6000"
	}
	return ""
}

func (m *Message) apply(b messageBody, raw []byte) {
	if b.Content != nil {
		m.Content = *b.Content
	}
	if b.Embeds != nil {
		m.Embeds = *b.Embeds
	}
	if b.Flags != 0 {
		m.Flags = b.Flags
	}
	if b.AllowedMentions != nil {
		m.AllowedMentions = b.AllowedMentions
	}
	m.Raw = append(json.RawMessage(nil), raw...)
}

func (m *Message) json() map[string]any {
	return map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "content": m.Content, "embeds": nonNil(m.Embeds),
		"flags": m.Flags, "nonce": m.Nonce, "timestamp": time.Now().UTC().Format(time.RFC3339),
		"author": map[string]any{"id": BotUserID, "username": "newsbrief", "discriminator": "0", "bot": true},
	}
}

func (s *Server) callback(w http.ResponseWriter, id, token string, body []byte) {
	var resp struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil || resp.Type == 0 {
		writeError(w, 400, 50035, "Invalid Form Body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notify()
	in := s.interactions[token]
	if in == nil || in.ID != id {
		writeError(w, 404, 10062, "Unknown interaction")
		return
	}
	if resp.Data != nil {
		var mb messageBody
		if err := json.Unmarshal(resp.Data, &mb); err != nil {
			writeError(w, 400, 50035, "Invalid Form Body")
			return
		}
		if msg := limitsError(mb); msg != "" {
			writeError(w, 400, 50035, "Invalid Form Body: "+msg)
			return
		}
	}
	if in.CallbackType != 0 {
		writeError(w, 400, 40060, "Interaction has already been acknowledged.")
		return
	}
	in.CallbackType, in.CallbackData, in.Acked = resp.Type, resp.Data, time.Now()
	if resp.Type == 4 || resp.Type == 5 {
		m := &Message{ID: s.newID(), ChannelID: TextChannelID}
		if resp.Type == 4 && resp.Data != nil {
			var mb messageBody
			_ = json.Unmarshal(resp.Data, &mb) // validated by the client's marshaller
			m.apply(mb, resp.Data)
		}
		in.Original = m
	}
	w.WriteHeader(http.StatusNoContent)
}

// registerLocked records an interaction the bot will answer; s.mu held.
func (s *Server) registerLocked(id, token string) *Interaction {
	in := &Interaction{ID: id, Token: token, Sent: time.Now()}
	s.interactions[token] = in
	return in
}

// webhook serves /webhooks/{app}/{token}[/messages/{id|@original}].
func (s *Server) webhook(w http.ResponseWriter, r *http.Request, token string, rest []string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notify()
	in := s.interactions[token]
	if in == nil {
		writeError(w, 404, 10015, "Unknown Webhook")
		return
	}
	if in.Original == nil && !in.gateway && in.CallbackType == 0 {
		// HTTP-interactions mode: the callback went in the HTTP response,
		// which the fake did not see.
		in.Original = &Message{ID: s.newID(), ChannelID: TextChannelID}
	}
	var mb messageBody
	if len(body) > 0 {
		if err := json.Unmarshal(body, &mb); err != nil {
			writeError(w, 400, 50035, "Invalid Form Body")
			return
		}
		if msg := limitsError(mb); msg != "" {
			writeError(w, 400, 50035, "Invalid Form Body: "+msg)
			return
		}
	}
	switch {
	case len(rest) == 0 && r.Method == http.MethodPost:
		m := &Message{ID: s.newID(), ChannelID: TextChannelID}
		m.apply(mb, body)
		in.Followups = append(in.Followups, m)
		writeJSON(w, 200, m.json())
	case len(rest) == 2 && rest[0] == "messages":
		var m *Message
		if rest[1] == "@original" {
			m = in.Original
		} else {
			for _, f := range in.Followups {
				if f.ID == rest[1] {
					m = f
				}
			}
		}
		if m == nil || (rest[1] == "@original" && in.Deleted) {
			writeError(w, 404, 10008, "Unknown Message")
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, 200, m.json())
		case http.MethodPatch:
			m.apply(mb, body)
			if rest[1] == "@original" {
				in.Edits++
			}
			writeJSON(w, 200, m.json())
		case http.MethodDelete:
			if rest[1] == "@original" {
				in.Deleted = true
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			writeError(w, http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
		}
	default:
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
	}
}

// channel serves /channels/{id}, /channels/{id}/messages and /channels/{id}/threads.
func (s *Server) channel(w http.ResponseWriter, r *http.Request, id string, rest []string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notify()
	ch, ok := s.channels[id]
	if !ok {
		writeError(w, 404, 10003, "Unknown Channel")
		return
	}
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		writeJSON(w, 200, ch)
	case len(rest) == 1 && rest[0] == "messages" && r.Method == http.MethodPost:
		if ch.Type == discordgo.ChannelTypeGuildForum {
			writeError(w, 400, 50008, "Cannot send messages in a non-text channel")
			return
		}
		var mb messageBody
		if err := json.Unmarshal(body, &mb); err != nil {
			writeError(w, 400, 50035, "Invalid Form Body")
			return
		}
		if msg := limitsError(mb); msg != "" {
			writeError(w, 400, 50035, "Invalid Form Body: "+msg)
			return
		}
		nonce := strings.Trim(string(mb.Nonce), `"`)
		if len(nonce) > 25 {
			writeError(w, 400, 50035, "Invalid Form Body: nonce longer than 25")
			return
		}
		if mb.EnforceNonce && nonce != "" {
			for _, m := range s.messages[id] {
				if m.Nonce == nonce {
					writeJSON(w, 200, m.json()) // Discord returns the message already created
					return
				}
			}
		}
		m := &Message{ID: s.newID(), ChannelID: id, Nonce: nonce, EnforceNonce: mb.EnforceNonce}
		m.apply(mb, body)
		if m.Content == "" && len(m.Embeds) == 0 {
			writeError(w, 400, 50006, "Cannot send an empty message")
			return
		}
		s.messages[id] = append(s.messages[id], m)
		writeJSON(w, 200, m.json())
	case len(rest) == 1 && rest[0] == "threads" && r.Method == http.MethodPost:
		if ch.Type != discordgo.ChannelTypeGuildForum {
			writeError(w, 400, 50024, "Cannot execute action on this channel type")
			return
		}
		var tb struct {
			Name    string          `json:"name"`
			Message json.RawMessage `json:"message"`
		}
		if err := json.Unmarshal(body, &tb); err != nil || tb.Name == "" || len([]rune(tb.Name)) > 100 {
			writeError(w, 400, 50035, "Invalid Form Body")
			return
		}
		var mb messageBody
		_ = json.Unmarshal(tb.Message, &mb) // an absent message is an empty one
		if msg := limitsError(mb); msg != "" {
			writeError(w, 400, 50035, "Invalid Form Body: "+msg)
			return
		}
		th := &discordgo.Channel{ID: s.newID(), GuildID: ch.GuildID, ParentID: id, Name: tb.Name,
			Type: discordgo.ChannelTypeGuildPublicThread, OwnerID: BotUserID}
		s.channels[th.ID] = th
		m := &Message{ID: th.ID, ChannelID: th.ID}
		m.apply(mb, tb.Message)
		s.messages[th.ID] = append(s.messages[th.ID], m)
		writeJSON(w, 201, th)
	default:
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
	}
}

func (s *Server) activeThreads(w http.ResponseWriter, guildID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	threads := []*discordgo.Channel{}
	for _, c := range s.channels {
		if c.GuildID == guildID && c.ParentID != "" {
			threads = append(threads, c)
		}
	}
	writeJSON(w, 200, map[string]any{"threads": threads, "members": []any{}})
}

// Sign returns the X-Signature-Ed25519 and X-Signature-Timestamp headers
// Discord would send with body at time ts.
func (s *Server) Sign(body []byte, ts time.Time) (signature, timestamp string) {
	timestamp = strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(s.PrivateKey, append([]byte(timestamp), body...))
	return hex.EncodeToString(sig), timestamp
}

// PublicKeyHex is the application's public key as the Developer Portal shows it.
func (s *Server) PublicKeyHex() string { return hex.EncodeToString(s.PublicKey) }
