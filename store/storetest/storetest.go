// Package storetest is the conformance suite every store.Store
// implementation must pass: each method, each promise in the store package's
// doc comments, concurrency (one winner per claim, per enqueue key, per
// lease, a token budget that is never exceeded), restart and bad input.
//
// An implementation's test calls Run with a function that prepares fresh,
// empty backing state (a temp file, a unique key prefix) and returns an
// Opener over it:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, o storetest.Options) storetest.Opener {
//			path := filepath.Join(t.TempDir(), "state.db")
//			return func() (store.Store, error) {
//				return boltstore.Open(path, boltstore.Options{ArticleRetention: o.ArticleRetention})
//			}
//		})
//	}
package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbrief/store"
)

// Options are settings the suite needs the backend to honour. Zero means
// the implementation's default.
type Options struct {
	// ArticleRetention is how long articles are kept.
	ArticleRetention time.Duration
	// DeliveredRetention is how long delivery-log entries are kept.
	DeliveredRetention time.Duration
}

// Opener opens a Store on the state a NewFunc prepared. The suite calls it
// again after closing the previous Store to simulate a restart.
type Opener func() (store.Store, error)

// NewFunc prepares fresh, empty state for one (sub)test and returns an
// Opener over it. It registers its own cleanup with t.Cleanup.
type NewFunc func(t *testing.T, o Options) Opener

// TokenTaker is the shared rate-limit budget both stores offer besides
// store.Store (the delivery code declares its own copy of this interface).
type TokenTaker interface {
	TakeToken(ctx context.Context, bucket string, perSecond float64, burst int, now time.Time) (time.Duration, error)
}

// Run runs the whole suite as parallel subtests of t; newState must be safe
// to call from several goroutines.
func Run(t *testing.T, newState NewFunc) {
	h := &harness{newState: newState}
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, *harness)
	}{
		{"Articles", testArticles},
		{"ArticleDedup", testArticleDedup},
		{"RecentArticles", testRecentArticles},
		{"ArticleRetention", testArticleRetention},
		{"Subscriptions", testSubscriptions},
		{"SubscriptionsBadInput", testSubscriptionsBadInput},
		{"Feeds", testFeeds},
		{"EnqueueClaimAck", testEnqueueClaimAck},
		{"EnqueueIdempotent", testEnqueueIdempotent},
		{"ClaimOrderAndDelay", testClaimOrder},
		{"ClaimTakeover", testClaimTakeover},
		{"RetryAndPark", testRetryAndPark},
		{"Release", testRelease},
		{"OutboxListing", testOutboxListing},
		{"OutboxBadInput", testOutboxBadInput},
		{"DeliveredRetention", testDeliveredRetention},
		{"Leases", testLeases},
		{"Checkpoints", testCheckpoints},
		{"TakeToken", testTakeToken},
		{"ConcurrentClaim", testConcurrentClaim},
		{"ConcurrentDrain", testConcurrentDrain},
		{"ConcurrentRelease", testConcurrentRelease},
		{"ConcurrentEnqueue", testConcurrentEnqueue},
		{"ConcurrentPutArticle", testConcurrentPutArticle},
		{"ConcurrentLease", testConcurrentLease},
		{"ConcurrentTakeToken", testConcurrentTakeToken},
		{"Restart", testRestart},
		{"CanceledContext", testCanceled},
		{"PingClose", testPingClose},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each subtest has its own state
			tc.fn(t, h)
		})
	}
}

type harness struct {
	newState NewFunc
}

// instance is one open store plus what is needed to reopen it.
type instance struct {
	store.Store
	open   Opener
	mu     sync.Mutex
	closed bool
}

// open prepares fresh state and opens a store on it; the store is closed at
// cleanup unless the test closed it.
func (h *harness) open(t *testing.T, o Options) *instance {
	t.Helper()
	op := h.newState(t, o)
	s, err := op()
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	in := &instance{Store: s, open: op}
	t.Cleanup(func() { in.close(t) })
	return in
}

func (in *instance) close(t *testing.T) {
	t.Helper()
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return
	}
	in.closed = true
	if err := in.Store.Close(); err != nil {
		t.Errorf("close store: %v", err)
	}
}

// restart closes the store and opens a new one on the same state.
func (in *instance) restart(t *testing.T) {
	t.Helper()
	in.close(t)
	s, err := in.open()
	if err != nil {
		t.Fatalf("reopen store: %v", err)
	}
	in.mu.Lock()
	in.Store, in.closed = s, false
	in.mu.Unlock()
}

// base is a wall-clock instant at millisecond precision (Redis keeps
// milliseconds), used as "now" where the API takes one.
func base() time.Time { return time.Now().Truncate(time.Millisecond) }

// timeEq compares instants, ignoring location and monotonic readings.
var timeEq = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want %v", what, err, target)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func tg(id string) store.ChatRef { return store.ChatRef{Platform: store.Telegram, ChatID: id} }
func dc(id string) store.ChatRef { return store.ChatRef{Platform: store.Discord, ChatID: id} }

func testPingClose(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	must(t, "ping", s.Ping(ctx))
	s.close(t)
	if err := s.Store.Ping(ctx); err == nil {
		t.Error("ping after close: no error")
	}
}

// testCanceled: a canceled context stops each kind of call with its error.
func testCanceled(t *testing.T, h *harness) {
	s := h.open(t, Options{})
	enqueue(t, s, item(tg("1"), "k"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	now := base()
	_, _, err := s.PutArticle(ctx, sampleArticle(1))
	wantErr(t, "put article", err, context.Canceled)
	_, err = s.GetSubscription(ctx, tg("1"))
	wantErr(t, "get subscription", err, context.Canceled)
	_, _, err = s.Enqueue(ctx, item(tg("1"), "k2"))
	wantErr(t, "enqueue", err, context.Canceled)
	_, err = s.Claim(ctx, "w", now, time.Minute)
	wantErr(t, "claim", err, context.Canceled)
	wantErr(t, "set checkpoint", s.SetCheckpoint(ctx, "x", 1), context.Canceled)
	// Nothing happened: the item is still claimable, k2 was not queued.
	it := claim(t, s, "w", now, time.Minute)
	if it.Key != "k" {
		t.Errorf("claimed %q", it.Key)
	}
	wantEmpty(t, s, now)
}
