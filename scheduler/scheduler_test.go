package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"newsbrief/bot"
	"newsbrief/briefing"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openStore(t *testing.T, c *clock) *boltstore.Store {
	t.Helper()
	opts := boltstore.Options{NoSync: true}
	if c != nil {
		opts.Now = c.Now
	}
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "bolt.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() }) // test teardown; nothing to report
	return s
}

func load(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func tg(id string) store.ChatRef { return store.ChatRef{Platform: store.Telegram, ChatID: id} }

func putSub(t *testing.T, s Store, sub store.Subscription) {
	t.Helper()
	if sub.Mode == "" {
		sub.Mode = store.ModeDigest
	}
	sub.Active = true
	if err := s.PutSubscription(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
}

func items(t *testing.T, s *boltstore.Store) []store.OutboxItem {
	t.Helper()
	its, err := s.Outbox(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return its
}

// TestDST runs RunDue every 5 minutes across each DST change of Europe/Kyiv
// and America/New_York in 2026, for digest times inside, before and after
// the skipped or repeated hour, and checks every local date gets exactly one
// digest, at the expected instant.
func TestDST(t *testing.T) {
	type want struct {
		hhmm string
		// skipped maps a local date to the UTC instant the digest must be
		// made at, where the local time is ambiguous or missing; other
		// dates use the plain local time.
		special map[string]time.Time
	}
	tests := []struct {
		name  string
		zone  string
		day   string // the change day, local
		times []want
	}{
		{
			name: "Kyiv spring forward (03:00 -> 04:00)", zone: "Europe/Kyiv", day: "2026-03-29",
			times: []want{
				{hhmm: "02:30"},
				{hhmm: "03:30", special: map[string]time.Time{"2026-03-29": time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)}}, // 04:30 EEST
				{hhmm: "04:30"},
				{hhmm: "08:00"},
			},
		},
		{
			name: "Kyiv fall back (04:00 -> 03:00)", zone: "Europe/Kyiv", day: "2026-10-25",
			times: []want{
				{hhmm: "02:30"},
				{hhmm: "03:30", special: map[string]time.Time{"2026-10-25": time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)}}, // first 03:30, EEST
				{hhmm: "04:30"},
				{hhmm: "08:00"},
			},
		},
		{
			name: "New York spring forward (02:00 -> 03:00)", zone: "America/New_York", day: "2026-03-08",
			times: []want{
				{hhmm: "01:30"},
				{hhmm: "02:30", special: map[string]time.Time{"2026-03-08": time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)}}, // 03:30 EDT
				{hhmm: "03:30"},
				{hhmm: "08:00"},
			},
		},
		{
			name: "New York fall back (02:00 -> 01:00)", zone: "America/New_York", day: "2026-11-01",
			times: []want{
				{hhmm: "00:30"},
				{hhmm: "01:30", special: map[string]time.Time{"2026-11-01": time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)}}, // first 01:30, EDT
				{hhmm: "02:30"},
				{hhmm: "08:00"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			loc := load(t, tt.zone)
			day, err := time.ParseInLocation(time.DateOnly, tt.day, loc)
			if err != nil {
				t.Fatal(err)
			}
			begin := time.Date(day.Year(), day.Month(), day.Day()-1, 0, 0, 0, 0, loc)
			end := time.Date(day.Year(), day.Month(), day.Day()+2, 0, 0, 0, 0, loc)
			c := &clock{t: begin}
			s := openStore(t, c)
			for i, w := range tt.times {
				putSub(t, s, store.Subscription{ChatRef: tg(fmt.Sprint(i + 1)), DigestTime: w.hhmm, TimeZone: tt.zone,
					Created: begin.Add(-time.Hour), Updated: begin.Add(-time.Hour)})
			}
			sch := New(Config{Store: s, Grace: 6 * time.Hour, SendEmpty: true, Now: c.Now, Logger: quiet()})
			// Every 5 minutes: every digest time here is on a 5-minute mark
			// in UTC too, so each run lands exactly on it.
			for now := begin; now.Before(end); now = now.Add(5 * time.Minute) {
				c.Set(now)
				if err := sch.RunDue(ctx, now); err != nil {
					t.Fatalf("RunDue(%v): %v", now, err)
				}
			}
			dates := []string{
				begin.Format(time.DateOnly),
				day.Format(time.DateOnly),
				time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc).Format(time.DateOnly),
			}
			byChat := map[string][]store.OutboxItem{}
			for _, it := range items(t, s) {
				byChat[it.Chat.ChatID] = append(byChat[it.Chat.ChatID], it)
			}
			for i, w := range tt.times {
				got := byChat[fmt.Sprint(i+1)]
				var keys []string
				for _, it := range got {
					keys = append(keys, it.Key)
				}
				var wantKeys []string
				for _, d := range dates {
					wantKeys = append(wantKeys, DigestKey(d))
				}
				if diff := cmp.Diff(wantKeys, keys); diff != "" {
					t.Errorf("%s: digests (-want +got):\n%s", w.hhmm, diff)
					continue
				}
				for j, it := range got {
					at, ok := w.special[dates[j]]
					if !ok {
						hh, mm, _ := parseHHMM(w.hhmm)
						dd, _ := time.ParseInLocation(time.DateOnly, dates[j], loc)
						at = time.Date(dd.Year(), dd.Month(), dd.Day(), hh, mm, 0, 0, loc)
					}
					if !it.Created.Equal(at) {
						t.Errorf("%s on %s: made at %v, want %v", w.hhmm, dates[j], it.Created.In(loc), at.In(loc))
					}
				}
			}
		})
	}
}

func TestCatchUpWithinGrace(t *testing.T) {
	ctx := context.Background()
	kyiv := load(t, "Europe/Kyiv")
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, kyiv) }
	tests := []struct {
		name  string
		grace time.Duration
		now   time.Time
		want  []string
	}{
		{name: "on time", grace: 6 * time.Hour, now: at(25, 8, 0), want: []string{"digest:2026-11-25"}},
		{name: "5h59 late", grace: 6 * time.Hour, now: at(25, 13, 59), want: []string{"digest:2026-11-25"}},
		{name: "6h01 late", grace: 6 * time.Hour, now: at(25, 14, 1), want: nil},
		{name: "before the time, yesterday's missed", grace: 6 * time.Hour, now: at(25, 7, 59), want: nil},
		{name: "grace zero still on time", grace: 0, now: at(25, 8, 1), want: []string{"digest:2026-11-25"}},
		{name: "grace zero late", grace: 0, now: at(25, 8, 5), want: nil},
		{name: "shortly after midnight, yesterday evening's within grace", grace: 6 * time.Hour, now: at(26, 0, 30), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t: tt.now}
			s := openStore(t, c)
			putSub(t, s, store.Subscription{ChatRef: tg("1"), DigestTime: "08:00", TimeZone: "Europe/Kyiv",
				LastDigest: at(24, 8, 0), Created: at(1, 0, 0), Updated: at(1, 0, 0)})
			sch := New(Config{Store: s, Grace: tt.grace, SendEmpty: true, Now: c.Now, Logger: quiet()})
			if err := sch.RunDue(ctx, tt.now); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items(t, s) {
				got = append(got, it.Key)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("enqueued (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewSubscriptionStartsAtItsNextTime(t *testing.T) {
	ctx := context.Background()
	kyiv := load(t, "Europe/Kyiv")
	c := &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, kyiv)}
	s := openStore(t, c)
	// Subscribed at 10:00 for 08:00: nothing today, even within the grace.
	putSub(t, s, store.Subscription{ChatRef: tg("1"), DigestTime: "08:00", TimeZone: "Europe/Kyiv", Created: c.Now(), Updated: c.Now()})
	sch := New(Config{Store: s, Grace: 6 * time.Hour, SendEmpty: true, Now: c.Now, Logger: quiet()})
	if err := sch.RunDue(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	if n := len(items(t, s)); n != 0 {
		t.Fatalf("%d digests right after subscribing", n)
	}
	next := time.Date(2026, 11, 26, 8, 0, 0, 0, kyiv)
	c.Set(next)
	if err := sch.RunDue(ctx, next); err != nil {
		t.Fatal(err)
	}
	its := items(t, s)
	if len(its) != 1 || its[0].Key != "digest:2026-11-26" {
		t.Fatalf("items = %+v", its)
	}
	sub, err := s.GetSubscription(ctx, tg("1"))
	if err != nil {
		t.Fatal(err)
	}
	if !sub.LastDigest.Equal(next) {
		t.Errorf("LastDigest = %v, want %v", sub.LastDigest, next)
	}
}

func TestChangedTimeTakesEffectNextDay(t *testing.T) {
	ctx := context.Background()
	kyiv := load(t, "Europe/Kyiv")
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, kyiv) }
	c := &clock{t: at(25, 8, 0)}
	s := openStore(t, c)
	putSub(t, s, store.Subscription{ChatRef: tg("1"), DigestTime: "08:00", TimeZone: "Europe/Kyiv",
		LastDigest: at(24, 8, 0), Created: at(1, 0, 0), Updated: at(1, 0, 0)})
	sch := New(Config{Store: s, Grace: 6 * time.Hour, SendEmpty: true, Now: c.Now, Logger: quiet()})
	run := func(now time.Time) {
		t.Helper()
		c.Set(now)
		if err := sch.RunDue(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	run(at(25, 8, 0))
	// At 08:30 the user moves the digest to 09:00, then to New York 07:00.
	sub, err := s.GetSubscription(ctx, tg("1"))
	if err != nil {
		t.Fatal(err)
	}
	sub.DigestTime, sub.Updated = "09:00", at(25, 8, 30)
	if err := s.PutSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	for now := at(25, 8, 30); now.Before(at(26, 8, 0)); now = now.Add(5 * time.Minute) {
		run(now)
	}
	run(at(26, 9, 0))
	var got []string
	for _, it := range items(t, s) {
		got = append(got, it.Key+" "+it.Created.In(kyiv).Format("15:04"))
	}
	want := []string{"digest:2026-11-25 08:00", "digest:2026-11-26 09:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("digests (-want +got):\n%s", diff)
	}

	// Zone change: New York 07:00 is 14:00 in Kyiv; the 26th is done.
	sub, err = s.GetSubscription(ctx, tg("1"))
	if err != nil {
		t.Fatal(err)
	}
	sub.DigestTime, sub.TimeZone, sub.Updated = "07:00", "America/New_York", at(26, 10, 0)
	if err := s.PutSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	ny := load(t, "America/New_York")
	for now := at(26, 10, 0); now.Before(time.Date(2026, 11, 27, 7, 30, 0, 0, ny)); now = now.Add(5 * time.Minute) {
		run(now)
	}
	got = nil
	for _, it := range items(t, s) {
		got = append(got, it.Key+" "+it.Created.In(ny).Format("2006-01-02 15:04"))
	}
	want = []string{"digest:2026-11-25 2026-11-25 01:00", "digest:2026-11-26 2026-11-26 02:00", "digest:2026-11-27 2026-11-27 07:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the zone change (-want +got):\n%s", diff)
	}
}

func article(id string, ingested time.Time, title string, b briefing.Briefing) store.Article {
	b.Title = title
	b.Published = ingested
	return store.Article{ID: id, URL: "https://news.example/" + id, Title: title, Body: title, Source: "Example",
		ContentHash: "h-" + id, Ingested: ingested, Briefing: b}
}

func TestDigestContentAndEmptyDays(t *testing.T) {
	ctx := context.Background()
	kyiv := load(t, "Europe/Kyiv")
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, kyiv) }
	c := &clock{t: at(25, 8, 0)}
	s := openStore(t, c)
	tally := func(n int, when string) briefing.Briefing {
		return briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: when, Launched: map[string]int{briefing.Drones: n}}}}
	}
	for _, a := range []store.Article{
		article("old", at(24, 7, 0), "Drones before the last digest", tally(50, "overnight")),
		article("a1", at(24, 9, 0), "103 drones overnight", tally(103, "overnight")),
		article("a2", at(24, 12, 0), "Night attack: 103 drones", tally(103, "last night")),
		article("a3", at(25, 6, 0), "Football results", briefing.Briefing{}),
		article("late", at(25, 8, 30), "Drones after the digest time", tally(7, "overnight")),
	} {
		if _, _, err := s.PutArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	base := store.Subscription{DigestTime: "08:00", TimeZone: "Europe/Kyiv", LastDigest: at(24, 8, 0), Created: at(1, 0, 0), Updated: at(1, 0, 0)}
	withChat := func(id string, topics ...string) store.Subscription {
		sub := base
		sub.ChatRef, sub.Topics = tg(id), topics
		return sub
	}
	putSub(t, s, withChat("1", "drones"))
	putSub(t, s, withChat("2", "elections")) // nothing matches: empty day
	sub4 := withChat("4")
	sub4.ThreadID = "77"
	putSub(t, s, sub4) // everything

	sch := New(Config{Store: s, Grace: time.Hour, SendEmpty: true, Now: c.Now, Logger: quiet()})
	if err := sch.RunDue(ctx, at(25, 8, 0)); err != nil {
		t.Fatal(err)
	}
	got := map[string]bot.Message{}
	for _, it := range items(t, s) {
		m, err := bot.DecodeMessage(it.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if it.Key != "digest:2026-11-25" {
			t.Errorf("key %q", it.Key)
		}
		if it.Chat.ChatID == "4" && it.ThreadID != "77" {
			t.Errorf("thread id %q, want 77", it.ThreadID)
		}
		got[it.Chat.ChatID] = m
	}
	if len(got) != 3 {
		t.Fatalf("digests for %d chats, want 3", len(got))
	}
	m1 := got["1"]
	if m1.Kind != bot.KindDigest || !m1.NoPreview {
		t.Fatalf("chat 1 message = %+v", m1)
	}
	var titles []string
	for _, a := range m1.Digest.Articles {
		titles = append(titles, a.Title)
	}
	if diff := cmp.Diff([]string{"103 drones overnight", "Night attack: 103 drones"}, titles); diff != "" {
		t.Errorf("chat 1 articles (-want +got):\n%s", diff)
	}
	if len(m1.Digest.Attacks) != 1 || len(m1.Digest.Attacks[0].Sources) != 2 {
		t.Errorf("chat 1 attacks = %+v, want one merged tally with two sources", m1.Digest.Attacks)
	}
	if m2 := got["2"]; m2.Kind != bot.KindText || m2.Text != EmptyText {
		t.Errorf("chat 2 message = %+v, want the empty-day text", m2)
	}
	if m4 := got["4"]; m4.Kind != bot.KindDigest || len(m4.Digest.Articles) != 3 {
		t.Errorf("chat 4 message = %+v, want 3 articles", m4)
	}

	// DigestNow covers the last 24 h, including after the digest time, and
	// changes nothing.
	d, err := sch.DigestNow(ctx, withChat("1", "drones"), at(25, 8, 45))
	if err != nil {
		t.Fatal(err)
	}
	titles = nil
	for _, a := range d.Articles {
		titles = append(titles, a.Title)
	}
	if diff := cmp.Diff([]string{"103 drones overnight", "Night attack: 103 drones", "Drones after the digest time"}, titles); diff != "" {
		t.Errorf("DigestNow articles (-want +got):\n%s", diff)
	}
	if d.Date != "2026-11-25" {
		t.Errorf("DigestNow date %q", d.Date)
	}
	if n := len(items(t, s)); n != 3 {
		t.Errorf("DigestNow enqueued something: %d items", n)
	}
}

func TestDefaultTimeAndZone(t *testing.T) {
	ctx := context.Background()
	kyiv := load(t, "Europe/Kyiv")
	now := time.Date(2026, 11, 25, 7, 5, 0, 0, kyiv)
	c := &clock{t: now}
	s := openStore(t, c)
	putSub(t, s, store.Subscription{ChatRef: tg("1"), LastDigest: now.Add(-24 * time.Hour), Updated: now.Add(-48 * time.Hour)})
	sch := New(Config{Store: s, DefaultTime: "07:05", DefaultZone: "Europe/Kyiv", SendEmpty: true, Now: c.Now, Logger: quiet()})
	if err := sch.RunDue(ctx, now); err != nil {
		t.Fatal(err)
	}
	if its := items(t, s); len(its) != 1 || its[0].Key != "digest:2026-11-25" {
		t.Fatalf("items = %+v, want today's digest at the default time and zone", its)
	}
	cr := cron.New()
	if err := sch.syncEntries(ctx, cr); err != nil {
		t.Fatal(err)
	}
	if got := sch.Entries(); !slices.Equal(got, []string{"CRON_TZ=Europe/Kyiv 5 7 * * *"}) {
		t.Errorf("entries = %q", got)
	}
}

func TestEmptyDayWithoutSendEmpty(t *testing.T) {
	ctx := context.Background()
	kyiv := load(t, "Europe/Kyiv")
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, kyiv)
	c := &clock{t: now}
	s := openStore(t, c)
	putSub(t, s, store.Subscription{ChatRef: tg("3"), DigestTime: "08:00", TimeZone: "Europe/Kyiv",
		LastDigest: now.Add(-24 * time.Hour), Updated: now.Add(-48 * time.Hour)})
	sch := New(Config{Store: s, Grace: time.Hour, SendEmpty: false, Now: c.Now, Logger: quiet()})
	if err := sch.RunDue(ctx, now); err != nil {
		t.Fatal(err)
	}
	if n := len(items(t, s)); n != 0 {
		t.Fatalf("empty digest enqueued with SendEmpty off: %d items", n)
	}
	sub, err := s.GetSubscription(ctx, tg("3"))
	if err != nil || !sub.LastDigest.Equal(now) {
		t.Fatalf("LastDigest = %v (%v), want advanced to %v", sub.LastDigest, err, now)
	}
}

func TestTwoSchedulersOneStore(t *testing.T) {
	ctx := context.Background()
	kyiv := load(t, "Europe/Kyiv")
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, kyiv)
	c := &clock{t: now}
	s := openStore(t, c)
	for i := range 50 {
		putSub(t, s, store.Subscription{ChatRef: tg(fmt.Sprint(i + 1)), DigestTime: "08:00", TimeZone: "Europe/Kyiv",
			LastDigest: now.Add(-24 * time.Hour), Updated: now.Add(-48 * time.Hour)})
	}
	regs := []*prometheus.Registry{prometheus.NewRegistry(), prometheus.NewRegistry()}
	var wg sync.WaitGroup
	for i := range 2 {
		sch := New(Config{Store: s, Grace: time.Hour, SendEmpty: true, Now: c.Now, Name: fmt.Sprint("replica-", i), Logger: quiet(), Registerer: regs[i]})
		wg.Go(func() {
			for range 3 {
				if err := sch.RunDue(ctx, now); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(items(t, s)); n != 50 {
		t.Errorf("%d items, want 50", n)
	}
	if built := counter(t, regs[0], "newsbrief_digest_built_total") + counter(t, regs[1], "newsbrief_digest_built_total"); built != 50 {
		t.Errorf("digests built %v times in total, want 50", built)
	}
}

func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total
}

func TestCronEntriesFollowSubscriptions(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, nil)
	putSub(t, s, store.Subscription{ChatRef: tg("1"), DigestTime: "08:00", TimeZone: "Europe/Kyiv"})
	putSub(t, s, store.Subscription{ChatRef: tg("2"), DigestTime: "08:00", TimeZone: "Europe/Kyiv"})
	putSub(t, s, store.Subscription{ChatRef: tg("3"), DigestTime: "07:05", TimeZone: "America/New_York"})
	putSub(t, s, store.Subscription{ChatRef: tg("4"), Mode: store.ModeInstant, DigestTime: "09:00", TimeZone: "UTC"})
	sch := New(Config{Store: s, Logger: quiet()})
	c := cron.New(cron.WithLocation(time.UTC))
	if err := sch.syncEntries(ctx, c); err != nil {
		t.Fatal(err)
	}
	want := []string{"CRON_TZ=America/New_York 5 7 * * *", "CRON_TZ=Europe/Kyiv 0 8 * * *"}
	if diff := cmp.Diff(want, sch.Entries()); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if n := len(c.Entries()); n != 2 {
		t.Errorf("cron has %d entries, want 2", n)
	}
	// Every spec parses and fires at the subscriber's local time.
	for _, spec := range sch.Entries() {
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			t.Fatalf("ParseStandard(%q): %v", spec, err)
		}
		next := sched.Next(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
		zone := strings.TrimPrefix(strings.Fields(spec)[0], "CRON_TZ=")
		local := next.In(load(t, zone)).Format("15:04")
		if local != "08:00" && local != "07:05" {
			t.Errorf("%s fires at %s local", spec, local)
		}
	}
	// A changed time replaces its entry; a deactivated one disappears.
	putSub(t, s, store.Subscription{ChatRef: tg("3"), DigestTime: "06:45", TimeZone: "America/New_York"})
	if err := s.Deactivate(ctx, tg("1"), "test"); err != nil {
		t.Fatal(err)
	}
	if err := sch.syncEntries(ctx, c); err != nil {
		t.Fatal(err)
	}
	want = []string{"CRON_TZ=America/New_York 45 6 * * *", "CRON_TZ=Europe/Kyiv 0 8 * * *"}
	if diff := cmp.Diff(want, sch.Entries()); diff != "" {
		t.Errorf("entries after changes (-want +got):\n%s", diff)
	}
	if err := s.Deactivate(ctx, tg("2"), "test"); err != nil {
		t.Fatal(err)
	}
	if err := sch.syncEntries(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got := sch.Entries(); !slices.Equal(got, []string{"CRON_TZ=America/New_York 45 6 * * *"}) || len(c.Entries()) != 1 {
		t.Errorf("entries = %q, cron %d", got, len(c.Entries()))
	}
}

func TestRunCatchesUpAtStartAndStops(t *testing.T) {
	kyiv := load(t, "Europe/Kyiv")
	// The process starts at 10:00; the 08:00 digest was missed while down.
	c := &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, kyiv)}
	s := openStore(t, c)
	putSub(t, s, store.Subscription{ChatRef: tg("1"), DigestTime: "08:00", TimeZone: "Europe/Kyiv",
		LastDigest: time.Date(2026, 11, 24, 8, 0, 0, 0, kyiv), Updated: time.Date(2026, 11, 1, 0, 0, 0, 0, kyiv)})
	woken := make(chan struct{}, 1)
	sch := New(Config{Store: s, Grace: DefaultGrace, SendEmpty: true, Now: c.Now, Logger: quiet(),
		OnEnqueue: func() { woken <- struct{}{} }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sch.Run(ctx) }()
	select {
	case <-woken:
	case <-time.After(10 * time.Second):
		t.Fatal("no catch-up digest at start")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
	its := items(t, s)
	if len(its) != 1 || its[0].Key != "digest:2026-11-25" {
		t.Fatalf("items = %+v", its)
	}
	if got := sch.Entries(); !slices.Equal(got, []string{"CRON_TZ=Europe/Kyiv 0 8 * * *"}) {
		t.Errorf("entries = %q", got)
	}
}
