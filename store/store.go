// Package store is the contract for everything newsbrief remembers: articles
// and their briefings, subscriptions, feed cursors, the delivery log, the
// durable outbox of pending deliveries, leases and checkpoints.
//
// Two implementations exist: store/redisstore (go-redis, for one or many
// replicas) and store/boltstore (a single bbolt file, the zero-setup
// default). store/storetest holds the conformance suite both must pass.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"newsbrief/briefing"
)

// Errors returned by Store implementations. Callers test with errors.Is.
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: an argument is missing or malformed (empty id, unknown mode…).
	ErrInvalid = errors.New("invalid argument")
	// ErrEmpty: Claim found no outbox item that is due.
	ErrEmpty = errors.New("outbox empty")
	// ErrNotOwner: the caller no longer holds the claim or lease it acts on
	// (it expired and another worker took it).
	ErrNotOwner = errors.New("not the owner")
)

// Platforms.
const (
	Telegram = "telegram"
	Discord  = "discord"
	// Internal is the platform of outbox items that are work for the
	// delivery worker itself, not messages to a chat (an article's instant
	// fan-out). It is valid in the outbox and the delivery log, never in a
	// subscription.
	Internal = "internal"
)

// Subscription modes.
const (
	ModeInstant = "instant"
	ModeDigest  = "digest"
)

// ChatRef identifies one chat or channel on one platform.
type ChatRef struct {
	Platform string `json:"platform"`
	ChatID   string `json:"chat_id"`
}

// Valid reports whether both fields are set.
func (c ChatRef) Valid() bool { return c.Platform != "" && c.ChatID != "" }

func (c ChatRef) String() string { return c.Platform + ":" + c.ChatID }

// ValidateChat returns an error wrapping ErrInvalid unless c has a known
// platform (Telegram, Discord or Internal) and a chat id. Implementations
// use it so that both stores reject the same input.
func ValidateChat(c ChatRef) error {
	if c.Platform != Telegram && c.Platform != Discord && c.Platform != Internal {
		return fmt.Errorf("chat %q: unknown platform %q: %w", c.String(), c.Platform, ErrInvalid)
	}
	if c.ChatID == "" {
		return fmt.Errorf("chat %q: empty chat id: %w", c.String(), ErrInvalid)
	}
	return nil
}

// ValidateSubscription returns an error wrapping ErrInvalid when s has an
// invalid chat or the Internal platform, a Mode other than ModeInstant or
// ModeDigest, or a DigestTime that is set but not "HH:MM".
func ValidateSubscription(s Subscription) error {
	if err := ValidateChat(s.ChatRef); err != nil {
		return err
	}
	if s.Platform == Internal {
		return fmt.Errorf("subscription %s: the internal platform has no chats: %w", s.ChatRef, ErrInvalid)
	}
	if s.Mode != ModeInstant && s.Mode != ModeDigest {
		return fmt.Errorf("subscription %s: unknown mode %q: %w", s.ChatRef, s.Mode, ErrInvalid)
	}
	if s.DigestTime != "" {
		if _, err := time.Parse("15:04", s.DigestTime); err != nil || len(s.DigestTime) != 5 {
			return fmt.Errorf("subscription %s: digest time %q is not HH:MM: %w", s.ChatRef, s.DigestTime, ErrInvalid)
		}
	}
	return nil
}

// Subscription is what one chat or channel receives.
type Subscription struct {
	ChatRef
	// ThreadID routes messages into a Telegram forum topic; empty otherwise.
	ThreadID string `json:"thread_id,omitempty"`
	// Guild is the Discord server the channel belongs to (empty on Telegram).
	Guild string `json:"guild,omitempty"`
	// Title is a human name for the chat, for listings.
	Title string `json:"title,omitempty"`
	// Topics are filter terms: words, "-word" exclusions, "/regex/".
	// Empty means everything.
	Topics []string `json:"topics,omitempty"`
	// Mode is ModeInstant or ModeDigest.
	Mode string `json:"mode"`
	// DigestTime is "HH:MM" in TimeZone (an IANA name).
	DigestTime string `json:"digest_time"`
	TimeZone   string `json:"time_zone"`
	// Forum is set when the Discord channel is a forum: digests become posts.
	Forum  bool `json:"forum,omitempty"`
	Active bool `json:"active"`
	// InactiveReason records why delivery stopped (403, missing access…).
	InactiveReason string    `json:"inactive_reason,omitempty"`
	CreatedBy      string    `json:"created_by,omitempty"`
	Created        time.Time `json:"created"`
	Updated        time.Time `json:"updated"`
	// LastDigest is when the previous digest was built (its covering period
	// ends there).
	LastDigest time.Time `json:"last_digest,omitzero"`
}

// Article is an ingested article with its briefing.
type Article struct {
	// ID is assigned by PutArticle when empty.
	ID    string `json:"id"`
	URL   string `json:"url,omitempty"`
	GUID  string `json:"guid,omitempty"`
	Title string `json:"title,omitempty"`
	// Body is the plain text the briefing was made from.
	Body   string `json:"body,omitempty"`
	Source string `json:"source,omitempty"`
	// Feed is the feed URL the article came from, if any.
	Feed string `json:"feed,omitempty"`
	// ContentHash is a hash of the normalised body (dedup of syndicated copies).
	ContentHash string            `json:"content_hash"`
	Published   time.Time         `json:"published,omitzero"`
	Ingested    time.Time         `json:"ingested"`
	Briefing    briefing.Briefing `json:"briefing"`
}

// FeedCursor is a feed the bot polls and what it remembers between polls.
type FeedCursor struct {
	URL          string `json:"url"`
	Title        string `json:"title,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// SeenIDs are the newest item ids (GUIDs or links) already ingested,
	// newest first, capped by the implementation (at least 500 kept).
	SeenIDs     []string  `json:"seen_ids,omitempty"`
	LastPoll    time.Time `json:"last_poll,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
	// Failures counts consecutive failed polls (for backoff).
	Failures int `json:"failures,omitempty"`
}

// Outbox item states.
const (
	StatePending = "pending"
	StateClaimed = "claimed"
	StateParked  = "parked"
)

// OutboxItem is one message waiting to be delivered to one chat.
type OutboxItem struct {
	// ID is assigned by Enqueue.
	ID string `json:"id"`
	// Key is the idempotency key, e.g. "brief:<article id>" or
	// "digest:2026-11-25". Together with Chat it identifies the delivery:
	// the same (Chat, Key) is enqueued and delivered at most once.
	Key  string  `json:"key"`
	Chat ChatRef `json:"chat"`
	// ThreadID as in Subscription.
	ThreadID string `json:"thread_id,omitempty"`
	// Kind says what Payload holds ("briefing", "digest", "text").
	Kind    string `json:"kind"`
	Payload []byte `json:"payload"`
	// NotBefore delays delivery (retry backoff, 429 retry_after).
	NotBefore time.Time `json:"not_before,omitzero"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	State     string    `json:"state"`
	Created   time.Time `json:"created"`
	// ClaimedBy and ClaimedUntil are set while a worker holds the item.
	ClaimedBy    string    `json:"claimed_by,omitempty"`
	ClaimedUntil time.Time `json:"claimed_until,omitzero"`
}

// Store is everything the bot remembers. Implementations are safe for
// concurrent use by many goroutines and, for redisstore, many processes.
// Every method returns ErrInvalid for missing ids or keys.
type Store interface {
	// PutArticle stores a new article unless one with the same URL, GUID or
	// ContentHash is already stored; then it returns that one's id and
	// created=false and stores nothing. Articles expire after the store's
	// retention period.
	PutArticle(ctx context.Context, a Article) (id string, created bool, err error)
	// GetArticle returns ErrNotFound for an unknown id.
	GetArticle(ctx context.Context, id string) (Article, error)
	// RecentArticles returns articles ingested at or after since, newest
	// first, at most limit (limit <= 0 means all).
	RecentArticles(ctx context.Context, since time.Time, limit int) ([]Article, error)

	// PutSubscription creates or replaces the subscription of s.ChatRef.
	PutSubscription(ctx context.Context, s Subscription) error
	// GetSubscription returns ErrNotFound when the chat has none.
	GetSubscription(ctx context.Context, chat ChatRef) (Subscription, error)
	// DeleteSubscription returns ErrNotFound when the chat has none.
	DeleteSubscription(ctx context.Context, chat ChatRef) error
	// Subscriptions lists all subscriptions of a platform ("" = all),
	// active or not, in a stable order (platform, chat id).
	Subscriptions(ctx context.Context, platform string) ([]Subscription, error)
	// Deactivate sets Active=false with a reason; ErrNotFound when absent.
	Deactivate(ctx context.Context, chat ChatRef, reason string) error

	// PutFeed creates or replaces a feed cursor.
	PutFeed(ctx context.Context, f FeedCursor) error
	// GetFeed returns ErrNotFound for an unknown feed URL.
	GetFeed(ctx context.Context, url string) (FeedCursor, error)
	// DeleteFeed returns ErrNotFound for an unknown feed URL.
	DeleteFeed(ctx context.Context, url string) error
	// Feeds lists all feed cursors ordered by URL.
	Feeds(ctx context.Context) ([]FeedCursor, error)

	// Delivered reports whether (chat, key) was delivered.
	Delivered(ctx context.Context, chat ChatRef, key string) (bool, error)

	// Enqueue adds an item to the outbox in state pending. If (Chat, Key)
	// was already delivered or is already in the outbox it returns that
	// item's id (or "" if delivered) with enqueued=false. Parked items are
	// in the outbox: their key is never enqueued again.
	Enqueue(ctx context.Context, it OutboxItem) (id string, enqueued bool, err error)
	// Claim hands the oldest due item (pending with NotBefore <= now, or
	// claimed with ClaimedUntil < now: a worker that died) to worker until
	// now+lease. Exactly one concurrent caller gets a given item. ErrEmpty
	// when nothing is due.
	Claim(ctx context.Context, worker string, now time.Time, lease time.Duration) (OutboxItem, error)
	// Ack records the item as delivered in the delivery log and removes it
	// from the outbox, atomically. ErrNotOwner if worker no longer holds it;
	// for an id that is no longer in the outbox (another worker took it over
	// and acked it, or it never existed) the error matches both ErrNotOwner
	// and ErrNotFound.
	Ack(ctx context.Context, id, worker string) error
	// Retry returns a claimed item to pending, due at notBefore, with
	// Attempts incremented and lastErr recorded. ErrNotOwner as for Ack.
	Retry(ctx context.Context, id, worker string, notBefore time.Time, lastErr string) error
	// Release returns a claimed item to pending, due at notBefore, without
	// counting an attempt or changing LastError: for an item the worker
	// chose not to send now (no sender for its platform in this process,
	// the chat's rate budget is being waited for by another worker, a long
	// wait for the budget, shutdown before the send). ErrNotOwner as for
	// Ack.
	Release(ctx context.Context, id, worker string, notBefore time.Time) error
	// Park moves a claimed item to state parked (given up) with the reason.
	// Parked items are never claimed again. ErrNotOwner as for Ack.
	Park(ctx context.Context, id, worker, reason string) error
	// Outbox lists items in a state ("" = all), oldest first.
	Outbox(ctx context.Context, state string) ([]OutboxItem, error)

	// AcquireLease takes or renews the named lease for holder for ttl.
	// It returns false when another holder has it unexpired.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease gives the lease up if holder has it (no error otherwise).
	ReleaseLease(ctx context.Context, name, holder string) error

	// Checkpoint returns a named integer (e.g. Telegram's last update id);
	// 0 when never set.
	Checkpoint(ctx context.Context, name string) (int64, error)
	// SetCheckpoint stores a named integer.
	SetCheckpoint(ctx context.Context, name string, v int64) error

	// Ping checks the backend is reachable (for /readyz).
	Ping(ctx context.Context) error
	// Close releases resources; pending outbox items stay stored.
	Close() error
}
