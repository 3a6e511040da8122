package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"newsbrief/briefing"
	"newsbrief/digest"
	"newsbrief/store"
	"newsbrief/topic"
)

// MaxInputBytes caps the text /brief accepts (pasted, or fetched from a URL).
const MaxInputBytes = 100 << 10

// Defaults for a new subscription.
const (
	DefaultDigestTime = "08:00"
	DefaultTimeZone   = "UTC"
)

// Store is the part of store.Store the core uses.
type Store interface {
	RecentArticles(ctx context.Context, since time.Time, limit int) ([]store.Article, error)
	PutSubscription(ctx context.Context, s store.Subscription) error
	GetSubscription(ctx context.Context, chat store.ChatRef) (store.Subscription, error)
	DeleteSubscription(ctx context.Context, chat store.ChatRef) error
	Feeds(ctx context.Context) ([]store.FeedCursor, error)
}

// Fetcher downloads an article and extracts its text (ingest.FetchArticle
// behind the SSRF-safe fetcher).
type Fetcher interface {
	FetchArticle(ctx context.Context, url string) (briefing.Article, error)
}

// ChatType says what kind of chat a command came from; it decides who may
// change the chat's subscription.
type ChatType string

// Chat types.
const (
	// ChatPrivate is a one-to-one chat with the bot: its user owns it.
	ChatPrivate ChatType = "private"
	// ChatGroup is a group, supergroup or Discord server channel: only
	// administrators may change its subscription.
	ChatGroup ChatType = "group"
	// ChatChannel is a broadcast channel, managed by its administrators
	// from a private chat.
	ChatChannel ChatType = "channel"
)

// Chat is the chat a subscription belongs to, as the platform describes it.
type Chat struct {
	Ref  store.ChatRef
	Type ChatType
	// ThreadID is the forum topic the command was sent in ("" otherwise);
	// a subscription made there is delivered there.
	ThreadID string
	// Guild is the Discord server ("" on Telegram).
	Guild string
	// Title is a human name for listings.
	Title string
	// Forum is set for Discord forum channels.
	Forum bool
}

// Actor is the user who sent a command.
type Actor struct {
	// Platform is store.Telegram or store.Discord; Execute fills it in
	// from the chat when empty. With UserID it names the user in Admins.
	Platform string
	UserID   string
	// Admin is true when the platform already knows the user administers
	// the chat (a Discord interaction carries the member's permissions).
	Admin bool
	// CheckAdmin, when set and Admin is false, asks the platform whether
	// the user administers the chat (Telegram getChatMember). It is called
	// only for changes to group or channel subscriptions.
	CheckAdmin func(ctx context.Context) (bool, error)
}

// Service is the platform-neutral bot: every command both platforms offer.
// Fields may be set directly; New fills in defaults. A Service is safe for
// concurrent use.
type Service struct {
	Store Store
	// Fetcher may be nil: links then fail with ErrFetch.
	Fetcher Fetcher
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger gets internal failures; nil discards.
	Logger *slog.Logger
	// Engine is the briefing engine (briefing.Brief when nil).
	Engine func(briefing.Article) briefing.Briefing
	// DigestOptions are passed to digest.Build (Location is set per
	// subscription from its time zone).
	DigestOptions digest.Options
	// DigestTime and TimeZone are given to new subscriptions
	// (DefaultDigestTime, DefaultTimeZone when empty).
	DigestTime string
	TimeZone   string
	// Feeds adds and removes polled feeds (ingest.Poller); nil makes
	// /sources add and remove fail with ErrUnavailable.
	Feeds FeedManager
	// Admins are the bot's operators, who may add and remove feeds, as
	// "platform:user id" ("telegram:123456789", BOT_ADMINS). Empty: nobody.
	Admins []string
	// ConfiguredFeeds are the feeds from FEEDS: removing one at run time
	// lasts until the next start, and the reply says so.
	ConfiguredFeeds []string
}

// New returns a Service over st and f with defaults for the other fields.
func New(st Store, f Fetcher, logger *slog.Logger) *Service {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{
		Store:      st,
		Fetcher:    f,
		Now:        time.Now,
		Logger:     logger,
		Engine:     briefing.Brief,
		DigestTime: DefaultDigestTime,
		TimeZone:   DefaultTimeZone,
	}
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Service) engine(a briefing.Article) briefing.Briefing {
	if s.Engine == nil {
		return briefing.Brief(a)
	}
	return s.Engine(a)
}

// Brief turns input into a briefing. Input is either a link (an http(s)
// URL with at most a few words around it), which is fetched, or the
// article's text; a short first line followed by more text is taken as the
// headline. Errors: ErrEmptyInput, ErrTooLarge, ErrNotText, ErrNotEnglish,
// ErrFetch, ErrNotNews.
func (s *Service) Brief(ctx context.Context, input string) (briefing.Briefing, error) {
	if len(input) > MaxInputBytes {
		return briefing.Briefing{}, fmt.Errorf("brief %d bytes: %w", len(input), ErrTooLarge)
	}
	input = strings.TrimSpace(input)
	if input == "" {
		return briefing.Briefing{}, ErrEmptyInput
	}
	var a briefing.Article
	if u := linkOnly(input); u != "" {
		fa, err := s.fetch(ctx, u)
		if err != nil {
			return briefing.Briefing{}, err
		}
		a = fa
	} else {
		a = articleFromText(input)
	}
	if err := checkText(a.Title + "\n" + a.Body); err != nil {
		return briefing.Briefing{}, err
	}
	b := s.engine(a)
	if isEmptyBriefing(b) {
		return briefing.Briefing{}, ErrNotNews
	}
	return b, nil
}

func (s *Service) fetch(ctx context.Context, u string) (briefing.Article, error) {
	if s.Fetcher == nil {
		return briefing.Article{}, fmt.Errorf("fetch %s: no fetcher configured: %w", u, ErrFetch)
	}
	a, err := s.Fetcher.FetchArticle(ctx, u)
	if err != nil {
		if ctx.Err() != nil {
			return briefing.Article{}, fmt.Errorf("fetch %s: %w", u, ctx.Err())
		}
		return briefing.Article{}, fmt.Errorf("fetch %s: %w: %w", u, ErrFetch, err)
	}
	if len(a.Body)+len(a.Title) > MaxInputBytes {
		return briefing.Article{}, fmt.Errorf("fetch %s: %d bytes: %w", u, len(a.Body), ErrTooLarge)
	}
	if strings.TrimSpace(a.Body) == "" {
		return briefing.Article{}, fmt.Errorf("fetch %s: no article text: %w", u, ErrFetch)
	}
	if a.URL == "" {
		a.URL = u
	}
	return a, nil
}

// linkOnly returns the URL when input is essentially a link: the first
// http(s) URL, with fewer than ten other words around it.
func linkOnly(input string) string {
	var link string
	others := 0
	for _, f := range strings.Fields(input) {
		if link == "" && (strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://")) {
			link = strings.TrimRight(f, ".,;:!?)»\"'")
			continue
		}
		others++
	}
	if link == "" || others >= 10 {
		return ""
	}
	return link
}

// articleFromText splits pasted text into a headline and a body: a first
// line under 200 characters with no final full stop, followed by more text,
// is the headline.
func articleFromText(text string) briefing.Article {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	first, rest, ok := strings.Cut(text, "\n")
	first = strings.TrimSpace(first)
	rest = strings.TrimSpace(rest)
	if ok && rest != "" && utf8.RuneCountInString(first) < 200 && !strings.HasSuffix(first, ".") {
		return briefing.Article{Title: first, Body: rest}
	}
	return briefing.Article{Body: text}
}

// englishWords are the commonest English function words; running English
// prose has roughly a third of its words from this list.
var englishWords = map[string]bool{
	"the": true, "a": true, "an": true, "of": true, "and": true, "to": true, "in": true,
	"is": true, "was": true, "on": true, "for": true, "that": true, "with": true, "as": true,
	"by": true, "at": true, "he": true, "she": true, "it": true, "his": true, "her": true,
	"they": true, "their": true, "from": true, "said": true, "has": true, "have": true,
	"had": true, "were": true, "are": true, "be": true, "been": true, "will": true,
	"not": true, "after": true, "who": true, "which": true, "this": true, "or": true,
	"but": true, "we": true, "i": true, "its": true, "than": true, "also": true,
}

// checkText rejects binary or symbol soup (ErrNotText) and prose that is
// clearly not English (ErrNotEnglish). Short texts skip the language test.
func checkText(text string) error {
	if !utf8.ValidString(text) {
		return fmt.Errorf("invalid UTF-8: %w", ErrNotText)
	}
	var letters, control, other int
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == '\n' || r == '\r' || r == '\t':
		case unicode.IsControl(r) || r == utf8.RuneError:
			control++
		case unicode.IsSpace(r):
		default:
			other++
		}
	}
	if control > 0 || letters == 0 || letters < 2*other {
		return fmt.Errorf("%d letters, %d symbols, %d control characters: %w", letters, other, control, ErrNotText)
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	if len(words) < 25 {
		return nil
	}
	common := 0
	for _, w := range words {
		if englishWords[w] {
			common++
		}
	}
	if common*100 < len(words)*8 {
		return fmt.Errorf("%d of %d words are common English words: %w", common, len(words), ErrNotEnglish)
	}
	return nil
}

// isEmptyBriefing reports a briefing with no facts: the lead alone (the
// engine always picks a first sentence) does not make a text news.
func isEmptyBriefing(b briefing.Briefing) bool {
	return len(b.People) == 0 && len(b.Meetings) == 0 && len(b.Quotes) == 0 && len(b.Attacks) == 0
}

// SubscribeResult is what Subscribe did.
type SubscribeResult struct {
	Subscription store.Subscription
	// Created is false when an existing subscription was updated.
	Created bool
	// Latest is the most recent stored article the filter matches (within
	// the last week), shown as a confirmation; nil when none.
	Latest *store.Article
}

// Subscribe creates or updates the subscription of chat to topics (filter
// terms as topic.Parse reads them; none means everything). An existing
// subscription keeps its mode, time and zone and is reactivated. Errors:
// ErrNotAdmin, ErrBadTopics, ErrUnavailable.
func (s *Service) Subscribe(ctx context.Context, chat Chat, actor Actor, topics []string) (SubscribeResult, error) {
	f, err := topic.Parse(topics)
	if err != nil {
		return SubscribeResult{}, fmt.Errorf("subscribe %s: %w: %w", chat.Ref, ErrBadTopics, err)
	}
	if err := s.authorize(ctx, chat, actor); err != nil {
		return SubscribeResult{}, fmt.Errorf("subscribe %s: %w", chat.Ref, err)
	}
	now := s.now()
	sub, err := s.Store.GetSubscription(ctx, chat.Ref)
	created := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		created = true
		sub = store.Subscription{
			ChatRef:    chat.Ref,
			Mode:       store.ModeInstant,
			DigestTime: or(s.DigestTime, DefaultDigestTime),
			TimeZone:   or(s.TimeZone, DefaultTimeZone),
			CreatedBy:  actor.UserID,
			Created:    now,
		}
	case err != nil:
		return SubscribeResult{}, unavailable("subscribe "+chat.Ref.String(), err)
	}
	sub.Topics = f.Terms()
	sub.ThreadID = chat.ThreadID
	sub.Guild = or(chat.Guild, sub.Guild)
	sub.Title = or(chat.Title, sub.Title)
	sub.Forum = chat.Forum
	sub.Active = true
	sub.InactiveReason = ""
	sub.Updated = now
	if err := s.Store.PutSubscription(ctx, sub); err != nil {
		return SubscribeResult{}, unavailable("subscribe "+chat.Ref.String(), err)
	}
	res := SubscribeResult{Subscription: sub, Created: created}
	latest, err := s.latest(ctx, f, now)
	if err != nil {
		// The subscription exists; a missing confirmation is not worth an error.
		s.logger().WarnContext(ctx, "latest briefing for confirmation", "chat", chat.Ref.String(), "error", err)
	}
	res.Latest = latest
	return res, nil
}

// latest returns the newest article of the last week f matches, or nil.
func (s *Service) latest(ctx context.Context, f topic.Filter, now time.Time) (*store.Article, error) {
	arts, err := s.Store.RecentArticles(ctx, now.Add(-7*24*time.Hour), 500)
	if err != nil {
		return nil, unavailable("recent articles", err)
	}
	for i := range arts {
		a := arts[i]
		if f.Match(a.Title, a.Body, a.Briefing) {
			return &a, nil
		}
	}
	return nil, nil
}

// Matches reports whether article a passes the topic filter of sub. A
// filter that no longer parses matches nothing.
func Matches(sub store.Subscription, a store.Article) bool {
	f, err := topic.Parse(sub.Topics)
	if err != nil {
		return false
	}
	return f.Match(a.Title, a.Body, a.Briefing)
}

// Unsubscribe deletes the chat's subscription. Errors: ErrNotAdmin,
// ErrNotSubscribed, ErrUnavailable.
func (s *Service) Unsubscribe(ctx context.Context, chat Chat, actor Actor) error {
	if err := s.authorize(ctx, chat, actor); err != nil {
		return fmt.Errorf("unsubscribe %s: %w", chat.Ref, err)
	}
	err := s.Store.DeleteSubscription(ctx, chat.Ref)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("unsubscribe %s: %w", chat.Ref, ErrNotSubscribed)
	case err != nil:
		return unavailable("unsubscribe "+chat.Ref.String(), err)
	}
	return nil
}

// Subscription returns the chat's subscription. Errors: ErrNotSubscribed,
// ErrUnavailable.
func (s *Service) Subscription(ctx context.Context, ref store.ChatRef) (store.Subscription, error) {
	sub, err := s.Store.GetSubscription(ctx, ref)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Subscription{}, fmt.Errorf("subscription %s: %w", ref, ErrNotSubscribed)
	case err != nil:
		return store.Subscription{}, unavailable("subscription "+ref.String(), err)
	}
	return sub, nil
}

// SetMode sets the delivery mode (store.ModeInstant or store.ModeDigest).
// Errors: ErrBadMode, ErrNotAdmin, ErrNotSubscribed, ErrUnavailable.
func (s *Service) SetMode(ctx context.Context, chat Chat, actor Actor, mode string) (store.Subscription, error) {
	mode = strings.ToLower(strings.TrimSpace(mode))
	if mode != store.ModeInstant && mode != store.ModeDigest {
		return store.Subscription{}, fmt.Errorf("set mode %q: %w", mode, ErrBadMode)
	}
	return s.update(ctx, chat, actor, "set mode", func(sub *store.Subscription) { sub.Mode = mode })
}

// SetTime sets the digest time ("HH:MM", 24-hour) and, when zone is not
// empty, the IANA time zone; it also switches the subscription to digest
// mode, since asking for a time means wanting a digest. Errors: ErrBadTime,
// ErrBadZone, ErrNotAdmin, ErrNotSubscribed, ErrUnavailable.
func (s *Service) SetTime(ctx context.Context, chat Chat, actor Actor, hhmm, zone string) (store.Subscription, error) {
	t, err := ParseClock(hhmm)
	if err != nil {
		return store.Subscription{}, err
	}
	if zone != "" {
		loc, err := LoadZone(zone)
		if err != nil {
			return store.Subscription{}, err
		}
		zone = loc.String()
	}
	return s.update(ctx, chat, actor, "set time", func(sub *store.Subscription) {
		sub.DigestTime = t
		if zone != "" {
			sub.TimeZone = zone
		}
		sub.Mode = store.ModeDigest
	})
}

func (s *Service) update(ctx context.Context, chat Chat, actor Actor, op string, change func(*store.Subscription)) (store.Subscription, error) {
	if err := s.authorize(ctx, chat, actor); err != nil {
		return store.Subscription{}, fmt.Errorf("%s %s: %w", op, chat.Ref, err)
	}
	sub, err := s.Subscription(ctx, chat.Ref)
	if err != nil {
		return store.Subscription{}, err
	}
	change(&sub)
	sub.Updated = s.now()
	if err := s.Store.PutSubscription(ctx, sub); err != nil {
		return store.Subscription{}, unavailable(op+" "+chat.Ref.String(), err)
	}
	return sub, nil
}

// MoveChat moves the subscription of from to the chat id to (a Telegram
// group that became a supergroup). It is a no-op when from has none and
// leaves an existing subscription of to untouched.
func (s *Service) MoveChat(ctx context.Context, from, to store.ChatRef) error {
	sub, err := s.Store.GetSubscription(ctx, from)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return unavailable("move chat "+from.String(), err)
	}
	if _, err := s.Store.GetSubscription(ctx, to); err == nil {
		if err := s.Store.DeleteSubscription(ctx, from); err != nil && !errors.Is(err, store.ErrNotFound) {
			return unavailable("move chat "+from.String(), err)
		}
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return unavailable("move chat "+to.String(), err)
	}
	sub.ChatRef = to
	sub.Active = true
	sub.InactiveReason = ""
	sub.Updated = s.now()
	if err := s.Store.PutSubscription(ctx, sub); err != nil {
		return unavailable("move chat to "+to.String(), err)
	}
	if err := s.Store.DeleteSubscription(ctx, from); err != nil && !errors.Is(err, store.ErrNotFound) {
		return unavailable("move chat "+from.String(), err)
	}
	return nil
}

// Sources lists the feeds the bot reads with their health.
func (s *Service) Sources(ctx context.Context) ([]store.FeedCursor, error) {
	feeds, err := s.Store.Feeds(ctx)
	if err != nil {
		return nil, unavailable("sources", err)
	}
	return feeds, nil
}

// authorize applies the permission rule: anyone may manage a private chat;
// groups and channels only by their administrators.
func (s *Service) authorize(ctx context.Context, chat Chat, actor Actor) error {
	if chat.Type == ChatPrivate || chat.Type == "" || actor.Admin {
		return nil
	}
	if actor.CheckAdmin == nil {
		return ErrNotAdmin
	}
	ok, err := actor.CheckAdmin(ctx)
	if err != nil {
		return unavailable("check administrator", err)
	}
	if !ok {
		return ErrNotAdmin
	}
	return nil
}

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// ParseClock validates "H:MM" or "HH:MM" (00:00–23:59) and returns it as
// "HH:MM". Errors wrap ErrBadTime.
func ParseClock(s string) (string, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("time %q: %w", s, ErrBadTime)
	}
	return t.Format("15:04"), nil
}

// LoadZone loads an IANA time zone ("UTC" included; "" and "Local" are
// refused: they would depend on the server). Errors wrap ErrBadZone.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("time zone %q: %w", name, ErrBadZone)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, ErrBadZone)
	}
	return loc, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
