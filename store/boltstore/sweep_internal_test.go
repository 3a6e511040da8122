package boltstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"newsbrief/store"
)

func count(t *testing.T, s *Store, bucket []byte) int {
	t.Helper()
	n := 0
	if err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucket).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSweeps: expired records are removed from the file, not only hidden:
// delivery-log entries by later acks, leases at Open, idle token buckets.
func TestSweeps(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "state.db")
	opts := Options{DeliveredRetention: time.Hour, NoSync: true, Now: func() time.Time { return now }}
	s, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	chat := store.ChatRef{Platform: store.Telegram, ChatID: "1"}
	deliver := func(key string) {
		t.Helper()
		if _, _, err := s.Enqueue(ctx, store.OutboxItem{Key: key, Chat: chat}); err != nil {
			t.Fatal(err)
		}
		it, err := s.Claim(ctx, "w", now, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Ack(ctx, it.ID, "w"); err != nil {
			t.Fatal(err)
		}
	}
	deliver("a")
	deliver("b")
	if n := count(t, s, bDelivered); n != 2 {
		t.Fatalf("%d delivery-log entries, want 2", n)
	}
	now = now.Add(2 * time.Hour)
	deliver("c")
	if n, m := count(t, s, bDelivered), count(t, s, bDlvExp); n != 1 || m != 1 {
		t.Errorf("after expiry and one more ack: %d entries, %d index entries; want 1 and 1", n, m)
	}

	for _, name := range []string{"digest:1", "digest:2"} {
		if _, err := s.AcquireLease(ctx, name, "r", time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(2 * time.Minute)
	if _, err := s.AcquireLease(ctx, "digest:3", "r", time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := count(t, s, bLeases); n != 1 {
		t.Errorf("%d leases after reopen, want only the unexpired one", n)
	}

	for i := range pruneEvery - 1 {
		if _, err := s.TakeToken(ctx, "chat:"+string(rune('a'+i%26)), 1, 1, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.TakeToken(ctx, "chat:new", 1, 1, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	left := len(s.buckets)
	s.mu.Unlock()
	if left != 1 {
		t.Errorf("%d token buckets after a prune, want 1 (the fresh one)", left)
	}
}
