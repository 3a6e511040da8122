package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/redis/go-redis/v9"

	"newsbrief/store"
	"newsbrief/store/boltstore"
	"newsbrief/store/redisstore"
)

// seedState writes a subscription and a pending outbox item (due far in the
// future, so no worker of the running bot claims it) and returns them as
// stored.
func seedState(t *testing.T, st store.Store) (store.Subscription, store.OutboxItem) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	sub := store.Subscription{
		ChatRef:    store.ChatRef{Platform: store.Telegram, ChatID: "-100123"},
		Title:      "Restart test",
		Topics:     []string{"drones", "-sport"},
		Mode:       store.ModeInstant,
		DigestTime: "08:00",
		TimeZone:   "Europe/Kyiv",
		Active:     true,
		Created:    now,
		Updated:    now,
	}
	if err := st.PutSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	it := store.OutboxItem{
		Key:       "brief:restart-test",
		Chat:      sub.ChatRef,
		Kind:      "text",
		Payload:   []byte(`{"kind":"text","text":"still here"}`),
		NotBefore: now.Add(48 * time.Hour),
		Created:   now,
	}
	id, enqueued, err := st.Enqueue(ctx, it)
	if err != nil || !enqueued {
		t.Fatalf("Enqueue = %q, %v, %v", id, enqueued, err)
	}
	got, err := st.GetSubscription(ctx, sub.ChatRef)
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.Outbox(ctx, store.StatePending)
	if err != nil || len(items) != 1 {
		t.Fatalf("Outbox = %v, %v", items, err)
	}
	return got, items[0]
}

// checkState asserts the subscription and the pending item are unchanged.
func checkState(t *testing.T, st store.Store, sub store.Subscription, it store.OutboxItem) {
	t.Helper()
	ctx := context.Background()
	got, err := st.GetSubscription(ctx, sub.ChatRef)
	if err != nil {
		t.Fatalf("subscription lost: %v", err)
	}
	if d := cmp.Diff(sub, got, cmpopts.EquateApproxTime(time.Millisecond)); d != "" {
		t.Errorf("subscription changed (-before +after):\n%s", d)
	}
	items, err := st.Outbox(ctx, store.StatePending)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("pending outbox = %d items, want 1: %+v", len(items), items)
	}
	if d := cmp.Diff(it, items[0], cmpopts.EquateApproxTime(time.Millisecond)); d != "" {
		t.Errorf("outbox item changed (-before +after):\n%s", d)
	}
}

// killAndRestart: start, SIGKILL, start again, SIGTERM (exit 0).
func killAndRestart(t *testing.T, env map[string]string) {
	t.Helper()
	p := startBot(t, env, "run")
	base := p.waitListening()
	if code, _ := httpGet(t, base+"/readyz"); code != 200 {
		t.Errorf("first start: /readyz = %d", code)
	}
	if code := p.stop(syscall.SIGKILL); code != -1 {
		t.Errorf("SIGKILL exit code = %d, want -1 (killed)", code)
	}

	p = startBot(t, env, "run")
	base = p.waitListening()
	if code, body := httpGet(t, base+"/readyz"); code != 200 {
		t.Errorf("after SIGKILL: /readyz = %d %q", code, body)
	}
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Errorf("after restart: SIGTERM exit code = %d; stderr:\n%s", code, p.stderr)
	}
}

func TestE2EKillRestartKeepsStateEmbedded(t *testing.T) {
	botBinary(t) // skip early with -short
	path := filepath.Join(t.TempDir(), "state", "bot.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	// bbolt locks the file while a process has it open: write before the
	// bot starts, check after it stopped.
	st, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub, it := seedState(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	killAndRestart(t, map[string]string{
		"HOME":       t.TempDir(),
		"STATE_PATH": path,
		"HTTP_ADDR":  "127.0.0.1:0",
	})

	st, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkState(t, st, sub, it)
}

// redisAddr is the test Redis; tests skip when it does not answer, unless
// CI=true, where they fail.
const redisAddr = "127.0.0.1:6379"

func requireRedis(t *testing.T) {
	t.Helper()
	c, err := net.DialTimeout("tcp", redisAddr, time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis at %s: %v (CI=true: Redis is required)", redisAddr, err)
		}
		t.Skipf("redis at %s not reachable: %v", redisAddr, err)
	}
	_ = c.Close()
}

func TestE2EKillRestartKeepsStateRedis(t *testing.T) {
	botBinary(t)
	requireRedis(t)
	url := "redis://" + redisAddr + "/0"
	prefix := fmt.Sprintf("nbtest-e2e-%d-%d:", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() { deleteRedisPrefix(t, prefix) })

	ctx := context.Background()
	st, err := redisstore.Open(ctx, url, prefix, redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub, it := seedState(t, st)

	killAndRestart(t, map[string]string{
		"HOME":         t.TempDir(),
		"REDIS_URL":    url,
		"REDIS_PREFIX": prefix,
		"HTTP_ADDR":    "127.0.0.1:0",
	})

	checkState(t, st, sub, it)
	if err := st.Close(); err != nil {
		t.Error(err)
	}
}

// deleteRedisPrefix removes the test's keys (SCAN, not KEYS).
func deleteRedisPrefix(t *testing.T, prefix string) {
	c := redis.NewClient(&redis.Options{Addr: redisAddr})
	defer c.Close()
	ctx := context.Background()
	iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
	for iter.Next(ctx) {
		if err := c.Del(ctx, iter.Val()).Err(); err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
	}
	if err := iter.Err(); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}
