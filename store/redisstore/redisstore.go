// Package redisstore implements store.Store on Redis with go-redis/v9, for
// one or many bot replicas sharing one Redis (standalone or Sentinel; not
// Cluster: scripts touch keys they compute).
//
// All keys live under one prefix; keys.go lists every key, its type and its
// TTL. Whatever two replicas could race on runs as one Lua script (atomic in
// Redis): article dedup across URL, GUID and content hash; Enqueue against
// the delivery log and the outbox key index; Claim; Ack, Retry, Release and
// Park with their owner check; leases; TakeToken. No command iterates the key
// space (no KEYS, no SCAN): listings read index sorted sets.
//
// No state lives in the process: after a Redis restart (with persistence)
// go-redis reconnects by itself and the outbox, leases and logs are exactly
// what Redis recovered. Scripts are sent by SHA with a fallback to EVAL, so
// a restarted server with an empty script cache is handled too.
package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"newsbrief/store"
)

// Options tune a Store. The zero value is valid.
type Options struct {
	// ArticleRetention is how long an article and its dedup entries are
	// kept after PutArticle. Default DefaultArticleRetention (30 days).
	ArticleRetention time.Duration
	// DeliveredRetention is how long a delivery-log entry is kept, that is
	// how long Enqueue refuses a (chat, key) that was delivered. Keep it
	// longer than ArticleRetention. Default DefaultDeliveredRetention (60 days).
	DeliveredRetention time.Duration
	// Logger receives what the go-redis client logs by itself (failed
	// dials while reconnecting, broken pooled connections), as warnings
	// with component "redis"; nil means slog.Default(). go-redis has one
	// logger per process: the last Open decides.
	Logger *slog.Logger
}

// Store is a store.Store on Redis.
type Store struct {
	rdb  *redis.Client
	k    keys
	opts Options
}

var _ store.Store = (*Store)(nil)

// Open connects to the Redis at url (redis://[user:pass@]host:port/db or
// rediss://…), checks it answers PING and prepares the outbox stream. All
// keys are put under prefix; a prefix not ending in ":" gets one.
// The error names the address, never the password.
func Open(ctx context.Context, url, prefix string, opts Options) (*Store, error) {
	ro, err := redis.ParseURL(url)
	if err != nil {
		// ParseURL errors do not echo the URL, so no password leaks here.
		return nil, fmt.Errorf("redisstore: open: REDIS_URL: %w", err)
	}
	if prefix != "" && !strings.HasSuffix(prefix, ":") {
		prefix += ":"
	}
	if opts.ArticleRetention <= 0 {
		opts.ArticleRetention = DefaultArticleRetention
	}
	if opts.DeliveredRetention <= 0 {
		opts.DeliveredRetention = DefaultDeliveredRetention
	}
	installLogger(opts.Logger)
	rdb := redis.NewClient(ro)
	s := &Store{rdb: rdb, k: keys{p: prefix}, opts: opts}
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close() // the ping error is the one to report
		return nil, fmt.Errorf("redisstore: open: redis at %s does not answer: %w", ro.Addr, err)
	}
	if err := s.ensureGroup(ctx); err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("redisstore: open: %w", err)
	}
	if err := s.pruneConsumers(ctx); err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("redisstore: open: %w", err)
	}
	return s, nil
}

// consumerIdle is how long a stream consumer (one per worker name) must be
// idle, with nothing pending, before Open deletes it.
var consumerIdle = time.Hour

var pruneConsumersScript = redis.NewScript(`
-- KEYS: stream; ARGV: group, min idle ms
local cs = redis.pcall('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if type(cs) ~= 'table' or cs.err then return 0 end
local n = 0
for _, c in ipairs(cs) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if tonumber(f['pending']) == 0 and tonumber(f['idle']) >= tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    n = n + 1
  end
end
return n
`)

// pruneConsumers deletes stream consumers idle for consumerIdle with no
// pending entries, so worker names that change with every deployment do
// not pile up in the consumer group. It runs in one script, so a consumer
// that claims meanwhile is never deleted with entries pending.
func (s *Store) pruneConsumers(ctx context.Context) error {
	if err := pruneConsumersScript.Run(ctx, s.rdb, []string{s.k.p + kOutboxStream}, group, ms(consumerIdle)).Err(); err != nil {
		return fmt.Errorf("prune idle outbox consumers: %w", err)
	}
	return nil
}

// ensureGroup creates the outbox stream and its consumer group if missing.
func (s *Store) ensureGroup(ctx context.Context) error {
	err := s.rdb.XGroupCreateMkStream(ctx, s.k.p+kOutboxStream, group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create outbox consumer group: %w", err)
	}
	return nil
}

// Ping checks Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redisstore: ping: %w", err)
	}
	return nil
}

// Close closes the connection pool. Everything stays in Redis.
func (s *Store) Close() error {
	if err := s.rdb.Close(); err != nil {
		return fmt.Errorf("redisstore: close: %w", err)
	}
	return nil
}

// Prefix returns the key prefix in use (ending in ":" unless empty).
func (s *Store) Prefix() string { return s.k.p }

func invalid(op, what string) error {
	return fmt.Errorf("redisstore: %s: %s: %w", op, what, store.ErrInvalid)
}

func checkChat(op string, c store.ChatRef) error {
	if err := store.ValidateChat(c); err != nil {
		return fmt.Errorf("redisstore: %s: %w", op, err)
	}
	return nil
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// ms converts a duration to whole milliseconds, at least 1.
func ms(d time.Duration) int64 { return max(int64((d+time.Millisecond-1)/time.Millisecond), 1) }

// msFloor and msCeil turn instants into millisecond scores; zero is 0.
func msFloor(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return max(t.UnixMilli(), 0)
}

func msCeil(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	m := t.UnixMilli()
	if t.Sub(time.UnixMilli(m)) > 0 {
		m++
	}
	return max(m, 0)
}

func nanoStr(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatInt(t.UnixNano(), 10)
}

func parseNano(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// --- articles ---

var putArticleScript = redis.NewScript(`
-- KEYS: article key, url idx, guid idx, hash idx, recent zset (idx "" = unused)
-- ARGV: id, explicit id (1/0), json, retention ms, ingested ms, article key prefix
local ret = tonumber(ARGV[4])
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, ARGV[1]}
end
for i = 2, 4 do
  if KEYS[i] ~= '' then
    local other = redis.call('GET', KEYS[i])
    if other and redis.call('EXISTS', ARGV[6] .. other) == 1 then
      return {0, other}
    end
  end
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ret)
for i = 2, 4 do
  if KEYS[i] ~= '' then
    redis.call('SET', KEYS[i], ARGV[1], 'PX', ret)
  end
end
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
redis.call('PEXPIRE', KEYS[5], ret)
return {1, ARGV[1]}
`)

// PutArticle stores a unless an article with the same URL, GUID or
// ContentHash (or the same explicit ID) is stored; then it returns that id
// with created=false. At least one of URL, GUID and ContentHash must be set
// (ErrInvalid otherwise). An empty ID is assigned; a zero Ingested becomes
// the current time. One round trip.
func (s *Store) PutArticle(ctx context.Context, a store.Article) (id string, created bool, err error) {
	if a.URL == "" && a.GUID == "" && a.ContentHash == "" {
		return "", false, invalid("put article", "no URL, GUID or content hash")
	}
	explicit := "1"
	if a.ID == "" {
		a.ID, explicit = randomID(), "0"
	}
	if a.Ingested.IsZero() {
		a.Ingested = time.Now()
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return "", false, fmt.Errorf("redisstore: put article: %w", err)
	}
	idx := func(p, v string) string {
		if v == "" {
			return ""
		}
		return s.k.p + p + v
	}
	res, err := putArticleScript.Run(ctx, s.rdb,
		[]string{s.k.article(a.ID), idx(kArtURL, a.URL), idx(kArtGUID, a.GUID), idx(kArtHash, a.ContentHash), s.k.p + kArticles},
		a.ID, explicit, raw, ms(s.opts.ArticleRetention), msFloor(a.Ingested), s.k.p+kArticle).Slice()
	if err != nil {
		return "", false, fmt.Errorf("redisstore: put article: %w", err)
	}
	if len(res) != 2 {
		return "", false, fmt.Errorf("redisstore: put article: unexpected script reply %v", res)
	}
	n, _ := res[0].(int64)
	id, _ = res[1].(string)
	return id, n == 1, nil
}

// GetArticle returns the article or store.ErrNotFound (also once expired).
func (s *Store) GetArticle(ctx context.Context, id string) (store.Article, error) {
	if id == "" {
		return store.Article{}, invalid("get article", "empty id")
	}
	raw, err := s.rdb.Get(ctx, s.k.article(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return store.Article{}, fmt.Errorf("redisstore: get article %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Article{}, fmt.Errorf("redisstore: get article %s: %w", id, err)
	}
	var a store.Article
	if err := json.Unmarshal(raw, &a); err != nil {
		return store.Article{}, fmt.Errorf("redisstore: get article %s: decode: %w", id, err)
	}
	return a, nil
}

// RecentArticles returns articles ingested at or after since, newest first,
// at most limit (limit <= 0: all). Index entries of expired articles are
// removed on the way.
func (s *Store) RecentArticles(ctx context.Context, since time.Time, limit int) ([]store.Article, error) {
	const page = 200
	var out []store.Article
	zkey := s.k.p + kArticles
	for offset := int64(0); ; offset += page {
		ids, err := s.rdb.ZRevRangeByScore(ctx, zkey, &redis.ZRangeBy{
			Max: "+inf", Min: strconv.FormatInt(msFloor(since), 10), Offset: offset, Count: page,
		}).Result()
		if err != nil {
			return nil, fmt.Errorf("redisstore: recent articles: %w", err)
		}
		if len(ids) == 0 {
			return out, nil
		}
		akeys := make([]string, len(ids))
		for i, id := range ids {
			akeys[i] = s.k.article(id)
		}
		vals, err := s.rdb.MGet(ctx, akeys...).Result()
		if err != nil {
			return nil, fmt.Errorf("redisstore: recent articles: %w", err)
		}
		var gone []any
		for i, v := range vals {
			str, ok := v.(string)
			if !ok {
				gone = append(gone, ids[i])
				continue
			}
			var a store.Article
			if err := json.Unmarshal([]byte(str), &a); err != nil {
				return nil, fmt.Errorf("redisstore: recent articles: decode %s: %w", ids[i], err)
			}
			if a.Ingested.Before(since) {
				continue // same millisecond score, earlier instant
			}
			out = append(out, a)
			if limit > 0 && len(out) >= limit {
				return out, nil
			}
		}
		if len(gone) > 0 {
			if err := s.rdb.ZRem(ctx, zkey, gone...).Err(); err != nil {
				return nil, fmt.Errorf("redisstore: recent articles: prune: %w", err)
			}
			offset -= int64(len(gone))
		}
		if len(ids) < page {
			return out, nil
		}
	}
}

// --- subscriptions ---

// PutSubscription creates or replaces the subscription of s.ChatRef. A zero
// Created keeps the stored one (or becomes now); a zero Updated becomes now.
func (s *Store) PutSubscription(ctx context.Context, sub store.Subscription) error {
	if err := store.ValidateSubscription(sub); err != nil {
		return fmt.Errorf("redisstore: put subscription: %w", err)
	}
	now := time.Now()
	if sub.Created.IsZero() {
		old, err := s.GetSubscription(ctx, sub.ChatRef)
		switch {
		case err == nil && !old.Created.IsZero():
			sub.Created = old.Created
		case err == nil || errors.Is(err, store.ErrNotFound):
			sub.Created = now
		default:
			return fmt.Errorf("redisstore: put subscription %s: %w", sub.ChatRef, err)
		}
	}
	if sub.Updated.IsZero() {
		sub.Updated = now
	}
	raw, err := json.Marshal(sub)
	if err != nil {
		return fmt.Errorf("redisstore: put subscription %s: %w", sub.ChatRef, err)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.k.sub(sub.ChatRef), raw, 0)
		p.ZAdd(ctx, s.k.p+kSubs, redis.Z{Member: subMember(sub.ChatRef)})
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: put subscription %s: %w", sub.ChatRef, err)
	}
	return nil
}

// GetSubscription returns store.ErrNotFound when the chat has none.
func (s *Store) GetSubscription(ctx context.Context, chat store.ChatRef) (store.Subscription, error) {
	if err := checkChat("get subscription", chat); err != nil {
		return store.Subscription{}, err
	}
	raw, err := s.rdb.Get(ctx, s.k.sub(chat)).Bytes()
	if errors.Is(err, redis.Nil) {
		return store.Subscription{}, fmt.Errorf("redisstore: get subscription %s: %w", chat, store.ErrNotFound)
	}
	if err != nil {
		return store.Subscription{}, fmt.Errorf("redisstore: get subscription %s: %w", chat, err)
	}
	var sub store.Subscription
	if err := json.Unmarshal(raw, &sub); err != nil {
		return store.Subscription{}, fmt.Errorf("redisstore: get subscription %s: decode: %w", chat, err)
	}
	return sub, nil
}

// DeleteSubscription returns store.ErrNotFound when the chat has none.
func (s *Store) DeleteSubscription(ctx context.Context, chat store.ChatRef) error {
	if err := checkChat("delete subscription", chat); err != nil {
		return err
	}
	var del *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.Del(ctx, s.k.sub(chat))
		p.ZRem(ctx, s.k.p+kSubs, subMember(chat))
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: delete subscription %s: %w", chat, err)
	}
	if del.Val() == 0 {
		return fmt.Errorf("redisstore: delete subscription %s: %w", chat, store.ErrNotFound)
	}
	return nil
}

// Subscriptions lists subscriptions of platform ("" = all) ordered by
// platform, then chat id.
func (s *Store) Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error) {
	rng := &redis.ZRangeBy{Min: "-", Max: "+"}
	if platform != "" {
		rng = &redis.ZRangeBy{Min: "[" + platform + "\x00", Max: "(" + platform + "\x01"}
	}
	members, err := s.rdb.ZRangeByLex(ctx, s.k.p+kSubs, rng).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: subscriptions: %w", err)
	}
	if len(members) == 0 {
		return nil, nil
	}
	skeys := make([]string, len(members))
	for i, m := range members {
		plat, chat, _ := strings.Cut(m, "\x00")
		skeys[i] = s.k.sub(store.ChatRef{Platform: plat, ChatID: chat})
	}
	vals, err := s.rdb.MGet(ctx, skeys...).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: subscriptions: %w", err)
	}
	var out []store.Subscription
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue // deleted between the two reads
		}
		var sub store.Subscription
		if err := json.Unmarshal([]byte(str), &sub); err != nil {
			return nil, fmt.Errorf("redisstore: subscriptions: decode %q: %w", members[i], err)
		}
		out = append(out, sub)
	}
	return out, nil
}

// Deactivate sets Active=false with reason; store.ErrNotFound when absent.
// It is an optimistic transaction (WATCH), so a concurrent PutSubscription
// is never half-overwritten.
func (s *Store) Deactivate(ctx context.Context, chat store.ChatRef, reason string) error {
	if err := checkChat("deactivate", chat); err != nil {
		return err
	}
	key := s.k.sub(chat)
	for range 10 {
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			raw, err := tx.Get(ctx, key).Bytes()
			if errors.Is(err, redis.Nil) {
				return store.ErrNotFound
			}
			if err != nil {
				return err
			}
			var sub store.Subscription
			if err := json.Unmarshal(raw, &sub); err != nil {
				return fmt.Errorf("decode: %w", err)
			}
			sub.Active, sub.InactiveReason, sub.Updated = false, reason, time.Now()
			raw, err = json.Marshal(sub)
			if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, key, raw, 0)
				return nil
			})
			return err
		}, key)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return fmt.Errorf("redisstore: deactivate %s: %w", chat, err)
		}
		return nil
	}
	return fmt.Errorf("redisstore: deactivate %s: too much contention", chat)
}

// --- feeds ---

// PutFeed creates or replaces a feed cursor; SeenIDs beyond the newest
// 1000 are dropped.
func (s *Store) PutFeed(ctx context.Context, f store.FeedCursor) error {
	if f.URL == "" {
		return invalid("put feed", "empty URL")
	}
	if len(f.SeenIDs) > maxSeenIDs {
		f.SeenIDs = f.SeenIDs[:maxSeenIDs]
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("redisstore: put feed %s: %w", f.URL, err)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.k.feed(f.URL), raw, 0)
		p.ZAdd(ctx, s.k.p+kFeeds, redis.Z{Member: f.URL})
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: put feed %s: %w", f.URL, err)
	}
	return nil
}

// GetFeed returns store.ErrNotFound for an unknown URL.
func (s *Store) GetFeed(ctx context.Context, url string) (store.FeedCursor, error) {
	if url == "" {
		return store.FeedCursor{}, invalid("get feed", "empty URL")
	}
	raw, err := s.rdb.Get(ctx, s.k.feed(url)).Bytes()
	if errors.Is(err, redis.Nil) {
		return store.FeedCursor{}, fmt.Errorf("redisstore: get feed %s: %w", url, store.ErrNotFound)
	}
	if err != nil {
		return store.FeedCursor{}, fmt.Errorf("redisstore: get feed %s: %w", url, err)
	}
	var f store.FeedCursor
	if err := json.Unmarshal(raw, &f); err != nil {
		return store.FeedCursor{}, fmt.Errorf("redisstore: get feed %s: decode: %w", url, err)
	}
	return f, nil
}

// DeleteFeed returns store.ErrNotFound for an unknown URL.
func (s *Store) DeleteFeed(ctx context.Context, url string) error {
	if url == "" {
		return invalid("delete feed", "empty URL")
	}
	var del *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.Del(ctx, s.k.feed(url))
		p.ZRem(ctx, s.k.p+kFeeds, url)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: delete feed %s: %w", url, err)
	}
	if del.Val() == 0 {
		return fmt.Errorf("redisstore: delete feed %s: %w", url, store.ErrNotFound)
	}
	return nil
}

// Feeds lists all feed cursors ordered by URL.
func (s *Store) Feeds(ctx context.Context) ([]store.FeedCursor, error) {
	urls, err := s.rdb.ZRangeByLex(ctx, s.k.p+kFeeds, &redis.ZRangeBy{Min: "-", Max: "+"}).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: feeds: %w", err)
	}
	if len(urls) == 0 {
		return nil, nil
	}
	fkeys := make([]string, len(urls))
	for i, u := range urls {
		fkeys[i] = s.k.feed(u)
	}
	vals, err := s.rdb.MGet(ctx, fkeys...).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: feeds: %w", err)
	}
	var out []store.FeedCursor
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		var f store.FeedCursor
		if err := json.Unmarshal([]byte(str), &f); err != nil {
			return nil, fmt.Errorf("redisstore: feeds: decode %s: %w", urls[i], err)
		}
		out = append(out, f)
	}
	return out, nil
}

// --- leases and checkpoints ---

var acquireLeaseScript = redis.NewScript(`
local h = redis.call('GET', KEYS[1])
if h and h ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

var releaseLeaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`)

// AcquireLease takes or renews name for holder for ttl (expiry by the Redis
// clock); false when another holder has it unexpired. One round trip.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" {
		return false, invalid("acquire lease", "empty name or holder")
	}
	if ttl <= 0 {
		return false, invalid("acquire lease", "ttl must be positive")
	}
	n, err := acquireLeaseScript.Run(ctx, s.rdb, []string{s.k.lease(name)}, holder, ms(ttl)).Int()
	if err != nil {
		return false, fmt.Errorf("redisstore: acquire lease %s: %w", name, err)
	}
	return n == 1, nil
}

// ReleaseLease drops the lease if holder has it; otherwise it does nothing.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if name == "" || holder == "" {
		return invalid("release lease", "empty name or holder")
	}
	if err := releaseLeaseScript.Run(ctx, s.rdb, []string{s.k.lease(name)}, holder).Err(); err != nil {
		return fmt.Errorf("redisstore: release lease %s: %w", name, err)
	}
	return nil
}

// Checkpoint returns the named integer, 0 when never set.
func (s *Store) Checkpoint(ctx context.Context, name string) (int64, error) {
	if name == "" {
		return 0, invalid("checkpoint", "empty name")
	}
	v, err := s.rdb.Get(ctx, s.k.cp(name)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("redisstore: checkpoint %s: %w", name, err)
	}
	return v, nil
}

// SetCheckpoint stores the named integer.
func (s *Store) SetCheckpoint(ctx context.Context, name string, v int64) error {
	if name == "" {
		return invalid("set checkpoint", "empty name")
	}
	if err := s.rdb.Set(ctx, s.k.cp(name), v, 0).Err(); err != nil {
		return fmt.Errorf("redisstore: set checkpoint %s: %w", name, err)
	}
	return nil
}
