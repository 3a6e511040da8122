package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Permission bits used by tests.
const (
	PermAdministrator  int64 = 1 << 3
	PermManageChannels int64 = 1 << 4
	PermSendMessages   int64 = 1 << 11
	PermNone           int64 = 0
)

// Invoke describes an interaction a user triggers.
type Invoke struct {
	// Type is the interaction type: 2 application command (default),
	// 4 autocomplete.
	Type int
	// Name is the command name; CommandType 1 (slash, default) or 3 (message).
	Name        string
	CommandType int
	// Options are the slash command's options, as Discord sends them
	// ({"name","type","value"[,"focused"]}).
	Options []map[string]any
	// Permissions are the invoking member's permissions in the channel.
	Permissions int64
	// ChannelID defaults to TextChannelID, GuildID to GuildID.
	ChannelID, GuildID string
	// TargetID and Resolved are for context-menu commands and for options
	// that refer to channels or attachments.
	TargetID string
	Resolved map[string]any
}

// Build returns the interaction's id, token and JSON, and registers it so
// that the bot's callback and webhook edits for it are accepted. Send the
// JSON yourself (signed, with PostInteraction, for HTTP interactions; then
// the response is in the HTTP answer and edits are accepted without a
// callback) or use Interact for the gateway.
func (s *Server) Build(inv Invoke) (id, token string, body []byte) {
	s.mu.Lock()
	id = s.newID()
	token = "itok-" + id
	s.registerLocked(id, token)
	s.mu.Unlock()
	if inv.Type == 0 {
		inv.Type = 2
	}
	if inv.CommandType == 0 {
		inv.CommandType = 1
	}
	if inv.ChannelID == "" {
		inv.ChannelID = TextChannelID
	}
	if inv.GuildID == "" {
		inv.GuildID = GuildID
	}
	data := map[string]any{"id": "600000000000000001", "name": inv.Name, "type": inv.CommandType}
	if inv.Options != nil {
		data["options"] = inv.Options
	}
	if inv.TargetID != "" {
		data["target_id"] = inv.TargetID
	}
	if inv.Resolved != nil {
		data["resolved"] = inv.Resolved
	}
	perms := strconv.FormatInt(inv.Permissions, 10)
	d := map[string]any{
		"id": id, "application_id": AppID, "type": inv.Type, "token": token, "version": 1,
		"guild_id": inv.GuildID, "channel_id": inv.ChannelID, "app_permissions": "2147483647", "locale": "en-US",
		"member": map[string]any{
			"user":  map[string]any{"id": UserID, "username": "alice", "discriminator": "0"},
			"roles": []string{}, "joined_at": "2024-01-01T00:00:00Z", "permissions": perms,
		},
		"data": data,
	}
	b, err := json.Marshal(d)
	if err != nil {
		panic(fmt.Sprintf("discordtest: marshal interaction: %v", err))
	}
	return id, token, b
}

// Interact dispatches the interaction over the gateway (INTERACTION_CREATE)
// and returns its token. Edits of its original response are refused
// (10008 Unknown Message) until the bot has sent its callback, as on
// Discord.
func (s *Server) Interact(inv Invoke) (string, error) {
	_, token, body := s.Build(inv)
	s.mu.Lock()
	s.interactions[token].gateway = true
	s.mu.Unlock()
	g := inv.GuildID
	if g == "" {
		g = GuildID
	}
	if err := s.Dispatch("INTERACTION_CREATE", g, json.RawMessage(body)); err != nil {
		return "", err
	}
	return token, nil
}

// PostInteraction signs body as Discord does (at time ts) and POSTs it to an
// HTTP interactions endpoint.
func (s *Server) PostInteraction(client *http.Client, endpoint string, body []byte, ts time.Time) (*http.Response, error) {
	sig, stamp := s.Sign(body, ts)
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("post interaction: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", sig)
	req.Header.Set("X-Signature-Timestamp", stamp)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post interaction: %w", err)
	}
	return resp, nil
}

// StringOption is a slash command string option.
func StringOption(name, value string) map[string]any {
	return map[string]any{"name": name, "type": 3, "value": value}
}

// ChannelOption is a slash command channel option.
func ChannelOption(name, channelID string) map[string]any {
	return map[string]any{"name": name, "type": 7, "value": channelID}
}

// AttachmentOption is a slash command attachment option.
func AttachmentOption(name, attachmentID string) map[string]any {
	return map[string]any{"name": name, "type": 11, "value": attachmentID}
}

// Focused marks an option as the one being autocompleted.
func Focused(opt map[string]any) map[string]any {
	opt["focused"] = true
	return opt
}
