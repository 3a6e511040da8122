package redisstore

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsbrief/store"
)

// roundTrips counts what the client sends: one per command, one per
// pipeline or transaction.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}
func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}

// benchStore opens a Store on the shared test Redis under a fresh prefix
// (skipping when Redis is absent outside CI) and counts its round trips.
func benchStore(b *testing.B) (*Store, *roundTrips) {
	b.Helper()
	url := os.Getenv("REDIS_TEST_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	ctx := context.Background()
	prefix := fmt.Sprintf("nbbench:%d:%d:", os.Getpid(), time.Now().UnixNano())
	s, err := Open(ctx, url, prefix, Options{})
	if err != nil {
		if os.Getenv("CI") != "true" {
			b.Skipf("redis not reachable: %v", err)
		}
		b.Fatal(err)
	}
	b.Cleanup(func() {
		iter := s.rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			s.rdb.Unlink(ctx, iter.Val())
		}
		_ = s.Close() // benchmark teardown
	})
	rt := &roundTrips{}
	s.rdb.AddHook(rt)
	return s, rt
}

func BenchmarkPutArticle(b *testing.B) {
	s, rt := benchStore(b)
	ctx := context.Background()
	a := store.Article{Title: "t", Body: "Zelensky met Macron in Paris.", Source: "s"}
	b.ResetTimer()
	rt.n.Store(0)
	for i := 0; b.Loop(); i++ {
		a.URL = fmt.Sprintf("https://news.example/%d", i)
		a.GUID = fmt.Sprint("g", i)
		a.ContentHash = fmt.Sprint("h", i)
		if _, created, err := s.PutArticle(ctx, a); err != nil || !created {
			b.Fatal(created, err)
		}
	}
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "roundtrips/op")
}

func BenchmarkEnqueueClaimAck(b *testing.B) {
	s, rt := benchStore(b)
	ctx := context.Background()
	chat := store.ChatRef{Platform: store.Telegram, ChatID: "1"}
	now := time.Now()
	b.ResetTimer()
	rt.n.Store(0)
	for i := 0; b.Loop(); i++ {
		if _, _, err := s.Enqueue(ctx, store.OutboxItem{Key: fmt.Sprint("k", i), Chat: chat, Kind: "text", Payload: []byte("hello")}); err != nil {
			b.Fatal(err)
		}
		it, err := s.Claim(ctx, "w", now, time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Ack(ctx, it.ID, "w"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "roundtrips/op")
}

func BenchmarkTakeToken(b *testing.B) {
	s, rt := benchStore(b)
	ctx := context.Background()
	now := time.Now()
	b.ResetTimer()
	rt.n.Store(0)
	for i := 0; b.Loop(); i++ {
		// One simulated second per call: the bucket never runs dry.
		if _, err := s.TakeToken(ctx, "telegram:bot", 30, 30, now.Add(time.Duration(i)*time.Second)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "roundtrips/op")
}
