package redisstore

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"newsbrief/store"
)

// TestPruneConsumers: idle consumers without pending entries are deleted,
// one holding an item is kept (and so is the item).
func TestPruneConsumers(t *testing.T) {
	url := os.Getenv("REDIS_TEST_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	ctx := context.Background()
	prefix := fmt.Sprintf("nbtest:prune:%d:%d:", os.Getpid(), time.Now().UnixNano())
	s, err := Open(ctx, url, prefix, Options{})
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skipf("redis not reachable: %v", err)
	}
	t.Cleanup(func() {
		iter := s.rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			s.rdb.Unlink(ctx, iter.Val())
		}
		_ = s.Close() // test teardown
	})
	chat := store.ChatRef{Platform: store.Discord, ChatID: "9"}
	for i := range 2 {
		if _, _, err := s.Enqueue(ctx, store.OutboxItem{Key: fmt.Sprint(i), Chat: chat}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	held, err := s.Claim(ctx, "holder", now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	it, err := s.Claim(ctx, "finished", now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, it.ID, "finished"); err != nil {
		t.Fatal(err)
	}
	old := consumerIdle
	consumerIdle = 20 * time.Millisecond
	t.Cleanup(func() { consumerIdle = old })
	time.Sleep(50 * time.Millisecond)
	if err := s.pruneConsumers(ctx); err != nil {
		t.Fatal(err)
	}
	cs, err := s.rdb.XInfoConsumers(ctx, prefix+kOutboxStream, group).Result()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	if len(names) != 1 || names[0] != "holder" {
		t.Errorf("consumers after prune: %v, want [holder]", names)
	}
	if err := s.Ack(ctx, held.ID, "holder"); err != nil {
		t.Errorf("ack by the kept consumer: %v", err)
	}
}
