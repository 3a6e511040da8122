package main

import (
	"context"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/config"
	"newsbrief/httpapi"
	"newsbrief/store"
)

// wiring is what wire gets: the settings and the shared parts Run built.
type wiring struct {
	cfg      config.Config
	log      *slog.Logger
	store    store.Store
	http     *httpapi.Server
	registry *prometheus.Registry
}

// wire builds every component of `bot run` — THE place where parts are
// plugged in. For each part:
//
//   - construct it from w.cfg values (never pass config.Config itself),
//     w.store, w.log.With("component", name) and w.registry for metrics;
//   - mount its HTTP handlers with w.http.Handle(pattern, handler)
//     (ingest API, Telegram webhook, Discord interactions);
//   - register readiness with w.http.AddCheck(name, func(ctx) error)
//     (a platform reports "connected" there);
//   - append a component{name, stage, run} for its long-running loop:
//     stageIntake for things that bring work in (platform updates, feed
//     polling, the scheduler), stageDelivery for outbox workers.
//
// A platform whose token is not set logs one "off" line and adds nothing.
func (m *Main) wire(ctx context.Context, w wiring) ([]component, error) {
	var comps []component

	// Platforms.
	if w.cfg.Telegram.Enabled() {
		// TODO(telegram): build bot/telegram here; until then say so.
		w.log.Warn("telegram: off (TELEGRAM_TOKEN is set, but this build has no Telegram adapter yet)")
	} else {
		w.log.Info("telegram: off (TELEGRAM_TOKEN not set)")
	}
	if w.cfg.Discord.Enabled() {
		// TODO(discord): build bot/discord here; until then say so.
		w.log.Warn("discord: off (DISCORD_TOKEN is set, but this build has no Discord adapter yet)")
	} else {
		w.log.Info("discord: off (DISCORD_TOKEN not set)")
	}

	return comps, nil
}
