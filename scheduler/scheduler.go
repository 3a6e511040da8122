// Package scheduler sends each digest-mode subscription one digest a day at
// its local time, exactly once, whatever the number of replicas.
//
// The work is RunDue(ctx, now): for every active digest subscription whose
// latest scheduled time (its HH:MM on a local date, in its time zone) has
// passed within the catch-up grace and whose previous digest was for an
// earlier local date, it takes a store lease named for the subscription and
// that date (so replicas sharing one Redis build it once), builds the
// digest of the articles since the previous digest with digest.Build,
// enqueues it under the idempotency key "digest:<YYYY-MM-DD>" (so even a
// repeated build is delivered once) and records the period's end in
// Subscription.LastDigest.
//
// Run drives RunDue: robfig/cron fires it at each distinct (zone, HH:MM)
// of the current subscriptions (cron entries are re-synced from the store
// every SyncInterval, so a changed time or zone takes effect without a
// restart), and the sync tick calls it too, which also covers any minute
// cron would skip or repeat at a DST change. Correctness never depends on
// cron firing exactly once: deciding "due" from dates does.
//
// DST: a digest time that does not exist on a spring-forward day (02:30 in
// New York) is sent as far after the change as it would have been after
// the old offset's hour (03:30); a time that occurs twice on a fall-back day
// is sent at its first occurrence only.
// Either way there is exactly one digest per local date.
package scheduler

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"newsbrief/bot"
	"newsbrief/digest"
	"newsbrief/store"
	"newsbrief/topic"
)

// Store is the part of store.Store the scheduler uses.
type Store interface {
	Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error)
	GetSubscription(ctx context.Context, chat store.ChatRef) (store.Subscription, error)
	PutSubscription(ctx context.Context, s store.Subscription) error
	RecentArticles(ctx context.Context, since time.Time, limit int) ([]store.Article, error)
	Enqueue(ctx context.Context, it store.OutboxItem) (string, bool, error)
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
}

// Defaults.
const (
	// DefaultGrace is how late a missed digest is still sent (DIGEST_GRACE).
	DefaultGrace = 6 * time.Hour
	// DefaultSyncInterval is how often cron entries are re-read from the
	// store (and RunDue runs as a safety net).
	DefaultSyncInterval = time.Minute
	// DefaultLeaseTTL is how long a subscription-day lease is held: long
	// enough to build and enqueue, short enough that a replica that died
	// holding it is replaced well within the grace.
	DefaultLeaseTTL = 10 * time.Minute
	// DefaultWindow is the period of a first digest and of DigestNow.
	DefaultWindow = 24 * time.Hour
	// DefaultMaxPeriod caps the period of one digest after a long outage.
	DefaultMaxPeriod = 7 * 24 * time.Hour
	// slack is the minimum lateness always accepted, so an on-time run
	// (cron, or the sync tick a few seconds after the minute) is never
	// "too late" even with Grace 0.
	slack = 2 * time.Minute
)

// EmptyText is the one-line message of a day with nothing new.
const EmptyText = "Nothing new since the last digest."

// Config configures a Scheduler. Store is required.
type Config struct {
	Store Store
	// Grace: a digest due while the process was down is still sent if at
	// most this late (DefaultGrace is the usual value; 0 sends only digests
	// that are on time, within two minutes).
	Grace time.Duration
	// SendEmpty sends EmptyText on a day with nothing new; otherwise such a
	// day sends nothing (LastDigest still advances).
	SendEmpty bool
	// DefaultTime ("HH:MM", DIGEST_TIME) and DefaultZone (an IANA name,
	// DIGEST_TIMEZONE) apply to a digest subscription stored without a time
	// or zone; empty means "08:00" and UTC.
	DefaultTime, DefaultZone string
	// DigestOptions are passed to digest.Build (Location is set per
	// subscription).
	DigestOptions digest.Options
	// SyncInterval (DefaultSyncInterval), LeaseTTL (DefaultLeaseTTL).
	SyncInterval time.Duration
	LeaseTTL     time.Duration
	// Name is this replica's lease holder name (host-pid-random).
	Name string
	// Now is the clock (time.Now).
	Now func() time.Time
	// OnEnqueue is called after digests were enqueued (e.g. the delivery
	// worker's Wake). Optional.
	OnEnqueue func()
	Logger    *slog.Logger
	// Registerer receives the metrics; nil registers nothing.
	Registerer prometheus.Registerer
}

// Scheduler builds and enqueues daily digests.
type Scheduler struct {
	cfg Config
	log *slog.Logger
	m   metrics

	runMu sync.Mutex // one RunDue at a time in this process

	cronMu  sync.Mutex
	entries map[string]cron.EntryID // spec -> entry
}

// New returns a Scheduler for cfg with defaults filled in.
func New(cfg Config) *Scheduler {
	if cfg.Grace < 0 {
		cfg.Grace = 0
	}
	if cfg.SyncInterval <= 0 {
		cfg.SyncInterval = DefaultSyncInterval
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = DefaultLeaseTTL
	}
	if cfg.Name == "" {
		host, _ := os.Hostname() // pid and random part still identify us
		var b [4]byte
		_, _ = crand.Read(b[:]) // never fails on supported platforms
		cfg.Name = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.DefaultTime == "" {
		cfg.DefaultTime = "08:00"
	}
	return &Scheduler{
		cfg:     cfg,
		log:     cfg.Logger.With("component", "scheduler"),
		m:       newMetrics(cfg.Registerer),
		entries: map[string]cron.EntryID{},
	}
}

// Run runs RunDue at once (the start-up catch-up), then at every
// subscription's digest time and every SyncInterval, until ctx is
// cancelled; it then stops cron, waits for a running RunDue and returns
// nil.
func (s *Scheduler) Run(ctx context.Context) error {
	if s.cfg.Store == nil {
		return errors.New("scheduler: no store configured")
	}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cronLogger{s.log}))
	tick := func() {
		if err := s.syncEntries(ctx, c); err != nil && ctx.Err() == nil {
			s.log.Error("sync digest schedules", "error", err)
		}
		if err := s.RunDue(ctx, s.cfg.Now()); err != nil && ctx.Err() == nil {
			s.log.Error("run due digests", "error", err)
		}
	}
	tick()
	c.Start()
	t := time.NewTicker(s.cfg.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			<-c.Stop().Done()
			s.log.Info("scheduler stopped")
			return nil
		case <-t.C:
			tick()
		}
	}
}

// withDefaults fills an unset digest time or zone from the configuration.
func (s *Scheduler) withDefaults(sub store.Subscription) store.Subscription {
	if sub.DigestTime == "" {
		sub.DigestTime = s.cfg.DefaultTime
	}
	if sub.TimeZone == "" {
		sub.TimeZone = s.cfg.DefaultZone
	}
	return sub
}

// Spec returns the cron spec of a subscription's digest time,
// "CRON_TZ=<zone> MM HH * * *".
func Spec(sub store.Subscription) (string, error) {
	hh, mm, err := parseHHMM(sub.DigestTime)
	if err != nil {
		return "", err
	}
	loc, err := zone(sub.TimeZone)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("CRON_TZ=%s %d %d * * *", loc.String(), mm, hh), nil
}

// syncEntries makes c hold one entry per distinct digest schedule among the
// active digest subscriptions (subscriptions sharing a zone and time share
// an entry, whose job runs RunDue).
func (s *Scheduler) syncEntries(ctx context.Context, c *cron.Cron) error {
	subs, err := s.cfg.Store.Subscriptions(ctx, "")
	if err != nil {
		return fmt.Errorf("scheduler: sync: list subscriptions: %w", err)
	}
	want := map[string]bool{}
	for _, sub := range subs {
		if !sub.Active || sub.Mode != store.ModeDigest {
			continue
		}
		spec, err := Spec(s.withDefaults(sub))
		if err != nil {
			s.log.Warn("subscription has no valid digest schedule", "chat", sub.ChatRef.String(), "error", err)
			continue
		}
		want[spec] = true
	}
	s.cronMu.Lock()
	defer s.cronMu.Unlock()
	for spec, id := range s.entries {
		if !want[spec] {
			c.Remove(id)
			delete(s.entries, spec)
		}
	}
	for spec := range want {
		if _, ok := s.entries[spec]; ok {
			continue
		}
		id, err := c.AddFunc(spec, func() {
			if err := s.RunDue(ctx, s.cfg.Now()); err != nil && ctx.Err() == nil {
				s.log.Error("run due digests", "error", err)
			}
		})
		if err != nil {
			s.log.Warn("add cron entry", "spec", spec, "error", err)
			continue
		}
		s.entries[spec] = id
	}
	s.m.schedules.Set(float64(len(s.entries)))
	return nil
}

// Entries returns the cron specs currently scheduled, sorted.
func (s *Scheduler) Entries() []string {
	s.cronMu.Lock()
	defer s.cronMu.Unlock()
	out := make([]string, 0, len(s.entries))
	for spec := range s.entries {
		out = append(out, spec)
	}
	slices.Sort(out)
	return out
}

// due is one subscription-day to build.
type due struct {
	sub  store.Subscription
	loc  *time.Location
	date string    // local date, YYYY-MM-DD
	at   time.Time // scheduled instant; the period ends here
}

// Due reports whether sub's digest is due at now: the local date and
// scheduled instant of its latest digest time at or before now, and whether
// that digest is still to be made (its date is after the date of
// LastDigest, it is at most Grace late, and — for a subscription that never
// had a digest — it was scheduled after the subscription last changed).
func (s *Scheduler) Due(sub store.Subscription, now time.Time) (date string, at time.Time, ok bool) {
	d, ok := s.due(sub, now)
	return d.date, d.at, ok
}

func (s *Scheduler) due(sub store.Subscription, now time.Time) (due, bool) {
	if !sub.Active || sub.Mode != store.ModeDigest {
		return due{}, false
	}
	sub = s.withDefaults(sub)
	hh, mm, err := parseHHMM(sub.DigestTime)
	if err != nil {
		return due{}, false
	}
	loc, err := zone(sub.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	local := now.In(loc)
	y, mo, d := local.Date()
	at := wallTime(y, mo, d, hh, mm, loc)
	if at.After(now) {
		y, mo, d = time.Date(y, mo, d-1, 12, 0, 0, 0, loc).Date()
		at = wallTime(y, mo, d, hh, mm, loc)
	}
	date := fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
	if now.Sub(at) > max(s.cfg.Grace, slack) {
		return due{}, false // missed beyond the grace: the next day's covers it
	}
	if !sub.LastDigest.IsZero() {
		if sub.LastDigest.In(loc).Format(time.DateOnly) >= date {
			return due{}, false
		}
	} else {
		changed := sub.Updated
		if changed.IsZero() {
			changed = sub.Created
		}
		if !at.After(changed) {
			return due{}, false // subscribed after today's time: starts tomorrow
		}
	}
	return due{sub: sub, loc: loc, date: date, at: at}, true
}

// LeaseName is the store lease that makes one replica build a
// subscription's digest for a local date.
func LeaseName(chat store.ChatRef, date string) string {
	return "digest:" + chat.Platform + ":" + chat.ChatID + ":" + date
}

// DigestKey is the outbox idempotency key of the digest for a local date.
func DigestKey(date string) string { return "digest:" + date }

// RunDue builds and enqueues every digest due at now. Each subscription is
// handled on its own: one failing does not stop the others; the errors are
// joined.
func (s *Scheduler) RunDue(ctx context.Context, now time.Time) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	subs, err := s.cfg.Store.Subscriptions(ctx, "")
	if err != nil {
		return fmt.Errorf("scheduler: list subscriptions: %w", err)
	}
	var dues []due
	for _, sub := range subs {
		if d, ok := s.due(sub, now); ok {
			dues = append(dues, d)
		}
	}
	if len(dues) == 0 {
		return nil
	}
	// One article read serves every due subscription.
	since := dues[0].at
	for _, d := range dues {
		since = minTime(since, s.periodStart(d.sub, d.at))
	}
	arts, err := s.cfg.Store.RecentArticles(ctx, since, 0)
	if err != nil {
		return fmt.Errorf("scheduler: recent articles since %s: %w", since.Format(time.RFC3339), err)
	}
	var errs []error
	enqueued := 0
	for _, d := range dues {
		ok, err := s.runOne(ctx, d, now, arts)
		if err != nil {
			errs = append(errs, err)
			s.m.failed.Inc()
			if ctx.Err() != nil {
				break
			}
		}
		if ok {
			enqueued++
		}
	}
	if enqueued > 0 && s.cfg.OnEnqueue != nil {
		s.cfg.OnEnqueue()
	}
	return errors.Join(errs...)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// periodStart is where sub's digest ending at `at` begins.
func (s *Scheduler) periodStart(sub store.Subscription, at time.Time) time.Time {
	from := sub.LastDigest
	if from.IsZero() {
		from = at.Add(-DefaultWindow)
	}
	if floor := at.Add(-DefaultMaxPeriod); from.Before(floor) {
		from = floor
	}
	return from
}

// runOne builds, enqueues and records one subscription-day; it reports
// whether a new outbox item was enqueued.
func (s *Scheduler) runOne(ctx context.Context, d due, now time.Time, arts []store.Article) (bool, error) {
	chat := d.sub.ChatRef
	log := s.log.With("chat", chat.String(), "date", d.date)
	got, err := s.cfg.Store.AcquireLease(ctx, LeaseName(chat, d.date), s.cfg.Name, s.cfg.LeaseTTL)
	if err != nil {
		return false, fmt.Errorf("scheduler: lease %s %s: %w", chat, d.date, err)
	}
	if !got {
		s.m.skipped.WithLabelValues("leased").Inc()
		return false, nil // another replica is on it
	}
	// Re-read under the lease: another replica may have finished it, or
	// the user changed the subscription since the list was read.
	sub, err := s.cfg.Store.GetSubscription(ctx, chat)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("scheduler: reload subscription %s: %w", chat, err)
	}
	d2, ok := s.due(sub, now)
	if !ok || d2.date != d.date {
		s.m.skipped.WithLabelValues("done").Inc()
		return false, nil
	}
	from := s.periodStart(sub, d.at)
	dg, err := s.build(sub, d.loc, d.date, from, d.at, arts)
	if err != nil {
		return false, err
	}
	s.m.built.Inc()

	enqueued := false
	if !dg.Empty() || s.cfg.SendEmpty {
		m := bot.Message{Kind: bot.KindDigest, Digest: &dg, NoPreview: true}
		if dg.Empty() {
			m = bot.Message{Kind: bot.KindText, Text: EmptyText}
		}
		payload, err := bot.EncodeMessage(m)
		if err != nil {
			return false, fmt.Errorf("scheduler: digest %s %s: %w", chat, d.date, err)
		}
		_, enqueued, err = s.cfg.Store.Enqueue(ctx, store.OutboxItem{
			Key:      DigestKey(d.date),
			Chat:     chat,
			ThreadID: sub.ThreadID,
			Kind:     m.Kind,
			Payload:  payload,
			Created:  now,
		})
		if err != nil {
			return false, fmt.Errorf("scheduler: enqueue digest %s %s: %w", chat, d.date, err)
		}
		if enqueued {
			s.m.enqueued.WithLabelValues(kindLabel(dg)).Inc()
		}
	} else {
		s.m.skipped.WithLabelValues("empty").Inc()
	}
	sub.LastDigest = d.at
	if err := s.cfg.Store.PutSubscription(ctx, sub); err != nil {
		// The item is enqueued (idempotently): the next run rebuilds, finds
		// the key taken and records LastDigest then.
		return enqueued, fmt.Errorf("scheduler: record digest %s %s: %w", chat, d.date, err)
	}
	log.Info("digest enqueued", "articles", len(dg.Articles), "new", enqueued, "late", now.Sub(d.at).Round(time.Second))
	return enqueued, nil
}

func kindLabel(d digest.Digest) string {
	if d.Empty() {
		return "empty"
	}
	return "digest"
}

// build makes sub's digest of the articles ingested in (from, to] that pass
// its topic filter.
func (s *Scheduler) build(sub store.Subscription, loc *time.Location, date string, from, to time.Time, arts []store.Article) (digest.Digest, error) {
	f, err := topic.Parse(sub.Topics)
	if err != nil {
		return digest.Digest{}, fmt.Errorf("scheduler: digest %s: topics: %w", sub.ChatRef, err)
	}
	var entries []digest.Entry
	for _, a := range arts {
		if !a.Ingested.After(from) || a.Ingested.After(to) {
			continue
		}
		if !f.Match(a.Title, a.Body, a.Briefing) {
			continue
		}
		entries = append(entries, digest.Entry{
			Source:   digest.Source{Title: a.Title, URL: a.URL, Source: a.Source},
			Briefing: a.Briefing,
			Ingested: a.Ingested,
		})
	}
	opts := s.cfg.DigestOptions
	opts.Location = loc
	return digest.Build(date, from, to, entries, opts), nil
}

// DigestNow returns sub's digest of the DefaultWindow before now (for the
// /digest command), dated now's local date. It enqueues nothing and does
// not touch LastDigest.
func (s *Scheduler) DigestNow(ctx context.Context, sub store.Subscription, now time.Time) (digest.Digest, error) {
	loc, err := zone(s.withDefaults(sub).TimeZone)
	if err != nil {
		loc = time.UTC
	}
	from := now.Add(-DefaultWindow)
	arts, err := s.cfg.Store.RecentArticles(ctx, from, 0)
	if err != nil {
		return digest.Digest{}, fmt.Errorf("scheduler: digest now %s: %w", sub.ChatRef, err)
	}
	return s.build(sub, loc, now.In(loc).Format(time.DateOnly), from, now, arts)
}

// wallTime is the instant of hh:mm on a local date. A time that occurs twice
// (fall-back) is its first occurrence; a time skipped by a spring-forward
// change is read with the offset from before the change, which puts it
// the same distance after the change (02:30 in New York becomes 03:30
// EDT). time.Date leaves both cases unspecified, so they are made explicit.
func wallTime(y int, mo time.Month, d, hh, mm int, loc *time.Location) time.Time {
	t := time.Date(y, mo, d, hh, mm, 0, 0, loc)
	naive := time.Date(y, mo, d, hh, mm, 0, 0, time.UTC)
	if t.Hour() == hh && t.Minute() == mm {
		// Existing time: prefer the earlier instant if it occurs twice.
		for _, back := range []time.Duration{time.Hour, 30 * time.Minute, 2 * time.Hour} {
			if e := t.Add(-back); e.In(loc).Hour() == hh && e.In(loc).Minute() == mm && e.In(loc).Day() == d {
				return e
			}
		}
		return t
	}
	_, off := naive.Add(-24 * time.Hour).In(loc).Zone()
	return naive.Add(-time.Duration(off) * time.Second)
}

func parseHHMM(s string) (hh, mm int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, 0, fmt.Errorf("digest time %q is not HH:MM: %w", s, store.ErrInvalid)
	}
	return t.Hour(), t.Minute(), nil
}

// zone loads an IANA zone; "" is UTC. "Local" is refused: a server's zone
// must not decide a subscriber's breakfast time.
func zone(name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if name == "Local" {
		return nil, fmt.Errorf("time zone %q: %w", name, store.ErrInvalid)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w: %w", name, store.ErrInvalid, err)
	}
	return loc, nil
}

// cronLogger routes cron's own messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	l.log.Debug("cron: "+msg, sanitizeKV(kv)...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(sanitizeKV(kv), "error", err)...)
}

// sanitizeKV makes cron's key/value pairs (keys may not be strings)
// acceptable to slog.
func sanitizeKV(kv []any) []any {
	out := make([]any, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, fmt.Sprint(kv[i]), kv[i+1])
	}
	return out
}
