// Package boltstore implements store.Store on a single bbolt file: the
// zero-setup default used when no Redis is configured.
//
// One process owns the file (bbolt takes an exclusive flock); a second
// process gets an error from Open after Options.OpenTimeout instead of
// hanging. Every write is one bbolt read-write transaction, and bbolt runs
// those one at a time, so the read-check-write sequences the contract needs
// (dedup, idempotent Enqueue, exactly-one Claim, owner checks) are atomic
// without further locking.
//
// Expiry (article retention, the delivery log, leases) is emulated: each
// record carries its expiry time, readers ignore expired records and writers
// sweep them in small batches.
package boltstore

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"newsbrief/store"
)

// Defaults for Options fields left zero.
const (
	DefaultArticleRetention   = 30 * 24 * time.Hour
	DefaultDeliveredRetention = 60 * 24 * time.Hour
	DefaultOpenTimeout        = 2 * time.Second
)

// maxSeenIDs caps FeedCursor.SeenIDs (the contract asks for at least 500).
const maxSeenIDs = 1000

// sweepBatch bounds the work one write does to remove expired records.
const sweepBatch = 256

// Options tune a Store. The zero value is valid.
type Options struct {
	// ArticleRetention is how long an article (and its dedup entries) is
	// kept after it was stored. Default DefaultArticleRetention.
	ArticleRetention time.Duration
	// DeliveredRetention is how long a delivery-log entry is kept, that is
	// how long Enqueue refuses a (chat, key) that was delivered. Keep it
	// longer than ArticleRetention. Default DefaultDeliveredRetention.
	DeliveredRetention time.Duration
	// OpenTimeout is how long Open waits for the file lock held by another
	// process before it fails. Default DefaultOpenTimeout.
	OpenTimeout time.Duration
	// NoSync skips fsync after each write: faster, but a machine crash can
	// lose the last writes. For tests and benchmarks only.
	NoSync bool
	// Now is the clock used for retention and leases. Default time.Now.
	Now func() time.Time
}

// Store is a store.Store on one bbolt file.
type Store struct {
	db   *bolt.DB
	opts Options

	// buckets holds token buckets for TakeToken. They live in memory: the
	// process that owns the file owns the rate budget.
	mu      sync.Mutex
	buckets map[string]*tokenBucket
	takes   int // TakeToken calls, for pruning buckets

	leaseCalls atomic.Int64 // AcquireLease calls, for sweeping leases
}

var _ store.Store = (*Store)(nil)

// Bucket names.
var (
	bArticles   = []byte("articles")    // id -> storedArticle JSON
	bArtURL     = []byte("art_url")     // url -> id
	bArtGUID    = []byte("art_guid")    // guid -> id
	bArtHash    = []byte("art_hash")    // content hash -> id
	bArtTime    = []byte("art_time")    // ingested(8) + id -> ""
	bArtExp     = []byte("art_exp")     // expires(8) + id -> ""
	bSubs       = []byte("subs")        // platform \0 chat -> Subscription JSON
	bFeeds      = []byte("feeds")       // url -> FeedCursor JSON
	bDelivered  = []byte("delivered")   // platform \0 chat \0 key -> expires(8)
	bDlvExp     = []byte("dlv_exp")     // expires(8) + platform \0 chat \0 key -> ""
	bOutbox     = []byte("outbox")      // id -> OutboxItem JSON
	bOutboxKey  = []byte("outbox_key")  // platform \0 chat \0 key -> id
	bOutboxDue  = []byte("outbox_due")  // due(8) + id -> "" (pending and claimed items)
	bLeases     = []byte("leases")      // name -> lease JSON
	bCheckpoint = []byte("checkpoints") // name -> int64(8)
)

var allBuckets = [][]byte{bArticles, bArtURL, bArtGUID, bArtHash, bArtTime, bArtExp,
	bSubs, bFeeds, bDelivered, bDlvExp, bOutbox, bOutboxKey, bOutboxDue, bLeases, bCheckpoint}

type storedArticle struct {
	Article store.Article `json:"a"`
	Expires int64         `json:"exp"` // unix nanoseconds
}

type lease struct {
	Holder string `json:"holder"`
	Until  int64  `json:"until"` // unix nanoseconds
}

// Open opens (creating if needed) the bbolt file at path. It fails after
// opts.OpenTimeout when another process holds the file.
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("boltstore: open: empty path: %w", store.ErrInvalid)
	}
	if opts.ArticleRetention <= 0 {
		opts.ArticleRetention = DefaultArticleRetention
	}
	if opts.DeliveredRetention <= 0 {
		opts.DeliveredRetention = DefaultDeliveredRetention
	}
	if opts.OpenTimeout <= 0 {
		opts.OpenTimeout = DefaultOpenTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.OpenTimeout, NoSync: opts.NoSync})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("boltstore: open %s: file is locked by another process (is another bot running on this STATE_PATH?): %w", path, err)
		}
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	s := &Store{db: db, opts: opts, buckets: map[string]*tokenBucket{}}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		now := s.now()
		for {
			n, err := sweepArticles(tx, now)
			if err != nil {
				return err
			}
			if n < sweepBatch {
				break
			}
		}
		for {
			n, err := sweepDelivered(tx, now)
			if err != nil {
				return err
			}
			if n < sweepBatch {
				break
			}
		}
		return sweepLeases(tx, now)
	})
	if err != nil {
		_ = db.Close() // the init error is the one worth returning
		return nil, fmt.Errorf("boltstore: open %s: init: %w", path, err)
	}
	return s, nil
}

func (s *Store) now() time.Time { return s.opts.Now() }

// Ping reports whether the file is open.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.db.View(func(*bolt.Tx) error { return nil }); err != nil {
		return fmt.Errorf("boltstore: ping: %w", err)
	}
	return nil
}

// Close closes the file. Stored data, including pending outbox items, stays.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close: %w", err)
	}
	return nil
}

// --- helpers ---

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	n := t.UnixNano()
	if n < 0 {
		return 0
	}
	return n
}

func be(n int64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(n))
	return b
}

func timeKey(n int64, id string) []byte { return append(be(n), id...) }

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

func chatKey(c store.ChatRef) []byte { return []byte(c.Platform + "\x00" + c.ChatID) }

func deliveryKey(c store.ChatRef, key string) []byte {
	return []byte(c.Platform + "\x00" + c.ChatID + "\x00" + key)
}

func invalid(op, what string) error {
	return fmt.Errorf("boltstore: %s: %s: %w", op, what, store.ErrInvalid)
}

func checkChat(op string, c store.ChatRef) error {
	if err := store.ValidateChat(c); err != nil {
		return fmt.Errorf("boltstore: %s: %w", op, err)
	}
	return nil
}

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("decode %q: %w", key, err)
	}
	return true, nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// --- articles ---

// PutArticle stores a unless an unexpired article with the same URL, GUID
// or ContentHash exists (then it returns that id, created=false). At least
// one of the three must be set (ErrInvalid otherwise). An empty ID is
// assigned; a zero Ingested becomes now.
func (s *Store) PutArticle(ctx context.Context, a store.Article) (id string, created bool, err error) {
	if a.URL == "" && a.GUID == "" && a.ContentHash == "" {
		return "", false, invalid("put article", "no URL, GUID or content hash")
	}
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	now := s.now()
	err = s.db.Update(func(tx *bolt.Tx) error {
		if _, err := sweepArticles(tx, now); err != nil {
			return err
		}
		arts := tx.Bucket(bArticles)
		live := func(id []byte) (bool, error) {
			var sa storedArticle
			ok, err := getJSON(arts, id, &sa)
			return ok && sa.Expires > now.UnixNano(), err
		}
		if a.ID != "" {
			if ok, err := live([]byte(a.ID)); err != nil || ok {
				id = a.ID
				return err
			}
		}
		for _, ix := range []struct {
			b   []byte
			val string
		}{{bArtURL, a.URL}, {bArtGUID, a.GUID}, {bArtHash, a.ContentHash}} {
			if ix.val == "" {
				continue
			}
			if other := tx.Bucket(ix.b).Get([]byte(ix.val)); other != nil {
				ok, err := live(other)
				if err != nil {
					return err
				}
				if ok {
					id = string(other)
					return nil
				}
			}
		}
		if a.ID == "" {
			a.ID = randomID()
		}
		if a.Ingested.IsZero() {
			a.Ingested = now
		}
		exp := now.Add(s.opts.ArticleRetention).UnixNano()
		if err := putJSON(arts, []byte(a.ID), storedArticle{Article: a, Expires: exp}); err != nil {
			return err
		}
		for _, ix := range []struct {
			b   []byte
			val string
		}{{bArtURL, a.URL}, {bArtGUID, a.GUID}, {bArtHash, a.ContentHash}} {
			if ix.val == "" {
				continue
			}
			if err := tx.Bucket(ix.b).Put([]byte(ix.val), []byte(a.ID)); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bArtTime).Put(timeKey(nanos(a.Ingested), a.ID), nil); err != nil {
			return err
		}
		if err := tx.Bucket(bArtExp).Put(timeKey(exp, a.ID), nil); err != nil {
			return err
		}
		id, created = a.ID, true
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("boltstore: put article: %w", err)
	}
	return id, created, nil
}

// sweepArticles deletes up to sweepBatch expired articles and their index
// entries; it returns how many it deleted.
func sweepArticles(tx *bolt.Tx, now time.Time) (int, error) {
	exp := tx.Bucket(bArtExp)
	arts := tx.Bucket(bArticles)
	var dead [][]byte
	c := exp.Cursor()
	for k, _ := c.First(); k != nil && len(dead) < sweepBatch; k, _ = c.Next() {
		if int64(binary.BigEndian.Uint64(k[:8])) > now.UnixNano() {
			break
		}
		dead = append(dead, append([]byte(nil), k...))
	}
	for _, k := range dead {
		if err := exp.Delete(k); err != nil {
			return 0, err
		}
		id := k[8:]
		var sa storedArticle
		ok, err := getJSON(arts, id, &sa)
		if err != nil || !ok {
			continue // already gone or unreadable: the index entry is what we remove
		}
		if sa.Expires > now.UnixNano() {
			continue // re-stored since: a newer expiry entry exists
		}
		a := sa.Article
		for _, ix := range []struct {
			b   []byte
			val string
		}{{bArtURL, a.URL}, {bArtGUID, a.GUID}, {bArtHash, a.ContentHash}} {
			if ix.val == "" {
				continue
			}
			b := tx.Bucket(ix.b)
			if string(b.Get([]byte(ix.val))) == a.ID {
				if err := b.Delete([]byte(ix.val)); err != nil {
					return 0, err
				}
			}
		}
		if err := tx.Bucket(bArtTime).Delete(timeKey(nanos(a.Ingested), a.ID)); err != nil {
			return 0, err
		}
		if err := arts.Delete(id); err != nil {
			return 0, err
		}
	}
	return len(dead), nil
}

// GetArticle returns the article or store.ErrNotFound (also once expired).
func (s *Store) GetArticle(ctx context.Context, id string) (store.Article, error) {
	if id == "" {
		return store.Article{}, invalid("get article", "empty id")
	}
	if err := ctx.Err(); err != nil {
		return store.Article{}, err
	}
	var sa storedArticle
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bArticles), []byte(id), &sa)
		return err
	})
	if err != nil {
		return store.Article{}, fmt.Errorf("boltstore: get article %s: %w", id, err)
	}
	if !found || sa.Expires <= s.now().UnixNano() {
		return store.Article{}, fmt.Errorf("boltstore: get article %s: %w", id, store.ErrNotFound)
	}
	return sa.Article, nil
}

// RecentArticles returns unexpired articles ingested at or after since,
// newest first, at most limit (limit <= 0: all).
func (s *Store) RecentArticles(ctx context.Context, since time.Time, limit int) ([]store.Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := s.now().UnixNano()
	min := nanos(since)
	var out []store.Article
	err := s.db.View(func(tx *bolt.Tx) error {
		arts := tx.Bucket(bArticles)
		c := tx.Bucket(bArtTime).Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			if int64(binary.BigEndian.Uint64(k[:8])) < min {
				break
			}
			var sa storedArticle
			ok, err := getJSON(arts, k[8:], &sa)
			if err != nil {
				return err
			}
			if !ok || sa.Expires <= now {
				continue
			}
			out = append(out, sa.Article)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: recent articles: %w", err)
	}
	return out, nil
}

// --- subscriptions ---

// PutSubscription creates or replaces the subscription of s.ChatRef. A zero
// Created keeps the stored one (or becomes now); a zero Updated becomes now.
func (s *Store) PutSubscription(ctx context.Context, sub store.Subscription) error {
	if err := store.ValidateSubscription(sub); err != nil {
		return fmt.Errorf("boltstore: put subscription: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now()
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSubs)
		if sub.Created.IsZero() {
			var old store.Subscription
			ok, err := getJSON(b, chatKey(sub.ChatRef), &old)
			if err != nil {
				return err
			}
			if ok && !old.Created.IsZero() {
				sub.Created = old.Created
			} else {
				sub.Created = now
			}
		}
		if sub.Updated.IsZero() {
			sub.Updated = now
		}
		return putJSON(b, chatKey(sub.ChatRef), sub)
	})
	if err != nil {
		return fmt.Errorf("boltstore: put subscription %s: %w", sub.ChatRef, err)
	}
	return nil
}

// GetSubscription returns store.ErrNotFound when the chat has none.
func (s *Store) GetSubscription(ctx context.Context, chat store.ChatRef) (store.Subscription, error) {
	if err := checkChat("get subscription", chat); err != nil {
		return store.Subscription{}, err
	}
	if err := ctx.Err(); err != nil {
		return store.Subscription{}, err
	}
	var sub store.Subscription
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		ok, err = getJSON(tx.Bucket(bSubs), chatKey(chat), &sub)
		return err
	})
	if err != nil {
		return store.Subscription{}, fmt.Errorf("boltstore: get subscription %s: %w", chat, err)
	}
	if !ok {
		return store.Subscription{}, fmt.Errorf("boltstore: get subscription %s: %w", chat, store.ErrNotFound)
	}
	return sub, nil
}

// DeleteSubscription returns store.ErrNotFound when the chat has none.
func (s *Store) DeleteSubscription(ctx context.Context, chat store.ChatRef) error {
	if err := checkChat("delete subscription", chat); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSubs)
		if b.Get(chatKey(chat)) == nil {
			return store.ErrNotFound
		}
		return b.Delete(chatKey(chat))
	})
	if err != nil {
		return fmt.Errorf("boltstore: delete subscription %s: %w", chat, err)
	}
	return nil
}

// Subscriptions lists subscriptions of platform ("" = all) ordered by
// platform, then chat id.
func (s *Store) Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []store.Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bSubs).Cursor()
		prefix := []byte(platform + "\x00")
		k, v := c.First()
		if platform != "" {
			k, v = c.Seek(prefix)
		}
		for ; k != nil; k, v = c.Next() {
			if platform != "" && (len(k) < len(prefix) || string(k[:len(prefix)]) != string(prefix)) {
				break
			}
			var sub store.Subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return fmt.Errorf("decode %q: %w", k, err)
			}
			out = append(out, sub)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: subscriptions: %w", err)
	}
	return out, nil
}

// Deactivate sets Active=false with reason; store.ErrNotFound when absent.
func (s *Store) Deactivate(ctx context.Context, chat store.ChatRef, reason string) error {
	if err := checkChat("deactivate", chat); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now()
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSubs)
		var sub store.Subscription
		ok, err := getJSON(b, chatKey(chat), &sub)
		if err != nil {
			return err
		}
		if !ok {
			return store.ErrNotFound
		}
		sub.Active = false
		sub.InactiveReason = reason
		sub.Updated = now
		return putJSON(b, chatKey(chat), sub)
	})
	if err != nil {
		return fmt.Errorf("boltstore: deactivate %s: %w", chat, err)
	}
	return nil
}

// --- feeds ---

// PutFeed creates or replaces a feed cursor; SeenIDs beyond the newest
// 1000 are dropped.
func (s *Store) PutFeed(ctx context.Context, f store.FeedCursor) error {
	if f.URL == "" {
		return invalid("put feed", "empty URL")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(f.SeenIDs) > maxSeenIDs {
		f.SeenIDs = f.SeenIDs[:maxSeenIDs]
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bFeeds), []byte(f.URL), f)
	})
	if err != nil {
		return fmt.Errorf("boltstore: put feed %s: %w", f.URL, err)
	}
	return nil
}

// GetFeed returns store.ErrNotFound for an unknown URL.
func (s *Store) GetFeed(ctx context.Context, url string) (store.FeedCursor, error) {
	if url == "" {
		return store.FeedCursor{}, invalid("get feed", "empty URL")
	}
	if err := ctx.Err(); err != nil {
		return store.FeedCursor{}, err
	}
	var f store.FeedCursor
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		ok, err = getJSON(tx.Bucket(bFeeds), []byte(url), &f)
		return err
	})
	if err != nil {
		return store.FeedCursor{}, fmt.Errorf("boltstore: get feed %s: %w", url, err)
	}
	if !ok {
		return store.FeedCursor{}, fmt.Errorf("boltstore: get feed %s: %w", url, store.ErrNotFound)
	}
	return f, nil
}

// DeleteFeed returns store.ErrNotFound for an unknown URL.
func (s *Store) DeleteFeed(ctx context.Context, url string) error {
	if url == "" {
		return invalid("delete feed", "empty URL")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bFeeds)
		if b.Get([]byte(url)) == nil {
			return store.ErrNotFound
		}
		return b.Delete([]byte(url))
	})
	if err != nil {
		return fmt.Errorf("boltstore: delete feed %s: %w", url, err)
	}
	return nil
}

// Feeds lists all feed cursors ordered by URL.
func (s *Store) Feeds(ctx context.Context) ([]store.FeedCursor, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []store.FeedCursor
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bFeeds).ForEach(func(k, v []byte) error {
			var f store.FeedCursor
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("decode %q: %w", k, err)
			}
			out = append(out, f)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: feeds: %w", err)
	}
	return out, nil
}

// --- leases and checkpoints ---

// AcquireLease takes or renews name for holder until now+ttl; false when
// another holder has it unexpired.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" {
		return false, invalid("acquire lease", "empty name or holder")
	}
	if ttl <= 0 {
		return false, invalid("acquire lease", "ttl must be positive")
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	now := s.now()
	var got bool
	sweep := s.leaseCalls.Add(1)%256 == 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		if sweep {
			if err := sweepLeases(tx, now); err != nil {
				return err
			}
		}
		b := tx.Bucket(bLeases)
		var l lease
		ok, err := getJSON(b, []byte(name), &l)
		if err != nil {
			return err
		}
		if ok && l.Holder != holder && l.Until > now.UnixNano() {
			return nil
		}
		got = true
		return putJSON(b, []byte(name), lease{Holder: holder, Until: now.Add(ttl).UnixNano()})
	})
	if err != nil {
		return false, fmt.Errorf("boltstore: acquire lease %s: %w", name, err)
	}
	return got, nil
}

// sweepLeases deletes expired leases: names are often one-off (one per
// subscription-day), so they would pile up otherwise.
func sweepLeases(tx *bolt.Tx, now time.Time) error {
	b := tx.Bucket(bLeases)
	var dead [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var l lease
		if err := json.Unmarshal(v, &l); err != nil || l.Until <= now.UnixNano() {
			dead = append(dead, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range dead {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// ReleaseLease drops the lease if holder has it; otherwise it does nothing.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if name == "" || holder == "" {
		return invalid("release lease", "empty name or holder")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bLeases)
		var l lease
		ok, err := getJSON(b, []byte(name), &l)
		if err != nil || !ok || l.Holder != holder {
			return err
		}
		return b.Delete([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("boltstore: release lease %s: %w", name, err)
	}
	return nil
}

// Checkpoint returns the named integer, 0 when never set.
func (s *Store) Checkpoint(ctx context.Context, name string) (int64, error) {
	if name == "" {
		return 0, invalid("checkpoint", "empty name")
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var v int64
	err := s.db.View(func(tx *bolt.Tx) error {
		if raw := tx.Bucket(bCheckpoint).Get([]byte(name)); len(raw) == 8 {
			v = int64(binary.BigEndian.Uint64(raw))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: checkpoint %s: %w", name, err)
	}
	return v, nil
}

// SetCheckpoint stores the named integer.
func (s *Store) SetCheckpoint(ctx context.Context, name string, v int64) error {
	if name == "" {
		return invalid("set checkpoint", "empty name")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bCheckpoint).Put([]byte(name), be(v))
	})
	if err != nil {
		return fmt.Errorf("boltstore: set checkpoint %s: %w", name, err)
	}
	return nil
}
