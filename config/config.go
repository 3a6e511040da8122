// Package config reads newsbrief's settings from environment variables into
// one typed Config, with defaults, *_FILE variants for secrets, an optional
// env file, and validation that names every bad variable on its own line.
//
// Only cmd/bot imports this package; every other package receives plain
// values or its own Options struct. It uses the standard library only.
package config

import (
	"crypto/ed25519"
	"log/slog"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Platforms named in BOT_ADMINS entries.
const (
	PlatformTelegram = "telegram"
	PlatformDiscord  = "discord"
)

// Log formats.
const (
	LogText = "text"
	LogJSON = "json"
)

// Defaults. Durations and sizes are also documented in config.example.env.
const (
	DefaultTelegramAPIURL   = "https://api.telegram.org"
	DefaultDiscordAPIURL    = "https://discord.com"
	DefaultRedisPrefix      = "newsbrief:"
	DefaultHTTPAddr         = "127.0.0.1:8080"
	DefaultDigestTime       = "08:00"
	DefaultDigestTimezone   = "UTC"
	DefaultDigestGrace      = 6 * time.Hour
	DefaultFeedInterval     = 5 * time.Minute
	DefaultFetchTimeout     = 10 * time.Second
	DefaultFetchMaxBytes    = 5 << 20
	DefaultArticleRetention = 30 * 24 * time.Hour
	DefaultDeliveryWorkers  = 4
	DefaultShutdownTimeout  = 10 * time.Second
	// DefaultStateFile is STATE_PATH when neither XDG_STATE_HOME nor HOME
	// is set (relative to the working directory).
	DefaultStateFile = "newsbrief.db"
)

// Config is every setting of the bot, parsed and typed. Build it with Load;
// the zero value is not valid.
type Config struct {
	Telegram Telegram
	Discord  Discord
	// Redis is used for state when Redis.URL is set; otherwise the embedded
	// store at StatePath.
	Redis Redis
	// StatePath is the embedded store's file (STATE_PATH).
	StatePath string
	// HTTPAddr is the listen address of the HTTP server (HTTP_ADDR).
	HTTPAddr string
	// LogLevel and LogFormat (LogText or LogJSON) configure log/slog.
	LogLevel  slog.Level
	LogFormat string
	Digest    Digest
	Ingest    Ingest
	Fetch     Fetch
	// BotAdmins are the bot's operators, who may add and remove feeds at
	// run time (/sources add, /sources remove), as "platform:user id" with
	// platform PlatformTelegram or PlatformDiscord (BOT_ADMINS). Empty:
	// nobody; FEEDS still applies.
	BotAdmins []string
	// ArticleRetention is how long stored articles are kept.
	ArticleRetention time.Duration
	// DeliveryWorkers is the number of concurrent outbox senders.
	DeliveryWorkers int
	// ShutdownTimeout bounds the whole graceful shutdown.
	ShutdownTimeout time.Duration
}

// Telegram holds the TELEGRAM_* settings. The platform is on when Token is set.
type Telegram struct {
	Token Secret
	// APIURL is the Bot API base URL, without a trailing slash.
	APIURL *url.URL
	// WebhookURL switches from long polling to webhook mode when non-nil.
	WebhookURL *url.URL
	// WebhookSecret is checked against X-Telegram-Bot-Api-Secret-Token.
	WebhookSecret Secret
}

// Enabled reports whether the Telegram adapter should run.
func (t Telegram) Enabled() bool { return t.Token.IsSet() }

// Discord holds the DISCORD_* settings. The platform is on when Token is set.
type Discord struct {
	Token Secret
	// AppID and GuildID are snowflakes ("" when unset). GuildID scopes
	// command registration to one server.
	AppID   string
	GuildID string
	// PublicKey enables the HTTP interactions endpoint when non-nil.
	PublicKey ed25519.PublicKey
	// APIURL is the REST base URL, without a trailing slash.
	APIURL     *url.URL
	ShardID    int
	ShardCount int
}

// Enabled reports whether the Discord adapter should run.
func (d Discord) Enabled() bool { return d.Token.IsSet() }

// Redis holds REDIS_URL and REDIS_PREFIX.
type Redis struct {
	// URL is redis://, rediss:// or unix://; it may hold a password, hence
	// a Secret. Empty means: use the embedded store.
	URL Secret
	// Prefix starts every key the bot writes.
	Prefix string
}

// Enabled reports whether Redis is the store.
func (r Redis) Enabled() bool { return r.URL.IsSet() }

// Redacted returns the URL with any password replaced, for logs.
func (r Redis) Redacted() string {
	u, err := url.Parse(r.URL.Reveal())
	if err != nil {
		return r.URL.String()
	}
	return u.Redacted()
}

// Digest holds the DIGEST_* defaults applied to new subscriptions.
type Digest struct {
	// Time is the default local time of day of a digest.
	Time TimeOfDay
	// Location is the default time zone (an IANA zone, never Local).
	Location *time.Location
	// Grace: a digest missed while the process was down is still sent on
	// start-up if it is at most this late.
	Grace time.Duration
	// SendEmpty sends a one-line "nothing new" on days without news.
	SendEmpty bool
}

// Ingest holds the ingestion settings.
type Ingest struct {
	// Feeds are the configured feed URLs, deduplicated, in order.
	Feeds []*url.URL
	// FeedInterval is the polling period.
	FeedInterval time.Duration
	// Token is the bearer token of POST /v1/articles; the ingest API is
	// off when it is empty.
	Token Secret
}

// FeedURLs returns Feeds as strings.
func (i Ingest) FeedURLs() []string {
	out := make([]string, len(i.Feeds))
	for n, u := range i.Feeds {
		out[n] = u.String()
	}
	return out
}

// Fetch holds the safe fetcher's limits.
type Fetch struct {
	// AllowNets are address ranges the fetcher may connect to although they
	// are private/loopback (self-hosted feeds, tests).
	AllowNets []netip.Prefix
	Timeout   time.Duration
	MaxBytes  int64
}

// defaultStatePath is $XDG_STATE_HOME/newsbrief/state.db, else
// $HOME/.local/state/newsbrief/state.db, else ./newsbrief.db.
func defaultStatePath(getenv func(string) string) string {
	if d := strings.TrimSpace(getenv("XDG_STATE_HOME")); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "newsbrief", "state.db")
	}
	if h := strings.TrimSpace(getenv("HOME")); h != "" {
		return filepath.Join(h, ".local", "state", "newsbrief", "state.db")
	}
	return DefaultStateFile
}
