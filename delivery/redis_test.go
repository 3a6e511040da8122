package delivery_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsbrief/delivery"
	"newsbrief/store"
	"newsbrief/store/redisstore"
)

const redisURL = "redis://127.0.0.1:6379/0"

func openRedis(t *testing.T, prefix string) *redisstore.Store { return openRedisB(t, prefix) }

func openRedisB(t testing.TB, prefix string) *redisstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := redisstore.Open(ctx, redisURL, prefix, redisstore.Options{})
	if err == nil {
		err = s.Ping(ctx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis: %v (CI=true: Redis is required)", err)
		}
		t.Skipf("redis not reachable: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() }) // test teardown
	return s
}

func redisPrefix(t *testing.T) string { return redisPrefixB(t) }

func redisPrefixB(t testing.TB) string {
	prefix := fmt.Sprintf("nbtest:deliv:%d:%d:", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		opt, err := redis.ParseURL(redisURL)
		if err != nil {
			return
		}
		c := redis.NewClient(opt)
		defer c.Close()
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			c.Unlink(ctx, iter.Val())
		}
	})
	return prefix
}

// TestTwoReplicasShareOutboxAndBudget runs two workers, each on its own
// Redis connection pool as two processes would, over one outbox: every item
// is sent once, and the overall rate budget is shared (two replicas do not
// double it).
func TestTwoReplicasShareOutboxAndBudget(t *testing.T) {
	prefix := redisPrefix(t)
	a, b := openRedis(t, prefix), openRedis(t, prefix)
	const n = 40
	const rate = 20.0
	for i := range n {
		enqueue(t, a, textItem(t, tg(fmt.Sprint(i+1)), "brief:r"))
	}
	var mu sync.Mutex
	var stamps []time.Time
	p := &platform{fail: func(store.ChatRef, string, int) error {
		mu.Lock()
		stamps = append(stamps, time.Now())
		mu.Unlock()
		return nil
	}}
	limits := map[string][]delivery.Limit{store.Telegram: {{Scope: delivery.ScopeGlobal, PerSecond: rate, Burst: 1}}}
	for i, st := range []*redisstore.Store{a, b} {
		cfg := baseConfig(st, p, nil)
		cfg.Workers = 3
		cfg.Name = fmt.Sprint("replica-", i)
		cfg.Limits = limits
		cfg.Lease = 30 * time.Second
		start(t, delivery.New(cfg))
	}
	waitFor(t, "all delivered", func() bool { return len(outbox(t, a, "")) == 0 })

	seen := map[string]int{}
	for _, c := range p.Calls() {
		seen[c.Chat.String()]++
	}
	if len(seen) != n {
		t.Errorf("%d chats reached, want %d", len(seen), n)
	}
	for chat, k := range seen {
		if k != 1 {
			t.Errorf("%s got %d sends", chat, k)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	sort.Slice(stamps, func(i, j int) bool { return stamps[i].Before(stamps[j]) })
	// Shared budget: n sends at rate/s overall take at least (n-1)/rate,
	// minus scheduling noise; two independent budgets would take half.
	if el, min := stamps[len(stamps)-1].Sub(stamps[0]), time.Duration(float64(n-1)/rate*float64(time.Second))*9/10; el < min {
		t.Errorf("%d sends in %v, want >= %v: the replicas did not share the budget", n, el, min)
	}
}
