package delivery_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"newsbrief/briefing"
	"newsbrief/delivery"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

func benchStore(b *testing.B) *boltstore.Store {
	b.Helper()
	s, err := boltstore.Open(filepath.Join(b.TempDir(), "bolt.db"), boltstore.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() }) // benchmark teardown
	return s
}

// runUntilDrained runs w until the outbox is empty and reports items/s.
func runUntilDrained(b *testing.B, s *boltstore.Store, w *delivery.Worker) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	b.ResetTimer()
	go func() { done <- w.Run(ctx) }()
	for {
		its, err := s.Outbox(context.Background(), "")
		if err != nil {
			b.Fatal(err)
		}
		if len(its) == 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	el := time.Since(start)
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/el.Seconds(), "msgs/s")
}

func fill(b *testing.B, s *boltstore.Store, n int) {
	b.Helper()
	for i := range n {
		if _, _, err := s.Enqueue(context.Background(), store.OutboxItem{
			Key: "digest:2026-11-25", Chat: store.ChatRef{Platform: store.Telegram, ChatID: strconv.Itoa(i + 1)},
			Kind: "text", Payload: []byte(`{"kind":"text","text":"hello"}`),
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorkerUnlimited is the worker's own overhead on bbolt:
// Claim, Send (a no-op platform) and Ack per message, no rate budget.
func BenchmarkWorkerUnlimited(b *testing.B) {
	s := benchStore(b)
	fill(b, s, b.N)
	w := delivery.New(delivery.Config{Store: s, Senders: map[string]delivery.Sender{store.Telegram: &platform{}},
		Limits: map[string][]delivery.Limit{}, Workers: 4, PollInterval: time.Millisecond, DepthInterval: -1, Logger: quiet()})
	runUntilDrained(b, s, w)
}

// BenchmarkWorkerTelegramBudget fans out to b.N private chats under the
// default Telegram budget (real time: run with -benchtime 300x or so) and
// reports the rate as a fraction of the 30 messages/s ceiling.
func BenchmarkWorkerTelegramBudget(b *testing.B) {
	s := benchStore(b)
	fill(b, s, b.N)
	w := delivery.New(delivery.Config{Store: s, Senders: map[string]delivery.Sender{store.Telegram: &platform{}},
		Workers: 4, PollInterval: time.Millisecond, DepthInterval: -1, Logger: quiet()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	b.ResetTimer()
	go func() { done <- w.Run(ctx) }()
	for {
		its, err := s.Outbox(context.Background(), "")
		if err != nil {
			b.Fatal(err)
		}
		if len(its) == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	el := time.Since(start)
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	rate := float64(b.N-1) / el.Seconds() // the first token is free
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(rate/30, "of_30/s")
}

// BenchmarkOnArticle fans one article out to 10,000 instant subscriptions
// (half of them with a topic filter that matches), on bbolt and on Redis.
func BenchmarkOnArticle(b *testing.B) {
	b.Run("bolt", func(b *testing.B) { benchOnArticle(b, benchStore(b)) })
	b.Run("redis", func(b *testing.B) {
		benchOnArticle(b, openRedisB(b, redisPrefixB(b)))
	})
}

func benchOnArticle(b *testing.B, s delivery.Store) {
	ctx := context.Background()
	for i := range 10000 {
		sub := store.Subscription{ChatRef: store.ChatRef{Platform: store.Telegram, ChatID: strconv.Itoa(i + 1)}, Mode: store.ModeInstant, Active: true}
		if i%2 == 1 {
			sub.Topics = []string{"drones", "-football"}
		}
		if err := s.PutSubscription(ctx, sub); err != nil {
			b.Fatal(err)
		}
	}
	w := delivery.New(delivery.Config{Store: s, Logger: quiet()})
	b.ResetTimer()
	for i := range b.N {
		a := store.Article{ID: fmt.Sprint("a", i), Title: "103 drones overnight", Body: "Air defence downed 90 drones.",
			Briefing: briefing.Briefing{Title: "103 drones overnight"}}
		n, err := w.OnArticle(ctx, a)
		if err != nil || n != 10000 {
			b.Fatalf("OnArticle = %d, %v", n, err)
		}
	}
	b.ReportMetric(float64(b.N*10000)/b.Elapsed().Seconds(), "enqueues/s")
}
