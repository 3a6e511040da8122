package boltstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"newsbrief/store"
	"newsbrief/store/boltstore"
)

func benchStore(b *testing.B, noSync bool) *boltstore.Store {
	b.Helper()
	s, err := boltstore.Open(filepath.Join(b.TempDir(), "state.db"), boltstore.Options{NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() }) // benchmark teardown
	return s
}

// The fsync variants are what `bot run` does; NoSync shows the cost of
// the work itself.
func BenchmarkPutArticle(b *testing.B) {
	for _, noSync := range []bool{false, true} {
		b.Run(fmt.Sprintf("nosync=%v", noSync), func(b *testing.B) {
			s := benchStore(b, noSync)
			ctx := context.Background()
			a := store.Article{Title: "t", Body: "Zelensky met Macron in Paris.", Source: "s"}
			for i := 0; b.Loop(); i++ {
				a.URL = fmt.Sprintf("https://news.example/%d", i)
				a.GUID = fmt.Sprint("g", i)
				a.ContentHash = fmt.Sprint("h", i)
				if _, created, err := s.PutArticle(ctx, a); err != nil || !created {
					b.Fatal(created, err)
				}
			}
		})
	}
}

func BenchmarkEnqueueClaimAck(b *testing.B) {
	for _, noSync := range []bool{false, true} {
		b.Run(fmt.Sprintf("nosync=%v", noSync), func(b *testing.B) {
			s := benchStore(b, noSync)
			ctx := context.Background()
			chat := store.ChatRef{Platform: store.Telegram, ChatID: "1"}
			now := time.Now()
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
		})
	}
}

func BenchmarkTakeToken(b *testing.B) {
	s := benchStore(b, true)
	ctx := context.Background()
	now := time.Now()
	for i := 0; b.Loop(); i++ {
		if _, err := s.TakeToken(ctx, "telegram:bot", 30, 30, now.Add(time.Duration(i)*time.Second)); err != nil {
			b.Fatal(err)
		}
	}
}
