package boltstore_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"newsbrief/store"
	"newsbrief/store/boltstore"
)

// TestCrash runs a child process that writes state, claims an item and then
// waits to be killed with SIGKILL. The parent then opens the same file:
// the lock died with the child, and everything the child wrote is there.
func TestCrash(t *testing.T) {
	if path := os.Getenv("BOLTSTORE_CRASH_CHILD"); path != "" {
		crashChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "state.db")
	ready := path + ".ready"
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$")
	cmd.Env = append(os.Environ(), "BOLTSTORE_CRASH_CHILD="+path)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("child never became ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // killed: the exit status is expected to be an error

	ctx := context.Background()
	s, err := boltstore.Open(path, boltstore.Options{OpenTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open after the owner was killed: %v", err)
	}
	defer s.Close()
	if _, err := s.GetSubscription(ctx, store.ChatRef{Platform: store.Telegram, ChatID: "1"}); err != nil {
		t.Errorf("subscription after crash: %v", err)
	}
	all, err := s.Outbox(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("%d outbox items after crash, want 3", len(all))
	}
	// The child's claim (lease 1 min) is taken over once it ran out.
	now := time.Now()
	claimed := 0
	for _, at := range []time.Time{now, now.Add(2 * time.Minute)} {
		for {
			it, err := s.Claim(ctx, "survivor", at, time.Hour)
			if errors.Is(err, store.ErrEmpty) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			claimed++
			if err := s.Ack(ctx, it.ID, "survivor"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if claimed != 3 {
		t.Errorf("claimed %d items after crash, want 3", claimed)
	}
}

func crashChild(path string) {
	ctx := context.Background()
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		panic(err)
	}
	chat := store.ChatRef{Platform: store.Telegram, ChatID: "1"}
	if err := s.PutSubscription(ctx, store.Subscription{ChatRef: chat, Mode: store.ModeInstant, Active: true}); err != nil {
		panic(err)
	}
	for _, k := range []string{"a", "b", "c"} {
		if _, _, err := s.Enqueue(ctx, store.OutboxItem{Key: k, Chat: chat}); err != nil {
			panic(err)
		}
	}
	if _, err := s.Claim(ctx, "child", time.Now(), time.Minute); err != nil {
		panic(err)
	}
	if err := os.WriteFile(path+".ready", nil, 0o600); err != nil {
		panic(err)
	}
	time.Sleep(time.Minute) // killed long before this ends
	os.Exit(3)
}
