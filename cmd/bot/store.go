package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"newsbrief/config"
	"newsbrief/store"
	"newsbrief/store/boltstore"
	"newsbrief/store/redisstore"
)

// Compile-time checks that the implementations satisfy the contract.
var (
	_ store.Store = (*boltstore.Store)(nil)
	_ store.Store = (*redisstore.Store)(nil)
)

// openStore opens Redis when REDIS_URL is set, else the embedded bbolt file
// at STATE_PATH (creating its directory).
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (store.Store, error) {
	if cfg.Redis.Enabled() {
		return openRedis(ctx, cfg, log)
	}
	dir := filepath.Dir(cfg.StatePath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create state directory %s: %w", dir, err)
	}
	st, err := boltstore.Open(cfg.StatePath, boltstore.Options{
		ArticleRetention:   cfg.ArticleRetention,
		DeliveredRetention: deliveredRetention(cfg),
	})
	if err != nil {
		return nil, fmt.Errorf("open embedded store %s: %w", cfg.StatePath, err)
	}
	log.Info("store: embedded", "path", cfg.StatePath)
	return st, nil
}

// openRedis connects to REDIS_URL (redisstore.Open pings it, bounded by
// ctx: start-up fails when Redis does not answer).
func openRedis(ctx context.Context, cfg config.Config, log *slog.Logger) (store.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, redisOpenTimeout)
	defer cancel()
	st, err := redisstore.Open(ctx, cfg.Redis.URL.Reveal(), cfg.Redis.Prefix, redisstore.Options{
		ArticleRetention:   cfg.ArticleRetention,
		DeliveredRetention: deliveredRetention(cfg),
	})
	if err != nil {
		// The error may quote the URL; the logger scrubs it, but say it
		// with the redacted form anyway.
		return nil, fmt.Errorf("open redis store %s: %w", cfg.Redis.Redacted(), err)
	}
	log.Info("store: redis", "url", cfg.Redis.Redacted(), "prefix", cfg.Redis.Prefix)
	return st, nil
}

// redisOpenTimeout bounds connecting to Redis at start-up.
const redisOpenTimeout = 15 * time.Second

// deliveredRetention keeps the delivery log twice as long as articles, so
// an article can never be delivered again to a chat while it is stored.
func deliveredRetention(cfg config.Config) time.Duration {
	return 2 * cfg.ArticleRetention
}
