package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Vars lists every variable Load reads, in documentation order. The *_FILE
// variants of secrets are listed by SecretFileVars.
var Vars = []string{
	"TELEGRAM_TOKEN", "TELEGRAM_API_URL", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET",
	"DISCORD_TOKEN", "DISCORD_APP_ID", "DISCORD_PUBLIC_KEY", "DISCORD_GUILD_ID",
	"DISCORD_API_URL", "DISCORD_SHARD_ID", "DISCORD_SHARD_COUNT",
	"REDIS_URL", "REDIS_PREFIX", "STATE_PATH",
	"HTTP_ADDR", "LOG_LEVEL", "LOG_FORMAT",
	"DIGEST_TIME", "DIGEST_TIMEZONE", "DIGEST_GRACE", "DIGEST_EMPTY",
	"FEEDS", "FEED_INTERVAL", "BOT_ADMINS", "FETCH_ALLOW_NETS", "FETCH_TIMEOUT", "FETCH_MAX_BYTES",
	"INGEST_TOKEN", "ARTICLE_RETENTION", "DELIVERY_WORKERS", "SHUTDOWN_TIMEOUT",
}

// secretVars may also be given as NAME_FILE (a path whose content, trimmed
// of surrounding white space, is the value).
var secretVars = []string{
	"TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "DISCORD_TOKEN", "INGEST_TOKEN", "REDIS_URL",
}

// SecretFileVars returns the NAME_FILE variants Load reads.
func SecretFileVars() []string {
	out := make([]string, len(secretVars))
	for i, v := range secretVars {
		out[i] = v + "_FILE"
	}
	return out
}

// IsKnown reports whether name is a variable Load reads (including *_FILE
// variants). cmd/bot uses it to warn about typos in env files.
func IsKnown(name string) bool {
	return slices.Contains(Vars, name) || slices.Contains(SecretFileVars(), name)
}

func isSecret(name string) bool { return slices.Contains(secretVars, name) }

// Problem is one bad variable.
type Problem struct {
	// Var is the variable name.
	Var string
	// Value is the offending value as given; it is redacted when printed if
	// Var is a secret.
	Value string
	// Problem says what is wrong, e.g. "unknown time zone".
	Problem string
	// Expected says what would be accepted.
	Expected string
}

// String renders `VAR: problem "value" (expected …)`, redacting secrets.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Var)
	b.WriteString(": ")
	b.WriteString(p.Problem)
	if p.Value != "" {
		b.WriteByte(' ')
		switch {
		case p.Var == "REDIS_URL":
			if r := redactURL(p.Value); r != redacted {
				b.WriteString(strconv.Quote(r))
			} else {
				b.WriteString(redacted)
			}
		case isSecret(p.Var):
			b.WriteString(redacted)
		default:
			b.WriteString(strconv.Quote(p.Value))
		}
	}
	if p.Expected != "" {
		b.WriteString(" (expected ")
		b.WriteString(p.Expected)
		b.WriteByte(')')
	}
	return b.String()
}

// redactURL keeps a URL readable but hides its password; anything that does
// not parse is hidden entirely.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return redacted
	}
	return u.Redacted()
}

// Error is returned by Load and Validate: one Problem per bad variable.
type Error struct {
	Problems []Problem
}

// Error returns one line per problem.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Lines returns the problems as printable lines.
func (e *Error) Lines() []string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return lines
}

// loader collects problems while parsing.
type loader struct {
	getenv   func(string) string
	problems []Problem
}

func (l *loader) bad(name, value, problem, expected string) {
	for _, p := range l.problems {
		if p.Var == name {
			return // one line per variable
		}
	}
	l.problems = append(l.problems, Problem{Var: name, Value: value, Problem: problem, Expected: expected})
}

func (l *loader) has(name string) bool {
	return slices.ContainsFunc(l.problems, func(p Problem) bool { return p.Var == name })
}

// raw returns the trimmed value of name. For secrets it also reads NAME_FILE.
func (l *loader) raw(name string) string {
	v := strings.TrimSpace(l.getenv(name))
	if !isSecret(name) {
		return v
	}
	fileVar := name + "_FILE"
	path := strings.TrimSpace(l.getenv(fileVar))
	if path == "" {
		return v
	}
	if v != "" {
		l.bad(fileVar, path, "is set together with "+name, "only one of "+name+" or "+fileVar)
		return ""
	}
	b, err := os.ReadFile(path)
	if err != nil {
		reason := "cannot read file"
		if errors.Is(err, os.ErrNotExist) {
			reason = "file does not exist"
		} else if errors.Is(err, os.ErrPermission) {
			reason = "file is not readable"
		}
		l.bad(fileVar, path, reason, "a readable file holding "+name)
		return ""
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		l.bad(fileVar, path, "file is empty", "a file holding "+name)
	}
	return s
}

// Load reads the configuration through getenv (os.Getenv, or a map lookup
// in tests), applies defaults for empty variables and validates the result.
// On failure it returns a zero Config and an *Error listing every bad
// variable, one per line.
func Load(getenv func(string) string) (Config, error) {
	l := &loader{getenv: getenv}
	var c Config

	// Telegram.
	c.Telegram.Token = NewSecret(l.raw("TELEGRAM_TOKEN"))
	c.Telegram.APIURL = l.url("TELEGRAM_API_URL", DefaultTelegramAPIURL)
	c.Telegram.WebhookURL = l.url("TELEGRAM_WEBHOOK_URL", "")
	c.Telegram.WebhookSecret = NewSecret(l.raw("TELEGRAM_WEBHOOK_SECRET"))

	// Discord.
	c.Discord.Token = NewSecret(l.raw("DISCORD_TOKEN"))
	c.Discord.AppID = l.snowflake("DISCORD_APP_ID")
	c.Discord.GuildID = l.snowflake("DISCORD_GUILD_ID")
	if v := l.raw("DISCORD_PUBLIC_KEY"); v != "" {
		k, err := hex.DecodeString(v)
		if err != nil || len(k) != ed25519.PublicKeySize {
			l.bad("DISCORD_PUBLIC_KEY", v, "not an Ed25519 public key", "64 hex characters, the application's public key")
		} else {
			c.Discord.PublicKey = ed25519.PublicKey(k)
		}
	}
	c.Discord.APIURL = l.url("DISCORD_API_URL", DefaultDiscordAPIURL)
	c.Discord.ShardID = l.int("DISCORD_SHARD_ID", 0)
	c.Discord.ShardCount = l.int("DISCORD_SHARD_COUNT", 1)

	// State.
	if v := l.raw("REDIS_URL"); v != "" {
		if msg := checkRedisURL(v); msg != "" {
			l.bad("REDIS_URL", v, msg, "redis://[:password@]host:port[/db], rediss://… or unix:///path")
		} else {
			c.Redis.URL = NewSecret(v)
		}
	}
	c.Redis.Prefix = l.str("REDIS_PREFIX", DefaultRedisPrefix)
	c.StatePath = l.str("STATE_PATH", defaultStatePath(getenv))

	// Process.
	c.HTTPAddr = l.str("HTTP_ADDR", DefaultHTTPAddr)
	if v := l.raw("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			l.bad("LOG_LEVEL", v, "unknown log level", "debug, info, warn or error")
		}
	}
	c.LogFormat = strings.ToLower(l.str("LOG_FORMAT", LogText))

	// Digests.
	tod := l.str("DIGEST_TIME", DefaultDigestTime)
	if t, err := ParseTimeOfDay(tod); err != nil {
		l.bad("DIGEST_TIME", tod, "not a time of day", "HH:MM from 00:00 to 23:59, e.g. 08:00")
	} else {
		c.Digest.Time = t
	}
	tz := l.str("DIGEST_TIMEZONE", DefaultDigestTimezone)
	if loc, err := loadLocation(tz); err != nil {
		l.bad("DIGEST_TIMEZONE", tz, "unknown time zone", "an IANA name such as Europe/Kyiv or UTC")
	} else {
		c.Digest.Location = loc
	}
	c.Digest.Grace = l.duration("DIGEST_GRACE", DefaultDigestGrace)
	c.Digest.SendEmpty = l.bool("DIGEST_EMPTY", true)

	// Ingestion and fetching.
	c.Ingest.Feeds = l.feeds("FEEDS")
	c.Ingest.FeedInterval = l.duration("FEED_INTERVAL", DefaultFeedInterval)
	c.BotAdmins = l.admins("BOT_ADMINS")
	c.Ingest.Token = NewSecret(l.raw("INGEST_TOKEN"))
	c.Fetch.AllowNets = l.prefixes("FETCH_ALLOW_NETS")
	c.Fetch.Timeout = l.duration("FETCH_TIMEOUT", DefaultFetchTimeout)
	c.Fetch.MaxBytes = l.bytes("FETCH_MAX_BYTES", DefaultFetchMaxBytes)

	c.ArticleRetention = l.duration("ARTICLE_RETENTION", DefaultArticleRetention)
	c.DeliveryWorkers = l.int("DELIVERY_WORKERS", DefaultDeliveryWorkers)
	c.ShutdownTimeout = l.duration("SHUTDOWN_TIMEOUT", DefaultShutdownTimeout)

	// Range and cross-field rules, skipping variables that already failed
	// to parse (their field holds a default, not what the user wrote).
	if err := c.validate(l.getenv); err != nil {
		var ve *Error
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				if !l.has(p.Var) && !l.has(p.Var+"_FILE") {
					// Show what the user wrote ("10m"), not its re-formatting ("10m0s").
					if raw := strings.TrimSpace(getenv(p.Var)); raw != "" && p.Value != "" {
						p.Value = raw
					}
					l.problems = append(l.problems, p)
				}
			}
		}
	}
	if len(l.problems) > 0 {
		return Config{}, &Error{Problems: l.problems}
	}
	return c, nil
}

func (l *loader) str(name, def string) string {
	if v := l.raw(name); v != "" {
		return v
	}
	return def
}

func (l *loader) int(name string, def int) int {
	v := l.raw(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		l.bad(name, v, "not an integer", "a whole number such as "+strconv.Itoa(max(def, 1)))
		return def
	}
	return n
}

func (l *loader) bool(name string, def bool) bool {
	v := l.raw(name)
	if v == "" {
		return def
	}
	switch strings.ToLower(v) {
	case "1", "t", "true", "yes", "y", "on":
		return true
	case "0", "f", "false", "no", "n", "off":
		return false
	}
	l.bad(name, v, "not a boolean", "true or false")
	return def
}

func (l *loader) duration(name string, def time.Duration) time.Duration {
	v := l.raw(name)
	if v == "" {
		return def
	}
	d, err := ParseDuration(v)
	if err != nil {
		l.bad(name, v, "not a duration", "a duration such as 90s, 10m, 6h or 30d")
		return def
	}
	return d
}

func (l *loader) bytes(name string, def int64) int64 {
	v := l.raw(name)
	if v == "" {
		return def
	}
	n, err := ParseBytes(v)
	if err != nil {
		l.bad(name, v, "not a size", "a byte count such as 5242880, 512KiB or 5MiB")
		return def
	}
	return n
}

var snowflakeRE = regexp.MustCompile(`^[0-9]{1,20}$`)

func (l *loader) snowflake(name string) string {
	v := l.raw(name)
	if v == "" {
		return ""
	}
	if !snowflakeRE.MatchString(v) {
		l.bad(name, v, "not a Discord id", "a numeric snowflake such as 1234567890123456789")
		return ""
	}
	if _, err := strconv.ParseUint(v, 10, 64); err != nil {
		l.bad(name, v, "not a Discord id", "a numeric snowflake such as 1234567890123456789")
		return ""
	}
	return v
}

// url parses an absolute http(s) URL without credentials, query or
// fragment and trims a trailing slash.
func (l *loader) url(name, def string) *url.URL {
	v := l.raw(name)
	if v == "" {
		if def == "" {
			return nil
		}
		v = def
	}
	u, msg := parseHTTPURL(v)
	if msg != "" {
		l.bad(name, v, msg, "an absolute http(s) URL such as https://example.org")
		return nil
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u
}

// parseHTTPURL returns the URL or a problem description.
func parseHTTPURL(v string) (*url.URL, string) {
	u, err := url.Parse(v)
	if err != nil {
		return nil, "not a URL"
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, "not an http(s) URL"
	case u.Host == "" || u.Hostname() == "":
		return nil, "URL has no host"
	case u.User != nil:
		return nil, "URL must not contain credentials"
	case u.Fragment != "":
		return nil, "URL must not contain a fragment"
	}
	return u, ""
}

func (l *loader) feeds(name string) []*url.URL {
	v := l.raw(name)
	if v == "" {
		return nil
	}
	var out []*url.URL
	seen := map[string]bool{}
	for f := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }) {
		u, err := url.Parse(f)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			l.bad(name, f, "entry is not an http(s) URL", "comma-separated http(s) feed URLs")
			return nil
		}
		if seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		out = append(out, u)
	}
	return out
}

const adminsExpected = "comma-separated platform:user id entries such as telegram:123456789,discord:987654321098765432"

// admins parses "platform:id" entries, platform in lower case, deduplicated.
func (l *loader) admins(name string) []string {
	v := l.raw(name)
	if v == "" {
		return nil
	}
	var out []string
	for f := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }) {
		a, msg := parseAdmin(f)
		if msg != "" {
			l.bad(name, f, msg, adminsExpected)
			return nil
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

var userIDRE = regexp.MustCompile(`^[0-9]{1,20}$`)

// parseAdmin checks one BOT_ADMINS entry and returns it with the platform
// in lower case, or a problem description.
func parseAdmin(s string) (string, string) {
	platform, id, ok := strings.Cut(s, ":")
	platform = strings.ToLower(platform)
	switch {
	case !ok:
		return "", "entry has no platform prefix"
	case platform != PlatformTelegram && platform != PlatformDiscord:
		return "", "entry names an unknown platform"
	case !userIDRE.MatchString(id):
		return "", "entry is not a numeric user id"
	}
	if n, err := strconv.ParseUint(id, 10, 64); err != nil || n == 0 {
		return "", "entry is not a numeric user id"
	}
	return platform + ":" + id, ""
}

func (l *loader) prefixes(name string) []netip.Prefix {
	v := l.raw(name)
	if v == "" {
		return nil
	}
	var out []netip.Prefix
	for f := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		p, err := parsePrefix(f)
		if err != nil {
			l.bad(name, f, "entry is not a CIDR", "comma-separated CIDRs such as 127.0.0.0/8,10.1.2.0/24")
			return nil
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// parsePrefix accepts a CIDR (masked to its network) or a bare address (a
// single-host prefix).
func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return p.Masked(), nil
}

func checkRedisURL(v string) string {
	u, err := url.Parse(v)
	if err != nil {
		return "not a URL"
	}
	switch u.Scheme {
	case "redis", "rediss":
		if u.Hostname() == "" {
			return "URL has no host"
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return "URL has a bad port"
			}
		}
		if db := strings.Trim(u.Path, "/"); db != "" {
			if n, err := strconv.Atoi(db); err != nil || n < 0 {
				return "URL path is not a database number"
			}
		}
	case "unix":
		if u.Path == "" {
			return "unix URL has no socket path"
		}
	default:
		return "not a redis URL"
	}
	return ""
}

// loadLocation rejects "Local" (it means different zones on different
// machines, and subscriptions store zone names).
func loadLocation(name string) (*time.Location, error) {
	if name == "Local" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, fmt.Errorf("not an IANA zone: %q", name)
	}
	return time.LoadLocation(name)
}

// Validate checks ranges and cross-field rules of a Config built by hand or
// by Load. It returns an *Error with one problem per bad variable.
func (c Config) Validate() error { return c.validate(func(string) string { return "" }) }

var (
	telegramTokenRE  = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{1,200}$`)
	webhookSecretRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	redisPrefixBadRE = regexp.MustCompile(`[\s*?\[\]\\]`)
)

func (c Config) validate(getenv func(string) string) error {
	l := &loader{getenv: getenv}
	noSpace := func(name string, s Secret, expected string) {
		if s.IsSet() && strings.ContainsFunc(s.Reveal(), func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			l.bad(name, s.Reveal(), "contains white space or control characters", expected)
		}
	}

	// Telegram.
	if t := c.Telegram.Token; t.IsSet() && !telegramTokenRE.MatchString(t.Reveal()) {
		l.bad("TELEGRAM_TOKEN", t.Reveal(), "malformed token", "<bot id>:<secret> as given by @BotFather")
	}
	if c.Telegram.APIURL == nil {
		l.bad("TELEGRAM_API_URL", "", "not set", "an absolute http(s) URL such as "+DefaultTelegramAPIURL)
	}
	if c.Telegram.WebhookURL != nil {
		if !c.Telegram.Token.IsSet() {
			l.bad("TELEGRAM_TOKEN", "", "not set although TELEGRAM_WEBHOOK_URL is", "the bot token when webhook mode is on")
		}
		if !c.Telegram.WebhookSecret.IsSet() {
			l.bad("TELEGRAM_WEBHOOK_SECRET", "", "not set although TELEGRAM_WEBHOOK_URL is", "1-256 characters A-Z a-z 0-9 _ - when webhook mode is on")
		}
	}
	if s := c.Telegram.WebhookSecret; s.IsSet() && !webhookSecretRE.MatchString(s.Reveal()) {
		l.bad("TELEGRAM_WEBHOOK_SECRET", s.Reveal(), "malformed secret", "1-256 characters A-Z a-z 0-9 _ -")
	}

	// Discord.
	noSpace("DISCORD_TOKEN", c.Discord.Token, `the bare bot token, without a "Bot " prefix`)
	if c.Discord.APIURL == nil {
		l.bad("DISCORD_API_URL", "", "not set", "an absolute http(s) URL such as "+DefaultDiscordAPIURL)
	}
	if c.Discord.PublicKey != nil && !c.Discord.Token.IsSet() {
		l.bad("DISCORD_TOKEN", "", "not set although DISCORD_PUBLIC_KEY is", "the bot token, needed to register commands and post to channels")
	}
	if c.Discord.ShardCount < 1 || c.Discord.ShardCount > 1<<16 {
		l.bad("DISCORD_SHARD_COUNT", strconv.Itoa(c.Discord.ShardCount), "out of range", "a number of shards from 1 to 65536")
	} else if c.Discord.ShardID < 0 || c.Discord.ShardID >= c.Discord.ShardCount {
		l.bad("DISCORD_SHARD_ID", strconv.Itoa(c.Discord.ShardID), "out of range",
			fmt.Sprintf("0 <= DISCORD_SHARD_ID < DISCORD_SHARD_COUNT (%d)", c.Discord.ShardCount))
	}

	// State.
	if p := c.Redis.Prefix; p == "" || len(p) > 64 || redisPrefixBadRE.MatchString(p) {
		l.bad("REDIS_PREFIX", p, "not a usable key prefix", "1-64 characters without spaces or * ? [ ] \\, e.g. newsbrief:")
	}
	if c.StatePath == "" || strings.HasSuffix(c.StatePath, "/") {
		l.bad("STATE_PATH", c.StatePath, "not a file path", "the path of the state file, e.g. /var/lib/newsbrief/state.db")
	}

	// Process.
	if msg := checkHostPort(c.HTTPAddr); msg != "" {
		l.bad("HTTP_ADDR", c.HTTPAddr, msg, "host:port such as 127.0.0.1:8080 or :8080")
	}
	if c.LogFormat != LogText && c.LogFormat != LogJSON {
		l.bad("LOG_FORMAT", c.LogFormat, "unknown log format", "text or json")
	}
	if c.LogLevel < slog.LevelDebug-4 || c.LogLevel > slog.LevelError+4 {
		l.bad("LOG_LEVEL", c.LogLevel.String(), "out of range", "debug, info, warn or error")
	}

	// Digests.
	if !c.Digest.Time.Valid() {
		l.bad("DIGEST_TIME", c.Digest.Time.String(), "not a time of day", "HH:MM from 00:00 to 23:59, e.g. 08:00")
	}
	if c.Digest.Location == nil {
		l.bad("DIGEST_TIMEZONE", "", "not set", "an IANA name such as Europe/Kyiv or UTC")
	}
	if c.Digest.Grace < 0 || c.Digest.Grace >= 24*time.Hour {
		l.bad("DIGEST_GRACE", FormatDuration(c.Digest.Grace), "out of range", "a duration from 0 to under 24h, e.g. 6h")
	}

	// Ingestion and fetching.
	if c.Ingest.FeedInterval < time.Second || c.Ingest.FeedInterval > 7*24*time.Hour {
		l.bad("FEED_INTERVAL", FormatDuration(c.Ingest.FeedInterval), "out of range", "a duration from 1s to 7d, e.g. 5m")
	}
	if t := c.Ingest.Token; t.IsSet() {
		if strings.ContainsFunc(t.Reveal(), func(r rune) bool { return r <= ' ' || r == 0x7f }) || len(t.Reveal()) < 16 {
			l.bad("INGEST_TOKEN", t.Reveal(), "too weak or malformed", "at least 16 characters without white space")
		}
	}
	if c.Fetch.Timeout < 100*time.Millisecond || c.Fetch.Timeout > 10*time.Minute {
		l.bad("FETCH_TIMEOUT", FormatDuration(c.Fetch.Timeout), "out of range", "a duration from 100ms to 10m, e.g. 10s")
	}
	if c.Fetch.MaxBytes < 1024 || c.Fetch.MaxBytes > 1<<30 {
		l.bad("FETCH_MAX_BYTES", strconv.FormatInt(c.Fetch.MaxBytes, 10), "out of range", "a size from 1KiB to 1GiB, e.g. 5MiB")
	}

	for _, a := range c.BotAdmins {
		if p, msg := parseAdmin(a); msg != "" || p != a {
			if msg == "" {
				msg = "platform not in lower case"
			}
			l.bad("BOT_ADMINS", a, msg, adminsExpected)
		}
	}

	if c.ArticleRetention < time.Hour {
		l.bad("ARTICLE_RETENTION", FormatDuration(c.ArticleRetention), "out of range", "a duration of at least 1h, e.g. 30d")
	}
	if c.DeliveryWorkers < 1 || c.DeliveryWorkers > 256 {
		l.bad("DELIVERY_WORKERS", strconv.Itoa(c.DeliveryWorkers), "out of range", "a number from 1 to 256")
	}
	if c.ShutdownTimeout < time.Second || c.ShutdownTimeout > 5*time.Minute {
		l.bad("SHUTDOWN_TIMEOUT", FormatDuration(c.ShutdownTimeout), "out of range", "a duration from 1s to 5m, e.g. 10s")
	}
	if len(l.problems) > 0 {
		return &Error{Problems: l.problems}
	}
	return nil
}

func checkHostPort(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "not a host:port address"
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return "bad port"
	}
	if strings.ContainsAny(host, " /") {
		return "bad host"
	}
	return ""
}
