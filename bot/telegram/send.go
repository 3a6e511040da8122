package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"newsbrief/bot"
	"newsbrief/store"
)

// Limits are the send rates the Bot keeps to, for replies and deliveries
// alike. Each is a minimum spacing between messages (token buckets of
// size 1), so no window of the matching length ever holds more than the
// documented count.
type Limits struct {
	// Global is messages per second over all chats.
	Global float64
	// PerChat is messages per second to one chat.
	PerChat float64
	// PerGroup is messages per minute to one group or channel.
	PerGroup float64
}

// TelegramLimits keep just under Telegram's broadcast limits (30 messages
// per second, 1 per second per chat, 20 per minute per group), leaving a
// margin for network jitter so the server never counts one too many.
//
// Specs: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
var TelegramLimits = Limits{Global: 29.5, PerChat: 0.95, PerGroup: 19.5}

type limiter struct {
	limits Limits
	global *rate.Limiter
	mu     sync.Mutex
	chats  map[int64]*chatLimiter
	calls  int
}

type chatLimiter struct {
	chat, group *rate.Limiter
	used        time.Time
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l, global: rate.NewLimiter(rate.Limit(l.Global), 1), chats: map[int64]*chatLimiter{}}
}

// wait blocks until a message to chat may be sent.
func (l *limiter) wait(ctx context.Context, chat int64) error {
	c := l.chat(chat)
	if err := c.chat.Wait(ctx); err != nil {
		return err
	}
	if c.group != nil {
		if err := c.group.Wait(ctx); err != nil {
			return err
		}
	}
	return l.global.Wait(ctx)
}

func (l *limiter) chat(id int64) *chatLimiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.calls++
	if l.calls%1024 == 0 {
		// Forget chats idle long enough for their buckets to be full.
		for k, c := range l.chats {
			if now.Sub(c.used) > 2*time.Minute {
				delete(l.chats, k)
			}
		}
	}
	c := l.chats[id]
	if c == nil {
		c = &chatLimiter{chat: rate.NewLimiter(rate.Limit(l.limits.PerChat), 1)}
		if id < 0 && l.limits.PerGroup > 0 {
			c.group = rate.NewLimiter(rate.Limit(l.limits.PerGroup/60), 1)
		}
		l.chats[id] = c
	}
	c.used = now
	return c
}

// sendMessage sends one HTML message. tgbotapi v5.5.1 has no
// message_thread_id, so the raw parameters are sent. Errors are mapped by
// classify.
//
// Specs: https://core.telegram.org/bots/api#sendmessage
func (b *Bot) sendMessage(ctx context.Context, chatID int64, thread string, replyTo int, html string, noPreview bool) error {
	params := tgbotapi.Params{
		"chat_id":    strconv.FormatInt(chatID, 10),
		"text":       html,
		"parse_mode": tgbotapi.ModeHTML,
	}
	params.AddNonEmpty("message_thread_id", thread)
	if replyTo != 0 {
		params.AddNonZero("reply_to_message_id", replyTo)
		params.AddBool("allow_sending_without_reply", true)
	}
	params.AddBool("disable_web_page_preview", noPreview)
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	_, err := b.apiFor(ctx).MakeRequest("sendMessage", params)
	if err != nil {
		return classify(chatID, b.redact(err))
	}
	return nil
}

// classify maps a Bot API error to the core's delivery errors.
func classify(chatID int64, err error) error {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return fmt.Errorf("sendMessage to %d: %w", chatID, err)
	}
	desc := strings.ToLower(te.Message)
	switch {
	case te.RetryAfter > 0 || te.Code == 429:
		wait := time.Duration(te.RetryAfter) * time.Second
		if wait <= 0 {
			wait = time.Second
		}
		return &bot.RetryAfterError{Wait: wait, Err: err}
	case te.MigrateToChatID != 0:
		return &bot.ChatMovedError{NewChatID: strconv.FormatInt(te.MigrateToChatID, 10), Err: err}
	case te.Code == 403:
		return &bot.ChatGoneError{Reason: te.Message, Err: err}
	case te.Code == 400 && (strings.Contains(desc, "chat not found") ||
		strings.Contains(desc, "chat_write_forbidden") ||
		strings.Contains(desc, "have no rights to send") ||
		strings.Contains(desc, "not enough rights") ||
		strings.Contains(desc, "group chat was deactivated") ||
		strings.Contains(desc, "peer_id_invalid") ||
		strings.Contains(desc, "user is deactivated")):
		return &bot.ChatGoneError{Reason: te.Message, Err: err}
	}
	return fmt.Errorf("sendMessage to %d: %w", chatID, err)
}

// isThreadGone reports a forum topic that was deleted or closed.
func isThreadGone(err error) bool {
	var te *tgbotapi.Error
	if !errors.As(err, &te) || te.Code != 400 {
		return false
	}
	d := strings.ToLower(te.Message)
	return strings.Contains(d, "message thread not found") || strings.Contains(d, "topic_deleted") || strings.Contains(d, "topic_closed")
}

// Send delivers m to a chat (into forum topic threadID when set) for the
// delivery worker, keeping to the rate limits. key identifies the delivery;
// a message rendered as several parts that fails midway resumes after the
// parts already sent when Send is retried with the same key. Errors:
// *bot.RetryAfterError on 429 (retry the same message after Wait),
// *bot.ChatGoneError when the bot was blocked, kicked or the chat is gone,
// *bot.ChatMovedError when a group became a supergroup, others wrapped.
func (b *Bot) Send(ctx context.Context, chat store.ChatRef, threadID, key string, m bot.Message) error {
	if chat.Platform != store.Telegram {
		return fmt.Errorf("telegram: send to %s: %w", chat, store.ErrInvalid)
	}
	chatID, err := strconv.ParseInt(chat.ChatID, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram: send to %s: bad chat id: %w", chat, store.ErrInvalid)
	}
	parts := Render(m)
	if len(parts) == 0 {
		return fmt.Errorf("telegram: send %s to %s: empty message: %w", key, chat, store.ErrInvalid)
	}
	pkey := chat.String() + "\x00" + threadID + "\x00" + key
	b.mu.Lock()
	done := b.progress[pkey]
	b.mu.Unlock()
	for i := done; i < len(parts); i++ {
		if err := b.limiter.wait(ctx, chatID); err != nil {
			return fmt.Errorf("telegram: send %s to %s: %w", key, chat, err)
		}
		err := b.sendMessage(ctx, chatID, threadID, 0, parts[i], m.NoPreview)
		if err != nil && threadID != "" && isThreadGone(err) {
			// The forum topic is gone: deliver to the group's main thread.
			threadID = ""
			err = b.sendMessage(ctx, chatID, "", 0, parts[i], m.NoPreview)
		}
		if err != nil {
			b.mu.Lock()
			if i > 0 {
				b.progress[pkey] = i
			}
			b.mu.Unlock()
			return fmt.Errorf("telegram: send %s part %d/%d: %w", key, i+1, len(parts), err)
		}
	}
	if done > 0 {
		b.mu.Lock()
		delete(b.progress, pkey)
		b.mu.Unlock()
	}
	return nil
}
