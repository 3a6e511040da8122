// Package bot is the platform-neutral core of the chat bot: the messages the
// bot sends, the errors platforms report, commands, filters and permission
// rules. Platform adapters (bot/telegram, bot/discord) translate between it
// and their SDK; it imports no SDK.
package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"newsbrief/briefing"
	"newsbrief/digest"
)

// Message kinds carried in store.OutboxItem.Kind.
const (
	KindBriefing = "briefing"
	KindDigest   = "digest"
	KindText     = "text"
)

// Message is what the bot delivers to a chat, platform-neutral. Exactly one
// of Briefing, Digest or Text is set, according to Kind. Its JSON form is
// the outbox payload.
type Message struct {
	Kind     string             `json:"kind"`
	Briefing *briefing.Briefing `json:"briefing,omitempty"`
	Digest   *digest.Digest     `json:"digest,omitempty"`
	Text     string             `json:"text,omitempty"`
	// NoPreview turns link previews off (digests).
	NoPreview bool `json:"no_preview,omitempty"`
}

// EncodeMessage returns the outbox payload for m.
func EncodeMessage(m Message) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode %s message: %w", m.Kind, err)
	}
	return b, nil
}

// DecodeMessage parses an outbox payload.
func DecodeMessage(b []byte) (Message, error) {
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		return Message{}, fmt.Errorf("decode message: %w", err)
	}
	switch m.Kind {
	case KindBriefing:
		if m.Briefing == nil {
			return Message{}, errors.New("decode message: briefing message without briefing")
		}
	case KindDigest:
		if m.Digest == nil {
			return Message{}, errors.New("decode message: digest message without digest")
		}
	case KindText:
	default:
		return Message{}, fmt.Errorf("decode message: unknown kind %q", m.Kind)
	}
	return m, nil
}

// RetryAfterError is returned by a platform sender when the platform asked
// to slow down (HTTP 429): the same message must be retried after Wait.
type RetryAfterError struct {
	Wait time.Duration
	Err  error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.Wait, e.Err)
}
func (e *RetryAfterError) Unwrap() error { return e.Err }

// ChatGoneError is returned by a platform sender when the chat can no longer
// be written to (bot blocked or kicked, chat deleted, missing access): the
// subscription must be deactivated with Reason and the item not retried.
type ChatGoneError struct {
	Reason string
	Err    error
}

func (e *ChatGoneError) Error() string {
	return fmt.Sprintf("chat unreachable: %s: %v", e.Reason, e.Err)
}
func (e *ChatGoneError) Unwrap() error { return e.Err }

// ChatMovedError is returned when a Telegram group became a supergroup: the
// subscription moves to NewChatID and the message is resent there.
type ChatMovedError struct {
	NewChatID string
	Err       error
}

func (e *ChatMovedError) Error() string {
	return fmt.Sprintf("chat moved to %s: %v", e.NewChatID, e.Err)
}
func (e *ChatMovedError) Unwrap() error { return e.Err }
