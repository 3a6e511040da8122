// Package discord is newsbrief's Discord adapter, on discordgo: application
// commands (/brief, "Brief this message", /subscribe, /unsubscribe,
// /subscriptions, /digest), received over the gateway or Discord's HTTP
// interactions endpoint, rendered as embeds within Discord's limits, and
// the channel Sender the delivery worker posts digests and alerts with.
//
// discordgo types stay inside this package. Tests run the real discordgo
// client against the fake Discord in discordtest.
package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbrief/bot"
	"newsbrief/store"
)

// DefaultAPIURL is Discord's REST base URL.
const DefaultAPIURL = "https://discord.com"

// Timeouts.
const (
	// restTimeout bounds one REST request.
	restTimeout = 15 * time.Second
	// workTimeout bounds the work behind one interaction; Discord accepts
	// edits for 15 minutes.
	workTimeout = 2 * time.Minute
	// ackBudget is how long an HTTP interaction may take before it is
	// answered with a deferred response (Discord allows 3 s).
	ackBudget = 2 * time.Second
	// readyTimeout bounds the wait for READY after the gateway opened.
	readyTimeout = 30 * time.Second
	// maxRetryWait caps the backoff between start-up attempts.
	maxRetryWait = time.Minute
)

// SubscriptionLister lists stored subscriptions (store.Store has it); it
// backs /subscriptions, which bot.Service does not offer per server.
type SubscriptionLister interface {
	Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error)
}

// Config configures a Bot.
type Config struct {
	// Token is the bot token, without the "Bot " prefix (DISCORD_TOKEN).
	Token string
	// AppID is the application id (DISCORD_APP_ID); when empty it is read
	// from READY or from GET /applications/@me.
	AppID string
	// GuildID registers commands in that server only (DISCORD_GUILD_ID),
	// which takes effect at once; global commands otherwise.
	GuildID string
	// PublicKey, when set, selects HTTP-interactions mode
	// (DISCORD_PUBLIC_KEY): interactions arrive at InteractionsHandler and
	// no gateway connection is opened.
	PublicKey ed25519.PublicKey
	// APIURL is the REST base URL (DISCORD_API_URL, DefaultAPIURL when
	// empty): a rate-limit proxy, or a fake in tests. The gateway URL comes
	// from its /gateway answer.
	APIURL string
	// ShardID and ShardCount shard the gateway (DISCORD_SHARD_ID/COUNT).
	ShardID, ShardCount int

	// Service is the platform-neutral bot; required.
	Service *bot.Service
	// Subscriptions lists subscriptions for /subscriptions; optional
	// (without it the command shows the current channel's only).
	Subscriptions SubscriptionLister
	// Logger receives operational logs (narrow it with "component" first);
	// nil discards.
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Transport carries REST requests (http.DefaultTransport when nil).
	Transport http.RoundTripper
	// MaxInlineWait is the longest 429 retry_after Send waits out itself;
	// longer waits are returned as *bot.RetryAfterError (default 2 s).
	MaxInlineWait time.Duration
}

// Bot is the Discord adapter. Create it with New, start it with Run, stop
// it with Close. Its methods are safe for concurrent use.
type Bot struct {
	cfg  Config
	log  *slog.Logger
	s    *discordgo.Session
	core *bot.Service

	// ctx bounds background work (deferred interactions); cancelled by Close.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	readyCh   chan struct{} // receives READY (gateway mode)
	retryBase time.Duration // first start-up retry wait

	mu         sync.Mutex
	appID      string
	userID     string
	registered bool
	startErr   error // last start-up failure, while retrying
	opened     bool
	closed     bool
	channels   map[string]channelInfo
}

// New validates cfg and returns a Bot. No network traffic happens until
// Run or Send.
func New(cfg Config) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("discord: token is required")
	}
	if strings.HasPrefix(cfg.Token, "Bot ") {
		return nil, errors.New(`discord: token must not include the "Bot " prefix`)
	}
	if cfg.Service == nil {
		return nil, errors.New("discord: Service is required")
	}
	if cfg.PublicKey != nil && len(cfg.PublicKey) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("discord: public key has %d bytes, want %d", len(cfg.PublicKey), ed25519.PublicKeySize)
	}
	if cfg.ShardCount > 1 && (cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount) {
		return nil, fmt.Errorf("discord: shard id %d out of range for %d shards", cfg.ShardID, cfg.ShardCount)
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	base, err := url.Parse(strings.TrimRight(cfg.APIURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord: API URL %q: want http(s)://host[/path]", cfg.APIURL)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxInlineWait <= 0 {
		cfg.MaxInlineWait = 2 * time.Second
	}
	tr := cfg.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}

	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: new session: %w", err)
	}
	if base.String() != DefaultAPIURL {
		tr = rewrite{to: base, next: tr}
	}
	s.Client = &http.Client{Transport: tr, Timeout: restTimeout}
	s.StateEnabled = false
	s.Identify.Intents = discordgo.IntentsGuilds
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	s.ShouldReconnectOnError = true

	ctx, cancel := context.WithCancel(context.Background())
	b := &Bot{
		cfg: cfg, log: cfg.Logger, s: s, core: cfg.Service,
		ctx: ctx, cancel: cancel, readyCh: make(chan struct{}, 1), retryBase: time.Second,
		appID: cfg.AppID, channels: map[string]channelInfo{},
	}
	s.AddHandler(b.onReady)
	s.AddHandler(b.onInteraction)
	return b, nil
}

// httpMode reports whether interactions come over HTTP (no gateway).
func (b *Bot) httpMode() bool { return b.cfg.PublicKey != nil }

// Run connects (the gateway, unless in HTTP-interactions mode), registers
// the application commands when they changed, and serves until ctx ends or
// Close is called; then it closes the gateway and returns nil. Start-up
// failures are retried with backoff (Ready reports the last one), except
// a rejected token or application (HTTP 401/403), which Run returns.
func (b *Bot) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(b.ctx, cancel)() // Close stops Run
	wait := b.retryBase
	for {
		err := b.start(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			b.closeGateway()
			return nil
		}
		if permanent(err) {
			b.closeGateway()
			return err
		}
		b.mu.Lock()
		b.startErr = err
		b.mu.Unlock()
		b.log.WarnContext(ctx, "start failed; retrying", "error", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			b.closeGateway()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, maxRetryWait)
	}
	b.mu.Lock()
	b.registered, b.startErr = true, nil
	b.mu.Unlock()
	<-ctx.Done()
	b.mu.Lock()
	b.registered = false
	b.mu.Unlock()
	b.closeGateway()
	return nil
}

// start identifies the bot, opens the gateway (unless open or in HTTP
// mode) and syncs the commands.
func (b *Bot) start(ctx context.Context) error {
	if err := b.whoami(ctx); err != nil {
		return err
	}
	if !b.httpMode() {
		b.mu.Lock()
		opened := b.opened
		b.mu.Unlock()
		if !opened {
			if err := b.open(ctx); err != nil {
				return err
			}
		}
	}
	b.mu.Lock()
	appID := b.appID
	b.mu.Unlock()
	// With several shards sharing one application, shard 0 registers.
	if b.cfg.ShardID != 0 {
		return nil
	}
	wrote, err := syncCommands(ctx, b.s, appID, b.cfg.GuildID)
	if err != nil {
		return fmt.Errorf("discord: %w", err)
	}
	b.log.InfoContext(ctx, "commands registered", "guild_id", b.cfg.GuildID, "changed", wrote,
		"mode", map[bool]string{true: "http", false: "gateway"}[b.httpMode()])
	return nil
}

// permanent reports errors retrying cannot fix: Discord rejected the token
// or the application id.
func permanent(err error) bool {
	if errors.Is(err, discordgo.ErrUnauthorized) {
		return true
	}
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Response != nil &&
		(re.Response.StatusCode == http.StatusUnauthorized || re.Response.StatusCode == http.StatusForbidden)
}

// open connects to the gateway and waits for READY.
func (b *Bot) open(ctx context.Context) error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return errors.New("discord: bot closed")
	}
	b.opened = true
	b.mu.Unlock()
	select { // a READY from an earlier attempt
	case <-b.readyCh:
	default:
	}
	if err := b.s.Open(); err != nil {
		b.closeGateway()
		return fmt.Errorf("discord: open gateway: %w", err)
	}
	t := time.NewTimer(readyTimeout)
	defer t.Stop()
	select {
	case <-b.readyCh:
	case <-ctx.Done():
		b.closeGateway()
		return fmt.Errorf("discord: wait for READY: %w", ctx.Err())
	case <-t.C:
		b.closeGateway()
		return errors.New("discord: no READY from the gateway within 30s")
	}
	return nil
}

// whoami learns the bot's user id and, unless configured, the application id.
func (b *Bot) whoami(ctx context.Context) error {
	u, err := b.s.User("@me", discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("discord: get bot user: %w", err)
	}
	b.mu.Lock()
	b.userID = u.ID
	b.mu.Unlock()
	return b.needIDs(ctx)
}

func (b *Bot) needIDs(ctx context.Context) error {
	b.mu.Lock()
	have := b.appID != ""
	b.mu.Unlock()
	if have {
		return nil
	}
	body, err := b.s.RequestWithBucketID(http.MethodGet, discordgo.EndpointApplication("@me"), nil,
		discordgo.EndpointApplications, discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("discord: get application: %w", err)
	}
	var app struct {
		ID string `json:"id"`
	}
	if err := discordgo.Unmarshal(body, &app); err != nil {
		return fmt.Errorf("discord: get application: %w", err)
	}
	if app.ID == "" {
		return errors.New("discord: get application: no id in the answer")
	}
	b.mu.Lock()
	b.appID = app.ID
	b.mu.Unlock()
	return nil
}

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	b.mu.Lock()
	if r.Application != nil && r.Application.ID != "" && b.appID == "" {
		b.appID = r.Application.ID
	}
	if r.User != nil {
		b.userID = r.User.ID
	}
	b.mu.Unlock()
	b.log.Info("gateway ready", "shard_id", b.cfg.ShardID, "shard_count", b.cfg.ShardCount)
	select {
	case b.readyCh <- struct{}{}:
	default:
	}
}

// Ready reports nil once commands are registered and, in gateway mode,
// the gateway is connected; otherwise what is missing (for /readyz).
func (b *Bot) Ready() error {
	b.mu.Lock()
	closed, registered, startErr := b.closed, b.registered, b.startErr
	b.mu.Unlock()
	switch {
	case closed:
		return errors.New("discord: closed")
	case !registered && startErr != nil:
		return fmt.Errorf("discord: not started: %w", startErr)
	case !registered:
		return errors.New("discord: not started (or stopped)")
	case !b.httpMode() && !b.gatewayUp():
		return errors.New("discord: gateway not connected")
	}
	return nil
}

// gatewayUp reports whether discordgo's websocket is connected and
// heartbeating (it reconnects by itself after errors and op 7).
func (b *Bot) gatewayUp() bool {
	b.s.RLock()
	defer b.s.RUnlock()
	return b.s.DataReady
}

// closeGateway closes the websocket if it was opened. discordgo sleeps 1 s
// while closing.
func (b *Bot) closeGateway() {
	b.mu.Lock()
	opened := b.opened
	b.opened = false
	b.mu.Unlock()
	if !opened {
		return
	}
	b.s.ShouldReconnectOnError = false
	if err := b.s.Close(); err != nil {
		b.log.Warn("close gateway", "error", err)
	}
}

// Close stops the gateway, cancels the work behind pending interactions
// and waits for it. It is idempotent.
func (b *Bot) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	b.closeGateway()
	b.cancel()
	b.wg.Wait()
	return nil
}

// rewrite sends REST requests to another base URL (DISCORD_API_URL):
// discordgo's endpoints are fixed to https://discord.com at init.
type rewrite struct {
	to   *url.URL
	next http.RoundTripper
}

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "discord.com" {
		return r.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = r.to.Scheme, r.to.Host, r.to.Host
	req.URL.Path = r.to.Path + req.URL.Path
	if req.URL.RawPath != "" {
		req.URL.RawPath = r.to.Path + req.URL.RawPath
	}
	return r.next.RoundTrip(req)
}
