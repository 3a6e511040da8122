package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/bot"
	"newsbrief/bot/discord"
	"newsbrief/bot/telegram"
	"newsbrief/config"
	"newsbrief/delivery"
	"newsbrief/fetch"
	"newsbrief/httpapi"
	"newsbrief/ingest"
	"newsbrief/scheduler"
	"newsbrief/store"
)

// Compile-time checks of the implicit interfaces wired below (STYLE.md
// rule 6: cmd/bot is where concrete types meet the interfaces consumers
// declare).
var (
	_ delivery.Sender            = (*telegram.Bot)(nil)
	_ delivery.Sender            = (*discord.Bot)(nil)
	_ delivery.Store             = store.Store(nil)
	_ scheduler.Store            = store.Store(nil)
	_ ingest.ArticleStore        = store.Store(nil)
	_ ingest.FeedStore           = store.Store(nil)
	_ ingest.Leaser              = store.Store(nil)
	_ telegram.State             = store.Store(nil)
	_ discord.SubscriptionLister = store.Store(nil)
	_ bot.Store                  = store.Store(nil)
	_ bot.Fetcher                = (*ingest.Pages)(nil)
	_ bot.FeedManager            = (*ingest.Poller)(nil)
	_ ingest.Fetcher             = (*fetch.Client)(nil)
	_ http.Handler               = (*ingest.API)(nil)
)

// Paths on the HTTP server of the handlers other packages export.
const (
	// discordInteractionsPath is the "Interactions Endpoint URL" path to
	// enter in the Discord Developer Portal (https://HOST/discord/interactions).
	discordInteractionsPath = "/discord/interactions"
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
//     w.store, w.log (each package adds its own "component" attribute)
//     and w.registry for metrics;
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
	cfg := w.cfg
	logFor := func(name string) *slog.Logger { return w.log.With("component", name) }
	var comps []component

	// Safe fetching, shared by feeds, /brief <URL> and the ingest API.
	fetcher := fetch.New(fetch.Options{
		Timeout:   cfg.Fetch.Timeout,
		MaxBytes:  cfg.Fetch.MaxBytes,
		AllowNets: cfg.Fetch.AllowNets,
	})
	pages := ingest.NewPages(fetcher)

	// The platform-neutral core both adapters serve.
	core := bot.New(w.store, pages, logFor("bot"))
	core.DigestTime = cfg.Digest.Time.String()
	core.TimeZone = cfg.Digest.Location.String()
	// The bot's operators may add and remove feeds (/sources add|remove);
	// core.Feeds is set below, once the poller exists.
	core.Admins = cfg.BotAdmins
	core.ConfiguredFeeds = cfg.Ingest.FeedURLs()

	// Platforms: each is a component (updates in) and a delivery.Sender
	// (messages out).
	senders := map[string]delivery.Sender{}
	if cfg.Telegram.Enabled() {
		webhook := ""
		if cfg.Telegram.WebhookURL != nil {
			webhook = cfg.Telegram.WebhookURL.String()
		}
		tg, err := telegram.New(telegram.Config{
			Token:         cfg.Telegram.Token.Reveal(),
			APIURL:        cfg.Telegram.APIURL.String(),
			WebhookURL:    webhook,
			WebhookSecret: cfg.Telegram.WebhookSecret.Reveal(),
			Service:       core,
			State:         w.store,
			Logger:        w.log,
		})
		if err != nil {
			return nil, err // "telegram: …" already
		}
		if cfg.Telegram.WebhookURL != nil {
			w.http.Handle("POST "+routePath(cfg.Telegram.WebhookURL.Path), tg.WebhookHandler())
			w.log.Info("telegram: on (webhook)", "bot", tg.Username(), "path", routePath(cfg.Telegram.WebhookURL.Path))
		} else {
			w.log.Info("telegram: on (long polling)", "bot", tg.Username())
		}
		w.http.AddCheck("telegram", func(context.Context) error { return tg.Ready() })
		senders[store.Telegram] = tg
		comps = append(comps, component{name: "telegram", stage: stageIntake, run: tg.Run})
	} else {
		w.log.Info("telegram: off (TELEGRAM_TOKEN not set)")
	}

	if cfg.Discord.Enabled() {
		dc, err := discord.New(discord.Config{
			Token:         cfg.Discord.Token.Reveal(),
			AppID:         cfg.Discord.AppID,
			GuildID:       cfg.Discord.GuildID,
			PublicKey:     cfg.Discord.PublicKey,
			APIURL:        cfg.Discord.APIURL.String(),
			ShardID:       cfg.Discord.ShardID,
			ShardCount:    cfg.Discord.ShardCount,
			Service:       core,
			Subscriptions: w.store,
			Logger:        w.log,
		})
		if err != nil {
			return nil, err // "discord: …" already
		}
		if cfg.Discord.PublicKey != nil {
			w.http.Handle("POST "+discordInteractionsPath, dc.InteractionsHandler())
			w.log.Info("discord: on (HTTP interactions)", "path", discordInteractionsPath)
		} else {
			w.log.Info("discord: on (gateway)", "shard", cfg.Discord.ShardID, "shards", cfg.Discord.ShardCount)
		}
		w.http.AddCheck("discord", func(context.Context) error { return dc.Ready() })
		senders[store.Discord] = dc
		comps = append(comps, component{name: "discord", stage: stageIntake, run: func(ctx context.Context) error {
			err := dc.Run(ctx)
			if cerr := dc.Close(); err == nil && cerr != nil {
				err = cerr
			}
			return err
		}})
	} else {
		w.log.Info("discord: off (DISCORD_TOKEN not set)")
	}

	// Delivery: the outbox worker sends through the platforms' Senders.
	worker := delivery.New(delivery.Config{
		Store:   w.store,
		Senders: senders,
		Workers: cfg.DeliveryWorkers,
		// In-flight sends get half the shutdown budget; the rest is for
		// the HTTP server and the store.
		Grace:      cfg.ShutdownTimeout / 2,
		Logger:     w.log,
		Registerer: w.registry,
	})
	if len(senders) > 0 {
		comps = append(comps, component{name: "delivery", stage: stageDelivery, run: worker.Run})
	} else {
		// Nothing could be sent; items enqueued meanwhile wait in the outbox
		// for a process with a platform on.
		w.log.Info("delivery: off (no platform on)")
	}

	// Ingestion: every new article gets its instant fan-out job in the
	// outbox (a duplicate of a recent one re-ensures it), which a delivery
	// worker picks up at once; a fan-out cut short is resumed.
	ingester, err := ingest.NewIngester(ingest.IngesterConfig{
		Store:      w.store,
		Pages:      pages,
		OnArticle:  worker.OnIngested,
		Logger:     w.log,
		Registerer: w.registry,
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	poller, err := ingest.NewPoller(ingest.PollerConfig{
		Store:      w.store,
		Fetcher:    fetcher,
		Ingester:   ingester,
		Feeds:      cfg.Ingest.FeedURLs(),
		Interval:   cfg.Ingest.FeedInterval,
		Leases:     w.store,
		Logger:     w.log,
		Registerer: w.registry,
	})
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	// Feeds added or removed here land in the shared store, which every
	// replica's poller re-reads each round. Nothing runs before wire returns.
	core.Feeds = poller
	comps = append(comps, component{name: "feeds", stage: stageIntake, run: poller.Run})

	// The ingest API answers 503 with an explanation when INGEST_TOKEN is
	// not set, so it is always mounted.
	api := ingest.NewAPI(ingest.APIConfig{
		Token:    cfg.Ingest.Token.Reveal(),
		Ingester: ingester,
		Store:    w.store,
		Logger:   w.log,
	})
	w.http.Handle("POST /v1/articles", api)
	w.http.Handle("GET /v1/articles/{id}/briefing", api)
	if !cfg.Ingest.Token.IsSet() {
		w.log.Info("ingest api: off (INGEST_TOKEN not set)")
	}

	// Scheduled digests.
	sched := scheduler.New(scheduler.Config{
		Store:       w.store,
		Grace:       cfg.Digest.Grace,
		SendEmpty:   cfg.Digest.SendEmpty,
		DefaultTime: cfg.Digest.Time.String(),
		DefaultZone: cfg.Digest.Location.String(),
		OnEnqueue:   worker.Wake,
		Logger:      w.log,
		Registerer:  w.registry,
	})
	comps = append(comps, component{name: "scheduler", stage: stageIntake, run: sched.Run})

	return comps, nil
}

// routePath turns a webhook URL's path into a ServeMux path: "" and "/"
// become the exact root "/{$}" (a bare "/" would match every path).
func routePath(p string) string {
	if p == "" || p == "/" {
		return "/{$}"
	}
	return p
}
