package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/bot"
	"newsbrief/briefing"
	"newsbrief/delivery"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

// clock is a fake clock shared by the worker and the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Sleep advances the fake clock instead of waiting.
func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.Advance(d)
	return ctx.Err()
}

// sent is one call the fake platform received.
type sent struct {
	Chat store.ChatRef
	Key  string
	At   time.Time
	Kind string
}

// platform is a test Sender: it records every call and answers with the
// error its fail hook returns.
type platform struct {
	clock *clock
	mu    sync.Mutex
	calls []sent
	// fail decides the outcome of a call (nil = delivered). n is the
	// number of earlier calls for the same (chat, key).
	fail func(chat store.ChatRef, key string, n int) error
	// block, when set, is waited on (or ctx) before answering.
	block chan struct{}
}

func (p *platform) Send(ctx context.Context, chat store.ChatRef, threadID, key string, m bot.Message) error {
	if p.block != nil {
		select {
		case <-p.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	p.mu.Lock()
	n := 0
	for _, c := range p.calls {
		if c.Chat == chat && c.Key == key {
			n++
		}
	}
	var at time.Time
	if p.clock != nil {
		at = p.clock.Now()
	}
	p.calls = append(p.calls, sent{Chat: chat, Key: key, At: at, Kind: m.Kind})
	fail := p.fail
	p.mu.Unlock()
	if fail != nil {
		return fail(chat, key, n)
	}
	return nil
}

func (p *platform) Calls() []sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.calls)
}

func openStore(t *testing.T, path string, c *clock) *boltstore.Store {
	t.Helper()
	opts := boltstore.Options{NoSync: true}
	if c != nil {
		opts.Now = c.Now
	}
	s, err := boltstore.Open(path, opts)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() }) // a second Close after an explicit one only errors
	return s
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func tg(id string) store.ChatRef { return store.ChatRef{Platform: store.Telegram, ChatID: id} }

func textItem(t *testing.T, chat store.ChatRef, key string) store.OutboxItem {
	t.Helper()
	p, err := bot.EncodeMessage(bot.Message{Kind: bot.KindText, Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	return store.OutboxItem{Key: key, Chat: chat, Kind: bot.KindText, Payload: p}
}

func enqueue(t *testing.T, s delivery.Store, it store.OutboxItem) string {
	t.Helper()
	id, ok, err := s.Enqueue(context.Background(), it)
	if err != nil || !ok {
		t.Fatalf("enqueue %s %s: id=%q enqueued=%v err=%v", it.Chat, it.Key, id, ok, err)
	}
	return id
}

// start runs w until the test ends (or stop is called) and returns stop,
// which cancels Run and waits for it to return.
func start(t *testing.T, w *delivery.Worker) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond (real time) until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func outbox(t *testing.T, s delivery.Store, state string) []store.OutboxItem {
	t.Helper()
	items, err := s.Outbox(context.Background(), state)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func baseConfig(s delivery.Store, p *platform, c *clock) delivery.Config {
	cfg := delivery.Config{
		Store:         s,
		Senders:       map[string]delivery.Sender{store.Telegram: p},
		Workers:       2,
		PollInterval:  2 * time.Millisecond,
		DepthInterval: -1,
		Logger:        quiet(),
	}
	if c != nil {
		cfg.Now = c.Now
		cfg.Sleep = c.Sleep
	}
	return cfg
}

func TestDeliversEachItemOnceAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bolt.db")
	s := openStore(t, path, nil)
	p := &platform{}
	var items []store.OutboxItem
	for i := range 20 {
		for _, key := range []string{"brief:a1", "digest:2026-11-25"} {
			it := textItem(t, tg(fmt.Sprint(1000+i)), key)
			items = append(items, it)
			enqueue(t, s, it)
		}
	}
	cfg := baseConfig(s, p, nil)
	cfg.Limits = map[string][]delivery.Limit{} // speed: no budget in this test
	cfg.Workers = 4
	stop := start(t, delivery.New(cfg))
	waitFor(t, "all delivered", func() bool { return len(outbox(t, s, "")) == 0 })
	stop()
	if got := len(p.Calls()); got != len(items) {
		t.Fatalf("platform got %d sends, want %d", got, len(items))
	}

	// Restart on the reopened file: enqueueing the same deliveries again
	// is refused and a new worker sends nothing.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, path, nil)
	for _, it := range items {
		_, enq, err := s2.Enqueue(context.Background(), it)
		if err != nil || enq {
			t.Fatalf("re-enqueue %s %s after delivery: enqueued=%v err=%v", it.Chat, it.Key, enq, err)
		}
	}
	cfg.Store = s2
	stop2 := start(t, delivery.New(cfg))
	time.Sleep(50 * time.Millisecond)
	stop2()
	seen := map[string]int{}
	for _, c := range p.Calls() {
		seen[c.Chat.String()+" "+c.Key]++
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s sent %d times", k, n)
		}
	}
	if len(seen) != len(items) {
		t.Errorf("%d distinct deliveries, want %d", len(seen), len(items))
	}
}

func TestRetryAfterIsObeyed(t *testing.T) {
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	p := &platform{clock: c, fail: func(chat store.ChatRef, key string, n int) error {
		if n == 0 {
			return &bot.RetryAfterError{Wait: 7 * time.Second, Err: errors.New("429 Too Many Requests")}
		}
		return nil
	}}
	reg := prometheus.NewRegistry()
	cfg := baseConfig(s, p, c)
	cfg.Registerer = reg
	enqueue(t, s, textItem(t, tg("42"), "brief:x"))
	t0 := c.Now()
	start(t, delivery.New(cfg))

	waitFor(t, "the 429 to be recorded", func() bool {
		its := outbox(t, s, store.StatePending)
		return len(its) == 1 && its[0].Attempts == 1
	})
	it := outbox(t, s, store.StatePending)[0]
	if want := t0.Add(7 * time.Second); !it.NotBefore.Equal(want) {
		t.Errorf("NotBefore = %v, want now+retry_after = %v", it.NotBefore, want)
	}
	if !strings.Contains(it.LastError, "429") {
		t.Errorf("LastError = %q, want the 429", it.LastError)
	}
	// Not before the wait is over.
	c.Advance(6 * time.Second)
	time.Sleep(30 * time.Millisecond)
	if n := len(p.Calls()); n != 1 {
		t.Fatalf("resent before retry_after elapsed: %d calls", n)
	}
	c.Advance(time.Second)
	waitFor(t, "the retry to be delivered", func() bool { return len(outbox(t, s, "")) == 0 })
	calls := p.Calls()
	if len(calls) != 2 || !calls[1].At.Equal(t0.Add(7*time.Second)) {
		t.Errorf("calls = %+v, want a second call at t0+7s", calls)
	}
	if got := counter(t, reg, "newsbrief_delivery_retried_total", "rate_limited"); got != 1 {
		t.Errorf("retried{rate_limited} = %v, want 1", got)
	}
	if got := counter(t, reg, "newsbrief_delivery_sent_total", ""); got != 1 {
		t.Errorf("sent = %v, want 1", got)
	}
}

// counter sums a gathered counter's series by name, restricted to one
// value of its reason label unless reason is "".
func counter(t *testing.T, reg *prometheus.Registry, name, reason string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			ok := reason == ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					ok = true
				}
			}
			if ok {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total
}

func TestChatGoneDeactivates(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	gone := tg("-500")
	if err := s.PutSubscription(ctx, store.Subscription{ChatRef: gone, Mode: store.ModeInstant, Active: true}); err != nil {
		t.Fatal(err)
	}
	p := &platform{fail: func(chat store.ChatRef, key string, n int) error {
		if chat == gone {
			return &bot.ChatGoneError{Reason: "403: bot was kicked from the group chat", Err: errors.New("Forbidden")}
		}
		return nil
	}}
	enqueue(t, s, textItem(t, gone, "brief:1"))
	enqueue(t, s, textItem(t, gone, "brief:2"))
	enqueue(t, s, textItem(t, tg("7"), "brief:1"))
	cfg := baseConfig(s, p, nil)
	cfg.Workers = 1
	cfg.Limits = map[string][]delivery.Limit{}
	start(t, delivery.New(cfg))
	waitFor(t, "both items parked", func() bool { return len(outbox(t, s, store.StateParked)) == 2 })

	sub, err := s.GetSubscription(ctx, gone)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Active || !strings.Contains(sub.InactiveReason, "kicked") {
		t.Errorf("subscription = active %v reason %q, want inactive with the reason", sub.Active, sub.InactiveReason)
	}
	for _, it := range outbox(t, s, store.StateParked) {
		if !strings.Contains(it.LastError, "kicked") {
			t.Errorf("parked item %s reason %q", it.Key, it.LastError)
		}
	}
	// The second item for the gone chat is dropped without another call.
	var goneCalls int
	for _, c := range p.Calls() {
		if c.Chat == gone {
			goneCalls++
		}
	}
	if goneCalls != 1 {
		t.Errorf("%d sends to the gone chat, want 1", goneCalls)
	}
	waitFor(t, "the other chat delivered", func() bool {
		ok, err := s.Delivered(ctx, tg("7"), "brief:1")
		return err == nil && ok
	})
}

func TestChatMovedResendsToNewChat(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	old, moved := tg("-123"), tg("-100123")
	sub := store.Subscription{ChatRef: old, Mode: store.ModeDigest, DigestTime: "08:00", TimeZone: "Europe/Kyiv", Topics: []string{"drones"}, Active: true}
	if err := s.PutSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	p := &platform{fail: func(chat store.ChatRef, key string, n int) error {
		if chat == old {
			return &bot.ChatMovedError{NewChatID: moved.ChatID, Err: errors.New("group chat was upgraded to a supergroup chat")}
		}
		return nil
	}}
	enqueue(t, s, textItem(t, old, "digest:2026-11-25"))
	cfg := baseConfig(s, p, nil)
	cfg.Limits = map[string][]delivery.Limit{}
	start(t, delivery.New(cfg))
	waitFor(t, "delivery to the new chat", func() bool {
		ok, err := s.Delivered(ctx, moved, "digest:2026-11-25")
		return err == nil && ok
	})
	if _, err := s.GetSubscription(ctx, old); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old subscription: err = %v, want ErrNotFound", err)
	}
	got, err := s.GetSubscription(ctx, moved)
	if err != nil {
		t.Fatalf("new subscription: %v", err)
	}
	if got.Mode != sub.Mode || got.TimeZone != sub.TimeZone || !slices.Equal(got.Topics, sub.Topics) || !got.Active {
		t.Errorf("moved subscription = %+v, want the old settings", got)
	}
	calls := p.Calls()
	if len(calls) != 2 || calls[0].Chat != old || calls[1].Chat != moved {
		t.Errorf("calls = %+v, want old then new chat", calls)
	}
	// The old item is acknowledged after the new one is enqueued (and
	// possibly already sent by the other worker).
	waitFor(t, "the old item acknowledged", func() bool { return len(outbox(t, s, "")) == 0 })
}

func TestParkAfterMaxAttemptsWithBackoff(t *testing.T) {
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	p := &platform{clock: c, fail: func(store.ChatRef, string, int) error { return errors.New("502 Bad Gateway") }}
	cfg := baseConfig(s, p, c)
	cfg.Workers = 1
	cfg.MaxAttempts = 4
	cfg.BackoffBase = 10 * time.Second
	cfg.BackoffMax = 25 * time.Second
	enqueue(t, s, textItem(t, tg("9"), "brief:z"))
	start(t, delivery.New(cfg))

	// Attempt n failed: the next is due after base*2^(n-1) capped, with
	// jitter down to half.
	for attempt := 1; attempt < cfg.MaxAttempts; attempt++ {
		waitFor(t, fmt.Sprintf("attempt %d recorded", attempt), func() bool {
			its := outbox(t, s, store.StatePending)
			return len(its) == 1 && its[0].Attempts == attempt
		})
		it := outbox(t, s, store.StatePending)[0]
		full := min(cfg.BackoffBase<<(attempt-1), cfg.BackoffMax)
		wait := it.NotBefore.Sub(c.Now())
		if wait < full/2 || wait > full {
			t.Errorf("attempt %d: backoff %v, want within [%v, %v]", attempt, wait, full/2, full)
		}
		if it.LastError != "502 Bad Gateway" {
			t.Errorf("LastError = %q", it.LastError)
		}
		c.Advance(wait)
	}
	waitFor(t, "item parked", func() bool { return len(outbox(t, s, store.StateParked)) == 1 })
	it := outbox(t, s, store.StateParked)[0]
	if !strings.Contains(it.LastError, "gave up after 4 attempts") || !strings.Contains(it.LastError, "502") {
		t.Errorf("parked reason = %q", it.LastError)
	}
	c.Advance(time.Hour)
	time.Sleep(20 * time.Millisecond)
	if n := len(p.Calls()); n != cfg.MaxAttempts {
		t.Errorf("%d sends, want exactly %d", n, cfg.MaxAttempts)
	}
}

func TestRateLimitsRespected(t *testing.T) {
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	p := &platform{clock: c}
	// 60 private chats with one message, one private chat with 5, one
	// group with 4.
	for i := range 60 {
		enqueue(t, s, textItem(t, tg(fmt.Sprint(i+1)), "brief:a"))
	}
	for k := range 5 {
		enqueue(t, s, textItem(t, tg("777"), fmt.Sprintf("brief:p%d", k)))
	}
	for k := range 4 {
		enqueue(t, s, textItem(t, tg("-888"), fmt.Sprintf("brief:g%d", k)))
	}
	total := 60 + 5 + 4
	cfg := baseConfig(s, p, c)
	cfg.Workers = 1 // fake-clock timestamps are only ordered with one sender
	t0 := c.Now()
	start(t, delivery.New(cfg))
	waitFor(t, "all delivered", func() bool { return len(outbox(t, s, "")) == 0 })
	calls := p.Calls()
	if len(calls) != total {
		t.Fatalf("%d sends, want %d", len(calls), total)
	}
	perChat := map[store.ChatRef][]time.Time{}
	var all []time.Time
	for _, c := range calls {
		perChat[c.Chat] = append(perChat[c.Chat], c.At)
		all = append(all, c.At)
	}
	maxIn := func(ts []time.Time, window time.Duration) int {
		best := 0
		for i := range ts {
			n := 0
			for j := i; j < len(ts) && ts[j].Sub(ts[i]) < window; j++ {
				n++
			}
			best = max(best, n)
		}
		return best
	}
	if n := maxIn(all, time.Second); n > 30 {
		t.Errorf("%d messages within one second overall, limit 30", n)
	}
	for chat, ts := range perChat {
		if n := maxIn(ts, time.Second); n > 1 {
			t.Errorf("%s: %d messages within one second, limit 1", chat, n)
		}
		if strings.HasPrefix(chat.ChatID, "-") {
			if n := maxIn(ts, time.Minute); n > 20 {
				t.Errorf("%s: %d messages within a minute, limit 20", chat, n)
			}
			for i := 1; i < len(ts); i++ {
				if gap := ts[i].Sub(ts[i-1]); gap < 3*time.Second {
					t.Errorf("%s: gap %v between group messages, want >= 3s (20/min spread evenly)", chat, gap)
				}
			}
		}
	}
	// The budget, not the worker, set the pace: 69 messages at 30/s take
	// at least 2.2 s of (fake) time, and the group's 4 at least 9 s.
	if el := c.Now().Sub(t0); el < 9*time.Second {
		t.Errorf("fake time elapsed %v, want >= 9s", el)
	}
	if el := all[len(all)-1].Sub(all[0]); el < time.Duration(float64(len(all)-1)/30*float64(time.Second)) {
		t.Errorf("%d messages in %v: faster than 30/s", len(all), el)
	}
}

func TestPlatformWithoutSenderStaysPending(t *testing.T) {
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	p := &platform{clock: c}
	disc := store.ChatRef{Platform: store.Discord, ChatID: "300"}
	enqueue(t, s, textItem(t, disc, "brief:a"))
	enqueue(t, s, textItem(t, tg("1"), "brief:a"))
	cfg := baseConfig(s, p, c)
	cfg.Lease = time.Hour // the item must come back long before a claim would lapse
	cfg.NoSenderDelay = 10 * time.Second
	t0 := c.Now()
	stop := start(t, delivery.New(cfg))
	waitFor(t, "telegram delivered and the discord item put back", func() bool {
		its := outbox(t, s, "")
		return len(its) == 1 && its[0].State == store.StatePending && !its[0].NotBefore.IsZero()
	})
	time.Sleep(30 * time.Millisecond)
	stop()
	its := outbox(t, s, "")
	if len(its) != 1 || its[0].Chat != disc || its[0].Attempts != 0 || its[0].State != store.StatePending ||
		its[0].LastError != "" || its[0].ClaimedBy != "" {
		t.Fatalf("outbox = %+v, want the discord item pending, unattempted and unclaimed", its)
	}
	if nb := its[0].NotBefore; nb.Before(t0.Add(cfg.NoSenderDelay)) || nb.After(c.Now().Add(cfg.NoSenderDelay)) {
		t.Errorf("put back until %v, want NoSenderDelay (%v) after the claim at %v", nb, cfg.NoSenderDelay, t0)
	}
	// A process that has the sender takes it once it is due again.
	c.Advance(cfg.NoSenderDelay)
	dp := &platform{clock: c}
	cfg.Senders = map[string]delivery.Sender{store.Discord: dp}
	start(t, delivery.New(cfg))
	waitFor(t, "discord delivered", func() bool { return len(outbox(t, s, "")) == 0 })
	if calls := dp.Calls(); len(calls) != 1 || calls[0].Chat != disc {
		t.Errorf("discord calls = %+v", calls)
	}
	for _, call := range p.Calls() {
		if call.Chat.Platform != store.Telegram {
			t.Errorf("telegram sender got %v", call.Chat)
		}
	}
}

func TestShutdownFinishesInFlightSend(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	p := &platform{block: make(chan struct{})}
	enqueue(t, s, textItem(t, tg("1"), "brief:a"))
	cfg := baseConfig(s, p, nil)
	cfg.Workers = 1
	cfg.Grace = 5 * time.Second
	w := delivery.New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	waitFor(t, "the send to start", func() bool {
		its := outbox(t, s, store.StateClaimed)
		return len(its) == 1
	})
	time.Sleep(10 * time.Millisecond) // let the worker reach Send
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned while a send was in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(p.block)
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ok, err := s.Delivered(context.Background(), tg("1"), "brief:a"); err != nil || !ok {
		t.Errorf("in-flight send not acknowledged: %v %v", ok, err)
	}
}

func TestShutdownGraceReturnsUnsentItem(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	p := &platform{block: make(chan struct{})} // never released: honours ctx only
	enqueue(t, s, textItem(t, tg("1"), "brief:a"))
	cfg := baseConfig(s, p, nil)
	cfg.Workers = 1
	cfg.Grace = 50 * time.Millisecond
	w := delivery.New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	waitFor(t, "the claim", func() bool { return len(outbox(t, s, store.StateClaimed)) == 1 })
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the grace")
	}
	its := outbox(t, s, store.StatePending)
	if len(its) != 1 || !strings.Contains(its[0].LastError, "shutdown") {
		t.Fatalf("outbox pending = %+v, want the item back with a shutdown note", its)
	}
}

func TestOnArticleFansOutToMatchingInstantSubscriptions(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	subs := []store.Subscription{
		{ChatRef: tg("1"), Mode: store.ModeInstant, Active: true},                                                                                         // everything
		{ChatRef: tg("2"), Mode: store.ModeInstant, Active: true, Topics: []string{"drones"}},                                                             // matches
		{ChatRef: tg("3"), Mode: store.ModeInstant, Active: true, Topics: []string{"football"}},                                                           // no match
		{ChatRef: tg("4"), Mode: store.ModeInstant, Active: true, Topics: []string{"drones", "-kyiv"}},                                                    // excluded
		{ChatRef: tg("5"), Mode: store.ModeDigest, Active: true},                                                                                          // digest mode
		{ChatRef: tg("6"), Mode: store.ModeInstant, Active: false},                                                                                        // inactive
		{ChatRef: store.ChatRef{Platform: store.Discord, ChatID: "7"}, ThreadID: "", Mode: store.ModeInstant, Active: true, Topics: []string{"zelensky"}}, // matches a name
		{ChatRef: tg("8"), ThreadID: "55", Mode: store.ModeInstant, Active: true, Topics: []string{"/\\d+ drones/"}},
	}
	for _, sub := range subs {
		if err := s.PutSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	w := delivery.New(delivery.Config{Store: s, Logger: quiet()})
	a := store.Article{
		ID: "art1", Title: "103 drones overnight", Body: "Air defence worked over Kyiv.",
		Briefing: briefing.Briefing{People: []briefing.Person{{Name: "Volodymyr Zelensky"}}},
	}
	n, err := w.OnArticle(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range outbox(t, s, store.StatePending) {
		got = append(got, it.Chat.String()+"/"+it.ThreadID+" "+it.Key)
		m, err := bot.DecodeMessage(it.Payload)
		if err != nil || m.Kind != bot.KindBriefing || m.Briefing.Title != a.Title {
			t.Errorf("payload = %+v, %v", m, err)
		}
	}
	want := []string{"telegram:1/ brief:art1", "telegram:2/ brief:art1", "discord:7/ brief:art1", "telegram:8/55 brief:art1"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || n != len(want) {
		t.Errorf("enqueued %d: %q, want %q", n, got, want)
	}
	// Idempotent: a second call (another replica, a retry) adds nothing.
	if n, err := w.OnArticle(ctx, a); err != nil || n != 0 {
		t.Errorf("second OnArticle = %d, %v; want 0, nil", n, err)
	}
}

func TestWakeStartsEveryIdleWorker(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	p := &platform{block: make(chan struct{})}
	cfg := baseConfig(s, p, nil)
	cfg.Workers = 3
	cfg.PollInterval = time.Hour // only Wake can end the idle wait
	cfg.Limits = map[string][]delivery.Limit{}
	w := delivery.New(cfg)
	start(t, w)
	time.Sleep(20 * time.Millisecond) // all three find the outbox empty and idle
	for i := range 3 {
		enqueue(t, s, textItem(t, tg(fmt.Sprint(i+1)), "brief:w"))
	}
	w.Wake()
	// Each send blocks, so three claims at once means three workers woke.
	waitFor(t, "three concurrent claims", func() bool { return len(outbox(t, s, store.StateClaimed)) == 3 })
	close(p.block)
	waitFor(t, "all delivered", func() bool { return len(outbox(t, s, "")) == 0 })
}

// A backlog for one group (18/min) must not hold every worker: one waits
// for the group's budget, the others serve the other chats.
func TestSlowChatDoesNotHoldEveryWorker(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	p := &platform{}
	group := tg("-4242")
	for k := range 4 {
		enqueue(t, s, textItem(t, group, fmt.Sprintf("brief:g%d", k)))
	}
	for i := range 10 {
		enqueue(t, s, textItem(t, tg(fmt.Sprint(i+1)), "brief:p"))
	}
	cfg := baseConfig(s, p, nil) // real clock, default limits
	cfg.Workers = 3
	begin := time.Now()
	start(t, delivery.New(cfg))
	waitFor(t, "the private chats", func() bool {
		n := 0
		for _, c := range p.Calls() {
			if c.Chat != group {
				n++
			}
		}
		return n == 10
	})
	// At 18/min the group's four would take 10 s; the others must not wait
	// behind them.
	if el := time.Since(begin); el > 2*time.Second {
		t.Errorf("private chats took %v: workers were held by the group's budget", el)
	}
	var groupSends int
	for _, c := range p.Calls() {
		if c.Chat == group {
			groupSends++
		}
	}
	el := time.Since(begin)
	if allowed := 1 + int(el/(time.Minute/18)); groupSends > allowed {
		t.Errorf("%d group messages within %v, the group budget allows %d", groupSends, el, allowed)
	}
}

// Items left because another worker waits for the same chat's budget are
// put back due when that budget allows, not when their claim would lapse:
// with a one-hour lease the group's backlog still goes out at the group's
// pace, each message once, and no attempt is counted.
func TestBusyChatItemsReturnBeforeLeaseLapse(t *testing.T) {
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	p := &platform{clock: c}
	group := tg("-4242")
	const n = 5
	for k := range n {
		enqueue(t, s, textItem(t, group, fmt.Sprintf("brief:g%d", k)))
	}
	cfg := baseConfig(s, p, c)
	cfg.Workers = 3
	cfg.Lease = time.Hour
	// A token wait moves the fake clock and takes a little real time, so
	// that the other workers find the group's budget being waited for.
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		c.Advance(d)
		time.Sleep(20 * time.Millisecond)
		return ctx.Err()
	}
	reg := prometheus.NewRegistry()
	cfg.Registerer = reg
	t0 := c.Now()
	start(t, delivery.New(cfg))
	// Idle workers do not move the fake clock: let it run at about 100x.
	deadline := time.Now().Add(10 * time.Second)
	for len(outbox(t, s, "")) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not delivered; outbox %+v", outbox(t, s, ""))
		}
		for _, it := range outbox(t, s, store.StatePending) {
			if it.Attempts != 0 || it.LastError != "" {
				t.Fatalf("put-back item counted as an attempt: %+v", it)
			}
		}
		c.Advance(200 * time.Millisecond)
		time.Sleep(2 * time.Millisecond)
	}
	calls := p.Calls()
	if len(calls) != n {
		t.Fatalf("%d sends, want %d (each once)", len(calls), n)
	}
	at := make([]time.Time, 0, n)
	for _, call := range calls {
		at = append(at, call.At)
	}
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < 3*time.Second {
			t.Errorf("gap %v between group messages, want >= 3s (18/min)", gap)
		}
	}
	if el := c.Now().Sub(t0); el > 10*time.Minute {
		t.Errorf("took %v of fake time: items waited for their claims to lapse", el)
	}
	if got := counterSum(t, reg, "newsbrief_delivery_deferred_total"); got == 0 {
		t.Error("no item was deferred: the test did not exercise the busy-chat path")
	}
}

// counterSum adds up every series of the named counter in reg.
func counterSum(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

// A send that hangs is cut off two thirds of the lease after the claim, so
// its worker records the outcome while it still holds the claim and no
// other worker takes the item over and sends it a second time meanwhile.
func TestSendEndsWithinLease(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	p := &hangingSender{}
	enqueue(t, s, textItem(t, tg("1"), "brief:a"))
	cfg := baseConfig(s, nil, nil)
	cfg.Senders = map[string]delivery.Sender{store.Telegram: p}
	cfg.Limits = map[string][]delivery.Limit{}
	cfg.Lease = 600 * time.Millisecond
	cfg.BackoffBase = time.Hour // no second attempt within the test
	begin := time.Now()
	start(t, delivery.New(cfg))
	waitFor(t, "the item back after the cut-off send", func() bool {
		its := outbox(t, s, store.StatePending)
		return len(its) == 1 && its[0].Attempts == 1
	})
	el := time.Since(begin)
	// Past the point where the claim would have lapsed: still one call.
	time.Sleep(cfg.Lease)
	if n := p.calls.Load(); n != 1 {
		t.Errorf("%d sends, want 1: the item was taken over while its send ran", n)
	}
	its := outbox(t, s, "")
	if len(its) != 1 || !strings.Contains(its[0].LastError, "claim lease") || its[0].State != store.StatePending {
		t.Fatalf("outbox = %+v, want the item pending with the cut-off noted", its)
	}
	if el < cfg.Lease/2 || el > cfg.Lease+200*time.Millisecond {
		t.Errorf("send cut off after %v, want about two thirds of the %v lease", el, cfg.Lease)
	}
}

// hangingSender counts calls and answers each only when its ctx ends.
type hangingSender struct{ calls atomic.Int32 }

func (h *hangingSender) Send(ctx context.Context, chat store.ChatRef, threadID, key string, m bot.Message) error {
	h.calls.Add(1)
	<-ctx.Done()
	return ctx.Err()
}

// Waiting for rate tokens takes at most a third of the lease: a longer
// wait puts the item back, due when the budget allows, without an attempt.
func TestTokenWaitStaysWithinLease(t *testing.T) {
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	p := &platform{clock: c}
	group := tg("-5")
	enqueue(t, s, textItem(t, group, "brief:g0"))
	enqueue(t, s, textItem(t, group, "brief:g1"))
	cfg := baseConfig(s, p, c)
	cfg.Workers = 1
	cfg.Lease = 3 * time.Second         // token waits capped at 1 s
	cfg.MaxTokenWait = 30 * time.Second // more than the lease allows
	t0 := c.Now()
	start(t, delivery.New(cfg))
	waitFor(t, "one sent, one put back", func() bool {
		its := outbox(t, s, "")
		return len(p.Calls()) == 1 && len(its) == 1 && its[0].State == store.StatePending && its[0].NotBefore.After(t0)
	})
	it := outbox(t, s, "")[0]
	if it.Attempts != 0 || it.LastError != "" {
		t.Errorf("put-back item: %+v, want no attempt counted", it)
	}
	// The chat allows the next message 1.1 s after the first, the group
	// 3.3 s after: more than the 1 s the lease leaves for waiting.
	if d := it.NotBefore.Sub(t0); d < time.Second || d > 4*time.Second {
		t.Errorf("put back due %v after the start, want when the budget allows (1.1-3.4 s)", d)
	}
	if el := c.Now().Sub(t0); el > time.Second {
		t.Errorf("the worker waited %v for tokens, more than a third of the %v lease", el, cfg.Lease)
	}
}

// An item waiting for a rate token when Run is stopped goes back unsent,
// due at once and without an attempt counted.
func TestShutdownWhileWaitingForBudget(t *testing.T) {
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	p := &platform{clock: c}
	enqueue(t, s, textItem(t, tg("7"), "brief:a"))
	enqueue(t, s, textItem(t, tg("7"), "brief:b")) // waits 1.1 s for the chat
	cfg := baseConfig(s, p, c)
	cfg.Workers = 1
	waiting := make(chan struct{}, 1)
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		select {
		case waiting <- struct{}{}:
		default:
		}
		<-ctx.Done()
		return ctx.Err()
	}
	stop := start(t, delivery.New(cfg))
	select {
	case <-waiting:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker never waited for a token")
	}
	stop()
	if n := len(p.Calls()); n != 1 {
		t.Fatalf("%d sends, want 1", n)
	}
	its := outbox(t, s, "")
	if len(its) != 1 || its[0].State != store.StatePending || its[0].Attempts != 0 || its[0].LastError != "" || its[0].ClaimedBy != "" {
		t.Fatalf("outbox = %+v, want the waiting item pending, unattempted and unclaimed", its)
	}
	if its[0].NotBefore.After(c.Now()) {
		t.Errorf("put back due %v, want at once (now %v)", its[0].NotBefore, c.Now())
	}
}
