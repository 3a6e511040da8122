package telegram

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsbrief/bot"
	"newsbrief/store"
)

// DefaultAPIURL is Telegram's Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Defaults for Config.
const (
	DefaultPollTimeout = 25 * time.Second
	DefaultLeaseTTL    = 60 * time.Second
	// callTimeout bounds every Bot API call except the long poll.
	callTimeout = 30 * time.Second
)

// State is the part of store.Store the adapter needs: a lease so that only
// one replica polls, and a checkpoint of the last update handled.
type State interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
	Checkpoint(ctx context.Context, name string) (int64, error)
	SetCheckpoint(ctx context.Context, name string, v int64) error
}

// Config configures a Bot.
type Config struct {
	// Token is the bot token from @BotFather (never logged).
	Token string
	// APIURL is the Bot API server (TELEGRAM_API_URL); DefaultAPIURL when
	// empty.
	APIURL string
	// WebhookURL switches from long polling to a webhook
	// (TELEGRAM_WEBHOOK_URL): Run registers it with setWebhook and updates
	// arrive at WebhookHandler.
	WebhookURL string
	// WebhookSecret is required with WebhookURL (TELEGRAM_WEBHOOK_SECRET):
	// requests without it in X-Telegram-Bot-Api-Secret-Token get 401.
	// 1–256 characters of A-Z, a-z, 0-9, _ and -.
	WebhookSecret string
	// Service is the bot core. Required.
	Service *bot.Service
	// State holds the polling lease and the update checkpoint. Required.
	State State
	// Logger; nil discards.
	Logger *slog.Logger
	// HTTPClient talks to the Bot API; a client without timeout is made
	// when nil (calls are bounded by contexts).
	HTTPClient *http.Client
	// Holder names this replica in the polling lease; host name, pid and
	// a random suffix when empty.
	Holder string
	// PollTimeout is the getUpdates long-poll timeout (DefaultPollTimeout).
	PollTimeout time.Duration
	// LeaseTTL is how long the polling lease lasts without renewal
	// (DefaultLeaseTTL); a standby replica takes over within it.
	LeaseTTL time.Duration
	// Limits are the send rate limits (TelegramLimits when zero).
	Limits Limits
}

// Bot is a Telegram bot serving the core's commands. Create it with New.
type Bot struct {
	api     *tgbotapi.BotAPI
	http    *http.Client
	svc     *bot.Service
	state   State
	log     *slog.Logger
	cfg     Config
	limiter *limiter

	leaseName      string
	checkpointName string

	mu       sync.Mutex
	readyErr error
	progress map[string]int // multi-part sends: parts already delivered
}

// New connects to the Bot API (it calls getMe, so the server must answer)
// and returns a Bot. It fails on a missing token, service or state, a
// webhook without secret, or when getMe fails (bad token, server down).
func New(cfg Config) (*Bot, error) {
	switch {
	case cfg.Token == "":
		return nil, errors.New("telegram: empty token")
	case cfg.Service == nil:
		return nil, errors.New("telegram: no bot service")
	case cfg.State == nil:
		return nil, errors.New("telegram: no state store")
	case cfg.WebhookURL != "" && cfg.WebhookSecret == "":
		return nil, errors.New("telegram: webhook URL without secret")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = DefaultPollTimeout
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = DefaultLeaseTTL
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = TelegramLimits
	}
	if cfg.Holder == "" {
		cfg.Holder = defaultHolder()
	}
	routeLibraryLog()
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	// tgbotapi formats the endpoint with Sprintf(token, method).
	endpoint := strings.ReplaceAll(strings.TrimRight(cfg.APIURL, "/"), "%", "%%") + "/bot%s/%s"
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, endpoint, ctxClient{ctx: ctx, c: hc})
	if err != nil {
		return nil, fmt.Errorf("telegram: getMe at %s: %w", cfg.APIURL, redact(err, cfg.Token))
	}
	api.Client = hc // every call goes through apiFor, which binds a context
	b := &Bot{
		api:            api,
		http:           hc,
		svc:            cfg.Service,
		state:          cfg.State,
		log:            logger.With("component", "telegram", "bot", api.Self.UserName),
		cfg:            cfg,
		limiter:        newLimiter(cfg.Limits),
		leaseName:      "telegram:" + strconv.FormatInt(api.Self.ID, 10) + ":poll",
		checkpointName: "telegram:" + strconv.FormatInt(api.Self.ID, 10) + ":update_id",
		progress:       map[string]int{},
	}
	return b, nil
}

// Username is the bot's @username without the @.
func (b *Bot) Username() string { return b.api.Self.UserName }

// Ready reports whether the bot can reach the Bot API: nil after a
// successful call, the last error after a failed one.
func (b *Bot) Ready() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.readyErr
}

func (b *Bot) setReady(err error) {
	b.mu.Lock()
	b.readyErr = err
	b.mu.Unlock()
}

// Run serves updates until ctx ends: it registers the command menu, then
// either sets the webhook (WebhookURL set; updates arrive at
// WebhookHandler; setWebhook is retried until it succeeds) or long-polls
// while it holds the polling lease. It returns nil when ctx is cancelled.
func (b *Bot) Run(ctx context.Context) error {
	b.setCommands(ctx)
	if b.cfg.WebhookURL != "" {
		// Telegram may be unreachable at start: keep trying (Ready reports
		// the error meanwhile) rather than take the process down.
		for backoff := time.Second; ctx.Err() == nil; backoff = min(2*backoff, time.Minute) {
			err := b.setWebhook(ctx)
			if err == nil {
				break
			}
			if ctx.Err() == nil {
				b.log.WarnContext(ctx, "setWebhook failed", "error", err, "retry_in", backoff)
			}
			sleep(ctx, backoff)
		}
		<-ctx.Done()
		return nil
	}
	return b.poll(ctx)
}

// setCommands registers the menu; a failure is only a warning.
//
// Specs: https://core.telegram.org/bots/api#setmycommands
func (b *Bot) setCommands(ctx context.Context) {
	cmds := make([]tgbotapi.BotCommand, 0, len(bot.Commands))
	for _, c := range bot.Commands {
		cmds = append(cmds, tgbotapi.BotCommand{Command: c.Name, Description: c.Description})
	}
	if _, err := b.apiFor(ctx).Request(tgbotapi.NewSetMyCommands(cmds...)); err != nil {
		b.log.WarnContext(ctx, "setMyCommands failed; serving without a command menu", "error", b.redact(err))
	}
}

// setWebhook registers WebhookURL with the secret token. tgbotapi v5.5.1
// has no secret_token field, so the raw parameters are sent.
//
// Specs: https://core.telegram.org/bots/api#setwebhook
func (b *Bot) setWebhook(ctx context.Context) error {
	params := tgbotapi.Params{
		"url":          b.cfg.WebhookURL,
		"secret_token": b.cfg.WebhookSecret,
		// One connection keeps updates in order, which the checkpoint needs.
		"max_connections": "1",
	}
	if err := params.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return fmt.Errorf("telegram: setWebhook: %w", err)
	}
	if _, err := b.apiFor(ctx).MakeRequest("setWebhook", params); err != nil {
		err = b.redact(err)
		b.setReady(err)
		return fmt.Errorf("telegram: setWebhook: %w", err)
	}
	b.setReady(nil)
	b.log.InfoContext(ctx, "webhook set")
	return nil
}

// apiFor returns the SDK client bound to ctx: tgbotapi builds requests
// without a context, so the copy's HTTP client adds it.
func (b *Bot) apiFor(ctx context.Context) *tgbotapi.BotAPI {
	c := *b.api
	c.Client = ctxClient{ctx: ctx, c: b.http}
	return &c
}

// ctxClient attaches a context to every request tgbotapi makes.
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	return c.c.Do(req.WithContext(c.ctx))
}

// redact removes the token from errors (URLs in *url.Error contain it).
func (b *Bot) redact(err error) error { return redact(err, b.cfg.Token) }

func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return redactedError{msg: strings.ReplaceAll(err.Error(), token, "<token>"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

func defaultHolder() string {
	host, _ := os.Hostname()
	var r [4]byte
	_, _ = rand.Read(r[:]) // crypto/rand never fails on supported platforms
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(r[:]))
}

// ref is the store reference of a Telegram chat id.
func ref(id int64) store.ChatRef {
	return store.ChatRef{Platform: store.Telegram, ChatID: strconv.FormatInt(id, 10)}
}
