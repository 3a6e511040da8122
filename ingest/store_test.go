package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"newsbrief/store"
	"newsbrief/store/boltstore"
	"newsbrief/store/redisstore"
)

func openStore(tb testing.TB) *boltstore.Store {
	tb.Helper()
	s, err := boltstore.Open(filepath.Join(tb.TempDir(), "newsbrief.db"), boltstore.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// openRedis opens a redisstore under a fresh prefix on the test Redis
// (REDIS_TEST_URL or 127.0.0.1:6379), skipping when Redis is absent unless
// CI=true, and deletes the prefix afterwards.
func openRedis(tb testing.TB) *redisstore.Store {
	tb.Helper()
	url := os.Getenv("REDIS_TEST_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	prefix := fmt.Sprintf("nbingesttest:%d:%d:", os.Getpid(), time.Now().UnixNano())
	st, err := redisstore.Open(context.Background(), url, prefix, redisstore.Options{})
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal(err)
		}
		tb.Skipf("redis not reachable: %v", err)
	}
	tb.Cleanup(func() {
		_ = st.Close() // teardown
		if err := unlinkPrefix("127.0.0.1:6379", prefix); err != nil {
			tb.Logf("cleanup %s: %v", prefix, err)
		}
	})
	return st
}

// forEachStore runs fn against bbolt and Redis.
func forEachStore(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Run("bolt", func(t *testing.T) { fn(t, openStore(t)) })
	t.Run("redis", func(t *testing.T) { fn(t, openRedis(t)) })
}
