package ingest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/fetch"
	"newsbrief/store"
)

// Defaults for PollerConfig fields left zero.
const (
	DefaultInterval    = 5 * time.Minute
	DefaultMaxBackoff  = 6 * time.Hour
	DefaultConcurrency = 4
	DefaultMaxItemAge  = 48 * time.Hour
	// SeenCap is how many item ids a cursor keeps (the store keeps >= 500).
	SeenCap = 500
)

// FeedStore is the part of store.Store the Poller uses.
type FeedStore interface {
	PutFeed(ctx context.Context, f store.FeedCursor) error
	GetFeed(ctx context.Context, url string) (store.FeedCursor, error)
	DeleteFeed(ctx context.Context, url string) error
	Feeds(ctx context.Context) ([]store.FeedCursor, error)
}

// Leaser takes named leases (store.Store). With replicas sharing one Redis,
// the Poller takes a lease per feed poll so each feed is polled by one
// replica per interval.
type Leaser interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
}

// PollerConfig configures NewPoller. Store, Fetcher and Ingester are
// required.
type PollerConfig struct {
	Store    FeedStore
	Fetcher  Fetcher
	Ingester *Ingester
	// Feeds are added to the store (if absent) before the first poll
	// (FEEDS).
	Feeds []string
	// Interval between polls of one feed (FEED_INTERVAL, default 5 min).
	Interval time.Duration
	// Jitter spreads feeds over [0, Jitter) after their interval so they
	// are not all polled at once (default Interval/10; negative: none).
	Jitter time.Duration
	// MaxBackoff caps the wait after consecutive failures, which doubles
	// the interval per failure (default 6 h).
	MaxBackoff time.Duration
	// MaxItemAge skips items published longer ago than this (relative to
	// the poll time), so adding a feed does not flood instant subscribers
	// with its back catalogue (default 48 h; negative: no limit). Items
	// without a date are always taken.
	MaxItemAge time.Duration
	// Concurrency is how many hosts are polled at once; feeds of one host
	// are always polled one at a time (default 4).
	Concurrency int
	// Leases, when set, makes replicas share the work: a feed is polled
	// only by the replica holding its lease "feed-poll:<url>" (taken for
	// one interval and left to expire). Holder names this replica
	// (default: host name, pid and a random suffix).
	Leases Leaser
	Holder string
	// Now is the clock used by Run (time.Now when nil).
	Now    func() time.Time
	Logger *slog.Logger
	// Registerer receives the feed metrics; nil registers nothing.
	Registerer prometheus.Registerer
}

// Poller polls feeds and ingests their new items. Run drives it on a
// ticker; PollOnce does one round synchronously.
type Poller struct {
	cfg PollerConfig
	log *slog.Logger

	polls    *prometheus.CounterVec
	failures *prometheus.CounterVec
	failing  *prometheus.GaugeVec
	lastOK   *prometheus.GaugeVec
	items    *prometheus.CounterVec

	seedMu sync.Mutex
	seeded bool
}

// NewPoller returns a Poller. It fails when a required field is missing,
// a feed in Feeds is not an http(s) URL, or metrics cannot be registered.
func NewPoller(cfg PollerConfig) (*Poller, error) {
	if cfg.Store == nil || cfg.Fetcher == nil || cfg.Ingester == nil {
		return nil, errors.New("ingest: PollerConfig needs Store, Fetcher and Ingester")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Jitter == 0 {
		cfg.Jitter = cfg.Interval / 10
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.MaxItemAge == 0 {
		cfg.MaxItemAge = DefaultMaxItemAge
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Holder == "" {
		host, _ := os.Hostname() // best effort: the suffix keeps it unique
		var b [4]byte
		_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
		cfg.Holder = fmt.Sprintf("%s-%d-%x", host, os.Getpid(), b)
	}
	feeds := make([]string, 0, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		u, err := checkFeedURL(f)
		if err != nil {
			return nil, fmt.Errorf("ingest: FEEDS: %w", err)
		}
		feeds = append(feeds, u)
	}
	cfg.Feeds = feeds
	p := &Poller{
		cfg: cfg,
		log: orDiscard(cfg.Logger).With("component", "poller"),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsbrief_feed_polls_total",
			Help: "Feed polls by result (ok, not_modified, error).",
		}, []string{"result"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsbrief_feed_errors_total",
			Help: "Failed polls per feed.",
		}, []string{"feed"}),
		failing: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsbrief_feed_consecutive_failures",
			Help: "Consecutive failed polls per feed (0 = healthy).",
		}, []string{"feed"}),
		lastOK: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsbrief_feed_last_success_timestamp_seconds",
			Help: "Unix time of the last successful poll per feed.",
		}, []string{"feed"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsbrief_feed_items_total",
			Help: "New feed items by result (created, duplicate, skipped, too_old, error).",
		}, []string{"result"}),
	}
	if err := register(cfg.Registerer, p.polls, p.failures, p.failing, p.lastOK, p.items); err != nil {
		return nil, err
	}
	return p, nil
}

func checkFeedURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("feed URL %q: %w: expected an http or https URL", raw, ErrInvalid)
	}
	return raw, nil
}

// AddFeed starts polling rawURL (from its next round). Adding a feed that
// is already polled changes nothing. ErrInvalid for a URL that is not http
// or https.
func (p *Poller) AddFeed(ctx context.Context, rawURL string) error {
	u, err := checkFeedURL(rawURL)
	if err != nil {
		return err
	}
	if _, err := p.cfg.Store.GetFeed(ctx, u); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("add feed %s: %w", u, err)
	}
	if err := p.cfg.Store.PutFeed(ctx, store.FeedCursor{URL: u}); err != nil {
		return fmt.Errorf("add feed %s: %w", u, err)
	}
	return nil
}

// RemoveFeed stops polling rawURL; store.ErrNotFound when it is not polled.
func (p *Poller) RemoveFeed(ctx context.Context, rawURL string) error {
	u := strings.TrimSpace(rawURL)
	if err := p.cfg.Store.DeleteFeed(ctx, u); err != nil {
		return fmt.Errorf("remove feed %s: %w", u, err)
	}
	p.failures.DeleteLabelValues(redact(u))
	p.failing.DeleteLabelValues(redact(u))
	p.lastOK.DeleteLabelValues(redact(u))
	return nil
}

// Sources lists the polled feeds with their health: LastSuccess, and
// LastError/LastErrorAt/Failures when the latest polls failed (LastError is
// cleared by a successful poll).
func (p *Poller) Sources(ctx context.Context) ([]store.FeedCursor, error) {
	fs, err := p.cfg.Store.Feeds(ctx)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return fs, nil
}

// seed adds cfg.Feeds once.
func (p *Poller) seed(ctx context.Context) error {
	p.seedMu.Lock()
	defer p.seedMu.Unlock()
	if p.seeded {
		return nil
	}
	for _, f := range p.cfg.Feeds {
		if err := p.AddFeed(ctx, f); err != nil {
			return err
		}
	}
	p.seeded = true
	return nil
}

// Run polls due feeds until ctx is done, checking every tenth of the
// interval (between 1 s and 1 min). It returns nil when ctx is canceled,
// or an error if the configured feeds cannot be stored.
func (p *Poller) Run(ctx context.Context) error {
	if err := p.seed(ctx); err != nil {
		return err
	}
	tick := min(max(p.cfg.Interval/10, time.Second), time.Minute)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if err := p.PollOnce(ctx, p.cfg.Now()); err != nil && ctx.Err() == nil {
			p.log.Error("poll round failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PollOnce polls every feed that is due at now and waits for them. A feed's
// failure is recorded in its cursor, logged and counted, and never stops the
// other feeds; PollOnce itself fails only when the feeds cannot be listed
// (or the configured ones stored).
func (p *Poller) PollOnce(ctx context.Context, now time.Time) error {
	if err := p.seed(ctx); err != nil {
		return err
	}
	feeds, err := p.cfg.Store.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("list feeds: %w", err)
	}
	byHost := map[string][]store.FeedCursor{}
	var hosts []string
	for _, f := range feeds {
		if now.Before(p.nextPoll(f)) {
			continue
		}
		h := strings.ToLower(hostOf(f.URL))
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], f)
	}
	sort.Strings(hosts)
	sem := make(chan struct{}, p.cfg.Concurrency)
	var wg sync.WaitGroup
	for _, h := range hosts {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func(fs []store.FeedCursor) {
			defer wg.Done()
			defer func() { <-sem }()
			for _, f := range fs { // one host, one feed at a time
				if ctx.Err() != nil {
					return
				}
				if f, ok := p.lease(ctx, f, now); ok {
					p.pollFeed(ctx, f, now)
				}
			}
		}(byHost[h])
	}
	wg.Wait()
	return nil
}

// lease takes the feed's poll lease when Leases is set and returns the
// current cursor, still due; ok=false when another replica has it or polled
// it since f was read.
func (p *Poller) lease(ctx context.Context, f store.FeedCursor, now time.Time) (store.FeedCursor, bool) {
	if p.cfg.Leases == nil {
		return f, true
	}
	ttl := max(p.cfg.Interval, time.Second)
	ok, err := p.cfg.Leases.AcquireLease(ctx, "feed-poll:"+f.URL, p.cfg.Holder, ttl)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Warn("feed lease failed; skipping this round", "feed_url", redact(f.URL), "error", err)
		}
		return f, false
	}
	if !ok {
		return f, false
	}
	cur, err := p.cfg.Store.GetFeed(ctx, f.URL)
	if err != nil || now.Before(p.nextPoll(cur)) {
		return f, false // removed, or polled by another replica meanwhile
	}
	return cur, true
}

// nextPoll is when f is due: its last poll plus the interval, doubled per
// consecutive failure up to MaxBackoff, plus a stable per-feed jitter.
func (p *Poller) nextPoll(f store.FeedCursor) time.Time {
	if f.LastPoll.IsZero() {
		return time.Time{}
	}
	wait := p.cfg.Interval
	for i := 0; i < f.Failures && wait < p.cfg.MaxBackoff; i++ {
		wait *= 2
	}
	wait = min(wait, max(p.cfg.MaxBackoff, p.cfg.Interval))
	if p.cfg.Jitter > 0 {
		h := fnv.New64a()
		_, _ = h.Write([]byte(f.URL)) // hash writes never fail
		wait += time.Duration(h.Sum64() % uint64(p.cfg.Jitter))
	}
	return f.LastPoll.Add(wait)
}

// pollFeed polls one feed and records the outcome in its cursor.
func (p *Poller) pollFeed(ctx context.Context, f store.FeedCursor, now time.Time) {
	log := p.log.With("feed_url", redact(f.URL))
	f.LastPoll = now
	n, notModified, err := p.fetchAndIngest(ctx, &f, now)
	if err != nil {
		if ctx.Err() != nil {
			return // shutting down: not the feed's fault
		}
		f.Failures++
		f.LastError = err.Error()
		f.LastErrorAt = now
		p.polls.WithLabelValues("error").Inc()
		p.failures.WithLabelValues(redact(f.URL)).Inc()
		p.failing.WithLabelValues(redact(f.URL)).Set(float64(f.Failures))
		log.Warn("feed poll failed", "error", err, "failures", f.Failures, "next_poll", p.nextPoll(f))
	} else {
		f.Failures = 0
		f.LastError = ""
		f.LastSuccess = now
		result := "ok"
		if notModified {
			result = "not_modified"
		}
		p.polls.WithLabelValues(result).Inc()
		p.failing.WithLabelValues(redact(f.URL)).Set(0)
		p.lastOK.WithLabelValues(redact(f.URL)).Set(float64(now.Unix()))
		log.Debug("feed polled", "result", result, "new_items", n)
	}
	// A feed removed while it was being polled stays removed.
	if _, err := p.cfg.Store.GetFeed(ctx, f.URL); errors.Is(err, store.ErrNotFound) {
		return
	}
	if err := p.cfg.Store.PutFeed(ctx, f); err != nil && ctx.Err() == nil {
		log.Error("save feed cursor", "error", err)
	}
}

// fetchAndIngest fetches f (conditionally), parses it and ingests unseen
// items, updating f's validators, title and seen ids. It returns the number
// of new items.
func (p *Poller) fetchAndIngest(ctx context.Context, f *store.FeedCursor, now time.Time) (int, bool, error) {
	opts := []fetch.RequestOption{fetch.WithAccept(append(append([]string{}, fetch.FeedTypes...), "text/plain", "text/html")...)}
	if f.ETag != "" {
		opts = append(opts, fetch.WithETag(f.ETag))
	}
	if f.LastModified != "" {
		opts = append(opts, fetch.WithLastModified(f.LastModified))
	}
	resp, err := p.cfg.Fetcher.Get(ctx, f.URL, opts...)
	if err != nil {
		return 0, false, err
	}
	if resp.NotModified {
		return 0, true, nil
	}
	title, items, err := parseFeed(resp.Body, f.URL)
	if err != nil {
		return 0, false, err
	}
	if title != "" {
		f.Title = title
	}
	seen := make(map[string]bool, len(f.SeenIDs))
	for _, id := range f.SeenIDs {
		seen[id] = true
	}
	var fresh []string
	for _, item := range items {
		id, in := item.id, item.in
		if seen[id] {
			continue
		}
		if p.cfg.MaxItemAge > 0 && !in.Published.IsZero() && in.Published.Before(now.Add(-p.cfg.MaxItemAge)) {
			p.items.WithLabelValues("too_old").Inc()
			seen[id] = true
			fresh = append(fresh, id)
			continue
		}
		_, created, err := p.cfg.Ingester.Ingest(ctx, in)
		switch {
		case errors.Is(err, ErrNoText), errors.Is(err, ErrInvalid):
			p.items.WithLabelValues("skipped").Inc()
			p.log.Debug("feed item skipped", "feed_url", redact(f.URL), "item", id, "error", err)
		case err != nil:
			// Store trouble: stop here, keep the item unseen for next time.
			p.items.WithLabelValues("error").Inc()
			f.SeenIDs = mergeSeen(f.SeenIDs, fresh)
			return len(fresh), false, fmt.Errorf("ingest item %s: %w", id, err)
		case created:
			p.items.WithLabelValues("created").Inc()
		default:
			p.items.WithLabelValues("duplicate").Inc()
		}
		seen[id] = true
		fresh = append(fresh, id)
	}
	f.SeenIDs = mergeSeen(f.SeenIDs, fresh)
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	return len(fresh), false, nil
}

type feedItem struct {
	id string
	in Input
}

// parseFeed parses an RSS, Atom or JSON feed into inputs, oldest first (so
// alerts keep the feed's order), skipping items with no id. Item HTML is
// converted to text and links are resolved against feedURL.
func parseFeed(body []byte, feedURL string) (title string, items []feedItem, err error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return "", nil, fmt.Errorf("%s is not a valid RSS, Atom or JSON feed: %w", hostOf(feedURL), err)
	}
	for i := len(feed.Items) - 1; i >= 0; i-- {
		it := feed.Items[i]
		if it == nil {
			continue
		}
		id := itemID(it)
		if id == "" {
			continue
		}
		items = append(items, feedItem{id: id, in: itemInput(it, feed, feedURL)})
	}
	return normaliseText(feed.Title), items, nil
}

// mergeSeen puts fresh ids (oldest first) in front of seen (newest first),
// capped at SeenCap.
func mergeSeen(seen, fresh []string) []string {
	out := make([]string, 0, min(len(seen)+len(fresh), SeenCap))
	for i := len(fresh) - 1; i >= 0 && len(out) < SeenCap; i-- {
		out = append(out, fresh[i])
	}
	for _, id := range seen {
		if len(out) >= SeenCap {
			break
		}
		out = append(out, id)
	}
	return out
}

// itemID is the GUID, else the link, else a hash of title and text.
func itemID(it *gofeed.Item) string {
	if g := strings.TrimSpace(it.GUID); g != "" {
		return g
	}
	if l := strings.TrimSpace(it.Link); l != "" {
		return l
	}
	if it.Title == "" && it.Description == "" && it.Content == "" {
		return ""
	}
	h := ContentHash(it.Title + "\n" + it.Description + "\n" + it.Content)
	if h == "" {
		return ""
	}
	return "hash:" + h[:32]
}

func itemInput(it *gofeed.Item, feed *gofeed.Feed, feedURL string) Input {
	body := HTMLToText(it.Content)
	if d := HTMLToText(it.Description); len(d) > len(body) {
		body = d
	}
	link := strings.TrimSpace(it.Link)
	if link != "" {
		if base, err := url.Parse(feedURL); err == nil {
			if u, err := base.Parse(link); err == nil {
				link = u.String()
			}
		}
	}
	in := Input{
		Title:  HTMLToText(it.Title),
		URL:    link,
		GUID:   strings.TrimSpace(it.GUID),
		Body:   body,
		Source: normaliseText(feed.Title),
		Feed:   feedURL,
	}
	if in.Source == "" {
		in.Source = hostOf(feedURL)
	}
	switch {
	case it.PublishedParsed != nil:
		in.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		in.Published = it.UpdatedParsed.UTC()
	}
	if _, err := CanonicalURL(in.URL); err != nil {
		in.URL = "" // e.g. a tag: or urn: link; the GUID still dedups
	}
	return in
}

// redact hides what may be a secret in a feed URL (a password, a query
// such as ?token=…) before it reaches logs or metric labels.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "invalid-url"
	}
	if u.RawQuery != "" {
		// A short hash keeps feeds that differ only in the query apart.
		h := fnv.New32a()
		_, _ = h.Write([]byte(u.RawQuery)) // hash writes never fail
		u.RawQuery = fmt.Sprintf("redacted-%08x", h.Sum32())
	}
	return u.Redacted()
}
