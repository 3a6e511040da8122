// Package delivery is the outbox worker: it claims pending messages from the
// store, waits for the platform's rate budget, hands each message to the
// platform's Sender and records the outcome (delivered, retry later, chat
// gone, chat moved, given up). It also fans new briefings out to instant
// subscriptions (OnArticle), as outbox jobs of their own (EnqueueFanOut) so
// that a fan-out cut short by a crash or a shutdown is resumed.
//
// Guarantees, given a store that honours the store.Store outbox contract:
//   - a message acknowledged as delivered is never sent again to that chat
//     (the store's delivery log refuses to enqueue it again);
//   - nothing is lost in a crash: an item claimed by a worker that dies
//     returns to the outbox when its claim lease expires (Lease, 30 s by
//     default), so after a hard kill at most the one message each sending
//     goroutine had in flight is sent twice (Discord's Sender makes even
//     that exact with a nonce derived from the item key);
//   - after a graceful stop (Run's ctx cancelled) nothing repeats: sends in
//     flight finish and are acknowledged, items waiting for a rate token go
//     back to the outbox unsent.
//
// Rate limits are token buckets taken from a Limiter (both store
// implementations provide one; redisstore's is shared by every replica), so
// the platform budget is the bot's, not one process's.
//
// # Claim lease
//
// A claim is not renewed: the worker keeps all its work on an item inside
// the lease it claimed it with. Of the lease, at most a third goes to
// waiting for rate tokens (MaxTokenWait is capped there; a longer wait puts
// the item back due when the budget allows), the send must end two thirds
// of the lease after the claim (its context carries that deadline), and the
// last third covers recording the outcome and clock skew between replicas.
// A send cut off by the deadline is retried like any failed send (an
// attempt counted; Telegram's Sender resumes a multi-part message after the
// parts already sent, Discord's nonce makes a repeat a no-op).
//
// The trade-off is crash recovery against the longest send: a SIGKILLed
// process's items wait out the lease, so a shorter lease brings them back
// sooner but cuts off slower sends. The default of 30 s brings them back
// within half a minute and still gives a send 20 s, where one Bot API or
// Discord REST call normally takes well under a second and a rate-limited
// platform answers 429 (retried later) rather than holding the call.
// Renewing claims while a send runs would lift the limit on send time, but
// costs a store write per renewal per in-flight send and another way to
// fail; no platform call needs it.
package delivery

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/bot"
	"newsbrief/store"
)

// Sender delivers one message to one chat on one platform. The Telegram and
// Discord adapters implement it.
//
// key is the outbox idempotency key ("brief:<article id>",
// "digest:2026-11-25"); a platform that supports it (Discord's message
// nonce) uses it to make a repeated send a no-op.
//
// Errors: *bot.RetryAfterError (the platform asked to wait: the same message
// is retried after Wait), *bot.ChatGoneError (the subscription is
// deactivated and the message dropped), *bot.ChatMovedError (the
// subscription moves and the message is resent there); any other error is
// retried with exponential backoff and parked after Config.MaxAttempts.
type Sender interface {
	Send(ctx context.Context, chat store.ChatRef, threadID, key string, m bot.Message) error
}

// Limiter is a set of named token buckets. TakeToken takes one token from
// bucket, which refills at perSecond up to burst, and returns 0; or, when
// the bucket is empty, takes nothing and returns how long until a token is
// available. Both store implementations provide it.
type Limiter interface {
	TakeToken(ctx context.Context, bucket string, perSecond float64, burst int, now time.Time) (time.Duration, error)
}

// Store is the part of store.Store the worker uses.
type Store interface {
	Claim(ctx context.Context, worker string, now time.Time, lease time.Duration) (store.OutboxItem, error)
	Ack(ctx context.Context, id, worker string) error
	Retry(ctx context.Context, id, worker string, notBefore time.Time, lastErr string) error
	Release(ctx context.Context, id, worker string, notBefore time.Time) error
	Park(ctx context.Context, id, worker, reason string) error
	Enqueue(ctx context.Context, it store.OutboxItem) (string, bool, error)
	Outbox(ctx context.Context, state string) ([]store.OutboxItem, error)

	GetArticle(ctx context.Context, id string) (store.Article, error)
	Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error)
	GetSubscription(ctx context.Context, chat store.ChatRef) (store.Subscription, error)
	PutSubscription(ctx context.Context, s store.Subscription) error
	DeleteSubscription(ctx context.Context, chat store.ChatRef) error
	Deactivate(ctx context.Context, chat store.ChatRef, reason string) error
}

// Limit scopes.
const (
	// ScopeGlobal: one bucket for the whole bot on the platform.
	ScopeGlobal = "global"
	// ScopeChat: one bucket per chat or channel.
	ScopeChat = "chat"
	// ScopeGroup: one bucket per group chat (a negative Telegram chat id);
	// it does not apply to private chats.
	ScopeGroup = "group"
)

// Limit is one token bucket rule: PerSecond tokens a second, at most Burst
// saved up.
type Limit struct {
	Scope     string
	PerSecond float64
	Burst     int
}

// DefaultLimits returns the platform budgets:
//
//   - Telegram: 30 messages/s per bot, 1/s per chat, 20/min per group
//     (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
//   - Discord: 50 requests/s per bot, and 5 messages per 5 s per channel
//     (https://discord.com/developers/docs/topics/rate-limits).
//
// Every bucket has a burst of 1, so tokens are spaced evenly and any window
// of the platform's length sees at most its allowance of tokens. The
// Telegram overall rate is the platform's 30/s exactly: a burst of 1 loses
// the time a sleeping worker wakes late (about 1 ms a token), so a fan-out
// reaches about 0.98 of the ceiling (BenchmarkDigestFanout in
// bot/telegram). The Telegram Sender's own overall limit counts 30 a
// second from the answers to its requests, so it adds no second, slower
// pace; it only holds back a send that jitter brought too close to the
// one 30 before it, which keeps the platform's count exact (zero 429s in
// one process). Discord's overall rate is 48/s
// because one message may take more than one request (split embeds, forum
// posts). The per-chat and per-group rates sit 10% under the platform's,
// because a message leaves after its chat token plus any wait for the
// overall token, and that wait must not eat into the chat's spacing.
func DefaultLimits() map[string][]Limit {
	return map[string][]Limit{
		store.Telegram: {
			{Scope: ScopeChat, PerSecond: 1 / 1.1, Burst: 1},
			{Scope: ScopeGroup, PerSecond: 18.0 / 60, Burst: 1},
			{Scope: ScopeGlobal, PerSecond: 30, Burst: 1},
		},
		store.Discord: {
			{Scope: ScopeChat, PerSecond: 1 / 1.1, Burst: 1},
			{Scope: ScopeGlobal, PerSecond: 48, Burst: 1},
		},
	}
}

// Defaults for Config fields left zero.
const (
	DefaultWorkers       = 4
	DefaultLease         = 30 * time.Second
	DefaultPollInterval  = time.Second
	DefaultMaxAttempts   = 8
	DefaultBackoffBase   = 5 * time.Second
	DefaultBackoffMax    = 30 * time.Minute
	DefaultMaxTokenWait  = 10 * time.Second
	DefaultGrace         = 10 * time.Second
	DefaultDepthInterval = 15 * time.Second
	DefaultNoSenderDelay = time.Minute
	// goneMemory is how long a chat that reported ChatGone is remembered,
	// so the rest of its queued items are dropped without another call.
	goneMemory = 10 * time.Minute
	// opTimeout bounds each store call made after a send (it must run
	// even while shutting down).
	opTimeout = 10 * time.Second
)

// Config configures a Worker. Store and Senders are required.
type Config struct {
	Store Store
	// Limiter holds the rate buckets. When nil, Store is used if it
	// implements Limiter; otherwise sends are not rate limited.
	Limiter Limiter
	// Senders by platform (store.Telegram, store.Discord). Items of a
	// platform without a sender stay in the outbox: they are claimed and
	// released at once, due NoSenderDelay later, without an attempt
	// counted, so a replica that has the sender can take them.
	Senders map[string]Sender
	// NoSenderDelay is how far an item of a platform without a sender in
	// this process is put back (DefaultNoSenderDelay). Shorter lets a
	// replica with the sender get it sooner in a fleet whose replicas
	// differ; longer means fewer claims of items nobody here can send
	// (each is claimed and released once per NoSenderDelay).
	NoSenderDelay time.Duration
	// Limits by platform; nil means DefaultLimits().
	Limits map[string][]Limit
	// Workers is the number of concurrent sending goroutines
	// (DefaultWorkers).
	Workers int
	// Name identifies this process in claims; default host-pid-random.
	Name string
	// Lease is how long a claim lasts before another worker may take the
	// item over (DefaultLease): how long items of a process that died stay
	// blocked. A send must end within two thirds of it (see Claim lease in
	// the package doc).
	Lease time.Duration
	// PollInterval is the pause after finding the outbox empty
	// (DefaultPollInterval); Wake cuts it short.
	PollInterval time.Duration
	// MaxAttempts: an item failing with ordinary errors is parked when
	// this many attempts have failed (DefaultMaxAttempts).
	MaxAttempts int
	// BackoffBase and BackoffMax shape the exponential backoff with jitter
	// between failed attempts.
	BackoffBase, BackoffMax time.Duration
	// MaxTokenWait: when the rate budget would make an item wait longer,
	// it goes back to the outbox due at that time instead of holding the
	// claim (DefaultMaxTokenWait; at most a third of Lease).
	MaxTokenWait time.Duration
	// Grace is how long in-flight sends may run after Run's ctx is
	// cancelled (DefaultGrace).
	Grace time.Duration
	// DepthInterval is how often the outbox depth gauge is refreshed
	// (DefaultDepthInterval; negative disables).
	DepthInterval time.Duration
	// Now is the clock (time.Now).
	Now func() time.Time
	// Sleep waits d for a rate token, or until ctx is done (a real timer
	// by default); tests pass one that advances a fake clock. Idle polling
	// always uses real time.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger (slog.Default()).
	Logger *slog.Logger
	// Registerer receives the metrics; nil registers nothing.
	Registerer prometheus.Registerer
}

// Worker delivers outbox items. Create it with New and start it with Run.
type Worker struct {
	cfg     Config
	log     *slog.Logger
	limiter Limiter
	m       metrics

	wakeMu sync.Mutex
	wake   chan struct{} // closed (and replaced) by Wake

	mu      sync.Mutex
	gone    map[store.ChatRef]goneEntry
	waiting map[string]bool // chat/group buckets a goroutine is waiting for
}

type goneEntry struct {
	reason string
	until  time.Time
}

// New returns a Worker for cfg with defaults filled in. It does not start
// anything.
func New(cfg Config) *Worker {
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Name == "" {
		cfg.Name = defaultName()
	}
	if cfg.Limits == nil {
		cfg.Limits = DefaultLimits()
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = DefaultBackoffBase
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = DefaultBackoffMax
	}
	if cfg.MaxTokenWait <= 0 {
		cfg.MaxTokenWait = DefaultMaxTokenWait
	}
	cfg.MaxTokenWait = min(cfg.MaxTokenWait, cfg.Lease/3)
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	if cfg.NoSenderDelay <= 0 {
		cfg.NoSenderDelay = DefaultNoSenderDelay
	}
	if cfg.DepthInterval == 0 {
		cfg.DepthInterval = DefaultDepthInterval
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	w := &Worker{
		cfg:     cfg,
		log:     cfg.Logger.With("component", "delivery"),
		m:       newMetrics(cfg.Registerer),
		wake:    make(chan struct{}),
		gone:    map[store.ChatRef]goneEntry{},
		waiting: map[string]bool{},
	}
	w.limiter = cfg.Limiter
	if w.limiter == nil {
		if l, ok := cfg.Store.(Limiter); ok {
			w.limiter = l
		}
	}
	return w
}

func defaultName() string {
	host, _ := os.Hostname() // an empty host still leaves pid and random parts
	var b [4]byte
	_, _ = crand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Name returns the worker name used in claims (each goroutine appends
// "/<n>").
func (w *Worker) Name() string { return w.cfg.Name }

// Wake tells every idle worker goroutine that items were enqueued, so they
// claim at once instead of after PollInterval. It never blocks.
func (w *Worker) Wake() {
	w.wakeMu.Lock()
	close(w.wake)
	w.wake = make(chan struct{})
	w.wakeMu.Unlock()
}

func (w *Worker) wakeChan() <-chan struct{} {
	w.wakeMu.Lock()
	defer w.wakeMu.Unlock()
	return w.wake
}

// Run delivers until ctx is cancelled, then stops claiming, lets sends in
// flight finish for up to Grace, returns unsent claimed items to the outbox
// and returns nil. It returns an error only for a configuration it cannot
// run with.
func (w *Worker) Run(ctx context.Context) error {
	if w.cfg.Store == nil {
		return errors.New("delivery: no store configured")
	}
	if len(w.cfg.Senders) == 0 {
		w.log.Warn("no platform sender configured; outbox items stay pending")
	}
	// Sends and the store calls that record them outlive ctx by Grace.
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(w.cfg.Grace, cancelSends)
		context.AfterFunc(sendCtx, func() { t.Stop() })
	})
	defer stop()

	var wg sync.WaitGroup
	for i := range w.cfg.Workers {
		name := w.cfg.Name + "/" + strconv.Itoa(i)
		wg.Go(func() { w.loop(ctx, sendCtx, name) })
	}
	if w.cfg.DepthInterval > 0 {
		wg.Go(func() { w.depthLoop(ctx) })
	}
	wg.Wait()
	w.log.Info("delivery stopped")
	return nil
}

func (w *Worker) loop(ctx, sendCtx context.Context, name string) {
	for ctx.Err() == nil {
		// Take the wake channel before claiming, so a Wake that comes
		// while the claim finds nothing is not missed.
		wake := w.wakeChan()
		c := claim{at: w.cfg.Now(), real: time.Now()}
		it, err := w.cfg.Store.Claim(ctx, name, c.at, w.cfg.Lease)
		switch {
		case errors.Is(err, store.ErrEmpty):
			w.idle(ctx, wake, w.cfg.PollInterval)
			continue
		case err != nil:
			if ctx.Err() == nil {
				w.log.Error("claim outbox item", "worker", name, "error", err)
				w.idle(ctx, wake, w.cfg.PollInterval)
			}
			continue
		}
		w.handle(ctx, sendCtx, name, it, c)
	}
}

// claim is when an item was claimed: at on the worker's clock (Now, which
// the store's lease is measured in), real on the process's (for the send
// deadline).
type claim struct{ at, real time.Time }

// idle waits d, a Wake (wake closed), or the end of ctx.
func (w *Worker) idle(ctx context.Context, wake <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-wake:
	case <-t.C:
	}
}

// opCtx returns a context for a store call that must happen even during
// shutdown (recording a send that did happen).
func opCtx(sendCtx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(sendCtx), opTimeout)
}

func (w *Worker) handle(ctx, sendCtx context.Context, name string, it store.OutboxItem, c claim) {
	log := w.log.With("outbox_id", it.ID, "chat", it.Chat.String(), "key", it.Key, "worker", name)
	platform := it.Chat.Platform
	if platform == store.Internal {
		w.runFanOut(sendCtx, log, name, it, c)
		return
	}
	sender := w.cfg.Senders[platform]
	if sender == nil {
		// Put it back without an attempt counted: a process that has the
		// sender takes it.
		w.m.unsendable.WithLabelValues(platform).Inc()
		w.release(sendCtx, log, it, name, w.cfg.Now().Add(w.cfg.NoSenderDelay), "")
		log.Debug("no sender for platform; item put back for later", "platform", platform)
		return
	}
	if reason, ok := w.isGone(it.Chat); ok {
		w.park(sendCtx, log, it, name, "chat unreachable: "+reason, "chat_gone")
		return
	}
	m, err := bot.DecodeMessage(it.Payload)
	if err != nil {
		w.park(sendCtx, log, it, name, err.Error(), "bad_payload")
		return
	}

	// Wait for the rate budget while holding the claim, unless the wait is
	// long: then the item goes back to the outbox due when tokens allow.
	// None of these count as an attempt: the message was not tried.
	wait, err := w.takeTokens(ctx, it.Chat, c.at.Add(w.cfg.MaxTokenWait))
	switch {
	case ctx.Err() != nil:
		w.release(sendCtx, log, it, name, w.cfg.Now(), "shutdown")
		return
	case errors.Is(err, errBucketBusy):
		// Another goroutine here waits for this chat's budget: put the item
		// back, due after the token that goroutine is waiting for, and
		// serve other chats meanwhile.
		w.m.deferred.WithLabelValues(platform).Inc()
		w.release(sendCtx, log, it, name, w.cfg.Now().Add(wait), "")
		log.Debug("chat budget busy; item put back for later", "not_before", w.cfg.Now().Add(wait))
		return
	case err != nil:
		w.retry(sendCtx, log, it, name, w.cfg.Now().Add(w.cfg.PollInterval), "rate limiter: "+err.Error(), "limiter")
		return
	case wait > 0:
		w.release(sendCtx, log, it, name, w.cfg.Now().Add(wait), "rate_budget")
		return
	}

	// The send ends two thirds of the lease after the claim (see Claim
	// lease in the package doc), so the claim still holds when its outcome
	// is recorded.
	deadline := c.real.Add(w.cfg.Lease * 2 / 3)
	start := time.Now()
	err = w.send(sendCtx, deadline, sender, it, m)
	w.m.sendSeconds.WithLabelValues(platform).Observe(time.Since(start).Seconds())
	if err == nil {
		octx, cancel := opCtx(sendCtx)
		defer cancel()
		if err := w.cfg.Store.Ack(octx, it.ID, name); err != nil {
			// Sent but not recorded: if the claim passed to another worker it
			// may send again; nothing else to do but say so.
			log.Error("ack delivered item", "error", err)
			return
		}
		w.m.sent.WithLabelValues(platform).Inc()
		log.Debug("delivered")
		return
	}

	var (
		ra    *bot.RetryAfterError
		gone  *bot.ChatGoneError
		moved *bot.ChatMovedError
	)
	switch {
	case errors.As(err, &ra):
		// The same message, after exactly the wait the platform asked for
		// (at least a second, so a zero retry_after cannot spin).
		w.retry(sendCtx, log, it, name, w.cfg.Now().Add(max(ra.Wait, time.Second)), err.Error(), "rate_limited")
	case errors.As(err, &gone):
		w.chatGone(sendCtx, log, it, name, gone)
	case errors.As(err, &moved) && moved.NewChatID != "" && moved.NewChatID != it.Chat.ChatID:
		w.chatMoved(sendCtx, log, it, name, moved)
	case sendCtx.Err() != nil:
		// Cut off by the shutdown grace: it may or may not have gone out;
		// put it back without counting it as the item's failure.
		w.retry(sendCtx, log, it, name, w.cfg.Now(), "send interrupted by shutdown: "+err.Error(), "shutdown")
	default:
		if it.Attempts+1 >= w.cfg.MaxAttempts {
			w.park(sendCtx, log, it, name, fmt.Sprintf("gave up after %d attempts: %v", it.Attempts+1, err), "failed")
			return
		}
		w.retry(sendCtx, log, it, name, w.cfg.Now().Add(w.backoff(it.Attempts)), err.Error(), "error")
	}
}

// send calls sender with a context ending at deadline (besides sendCtx's
// end) and names the deadline in the error when it cut the send off.
func (w *Worker) send(sendCtx context.Context, deadline time.Time, sender Sender, it store.OutboxItem, m bot.Message) error {
	ctx, cancel := context.WithDeadline(sendCtx, deadline)
	defer cancel()
	err := sender.Send(ctx, it.Chat, it.ThreadID, it.Key, m)
	if err != nil && sendCtx.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("send cut off at two thirds of the %v claim lease: %w", w.cfg.Lease, err)
	}
	return err
}

// takeTokens takes one token from every bucket that applies to chat, most
// specific first (so a token of the shared overall budget is not spent on
// a message that then waits for its chat). It sleeps for waits that end by
// by (on the worker's clock) and returns the remaining wait when one would
// end later (tokens already taken are kept: they were due to this message
// anyway).
func (w *Worker) takeTokens(ctx context.Context, chat store.ChatRef, by time.Time) (time.Duration, error) {
	if w.limiter == nil {
		return 0, nil
	}
	for _, l := range w.cfg.Limits[chat.Platform] {
		var bucket string
		switch l.Scope {
		case ScopeGlobal:
			bucket = chat.Platform + ":global"
		case ScopeChat:
			bucket = chat.Platform + ":chat:" + chat.ChatID
		case ScopeGroup:
			if !strings.HasPrefix(chat.ChatID, "-") {
				continue
			}
			bucket = chat.Platform + ":group:" + chat.ChatID
		default:
			continue
		}
		if wait, err := w.takeToken(ctx, chat.Platform, bucket, l, by); wait != 0 || err != nil {
			return wait, err
		}
	}
	return 0, nil
}

// errBucketBusy: another goroutine of this process is already waiting for
// the same chat or group bucket. takeToken returns it with the wait after
// which the bucket has a token for this item too (the waiter's token plus
// one more interval).
var errBucketBusy = errors.New("another worker is waiting for this chat's budget")

// takeToken waits for one token of bucket. For a chat or group bucket only
// one goroutine per process waits at a time; the others get errBucketBusy
// and move on to other chats, so a backlog for one slow chat never holds
// every worker. Waits on the overall bucket are shared pacing and always
// taken. A wait that would end after by is not taken: it is returned.
func (w *Worker) takeToken(ctx context.Context, platform, bucket string, l Limit, by time.Time) (time.Duration, error) {
	waiting := false
	defer func() {
		if waiting {
			w.mu.Lock()
			delete(w.waiting, bucket)
			w.mu.Unlock()
		}
	}()
	for {
		now := w.cfg.Now()
		wait, err := w.limiter.TakeToken(ctx, bucket, l.PerSecond, l.Burst, now)
		if err != nil {
			return 0, fmt.Errorf("take token %s: %w", bucket, err)
		}
		if wait <= 0 {
			return 0, nil
		}
		if now.Add(wait).After(by) {
			return wait, nil
		}
		if l.Scope != ScopeGlobal && !waiting {
			w.mu.Lock()
			busy := w.waiting[bucket]
			if !busy {
				w.waiting[bucket] = true
			}
			w.mu.Unlock()
			if busy {
				return wait + time.Duration(float64(time.Second)/l.PerSecond), errBucketBusy
			}
			waiting = true
		}
		w.m.throttled.WithLabelValues(platform, l.Scope).Inc()
		if err := w.cfg.Sleep(ctx, wait); err != nil {
			return 0, err
		}
	}
}

// backoff is the delay before attempt n+1: BackoffBase doubled per failed
// attempt up to BackoffMax, with jitter in [d/2, d].
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.cfg.BackoffBase
	for range attempts {
		d *= 2
		if d >= w.cfg.BackoffMax {
			d = w.cfg.BackoffMax
			break
		}
	}
	d = min(d, w.cfg.BackoffMax)
	return d/2 + rand.N(d/2+1)
}

func (w *Worker) retry(sendCtx context.Context, log *slog.Logger, it store.OutboxItem, name string, at time.Time, reason, label string) {
	octx, cancel := opCtx(sendCtx)
	defer cancel()
	if err := w.cfg.Store.Retry(octx, it.ID, name, at, reason); err != nil {
		log.Error("return item to outbox", "error", err)
		return
	}
	w.m.retried.WithLabelValues(it.Chat.Platform, label).Inc()
	log.Info("delivery postponed", "reason", label, "not_before", at, "attempts", it.Attempts+1)
}

// release puts it back, due at at, without counting an attempt. label, when
// set, counts it in retried_total under that reason.
func (w *Worker) release(sendCtx context.Context, log *slog.Logger, it store.OutboxItem, name string, at time.Time, label string) {
	octx, cancel := opCtx(sendCtx)
	defer cancel()
	if err := w.cfg.Store.Release(octx, it.ID, name, at); err != nil {
		log.Error("put item back in outbox", "error", err)
		return
	}
	if label != "" {
		w.m.retried.WithLabelValues(it.Chat.Platform, label).Inc()
		log.Debug("delivery postponed", "reason", label, "not_before", at)
	}
}

func (w *Worker) park(sendCtx context.Context, log *slog.Logger, it store.OutboxItem, name, reason, label string) {
	octx, cancel := opCtx(sendCtx)
	defer cancel()
	if err := w.cfg.Store.Park(octx, it.ID, name, reason); err != nil {
		log.Error("park item", "error", err)
		return
	}
	w.m.parked.WithLabelValues(it.Chat.Platform, label).Inc()
	log.Warn("delivery given up", "reason", label, "detail", reason)
}

func (w *Worker) chatGone(sendCtx context.Context, log *slog.Logger, it store.OutboxItem, name string, gone *bot.ChatGoneError) {
	reason := gone.Reason
	if reason == "" {
		reason = gone.Error()
	}
	w.mu.Lock()
	w.gone[it.Chat] = goneEntry{reason: reason, until: w.cfg.Now().Add(goneMemory)}
	w.mu.Unlock()

	octx, cancel := opCtx(sendCtx)
	defer cancel()
	switch err := w.cfg.Store.Deactivate(octx, it.Chat, reason); {
	case err == nil:
		w.m.deactivated.WithLabelValues(it.Chat.Platform).Inc()
		log.Warn("subscription deactivated", "reason", reason)
	case errors.Is(err, store.ErrNotFound):
	default:
		log.Error("deactivate subscription", "reason", reason, "error", err)
	}
	w.park(sendCtx, log, it, name, "chat unreachable: "+reason, "chat_gone")
}

func (w *Worker) isGone(chat store.ChatRef) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	g, ok := w.gone[chat]
	if !ok {
		return "", false
	}
	if w.cfg.Now().After(g.until) {
		delete(w.gone, chat)
		return "", false
	}
	return g.reason, true
}

// chatMoved moves the subscription to the new chat id and enqueues the
// message there; the old item is then acknowledged (the old chat no longer
// exists, so marking it delivered there is harmless and keeps it from being
// enqueued again).
func (w *Worker) chatMoved(sendCtx context.Context, log *slog.Logger, it store.OutboxItem, name string, moved *bot.ChatMovedError) {
	octx, cancel := opCtx(sendCtx)
	defer cancel()
	to := store.ChatRef{Platform: it.Chat.Platform, ChatID: moved.NewChatID}
	log = log.With("new_chat", to.String())

	sub, err := w.cfg.Store.GetSubscription(octx, it.Chat)
	switch {
	case err == nil:
		sub.ChatRef = to
		sub.Updated = w.cfg.Now()
		if err := w.cfg.Store.PutSubscription(octx, sub); err != nil {
			log.Error("move subscription", "error", err)
			w.retry(sendCtx, log, it, name, w.cfg.Now().Add(w.backoff(it.Attempts)), "move subscription: "+err.Error(), "error")
			return
		}
		if err := w.cfg.Store.DeleteSubscription(octx, it.Chat); err != nil && !errors.Is(err, store.ErrNotFound) {
			log.Error("delete moved subscription", "error", err)
		}
		w.m.moved.WithLabelValues(it.Chat.Platform).Inc()
		log.Info("subscription moved")
	case errors.Is(err, store.ErrNotFound):
		// Moved already by another worker's item, or never subscribed.
	default:
		w.retry(sendCtx, log, it, name, w.cfg.Now().Add(w.backoff(it.Attempts)), "load subscription: "+err.Error(), "error")
		return
	}

	next := store.OutboxItem{
		Key: it.Key, Chat: to, ThreadID: it.ThreadID, Kind: it.Kind,
		Payload: it.Payload, Created: it.Created,
	}
	if _, _, err := w.cfg.Store.Enqueue(octx, next); err != nil {
		w.retry(sendCtx, log, it, name, w.cfg.Now().Add(w.backoff(it.Attempts)), "re-enqueue for moved chat: "+err.Error(), "error")
		return
	}
	w.Wake()
	if err := w.cfg.Store.Ack(octx, it.ID, name); err != nil {
		log.Error("ack moved item", "error", err)
	}
}

func (w *Worker) depthLoop(ctx context.Context) {
	t := time.NewTicker(w.cfg.DepthInterval)
	defer t.Stop()
	for {
		w.RefreshDepth(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RefreshDepth updates the outbox depth gauge from the store now.
func (w *Worker) RefreshDepth(ctx context.Context) {
	items, err := w.cfg.Store.Outbox(ctx, "")
	if err != nil {
		if ctx.Err() == nil {
			w.log.Warn("outbox depth", "error", err)
		}
		return
	}
	counts := map[string]float64{store.StatePending: 0, store.StateClaimed: 0, store.StateParked: 0}
	for _, it := range items {
		counts[it.State]++
	}
	for state, n := range counts {
		w.m.depth.WithLabelValues(state).Set(n)
	}
}
