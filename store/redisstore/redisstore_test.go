package redisstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsbrief/store"
	"newsbrief/store/redisstore"
	"newsbrief/store/storetest"
)

var _ storetest.TokenTaker = (*redisstore.Store)(nil)

// redisURL is the shared test server (PROTOCOLS.md: .ci/run starts one on
// the default port); REDIS_TEST_URL overrides it.
func redisURL() string {
	if u := os.Getenv("REDIS_TEST_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// needRedis skips the test when Redis is not reachable, unless CI=true,
// where a missing Redis is a failure.
func needRedis(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	opt, err := redis.ParseURL(redisURL())
	if err != nil {
		t.Fatalf("REDIS_TEST_URL: %v", err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis at %s: %v (CI=true: Redis is required)", opt.Addr, err)
		}
		t.Skipf("redis at %s not reachable: %v", opt.Addr, err)
	}
}

var prefixSeq atomic.Int64

// uniquePrefix returns a fresh key prefix and deletes its keys (SCAN, never
// KEYS) when the test ends.
func uniquePrefix(t testing.TB) string {
	t.Helper()
	prefix := fmt.Sprintf("nbtest:%d:%d:%d:", os.Getpid(), time.Now().UnixNano(), prefixSeq.Add(1))
	t.Cleanup(func() { deletePrefix(t, redisURL(), prefix) })
	return prefix
}

func deletePrefix(t testing.TB, url, prefix string) {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx := context.Background()
	iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			c.Unlink(ctx, batch...)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		c.Unlink(ctx, batch...)
	}
	if err := iter.Err(); err != nil {
		t.Errorf("cleanup of %s: %v", prefix, err)
	}
}

func TestConformance(t *testing.T) {
	needRedis(t)
	storetest.Run(t, func(t *testing.T, o storetest.Options) storetest.Opener {
		prefix := uniquePrefix(t)
		return func() (store.Store, error) {
			return redisstore.Open(context.Background(), redisURL(), prefix, redisstore.Options{
				ArticleRetention:   o.ArticleRetention,
				DeliveredRetention: o.DeliveredRetention,
			})
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, url, want string
	}{
		{"bad scheme", "http://127.0.0.1:6379", "REDIS_URL"},
		{"nobody listening", "redis://:s3cret@127.0.0.1:1/0", "127.0.0.1:1 does not answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_, err := redisstore.Open(ctx, tc.url, "x", redisstore.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to mention %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error leaks the password: %v", err)
			}
		})
	}
}
