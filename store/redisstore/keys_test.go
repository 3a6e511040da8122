package redisstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsbrief/store"
	"newsbrief/store/redisstore"
)

// TestKeyLayout runs every kind of write and then checks, key by key, that
// everything lives under the prefix, caches carry the documented TTLs, and
// nothing of a delivered outbox item is left but its delivery-log entry.
func TestKeyLayout(t *testing.T) {
	needRedis(t)
	ctx := context.Background()
	prefix := uniquePrefix(t)
	s, err := redisstore.Open(ctx, redisURL(), strings.TrimSuffix(prefix, ":"), redisstore.Options{
		ArticleRetention:   time.Hour,
		DeliveredRetention: 2 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Prefix() != prefix {
		t.Fatalf("Prefix() = %q, want %q (a ':' is added)", s.Prefix(), prefix)
	}
	chat := store.ChatRef{Platform: store.Telegram, ChatID: "-100:5%"} // needs escaping
	now := time.Now()
	id, _, err := s.PutArticle(ctx, store.Article{URL: "https://a.example/1", GUID: "g1", ContentHash: "h1"})
	must(t, err)
	must(t, s.PutSubscription(ctx, store.Subscription{ChatRef: chat, Mode: store.ModeDigest}))
	must(t, s.PutFeed(ctx, store.FeedCursor{URL: "https://a.example/rss"}))
	_, err = s.AcquireLease(ctx, "digest:x", "r1", time.Minute)
	must(t, err)
	must(t, s.SetCheckpoint(ctx, "telegram:update_id", 3))
	_, err = s.TakeToken(ctx, "telegram:bot", 30, 30, now)
	must(t, err)
	_, _, err = s.Enqueue(ctx, store.OutboxItem{Key: "brief:" + id, Chat: chat})
	must(t, err)
	it, err := s.Claim(ctx, "w", now, time.Minute)
	must(t, err)
	must(t, s.Ack(ctx, it.ID, "w"))

	opt, _ := redis.ParseURL(redisURL())
	c := redis.NewClient(opt)
	defer c.Close()
	hour, twoHours := time.Hour, 2*time.Hour
	want := map[string]*time.Duration{ // key -> TTL upper bound (nil: no TTL)
		"article:" + id:                        &hour,
		"art:url:https://a.example/1":          &hour,
		"art:guid:g1":                          &hour,
		"art:hash:h1":                          &hour,
		"articles":                             &hour,
		"sub:telegram:-100%3A5%25":             nil,
		"subs":                                 nil,
		"feed:https://a.example/rss":           nil,
		"feeds":                                nil,
		"lease:digest:x":                       ptr(time.Minute),
		"cp:telegram:update_id":                nil,
		"tb:telegram:bot":                      ptr(2 * time.Second),
		"ob:seq":                               nil,
		"ob:stream":                            nil,
		"dlv:telegram:-100%3A5%25:brief:" + id: &twoHours,
	}
	got := map[string]bool{}
	iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		got[strings.TrimPrefix(iter.Val(), prefix)] = true
	}
	must(t, iter.Err())
	for k, max := range want {
		if !got[k] {
			t.Errorf("key %q missing", k)
			continue
		}
		ttl, err := c.PTTL(ctx, prefix+k).Result()
		must(t, err)
		switch {
		case max == nil && ttl != -1:
			t.Errorf("key %q has TTL %v, want none", k, ttl)
		case max != nil && (ttl <= 0 || ttl > *max):
			t.Errorf("key %q has TTL %v, want (0, %v]", k, ttl, *max)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected key %q left behind", k)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr(d time.Duration) *time.Duration { return &d }
