package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"newsbrief/config"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

// Compile-time checks that the implementations satisfy the contract.
var _ store.Store = (*boltstore.Store)(nil)

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
		ArticleRetention: cfg.ArticleRetention,
	})
	if err != nil {
		return nil, fmt.Errorf("open embedded store %s: %w", cfg.StatePath, err)
	}
	log.Info("store: embedded", "path", cfg.StatePath)
	return st, nil
}

// openRedis is replaced when store/redisstore lands.
func openRedis(ctx context.Context, cfg config.Config, log *slog.Logger) (store.Store, error) {
	return nil, errors.New("REDIS_URL is set, but this build has no Redis store yet; unset REDIS_URL to use the embedded store")
}
