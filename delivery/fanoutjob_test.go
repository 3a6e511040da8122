package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsbrief/delivery"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

// seedFanOut stores n active instant subscriptions (telegram chats 1..n)
// and one article, and returns the stored article.
func seedFanOut(t *testing.T, s store.Store, n int, now time.Time) store.Article {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		sub := store.Subscription{ChatRef: tg(fmt.Sprint(i + 1)), Mode: store.ModeInstant, Active: true, Created: now, Updated: now}
		if err := s.PutSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	a := store.Article{
		URL: fmt.Sprintf("https://news.example/fanout-%d", now.UnixNano()), Title: "103 drones overnight",
		Body: "Air defence worked over Kyiv.", ContentHash: fmt.Sprint("h", now.UnixNano()), Ingested: now,
	}
	id, created, err := s.PutArticle(ctx, a)
	if err != nil || !created {
		t.Fatalf("PutArticle = %q, %v, %v", id, created, err)
	}
	a.ID = id
	return a
}

// perChat counts the platform's sends of key by chat id.
func perChat(p *platform, key string) map[string]int {
	got := map[string]int{}
	for _, c := range p.Calls() {
		if c.Key == key {
			got[c.Chat.ChatID]++
		}
	}
	return got
}

func checkOncePerChat(t *testing.T, p *platform, key string, n int) {
	t.Helper()
	got := perChat(p, key)
	if len(got) != n {
		t.Errorf("%d chats got %s, want %d", len(got), key, n)
	}
	for chat, k := range got {
		if k != 1 {
			t.Errorf("chat %s got %s %d times, want once", chat, key, k)
		}
	}
	for _, c := range p.Calls() {
		if c.Chat.Platform == store.Internal {
			t.Errorf("a fan-out job reached a Sender: %+v", c)
		}
	}
}

// TestFanOutJobRunsOncePerArticle: the ingester's hook enqueues one job per
// article (a second call, a retried POST, another replica's copy add
// nothing); a worker runs it, every chat gets one alert, and after the run
// the job is never enqueued again.
func TestFanOutJobRunsOncePerArticle(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) store.Store
	}{
		{"bolt", func(t *testing.T) store.Store { return openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil) }},
		{"redis", func(t *testing.T) store.Store { return openRedis(t, redisPrefix(t)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 30
			ctx := context.Background()
			s := tc.open(t)
			a := seedFanOut(t, s, n, time.Now())
			p := &platform{}
			cfg := baseConfig(s, p, nil)
			cfg.Limits = map[string][]delivery.Limit{}
			cfg.PollInterval = time.Hour // only Wake starts the job
			w := delivery.New(cfg)

			if err := w.OnIngested(ctx, a, true); err != nil {
				t.Fatal(err)
			}
			if ok, err := w.EnqueueFanOut(ctx, a); err != nil || ok {
				t.Errorf("second EnqueueFanOut = %v, %v; want false (already waiting)", ok, err)
			}
			its := outbox(t, s, "")
			if len(its) != 1 || its[0].Chat != delivery.FanOutChat || its[0].Key != delivery.FanOutKey(a.ID) || its[0].Kind != delivery.KindFanOut {
				t.Fatalf("outbox after the hook = %+v, want one fan-out job", its)
			}

			start(t, w)
			w.Wake()
			waitFor(t, "every chat alerted", func() bool { return len(perChat(p, delivery.BriefKey(a.ID))) == n })
			waitFor(t, "outbox drained", func() bool { return len(outbox(t, s, "")) == 0 })
			checkOncePerChat(t, p, delivery.BriefKey(a.ID), n)

			if ok, err := s.Delivered(ctx, delivery.FanOutChat, delivery.FanOutKey(a.ID)); err != nil || !ok {
				t.Errorf("job not recorded as done: %v, %v", ok, err)
			}
			// A duplicate arriving later (re-poll, retried POST) is a no-op.
			if err := w.OnIngested(ctx, a, false); err != nil {
				t.Fatal(err)
			}
			if ok, err := w.EnqueueFanOut(ctx, a); err != nil || ok {
				t.Errorf("EnqueueFanOut after the run = %v, %v; want false", ok, err)
			}
			if its := outbox(t, s, ""); len(its) != 0 {
				t.Errorf("outbox after a duplicate = %+v, want empty", its)
			}
			time.Sleep(20 * time.Millisecond)
			checkOncePerChat(t, p, delivery.BriefKey(a.ID), n)
		})
	}
}

// errDead is what every store call of a "dead" worker returns.
var errDead = errors.New("process gone")

// dyingStore is the store as seen by a worker that dies in the middle of a
// fan-out: after killAfter per-chat items are enqueued, every outbox call
// fails, so nothing the worker holds is acknowledged or released — like a
// SIGKILL, its claims simply stay.
type dyingStore struct {
	*boltstore.Store
	killAfter int32
	enqueued  atomic.Int32
	dead      atomic.Bool
}

func (d *dyingStore) Enqueue(ctx context.Context, it store.OutboxItem) (string, bool, error) {
	if d.dead.Load() {
		return "", false, errDead
	}
	if it.Chat.Platform != store.Internal && d.enqueued.Add(1) > d.killAfter {
		d.dead.Store(true)
		return "", false, errDead
	}
	return d.Store.Enqueue(ctx, it)
}

func (d *dyingStore) Claim(ctx context.Context, worker string, now time.Time, lease time.Duration) (store.OutboxItem, error) {
	if d.dead.Load() {
		return store.OutboxItem{}, errDead
	}
	return d.Store.Claim(ctx, worker, now, lease)
}

func (d *dyingStore) Ack(ctx context.Context, id, worker string) error {
	if d.dead.Load() {
		return errDead
	}
	return d.Store.Ack(ctx, id, worker)
}

func (d *dyingStore) Retry(ctx context.Context, id, worker string, notBefore time.Time, lastErr string) error {
	if d.dead.Load() {
		return errDead
	}
	return d.Store.Retry(ctx, id, worker, notBefore, lastErr)
}

func (d *dyingStore) Release(ctx context.Context, id, worker string, notBefore time.Time) error {
	if d.dead.Load() {
		return errDead
	}
	return d.Store.Release(ctx, id, worker, notBefore)
}

func (d *dyingStore) Park(ctx context.Context, id, worker, reason string) error {
	if d.dead.Load() {
		return errDead
	}
	return d.Store.Park(ctx, id, worker, reason)
}

// TestFanOutJobSurvivesWorkerDying: the worker running a fan-out dies after
// enqueueing part of it. Its job stays claimed; when the claim lapses
// another worker takes the job over and enqueues the rest, and every chat
// gets exactly one alert.
func TestFanOutJobSurvivesWorkerDying(t *testing.T) {
	const n, killAfter = 200, 60
	ctx := context.Background()
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	a := seedFanOut(t, s, n, c.Now())

	// Worker A: one goroutine, so it runs the job and sends nothing.
	pa := &platform{}
	dying := &dyingStore{Store: s, killAfter: killAfter}
	cfgA := baseConfig(dying, pa, c)
	cfgA.Name = "a"
	cfgA.Workers = 1
	cfgA.Limits = map[string][]delivery.Limit{}
	wa := delivery.New(cfgA)
	if ok, err := wa.EnqueueFanOut(ctx, a); err != nil || !ok {
		t.Fatalf("EnqueueFanOut = %v, %v", ok, err)
	}
	stopA := start(t, wa)
	waitFor(t, "worker A dies mid fan-out", dying.dead.Load)
	stopA()

	claimed := outbox(t, s, store.StateClaimed)
	if len(claimed) != 1 || claimed[0].Chat != delivery.FanOutChat || claimed[0].ClaimedBy != "a/0" {
		t.Fatalf("claimed after the death = %+v, want A's fan-out job", claimed)
	}
	if pending := outbox(t, s, store.StatePending); len(pending) != killAfter {
		t.Fatalf("%d items pending after the death, want the %d enqueued before it", len(pending), killAfter)
	}
	if len(pa.Calls()) != 0 {
		t.Fatalf("worker A sent %d messages, want none", len(pa.Calls()))
	}

	// Worker B starts after A's claim lapsed.
	c.Advance(delivery.DefaultLease + time.Second)
	pb := &platform{}
	cfgB := baseConfig(s, pb, c)
	cfgB.Name = "b"
	cfgB.Workers = 4
	cfgB.Limits = map[string][]delivery.Limit{}
	start(t, delivery.New(cfgB))
	waitFor(t, "every chat alerted", func() bool { return len(perChat(pb, delivery.BriefKey(a.ID))) == n })
	waitFor(t, "outbox drained", func() bool { return len(outbox(t, s, "")) == 0 })
	checkOncePerChat(t, pb, delivery.BriefKey(a.ID), n)
	if ok, err := s.Delivered(ctx, delivery.FanOutChat, delivery.FanOutKey(a.ID)); err != nil || !ok {
		t.Errorf("job not recorded as done: %v, %v", ok, err)
	}
}

// blockingStore blocks per-chat Enqueue until its context ends.
type blockingStore struct {
	*boltstore.Store
	started chan struct{}
	once    sync.Once
}

func (b *blockingStore) Enqueue(ctx context.Context, it store.OutboxItem) (string, bool, error) {
	if it.Chat.Platform == store.Internal {
		return b.Store.Enqueue(ctx, it)
	}
	b.once.Do(func() { close(b.started) })
	<-ctx.Done()
	return "", false, ctx.Err()
}

// TestFanOutJobShutdown: a fan-out still running when the shutdown grace
// ends goes back to the outbox, due at once and without an attempt
// counted, for the next start to run.
func TestFanOutJobShutdown(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	a := seedFanOut(t, s, 5, time.Now())
	bs := &blockingStore{Store: s, started: make(chan struct{})}
	cfg := baseConfig(bs, &platform{}, nil)
	cfg.Grace = 50 * time.Millisecond
	w := delivery.New(cfg)
	if ok, err := w.EnqueueFanOut(ctx, a); err != nil || !ok {
		t.Fatalf("EnqueueFanOut = %v, %v", ok, err)
	}
	stop := start(t, w)
	<-bs.started
	stop()
	its := outbox(t, s, "")
	if len(its) != 1 || its[0].Chat != delivery.FanOutChat || its[0].State != store.StatePending || its[0].Attempts != 0 {
		t.Fatalf("outbox after shutdown = %+v, want the job pending with no attempt counted", its)
	}
}

// TestOnIngestedDuplicates: a duplicate re-ensures the job of a recent
// article (a crash between storing it and enqueueing its job lost the
// job), not of an old one.
func TestOnIngestedDuplicates(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), c)
	w := delivery.New(delivery.Config{Store: s, Now: c.Now, Logger: quiet()})
	for _, tc := range []struct {
		name string
		age  time.Duration
		want bool
	}{
		{"recent", time.Minute, true},
		{"at the window", delivery.FanOutResumeWindow, true},
		{"old", delivery.FanOutResumeWindow + time.Minute, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := store.Article{ID: "dup-" + tc.name, Ingested: c.Now().Add(-tc.age)}
			if err := w.OnIngested(ctx, a, false); err != nil {
				t.Fatal(err)
			}
			got := false
			for _, it := range outbox(t, s, "") {
				got = got || it.Key == delivery.FanOutKey(a.ID)
			}
			if got != tc.want {
				t.Errorf("job enqueued = %v, want %v", got, tc.want)
			}
		})
	}
	if err := w.OnIngested(ctx, store.Article{}, true); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("OnIngested without an id: %v, want ErrInvalid", err)
	}
}

// TestFanOutJobArticleGone: a job whose article expired is dropped (acked,
// so never enqueued again) and sends nothing.
func TestFanOutJobArticleGone(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "bolt.db"), nil)
	seedFanOut(t, s, 3, time.Now())
	p := &platform{}
	w := delivery.New(baseConfig(s, p, nil))
	gone := store.Article{ID: "no-such-article"}
	if ok, err := w.EnqueueFanOut(ctx, gone); err != nil || !ok {
		t.Fatalf("EnqueueFanOut = %v, %v", ok, err)
	}
	start(t, w)
	waitFor(t, "job dropped", func() bool { return len(outbox(t, s, "")) == 0 })
	if ok, err := s.Delivered(ctx, delivery.FanOutChat, delivery.FanOutKey(gone.ID)); err != nil || !ok {
		t.Errorf("dropped job not recorded: %v, %v", ok, err)
	}
	if calls := p.Calls(); len(calls) != 0 {
		t.Errorf("sent %+v for a missing article", calls)
	}
}
