package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"newsbrief/store"
	"newsbrief/store/redisstore"
)

// TestTwoReplicas: two Stores (two processes' worth of clients) on one
// prefix drain one outbox, enqueue the same keys, and draw from one token
// budget. Every item is delivered exactly once and the budget holds.
func TestTwoReplicas(t *testing.T) {
	needRedis(t)
	ctx := context.Background()
	prefix := uniquePrefix(t)
	var replicas []*redisstore.Store
	for range 2 {
		s, err := redisstore.Open(ctx, redisURL(), prefix, redisstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		replicas = append(replicas, s)
	}
	chat := func(i int) store.ChatRef { return store.ChatRef{Platform: store.Telegram, ChatID: fmt.Sprint(i % 10)} }

	// Both replicas enqueue the same 100 deliveries (as two schedulers
	// would); each (chat, key) must be queued once.
	const n = 100
	var wg sync.WaitGroup
	var mu sync.Mutex
	enqueued := 0
	for _, s := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				_, ok, err := s.Enqueue(ctx, store.OutboxItem{Key: fmt.Sprint("digest:", i), Chat: chat(i), Kind: "text"})
				if err != nil {
					t.Errorf("enqueue: %v", err)
					return
				}
				if ok {
					mu.Lock()
					enqueued++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if enqueued != n {
		t.Fatalf("%d enqueued by two replicas, want %d", enqueued, n)
	}

	// Three workers per replica drain it.
	acked := map[string]int{}
	now := time.Now()
	for r, s := range replicas {
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				worker := fmt.Sprintf("replica%d-w%d", r, w)
				for {
					it, err := s.Claim(ctx, worker, now, time.Minute)
					if errors.Is(err, store.ErrEmpty) {
						return
					}
					if err != nil {
						t.Errorf("claim: %v", err)
						return
					}
					if err := s.Ack(ctx, it.ID, worker); err != nil {
						t.Errorf("ack: %v", err)
						return
					}
					mu.Lock()
					acked[it.Chat.ChatID+"/"+it.Key]++
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if len(acked) != n {
		t.Errorf("%d distinct deliveries, want %d", len(acked), n)
	}
	for k, c := range acked {
		if c != 1 {
			t.Errorf("%s delivered %d times", k, c)
		}
	}

	// One budget: 30 tokens burst shared by both replicas, asked 100 times.
	taken := 0
	for _, s := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				w, err := s.TakeToken(ctx, "telegram:bot", 30, 30, now)
				if err != nil {
					t.Errorf("take: %v", err)
					return
				}
				if w == 0 {
					mu.Lock()
					taken++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if taken != 30 {
		t.Errorf("two replicas took %d tokens from a burst of 30", taken)
	}
}
