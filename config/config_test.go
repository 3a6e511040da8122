package config_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbrief/config"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(env(map[string]string{"HOME": "/home/ann"}))
	if err != nil {
		t.Fatalf("Load(empty): %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"telegram off", c.Telegram.Enabled(), false},
		{"discord off", c.Discord.Enabled(), false},
		{"redis off", c.Redis.Enabled(), false},
		{"telegram api", c.Telegram.APIURL.String(), "https://api.telegram.org"},
		{"discord api", c.Discord.APIURL.String(), "https://discord.com"},
		{"webhook", c.Telegram.WebhookURL == nil, true},
		{"shards", [2]int{c.Discord.ShardID, c.Discord.ShardCount}, [2]int{0, 1}},
		{"prefix", c.Redis.Prefix, "newsbrief:"},
		{"state", c.StatePath, "/home/ann/.local/state/newsbrief/state.db"},
		{"http", c.HTTPAddr, "127.0.0.1:8080"},
		{"level", c.LogLevel, slog.LevelInfo},
		{"format", c.LogFormat, "text"},
		{"digest time", c.Digest.Time.String(), "08:00"},
		{"digest tz", c.Digest.Location.String(), "UTC"},
		{"grace", c.Digest.Grace, 6 * time.Hour},
		{"empty", c.Digest.SendEmpty, true},
		{"feeds", len(c.Ingest.Feeds), 0},
		{"interval", c.Ingest.FeedInterval, 5 * time.Minute},
		{"allow nets", len(c.Fetch.AllowNets), 0},
		{"fetch timeout", c.Fetch.Timeout, 10 * time.Second},
		{"fetch max", c.Fetch.MaxBytes, int64(5 << 20)},
		{"ingest token", c.Ingest.Token.IsSet(), false},
		{"retention", c.ArticleRetention, 30 * 24 * time.Hour},
		{"workers", c.DeliveryWorkers, 4},
		{"shutdown", c.ShutdownTimeout, 10 * time.Second},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestDefaultStatePath(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"xdg", map[string]string{"XDG_STATE_HOME": "/x/state", "HOME": "/home/ann"}, "/x/state/newsbrief/state.db"},
		{"relative xdg ignored", map[string]string{"XDG_STATE_HOME": "rel", "HOME": "/home/ann"}, "/home/ann/.local/state/newsbrief/state.db"},
		{"home", map[string]string{"HOME": "/home/ann"}, "/home/ann/.local/state/newsbrief/state.db"},
		{"nothing", nil, "newsbrief.db"},
		{"explicit", map[string]string{"STATE_PATH": "/data/s.db", "HOME": "/h"}, "/data/s.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.StatePath != tt.want {
				t.Errorf("StatePath = %q, want %q", c.StatePath, tt.want)
			}
		})
	}
}

func TestLoadValues(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"TELEGRAM_TOKEN":          "123456:ABC-def_GHI",
		"TELEGRAM_API_URL":        "http://127.0.0.1:9000/",
		"TELEGRAM_WEBHOOK_URL":    "https://bot.example.org/tg",
		"TELEGRAM_WEBHOOK_SECRET": "s3cr3t_-X",
		"DISCORD_TOKEN":           "abc.def.ghi",
		"DISCORD_APP_ID":          "1046011234567890123",
		"DISCORD_PUBLIC_KEY":      strings.Repeat("ab", 32),
		"DISCORD_GUILD_ID":        "42",
		"DISCORD_SHARD_ID":        "2",
		"DISCORD_SHARD_COUNT":     "3",
		"REDIS_URL":               "redis://:pw@127.0.0.1:6379/2",
		"REDIS_PREFIX":            "nb-test:",
		"LOG_LEVEL":               "DEBUG",
		"LOG_FORMAT":              "JSON",
		"DIGEST_TIME":             "7:05",
		"DIGEST_TIMEZONE":         "Europe/Kyiv",
		"DIGEST_GRACE":            "0",
		"DIGEST_EMPTY":            "off",
		"FEEDS":                   "https://a.example/rss, https://b.example/atom,https://a.example/rss",
		"FEED_INTERVAL":           "30s",
		"BOT_ADMINS":              "Telegram:123456789, discord:987654321098765432,telegram:123456789",
		"FETCH_ALLOW_NETS":        "127.0.0.1/8, ::1, 10.0.0.0/8",
		"FETCH_TIMEOUT":           "1500ms",
		"FETCH_MAX_BYTES":         "2MiB",
		"INGEST_TOKEN":            "0123456789abcdef",
		"ARTICLE_RETENTION":       "7d",
		"DELIVERY_WORKERS":        "16",
		"SHUTDOWN_TIMEOUT":        "20s",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	got := map[string]any{
		"tg token":    c.Telegram.Token.Reveal(),
		"tg api":      c.Telegram.APIURL.String(),
		"tg webhook":  c.Telegram.WebhookURL.String(),
		"tg secret":   c.Telegram.WebhookSecret.Reveal(),
		"dc token":    c.Discord.Token.Reveal(),
		"dc app":      c.Discord.AppID,
		"dc key":      len(c.Discord.PublicKey),
		"dc guild":    c.Discord.GuildID,
		"dc shard":    fmt.Sprint(c.Discord.ShardID, "/", c.Discord.ShardCount),
		"redis":       c.Redis.Redacted(),
		"prefix":      c.Redis.Prefix,
		"level":       c.LogLevel.String(),
		"format":      c.LogFormat,
		"time":        c.Digest.Time.String(),
		"tz":          c.Digest.Location.String(),
		"grace":       c.Digest.Grace.String(),
		"send empty":  c.Digest.SendEmpty,
		"feeds":       strings.Join(c.Ingest.FeedURLs(), " "),
		"interval":    c.Ingest.FeedInterval.String(),
		"admins":      strings.Join(c.BotAdmins, " "),
		"allow":       fmt.Sprint(c.Fetch.AllowNets),
		"fetch to":    c.Fetch.Timeout.String(),
		"max bytes":   c.Fetch.MaxBytes,
		"ingest":      c.Ingest.Token.Reveal(),
		"retention":   config.FormatDuration(c.ArticleRetention),
		"workers":     c.DeliveryWorkers,
		"shutdown":    c.ShutdownTimeout.String(),
		"telegram on": c.Telegram.Enabled(),
	}
	want := map[string]any{
		"tg token":    "123456:ABC-def_GHI",
		"tg api":      "http://127.0.0.1:9000",
		"tg webhook":  "https://bot.example.org/tg",
		"tg secret":   "s3cr3t_-X",
		"dc token":    "abc.def.ghi",
		"dc app":      "1046011234567890123",
		"dc key":      32,
		"dc guild":    "42",
		"dc shard":    "2/3",
		"redis":       "redis://:xxxxx@127.0.0.1:6379/2",
		"prefix":      "nb-test:",
		"level":       "DEBUG",
		"format":      "json",
		"time":        "07:05",
		"tz":          "Europe/Kyiv",
		"grace":       "0s",
		"send empty":  false,
		"feeds":       "https://a.example/rss https://b.example/atom",
		"interval":    "30s",
		"admins":      "telegram:123456789 discord:987654321098765432",
		"allow":       "[127.0.0.0/8 ::1/128 10.0.0.0/8]",
		"fetch to":    "1.5s",
		"max bytes":   int64(2 << 20),
		"ingest":      "0123456789abcdef",
		"retention":   "7d",
		"workers":     16,
		"shutdown":    "20s",
		"telegram on": true,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Load (-want +got):\n%s", d)
	}
	if !slices.Contains(c.Fetch.AllowNets, netip.MustParsePrefix("::1/128")) {
		t.Errorf("AllowNets lacks ::1/128: %v", c.Fetch.AllowNets)
	}
}

// TestLoadBadValues: every bad value gives exactly one line, naming the
// variable, the value (redacted for secrets) and what is expected.
func TestLoadBadValues(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // the whole single line
	}{
		{"timezone", map[string]string{"DIGEST_TIMEZONE": "Europe/Kiev2"},
			`DIGEST_TIMEZONE: unknown time zone "Europe/Kiev2" (expected an IANA name such as Europe/Kyiv or UTC)`},
		{"timezone Local", map[string]string{"DIGEST_TIMEZONE": "Local"},
			`DIGEST_TIMEZONE: unknown time zone "Local" (expected an IANA name such as Europe/Kyiv or UTC)`},
		{"digest time", map[string]string{"DIGEST_TIME": "25:99"},
			`DIGEST_TIME: not a time of day "25:99" (expected HH:MM from 00:00 to 23:59, e.g. 08:00)`},
		{"digest time words", map[string]string{"DIGEST_TIME": "noon"},
			`DIGEST_TIME: not a time of day "noon" (expected HH:MM from 00:00 to 23:59, e.g. 08:00)`},
		{"grace", map[string]string{"DIGEST_GRACE": "soon"},
			`DIGEST_GRACE: not a duration "soon" (expected a duration such as 90s, 10m, 6h or 30d)`},
		{"grace range", map[string]string{"DIGEST_GRACE": "2d"},
			`DIGEST_GRACE: out of range "2d" (expected a duration from 0 to under 24h, e.g. 6h)`},
		{"digest empty", map[string]string{"DIGEST_EMPTY": "maybe"},
			`DIGEST_EMPTY: not a boolean "maybe" (expected true or false)`},
		{"log level", map[string]string{"LOG_LEVEL": "loud"},
			`LOG_LEVEL: unknown log level "loud" (expected debug, info, warn or error)`},
		{"log format", map[string]string{"LOG_FORMAT": "xml"},
			`LOG_FORMAT: unknown log format "xml" (expected text or json)`},
		{"http addr", map[string]string{"HTTP_ADDR": "8080"},
			`HTTP_ADDR: not a host:port address "8080" (expected host:port such as 127.0.0.1:8080 or :8080)`},
		{"http port", map[string]string{"HTTP_ADDR": "127.0.0.1:99999"},
			`HTTP_ADDR: bad port "127.0.0.1:99999" (expected host:port such as 127.0.0.1:8080 or :8080)`},
		{"telegram token", map[string]string{"TELEGRAM_TOKEN": "not a token"},
			`TELEGRAM_TOKEN: malformed token [redacted] (expected <bot id>:<secret> as given by @BotFather)`},
		{"telegram api", map[string]string{"TELEGRAM_API_URL": "ftp://x"},
			`TELEGRAM_API_URL: not an http(s) URL "ftp://x" (expected an absolute http(s) URL such as https://example.org)`},
		{"telegram api creds", map[string]string{"TELEGRAM_API_URL": "https://u:p@x"},
			`TELEGRAM_API_URL: URL must not contain credentials "https://u:p@x" (expected an absolute http(s) URL such as https://example.org)`},
		{"webhook without secret", map[string]string{"TELEGRAM_TOKEN": "1:a", "TELEGRAM_WEBHOOK_URL": "https://x.example/hook"},
			`TELEGRAM_WEBHOOK_SECRET: not set although TELEGRAM_WEBHOOK_URL is (expected 1-256 characters A-Z a-z 0-9 _ - when webhook mode is on)`},
		{"webhook without token", map[string]string{"TELEGRAM_WEBHOOK_SECRET": "abc", "TELEGRAM_WEBHOOK_URL": "https://x.example/hook"},
			`TELEGRAM_TOKEN: not set although TELEGRAM_WEBHOOK_URL is (expected the bot token when webhook mode is on)`},
		{"webhook secret chars", map[string]string{"TELEGRAM_WEBHOOK_SECRET": "a b!"},
			`TELEGRAM_WEBHOOK_SECRET: malformed secret [redacted] (expected 1-256 characters A-Z a-z 0-9 _ -)`},
		{"webhook url", map[string]string{"TELEGRAM_WEBHOOK_URL": "/hook"},
			`TELEGRAM_WEBHOOK_URL: not an http(s) URL "/hook" (expected an absolute http(s) URL such as https://example.org)`},
		{"discord token space", map[string]string{"DISCORD_TOKEN": "Bot abc"},
			`DISCORD_TOKEN: contains white space or control characters [redacted] (expected the bare bot token, without a "Bot " prefix)`},
		{"discord app id", map[string]string{"DISCORD_APP_ID": "abc"},
			`DISCORD_APP_ID: not a Discord id "abc" (expected a numeric snowflake such as 1234567890123456789)`},
		{"discord guild id", map[string]string{"DISCORD_GUILD_ID": "99999999999999999999"},
			`DISCORD_GUILD_ID: not a Discord id "99999999999999999999" (expected a numeric snowflake such as 1234567890123456789)`},
		{"discord public key", map[string]string{"DISCORD_PUBLIC_KEY": "zz"},
			`DISCORD_PUBLIC_KEY: not an Ed25519 public key "zz" (expected 64 hex characters, the application's public key)`},
		{"discord key without token", map[string]string{"DISCORD_PUBLIC_KEY": strings.Repeat("0", 64)},
			`DISCORD_TOKEN: not set although DISCORD_PUBLIC_KEY is (expected the bot token, needed to register commands and post to channels)`},
		{"discord api", map[string]string{"DISCORD_API_URL": "discord.com"},
			`DISCORD_API_URL: not an http(s) URL "discord.com" (expected an absolute http(s) URL such as https://example.org)`},
		{"shard id >= count", map[string]string{"DISCORD_SHARD_ID": "2", "DISCORD_SHARD_COUNT": "2"},
			`DISCORD_SHARD_ID: out of range "2" (expected 0 <= DISCORD_SHARD_ID < DISCORD_SHARD_COUNT (2))`},
		{"shard id negative", map[string]string{"DISCORD_SHARD_ID": "-1"},
			`DISCORD_SHARD_ID: out of range "-1" (expected 0 <= DISCORD_SHARD_ID < DISCORD_SHARD_COUNT (1))`},
		{"shard count", map[string]string{"DISCORD_SHARD_COUNT": "0"},
			`DISCORD_SHARD_COUNT: out of range "0" (expected a number of shards from 1 to 65536)`},
		{"shard count text", map[string]string{"DISCORD_SHARD_COUNT": "two"},
			`DISCORD_SHARD_COUNT: not an integer "two" (expected a whole number such as 1)`},
		{"redis url scheme", map[string]string{"REDIS_URL": "http://127.0.0.1:6379"},
			`REDIS_URL: not a redis URL "http://127.0.0.1:6379" (expected redis://[:password@]host:port[/db], rediss://… or unix:///path)`},
		{"redis url password redacted", map[string]string{"REDIS_URL": "redis://:hunter2@127.0.0.1:6379/x"},
			`REDIS_URL: URL path is not a database number "redis://:xxxxx@127.0.0.1:6379/x" (expected redis://[:password@]host:port[/db], rediss://… or unix:///path)`},
		{"redis url unparsable", map[string]string{"REDIS_URL": "redis://:hun ter2@[::1"},
			`REDIS_URL: not a URL [redacted] (expected redis://[:password@]host:port[/db], rediss://… or unix:///path)`},
		{"redis prefix", map[string]string{"REDIS_PREFIX": "nb*"},
			`REDIS_PREFIX: not a usable key prefix "nb*" (expected 1-64 characters without spaces or * ? [ ] \, e.g. newsbrief:)`},
		{"state path", map[string]string{"STATE_PATH": "/var/lib/"},
			`STATE_PATH: not a file path "/var/lib/" (expected the path of the state file, e.g. /var/lib/newsbrief/state.db)`},
		{"feeds", map[string]string{"FEEDS": "https://ok.example/rss,ftp://bad.example/x"},
			`FEEDS: entry is not an http(s) URL "ftp://bad.example/x" (expected comma-separated http(s) feed URLs)`},
		{"feed interval", map[string]string{"FEED_INTERVAL": "100ms"},
			`FEED_INTERVAL: out of range "100ms" (expected a duration from 1s to 7d, e.g. 5m)`},
		{"admins platform", map[string]string{"BOT_ADMINS": "telegram:1,slack:2"},
			`BOT_ADMINS: entry names an unknown platform "slack:2" (expected comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432)`},
		{"admins no prefix", map[string]string{"BOT_ADMINS": "123456789"},
			`BOT_ADMINS: entry has no platform prefix "123456789" (expected comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432)`},
		{"admins username", map[string]string{"BOT_ADMINS": "telegram:@alice"},
			`BOT_ADMINS: entry is not a numeric user id "telegram:@alice" (expected comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432)`},
		{"admins empty id", map[string]string{"BOT_ADMINS": "discord:"},
			`BOT_ADMINS: entry is not a numeric user id "discord:" (expected comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432)`},
		{"admins negative", map[string]string{"BOT_ADMINS": "telegram:-100123"},
			`BOT_ADMINS: entry is not a numeric user id "telegram:-100123" (expected comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432)`},
		{"admins zero", map[string]string{"BOT_ADMINS": "telegram:0"},
			`BOT_ADMINS: entry is not a numeric user id "telegram:0" (expected comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432)`},
		{"admins too large", map[string]string{"BOT_ADMINS": "discord:99999999999999999999"},
			`BOT_ADMINS: entry is not a numeric user id "discord:99999999999999999999" (expected comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432)`},
		{"allow nets", map[string]string{"FETCH_ALLOW_NETS": "127.0.0.0/8,localhost"},
			`FETCH_ALLOW_NETS: entry is not a CIDR "localhost" (expected comma-separated CIDRs such as 127.0.0.0/8,10.1.2.0/24)`},
		{"allow nets mask", map[string]string{"FETCH_ALLOW_NETS": "10.0.0.0/33"},
			`FETCH_ALLOW_NETS: entry is not a CIDR "10.0.0.0/33" (expected comma-separated CIDRs such as 127.0.0.0/8,10.1.2.0/24)`},
		{"fetch timeout", map[string]string{"FETCH_TIMEOUT": "-1s"},
			`FETCH_TIMEOUT: out of range "-1s" (expected a duration from 100ms to 10m, e.g. 10s)`},
		{"fetch max bytes", map[string]string{"FETCH_MAX_BYTES": "5 parsecs"},
			`FETCH_MAX_BYTES: not a size "5 parsecs" (expected a byte count such as 5242880, 512KiB or 5MiB)`},
		{"fetch max bytes range", map[string]string{"FETCH_MAX_BYTES": "10"},
			`FETCH_MAX_BYTES: out of range "10" (expected a size from 1KiB to 1GiB, e.g. 5MiB)`},
		{"ingest token weak", map[string]string{"INGEST_TOKEN": "short"},
			`INGEST_TOKEN: too weak or malformed [redacted] (expected at least 16 characters without white space)`},
		{"retention", map[string]string{"ARTICLE_RETENTION": "10m"},
			`ARTICLE_RETENTION: out of range "10m" (expected a duration of at least 1h, e.g. 30d)`},
		{"workers", map[string]string{"DELIVERY_WORKERS": "0"},
			`DELIVERY_WORKERS: out of range "0" (expected a number from 1 to 256)`},
		{"workers text", map[string]string{"DELIVERY_WORKERS": "4.5"},
			`DELIVERY_WORKERS: not an integer "4.5" (expected a whole number such as 4)`},
		{"shutdown", map[string]string{"SHUTDOWN_TIMEOUT": "1h"},
			`SHUTDOWN_TIMEOUT: out of range "1h" (expected a duration from 1s to 5m, e.g. 10s)`},
		{"both token and file", map[string]string{"TELEGRAM_TOKEN": "1:a", "TELEGRAM_TOKEN_FILE": "/run/secrets/tg"},
			`TELEGRAM_TOKEN_FILE: is set together with TELEGRAM_TOKEN "/run/secrets/tg" (expected only one of TELEGRAM_TOKEN or TELEGRAM_TOKEN_FILE)`},
		{"missing token file", map[string]string{"DISCORD_TOKEN_FILE": "/nonexistent/discord"},
			`DISCORD_TOKEN_FILE: file does not exist "/nonexistent/discord" (expected a readable file holding DISCORD_TOKEN)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(env(tt.env))
			if err == nil {
				t.Fatalf("Load(%v) = nil error, want %q", tt.env, tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Load error:\n got %s\nwant %s", got, tt.want)
			}
			for k, v := range tt.env {
				if isSecretVar(k) && len(v) > 3 && strings.Contains(err.Error(), v) {
					t.Errorf("error leaks %s value: %s", k, err)
				}
			}
		})
	}
}

func isSecretVar(k string) bool {
	return strings.Contains(k, "TOKEN") && !strings.HasSuffix(k, "_FILE") || strings.Contains(k, "SECRET")
}

func TestLoadSeveralBadValues(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"LOG_LEVEL":        "loud",
		"DIGEST_TIMEZONE":  "Mars/Olympus",
		"DELIVERY_WORKERS": "-3",
	}))
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load error = %v, want *config.Error", err)
	}
	var vars []string
	for _, p := range ce.Problems {
		vars = append(vars, p.Var)
	}
	if d := cmp.Diff([]string{"LOG_LEVEL", "DIGEST_TIMEZONE", "DELIVERY_WORKERS"}, vars); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if n := len(strings.Split(err.Error(), "\n")); n != 3 {
		t.Errorf("error has %d lines, want 3:\n%s", n, err)
	}
}

func TestSecretFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, err := config.Load(env(map[string]string{
		"TELEGRAM_TOKEN_FILE":          write("tg", "123:abc\n"),
		"TELEGRAM_WEBHOOK_SECRET_FILE": write("wh", "  hook_secret \n"),
		"DISCORD_TOKEN_FILE":           write("dc", "dtoken"),
		"INGEST_TOKEN_FILE":            write("in", "0123456789abcdef0123"),
		"REDIS_URL_FILE":               write("redis", "redis://:pw@localhost:6379/0\n"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{c.Telegram.Token.Reveal(), c.Telegram.WebhookSecret.Reveal(), c.Discord.Token.Reveal(),
		c.Ingest.Token.Reveal(), c.Redis.URL.Reveal()}
	want := []string{"123:abc", "hook_secret", "dtoken", "0123456789abcdef0123", "redis://:pw@localhost:6379/0"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("secrets from files (-want +got):\n%s", d)
	}

	_, err = config.Load(env(map[string]string{"INGEST_TOKEN_FILE": write("empty", "\n")}))
	if err == nil || !strings.HasPrefix(err.Error(), "INGEST_TOKEN_FILE: file is empty") {
		t.Errorf("empty secret file: err = %v", err)
	}
	// A bad secret read from a file is reported under the secret's name,
	// redacted.
	_, err = config.Load(env(map[string]string{"TELEGRAM_TOKEN_FILE": write("badtg", "oops no")}))
	if err == nil || err.Error() != "TELEGRAM_TOKEN: malformed token [redacted] (expected <bot id>:<secret> as given by @BotFather)" {
		t.Errorf("bad token from file: err = %v", err)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	const v = "123456:super-secret-token"
	s := config.NewSecret(v)
	c := config.Config{}
	c.Telegram.Token = s
	var logBuf strings.Builder
	for _, h := range []slog.Handler{
		slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}),
	} {
		l := slog.New(h)
		l.Debug("token", "token", s, "cfg", c, "ptr", &s)
		l.Debug("group", slog.Group("g", slog.Any("t", s)))
	}
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%s":   fmt.Sprintf("%s", s),
		"%v":   fmt.Sprintf("%v", s),
		"%+v":  fmt.Sprintf("%+v", c),
		"%#v":  fmt.Sprintf("%#v", c),
		"%q":   fmt.Sprintf("%q", s),
		"%x":   fmt.Sprintf("%x", s),
		"%d":   fmt.Sprintf("%d", s),
		"ptr":  fmt.Sprintf("%v", &s),
		"json": string(j),
		"slog": logBuf.String(),
	}
	for name, out := range outputs {
		if strings.Contains(out, v) || strings.Contains(out, "super-secret") || strings.Contains(out, fmt.Sprintf("%x", v)) {
			t.Errorf("%s leaks the secret: %s", name, out)
		}
		if !strings.Contains(out, "[redacted]") {
			t.Errorf("%s does not show [redacted]: %s", name, out)
		}
	}
	if s.Reveal() != v || !s.IsSet() {
		t.Errorf("Reveal = %q", s.Reveal())
	}
	if config.NewSecret("").String() != "" {
		t.Errorf("empty secret prints %q", config.NewSecret("").String())
	}
}

func TestParseHelpers(t *testing.T) {
	durs := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"90s", 90 * time.Second, true},
		{"30d", 30 * 24 * time.Hour, true},
		{"1h30m", 90 * time.Minute, true},
		{"d", 0, false},
		{"1.5d", 0, false},
		{"x", 0, false},
	}
	for _, tt := range durs {
		t.Run("duration "+tt.in, func(t *testing.T) {
			got, err := config.ParseDuration(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
	sizes := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1024", 1024, true},
		{"5MiB", 5 << 20, true},
		{"5 MB", 5_000_000, true},
		{"512k", 512 << 10, true},
		{"1GB", 1_000_000_000, true},
		{"-1", 0, false},
		{"MiB", 0, false},
		{"+5", 0, false},
		{"99999999999999GiB", 0, false},
	}
	for _, tt := range sizes {
		t.Run("size "+tt.in, func(t *testing.T) {
			got, err := config.ParseBytes(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseBytes(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
	tods := []struct {
		in, want string
	}{
		{"08:00", "08:00"}, {"7:30", "07:30"}, {"23:59", "23:59"}, {"24:00", ""}, {"12:60", ""},
		{"12", ""}, {"12:5", ""}, {"-1:00", ""}, {"+1:00", ""}, {"ab:cd", ""}, {"123:00", ""},
	}
	for _, tt := range tods {
		t.Run("time "+tt.in, func(t *testing.T) {
			got, err := config.ParseTimeOfDay(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Errorf("ParseTimeOfDay(%q) = %v, want error", tt.in, got)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestValidateHandBuilt(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate(defaults) = %v", err)
	}
	c.Discord.ShardCount = 2
	c.Discord.ShardID = 5
	c.ShutdownTimeout = 0
	c.BotAdmins = []string{"telegram:1", "Discord:2"}
	err = c.Validate()
	want := "DISCORD_SHARD_ID: out of range \"5\" (expected 0 <= DISCORD_SHARD_ID < DISCORD_SHARD_COUNT (2))\n" +
		"BOT_ADMINS: platform not in lower case \"Discord:2\" (expected comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432)\n" +
		"SHUTDOWN_TIMEOUT: out of range \"0s\" (expected a duration from 1s to 5m, e.g. 10s)"
	if err == nil || err.Error() != want {
		t.Errorf("Validate =\n%v\nwant\n%s", err, want)
	}
	if err := (config.Config{}).Validate(); err == nil {
		t.Error("Validate(zero Config) = nil, want errors")
	}
}

// exampleFile is config.example.env at the repository root.
const exampleFile = "../config.example.env"

// TestExampleDocumentsEveryVariable: every key Load reads appears in
// config.example.env as a (commented) assignment, and every assignment there
// is a key Load reads.
func TestExampleDocumentsEveryVariable(t *testing.T) {
	b, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	assigned := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#? ?([A-Z][A-Z0-9_]*)=`).FindAllStringSubmatch(string(b), -1) {
		assigned[m[1]] = true
	}
	read := map[string]bool{}
	if _, err := config.Load(func(k string) string { read[k] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	// Load looks at every NAME_FILE variant even when it is unset.
	for _, k := range config.SecretFileVars() {
		if !read[k] {
			t.Errorf("Load did not read %s", k)
		}
	}
	for k := range read {
		switch k {
		case "HOME", "XDG_STATE_HOME":
			// Standard variables used for the default STATE_PATH: mentioned, not assigned.
			if !strings.Contains(string(b), "$"+k) {
				t.Errorf("config.example.env does not mention $%s", k)
			}
			continue
		}
		if !assigned[k] {
			t.Errorf("Load reads %s, but config.example.env has no %s= line", k, k)
		}
		if !config.IsKnown(k) {
			t.Errorf("Load reads %s, but IsKnown(%s) = false", k, k)
		}
	}
	for k := range assigned {
		if !read[k] {
			t.Errorf("config.example.env documents %s, which Load never reads", k)
		}
	}
}

// TestExampleValuesAreValid uncomments every example in config.example.env
// (the plain variable, not its *_FILE variant) and loads the result.
func TestExampleValuesAreValid(t *testing.T) {
	b, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for l := range strings.Lines(string(b)) {
		l = strings.TrimSpace(l)
		if m := regexp.MustCompile(`^# ([A-Z][A-Z0-9_]*)=`).FindStringSubmatch(l); m != nil && !strings.HasSuffix(m[1], "_FILE") {
			lines = append(lines, strings.TrimPrefix(l, "# "))
		}
	}
	vals, err := config.ParseEnvFile("example", []byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != len(config.Vars) {
		t.Errorf("example has %d values, Load reads %d variables", len(vals), len(config.Vars))
	}
	if _, err := config.Load(env(vals)); err != nil {
		t.Errorf("config.example.env examples do not load:\n%v", err)
	}
	// The file as shipped (everything commented) gives the defaults.
	file, err := config.LoadEnvFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(file) != 0 {
		t.Errorf("config.example.env sets %v, want everything commented out", file)
	}
}

func BenchmarkLoad(b *testing.B) {
	e := env(map[string]string{
		"TELEGRAM_TOKEN":   "123456:ABC-def_GHI",
		"DIGEST_TIMEZONE":  "Europe/Kyiv",
		"FEEDS":            "https://a.example/rss,https://b.example/atom",
		"FETCH_ALLOW_NETS": "127.0.0.0/8,10.0.0.0/8",
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := config.Load(e); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEveryVariableHasABadValueCase keeps TestLoadBadValues complete.
func TestEveryVariableHasABadValueCase(t *testing.T) {
	src, err := os.ReadFile("config_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Vars {
		if !strings.Contains(string(src), "`"+v+": ") {
			t.Errorf("TestLoadBadValues has no case for %s", v)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(uint8(0), "123:abc")
	f.Add(uint8(18), "Europe/Kyiv")
	f.Add(uint8(21), "https://a.example/rss, ftp://x")
	f.Add(uint8(23), "telegram:1,discord:2")
	f.Add(uint8(24), "10.0.0.0/8,::1")
	f.Fuzz(func(t *testing.T, i uint8, value string) {
		name := config.Vars[int(i)%len(config.Vars)]
		_, err := config.Load(env(map[string]string{name: value}))
		if err == nil {
			return
		}
		var ce *config.Error
		if !errors.As(err, &ce) {
			t.Fatalf("error %v is not a *config.Error", err)
		}
		seen := map[string]bool{}
		for _, p := range ce.Problems {
			if !config.IsKnown(p.Var) || seen[p.Var] {
				t.Fatalf("bad or repeated variable in %q", err)
			}
			seen[p.Var] = true
			if !strings.HasPrefix(p.String(), p.Var+": ") || strings.Contains(p.String(), "\n") {
				t.Fatalf("problem line %q", p.String())
			}
		}
	})
}
