package scheduler

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"newsbrief/store"
	"newsbrief/store/redisstore"
)

const redisURL = "redis://127.0.0.1:6379/0"

// openRedis opens a store on the shared test Redis under a fresh prefix,
// removed when the test ends. It skips when Redis is unreachable, unless
// CI=true.
func openRedis(t *testing.T, prefix string) *redisstore.Store {
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

func redisPrefix(t *testing.T) string {
	prefix := fmt.Sprintf("nbtest:sched:%d:%d:", os.Getpid(), time.Now().UnixNano())
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

// TestTwoReplicasOneRedis runs two schedulers, each on its own Redis
// connection pool (as two processes would), over the same subscriptions at
// the same due time, several times and concurrently: each digest is built
// once and enqueued once.
func TestTwoReplicasOneRedis(t *testing.T) {
	ctx := context.Background()
	prefix := redisPrefix(t)
	a, b := openRedis(t, prefix), openRedis(t, prefix)
	kyiv := load(t, "Europe/Kyiv")
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, kyiv)
	const n = 40
	for i := range n {
		zone, hhmm := "Europe/Kyiv", "08:00"
		if i%2 == 1 { // the same instant seen from New York
			zone, hhmm = "America/New_York", "01:00"
		}
		putSub(t, a, store.Subscription{ChatRef: tg(fmt.Sprint(i + 1)), DigestTime: hhmm, TimeZone: zone,
			LastDigest: now.Add(-24 * time.Hour), Updated: now.Add(-48 * time.Hour)})
	}
	regs := []*prometheus.Registry{prometheus.NewRegistry(), prometheus.NewRegistry()}
	var wg sync.WaitGroup
	for i, st := range []*redisstore.Store{a, b} {
		sch := New(Config{Store: st, Grace: time.Hour, SendEmpty: true, Name: fmt.Sprint("replica-", i), Logger: quiet(), Registerer: regs[i]})
		for range 2 {
			wg.Go(func() {
				for k := range 3 {
					if err := sch.RunDue(ctx, now.Add(time.Duration(k)*time.Second)); err != nil {
						t.Error(err)
					}
				}
			})
		}
	}
	wg.Wait()
	its, err := a.Outbox(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	perChat := map[string]int{}
	for _, it := range its {
		perChat[it.Chat.ChatID+" "+it.Key]++
	}
	if len(its) != n || len(perChat) != n {
		t.Errorf("%d outbox items for %d chat-days, want %d each once", len(its), len(perChat), n)
	}
	built := counter(t, regs[0], "newsbrief_digest_built_total") + counter(t, regs[1], "newsbrief_digest_built_total")
	if built != n {
		t.Errorf("digests built %v times across replicas, want %d", built, n)
	}
	for i := range n {
		sub, err := b.GetSubscription(ctx, tg(fmt.Sprint(i+1)))
		if err != nil {
			t.Fatal(err)
		}
		if !sub.LastDigest.Equal(now) {
			t.Errorf("chat %d LastDigest = %v, want %v", i+1, sub.LastDigest, now)
		}
	}
}
