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

	"newsbrief/bot"
	"newsbrief/store"
)

// Limits are the send rates the Bot keeps to, for replies and deliveries
// alike.
type Limits struct {
	// Global is messages per second over all chats. It is kept as the
	// server counts, whatever the network's delay and jitter: a message's
	// request starts only when the one Global messages before it had its
	// answer at least a second ago (the server had seen it by then, and
	// sees this one no sooner than it starts). Spacing is left to the
	// caller (the delivery worker's shared budget spaces its sends).
	Global float64
	// PerChat is messages per second to one chat.
	PerChat int
	// PerGroup is messages per minute to one group or channel (negative
	// chat id).
	PerGroup int
	// Margin lengthens the per-chat and per-group windows, absorbing
	// jitter between the start of a request and its arrival
	// (DefaultMargin when zero).
	Margin time.Duration
}

// DefaultMargin is the default Limits.Margin.
const DefaultMargin = 50 * time.Millisecond

// TelegramLimits keep to Telegram's broadcast limits: 30 messages per
// second, 1 per second per chat, 20 per minute per group.
//
// Specs: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
var TelegramLimits = Limits{Global: 30, PerChat: 1, PerGroup: 20}

// window allows at most n events in any period of length w.
type window struct {
	n     int
	w     time.Duration
	times []time.Time // ring of the last n event times
	next  int
}

// wait returns how long until an event may happen at now (0: it may).
func (q *window) wait(now time.Time) time.Duration {
	if q == nil || q.n <= 0 || len(q.times) < q.n {
		return 0
	}
	return max(0, q.times[q.next].Add(q.w).Sub(now))
}

// record notes an event at now; call it only when wait returned 0.
func (q *window) record(now time.Time) {
	if q == nil || q.n <= 0 {
		return
	}
	if len(q.times) < q.n {
		q.times = append(q.times, now)
		return
	}
	q.times[q.next] = now
	q.next = (q.next + 1) % q.n
}

func (q *window) idle(now time.Time) bool {
	if q == nil || len(q.times) == 0 {
		return true
	}
	last := q.times[(q.next+len(q.times)-1)%len(q.times)]
	return now.Sub(last) > q.w
}

// inflightCap is how long a request still running is assumed to be
// unseen by the server; past it, its slot of the overall limit counts it
// as arrived then, so one hung request cannot stall every send.
const inflightCap = 5 * time.Second

// pacer is the overall limit: at most n messages in any period per, as the
// server counts them. Message k takes slot k mod n, which held message
// k-n, and may start only once that one ended a period ago: it reached the
// server before its answer came back, and message k reaches it no sooner
// than it starts, so whatever the network delay, any n+1 messages arrive
// more than a period apart. Starts are ordered by slot, so the bound holds
// for every earlier message too.
type pacer struct {
	n        int
	per      time.Duration
	inflight time.Duration // inflightCap; tests shorten it

	mu      sync.Mutex
	ends    []time.Time // per slot: when its message surely reached the server
	gens    []uint64    // per slot: acquisitions, so a late finish cannot clobber a reuse
	next    int
	changed chan struct{} // closed (and replaced) when a message finishes
}

func newPacer(perSecond float64) *pacer {
	if perSecond <= 0 {
		return nil
	}
	n := max(1, int(perSecond))
	return &pacer{
		n:        n,
		per:      time.Duration(float64(n) / perSecond * float64(time.Second)),
		inflight: inflightCap,
		ends:     make([]time.Time, n),
		gens:     make([]uint64, n),
		changed:  make(chan struct{}),
	}
}

// acquire waits until a message may start and returns the func to call
// when its request has ended (answer or error). A nil pacer never waits.
func (p *pacer) acquire(ctx context.Context) (done func(), err error) {
	if p == nil {
		return func() {}, nil
	}
	for {
		p.mu.Lock()
		now := time.Now()
		i := p.next
		d := p.ends[i].Add(p.per).Sub(now)
		if d <= 0 {
			p.next = (i + 1) % p.n
			p.ends[i] = now.Add(p.inflight)
			p.gens[i]++
			gen := p.gens[i]
			p.mu.Unlock()
			return func() { p.finish(i, gen) }, nil
		}
		changed := p.changed
		p.mu.Unlock()
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		case <-changed:
			t.Stop()
		}
	}
}

func (p *pacer) finish(i int, gen uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gens[i] != gen {
		return // the slot was reused after p.inflight
	}
	if now := time.Now(); now.Before(p.ends[i]) {
		p.ends[i] = now
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

type limiter struct {
	limits Limits
	global *pacer
	mu     sync.Mutex
	chats  map[int64]*chatWindows
	calls  int
}

type chatWindows struct{ chat, group *window }

func newLimiter(l Limits) *limiter {
	if l.Margin <= 0 {
		l.Margin = DefaultMargin
	}
	return &limiter{limits: l, global: newPacer(l.Global), chats: map[int64]*chatWindows{}}
}

// wait blocks until a message to chat may be sent and returns the func to
// call when its request has ended. The chat's windows are waited for
// first, so that a message waiting for its chat holds no slot of the
// overall limit, and checked again (and recorded) once the overall slot is
// held, so the chat's spacing is measured from when the message really
// leaves, however long the overall wait was.
func (l *limiter) wait(ctx context.Context, chat int64) (done func(), err error) {
	for {
		for {
			d := l.tryChat(chat, time.Now(), false)
			if d == 0 {
				break
			}
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
		}
		done, err := l.global.acquire(ctx)
		if err != nil {
			return nil, err
		}
		if l.tryChat(chat, time.Now(), true) == 0 {
			return done, nil
		}
		// Another message to this chat went first meanwhile: give the
		// slot back (it counts as used now) and wait for the chat again.
		done()
	}
}

// tryChat returns how long until chat's windows allow a message at now;
// when they allow it and record is set, the message is recorded.
func (l *limiter) tryChat(chat int64, now time.Time, record bool) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%4096 == 0 {
		for k, c := range l.chats {
			if c.chat.idle(now) && c.group.idle(now) {
				delete(l.chats, k)
			}
		}
	}
	c := l.chats[chat]
	if c == nil {
		c = &chatWindows{chat: &window{n: l.limits.PerChat, w: time.Second + l.limits.Margin}}
		if chat < 0 && l.limits.PerGroup > 0 {
			c.group = &window{n: l.limits.PerGroup, w: time.Minute + time.Second}
		}
		l.chats[chat] = c
	}
	if d := max(c.chat.wait(now), c.group.wait(now)); d > 0 || !record {
		return d
	}
	c.chat.record(now)
	c.group.record(now)
	return 0
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
	if noPreview {
		// Both spellings: link_preview_options replaced the older field in
		// Bot API 7.0; servers ignore the one they do not know.
		params.AddBool("disable_web_page_preview", true)
		params["link_preview_options"] = `{"is_disabled":true}`
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	_, err := b.apiFor(ctx).MakeRequest("sendMessage", params)
	if err != nil {
		return classify(chatID, b.redact(err))
	}
	return nil
}

// limitedSend waits for the rate limits, then sends one message.
func (b *Bot) limitedSend(ctx context.Context, chatID int64, thread string, replyTo int, html string, noPreview bool) error {
	done, err := b.limiter.wait(ctx, chatID)
	if err != nil {
		return err
	}
	defer done()
	return b.sendMessage(ctx, chatID, thread, replyTo, html, noPreview)
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
		err := b.limitedSend(ctx, chatID, threadID, 0, parts[i], m.NoPreview)
		if err != nil && threadID != "" && isThreadGone(err) {
			// The forum topic is gone: deliver to the group's main thread.
			threadID = ""
			err = b.limitedSend(ctx, chatID, "", 0, parts[i], m.NoPreview)
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
