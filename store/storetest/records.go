package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbrief/briefing"
	"newsbrief/store"
)

func sampleArticle(n int) store.Article {
	return store.Article{
		URL:         fmt.Sprintf("https://news.example/story/%d", n),
		GUID:        fmt.Sprintf("guid-%d", n),
		Title:       fmt.Sprintf("Story %d", n),
		Body:        "Zelensky met Macron in Paris. \"We agreed\", Macron said.",
		Source:      "Example News",
		Feed:        "https://news.example/feed.xml",
		ContentHash: fmt.Sprintf("hash-%d", n),
		Published:   time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC),
		Briefing: briefing.Briefing{
			Title:    fmt.Sprintf("Story %d", n),
			Lead:     "Zelensky met Macron.",
			People:   []briefing.Person{{Name: "Volodymyr Zelensky", Role: "President of Ukraine"}},
			Meetings: []briefing.Meeting{{Participants: []string{"Volodymyr Zelensky", "Emmanuel Macron"}, Place: "Paris", Status: briefing.StatusHeld, Evidence: "Zelensky met Macron in Paris."}},
			Quotes:   []briefing.Quote{{Speaker: "Emmanuel Macron", Text: "We agreed", Evidence: "\"We agreed\", Macron said."}},
			Attacks:  []briefing.Attack{{Place: "Kyiv", Launched: map[string]int{briefing.Drones: 103}, Downed: map[string]int{briefing.Drones: 96}, Killed: 2, Evidence: "103 drones"}},
		},
	}
}

func testArticles(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})

	a := sampleArticle(1)
	a.Ingested = base()
	id, created, err := s.PutArticle(ctx, a)
	must(t, "put article", err)
	if !created || id == "" {
		t.Fatalf("put new article: id %q created %v, want an id and true", id, created)
	}
	got, err := s.GetArticle(ctx, id)
	must(t, "get article", err)
	a.ID = id
	if d := cmp.Diff(a, got, timeEq); d != "" {
		t.Errorf("article round trip (-want +got):\n%s", d)
	}

	// A caller-chosen id is kept.
	b := sampleArticle(2)
	b.ID = "chosen-id"
	id2, created, err := s.PutArticle(ctx, b)
	must(t, "put article with id", err)
	if id2 != "chosen-id" || !created {
		t.Errorf("put article with id: %q %v, want chosen-id true", id2, created)
	}
	// A zero Ingested is set by the store.
	got, err = s.GetArticle(ctx, id2)
	must(t, "get article 2", err)
	if got.Ingested.IsZero() {
		t.Error("Ingested not set by PutArticle")
	}

	_, err = s.GetArticle(ctx, "no-such-article")
	wantErr(t, "get unknown article", err, store.ErrNotFound)
	_, err = s.GetArticle(ctx, "")
	wantErr(t, "get article with empty id", err, store.ErrInvalid)
	_, _, err = s.PutArticle(ctx, store.Article{Title: "no keys", Body: "x"})
	wantErr(t, "put article without URL, GUID or hash", err, store.ErrInvalid)
}

func testArticleDedup(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	orig := sampleArticle(1)
	id, _, err := s.PutArticle(ctx, orig)
	must(t, "put original", err)

	other := sampleArticle(99)
	for _, tc := range []struct {
		name string
		a    store.Article
	}{
		{"same URL", store.Article{URL: orig.URL, GUID: other.GUID, ContentHash: other.ContentHash, Title: "dup"}},
		{"same GUID", store.Article{URL: other.URL, GUID: orig.GUID, ContentHash: other.ContentHash, Title: "dup"}},
		{"same hash", store.Article{URL: other.URL, GUID: other.GUID, ContentHash: orig.ContentHash, Title: "dup"}},
		{"only hash", store.Article{ContentHash: orig.ContentHash, Title: "dup"}},
		{"same id", store.Article{ID: id, URL: other.URL, Title: "dup"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, created, err := s.PutArticle(ctx, tc.a)
			must(t, "put duplicate", err)
			if created || got != id {
				t.Errorf("duplicate: id %q created %v, want %q false", got, created, id)
			}
		})
	}
	// Nothing of the duplicates was stored: the original is unchanged and
	// the "other" keys are still free.
	a, err := s.GetArticle(ctx, id)
	must(t, "get original", err)
	if a.Title != orig.Title {
		t.Errorf("original overwritten: title %q", a.Title)
	}
	all, err := s.RecentArticles(ctx, time.Time{}, 0)
	must(t, "recent", err)
	if len(all) != 1 {
		t.Errorf("%d articles stored, want 1", len(all))
	}
	id2, created, err := s.PutArticle(ctx, other)
	must(t, "put other", err)
	if !created || id2 == id {
		t.Errorf("distinct article: id %q created %v, want a new id", id2, created)
	}
}

func testRecentArticles(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	t0 := base().Add(-time.Hour)
	var ids []string
	for i := range 5 {
		a := sampleArticle(i)
		a.Ingested = t0.Add(time.Duration(i) * time.Minute)
		id, _, err := s.PutArticle(ctx, a)
		must(t, "put", err)
		ids = append(ids, id)
	}
	idsOf := func(as []store.Article) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		since time.Time
		limit int
		want  []string
	}{
		{"all", time.Time{}, 0, []string{ids[4], ids[3], ids[2], ids[1], ids[0]}},
		{"since inclusive", t0.Add(2 * time.Minute), 0, []string{ids[4], ids[3], ids[2]}},
		{"limit", time.Time{}, 2, []string{ids[4], ids[3]}},
		{"since and limit", t0.Add(time.Minute), 10, []string{ids[4], ids[3], ids[2], ids[1]}},
		{"future", t0.Add(time.Hour), 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.RecentArticles(ctx, tc.since, tc.limit)
			must(t, "recent", err)
			if d := cmp.Diff(tc.want, idsOf(got)); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
		})
	}
}

func testArticleRetention(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{ArticleRetention: time.Second})
	a := sampleArticle(1)
	id, _, err := s.PutArticle(ctx, a)
	must(t, "put", err)
	if _, err := s.GetArticle(ctx, id); err != nil {
		t.Fatalf("get before expiry: %v", err)
	}
	time.Sleep(1500 * time.Millisecond)
	_, err = s.GetArticle(ctx, id)
	wantErr(t, "get after retention", err, store.ErrNotFound)
	recent, err := s.RecentArticles(ctx, time.Time{}, 0)
	must(t, "recent", err)
	if len(recent) != 0 {
		t.Errorf("recent after retention: %d articles, want 0", len(recent))
	}
	// The dedup entries expired with the article.
	id2, created, err := s.PutArticle(ctx, a)
	must(t, "put again", err)
	if !created {
		t.Errorf("put after retention: created=false (id %q), want a new article", id2)
	}
}

func sampleSub(c store.ChatRef) store.Subscription {
	return store.Subscription{
		ChatRef:    c,
		ThreadID:   "7",
		Title:      "News chat " + c.ChatID,
		Topics:     []string{"ukraine", "-sport", "/drone(s)?/"},
		Mode:       store.ModeDigest,
		DigestTime: "08:30",
		TimeZone:   "Europe/Kyiv",
		Active:     true,
		CreatedBy:  "alice",
		LastDigest: time.Date(2026, 11, 24, 6, 30, 0, 0, time.UTC),
	}
}

func testSubscriptions(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})

	chats := []store.ChatRef{tg("200"), dc("555"), tg("100"), dc("444"), tg("-100123")}
	for _, c := range chats {
		must(t, "put subscription", s.PutSubscription(ctx, sampleSub(c)))
	}
	got, err := s.GetSubscription(ctx, tg("100"))
	must(t, "get subscription", err)
	want := sampleSub(tg("100"))
	if got.Created.IsZero() || got.Updated.IsZero() {
		t.Errorf("Created/Updated not set: %v %v", got.Created, got.Updated)
	}
	want.Created, want.Updated = got.Created, got.Updated
	if d := cmp.Diff(want, got, timeEq); d != "" {
		t.Errorf("subscription round trip (-want +got):\n%s", d)
	}

	// Replace keeps Created when the caller leaves it zero.
	rep := sampleSub(tg("100"))
	rep.Mode, rep.Topics = store.ModeInstant, nil
	must(t, "replace", s.PutSubscription(ctx, rep))
	got2, err := s.GetSubscription(ctx, tg("100"))
	must(t, "get replaced", err)
	if got2.Mode != store.ModeInstant || len(got2.Topics) != 0 {
		t.Errorf("replace: mode %q topics %v", got2.Mode, got2.Topics)
	}
	if !got2.Created.Equal(got.Created) {
		t.Errorf("replace changed Created: %v -> %v", got.Created, got2.Created)
	}

	list := func(platform string) []string {
		t.Helper()
		subs, err := s.Subscriptions(ctx, platform)
		must(t, "subscriptions", err)
		var out []string
		for _, sub := range subs {
			out = append(out, sub.ChatRef.String())
		}
		return out
	}
	if d := cmp.Diff([]string{"discord:444", "discord:555", "telegram:-100123", "telegram:100", "telegram:200"}, list("")); d != "" {
		t.Errorf("all subscriptions (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"telegram:-100123", "telegram:100", "telegram:200"}, list(store.Telegram)); d != "" {
		t.Errorf("telegram subscriptions (-want +got):\n%s", d)
	}
	if got := list("matrix"); len(got) != 0 {
		t.Errorf("unknown platform listed %v", got)
	}

	must(t, "deactivate", s.Deactivate(ctx, dc("444"), "403 Forbidden: missing access"))
	d, err := s.GetSubscription(ctx, dc("444"))
	must(t, "get deactivated", err)
	if d.Active || d.InactiveReason != "403 Forbidden: missing access" {
		t.Errorf("deactivated: active %v reason %q", d.Active, d.InactiveReason)
	}
	if d := cmp.Diff([]string{"discord:444", "discord:555"}, list(store.Discord)); d != "" {
		t.Errorf("inactive subscriptions must still be listed (-want +got):\n%s", d)
	}

	must(t, "delete", s.DeleteSubscription(ctx, tg("200")))
	_, err = s.GetSubscription(ctx, tg("200"))
	wantErr(t, "get deleted", err, store.ErrNotFound)
	wantErr(t, "delete again", s.DeleteSubscription(ctx, tg("200")), store.ErrNotFound)
	wantErr(t, "deactivate unknown chat", s.Deactivate(ctx, tg("404"), "x"), store.ErrNotFound)
	_, err = s.GetSubscription(ctx, tg("404"))
	wantErr(t, "get unknown chat", err, store.ErrNotFound)
}

func testSubscriptionsBadInput(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	bad := func(mut func(*store.Subscription)) store.Subscription {
		sub := sampleSub(tg("1"))
		mut(&sub)
		return sub
	}
	for _, tc := range []struct {
		name string
		sub  store.Subscription
	}{
		{"empty chat id", bad(func(s *store.Subscription) { s.ChatID = "" })},
		{"empty platform", bad(func(s *store.Subscription) { s.Platform = "" })},
		{"unknown platform", bad(func(s *store.Subscription) { s.Platform = "icq" })},
		{"unknown mode", bad(func(s *store.Subscription) { s.Mode = "hourly" })},
		{"empty mode", bad(func(s *store.Subscription) { s.Mode = "" })},
		{"bad digest time", bad(func(s *store.Subscription) { s.DigestTime = "25:00" })},
		{"digest time not HH:MM", bad(func(s *store.Subscription) { s.DigestTime = "8:30am" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, "put", s.PutSubscription(ctx, tc.sub), store.ErrInvalid)
		})
	}
	for _, c := range []store.ChatRef{{}, {Platform: store.Telegram}, {ChatID: "1"}, {Platform: "icq", ChatID: "1"}} {
		_, err := s.GetSubscription(ctx, c)
		wantErr(t, fmt.Sprintf("get %q", c), err, store.ErrInvalid)
		wantErr(t, fmt.Sprintf("delete %q", c), s.DeleteSubscription(ctx, c), store.ErrInvalid)
		wantErr(t, fmt.Sprintf("deactivate %q", c), s.Deactivate(ctx, c, "x"), store.ErrInvalid)
	}
	subs, err := s.Subscriptions(ctx, "")
	must(t, "list", err)
	if len(subs) != 0 {
		t.Errorf("bad input stored %d subscriptions", len(subs))
	}
}

func testFeeds(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	t0 := base()
	f := store.FeedCursor{
		URL:          "https://b.example/feed.xml",
		Title:        "B",
		ETag:         `W/"abc"`,
		LastModified: "Tue, 24 Nov 2026 21:00:00 GMT",
		SeenIDs:      []string{"3", "2", "1"},
		LastPoll:     t0,
		LastSuccess:  t0.Add(-time.Minute),
		LastError:    "timeout",
		LastErrorAt:  t0.Add(-time.Hour),
		Failures:     2,
	}
	must(t, "put feed", s.PutFeed(ctx, f))
	must(t, "put feed a", s.PutFeed(ctx, store.FeedCursor{URL: "https://a.example/rss"}))
	must(t, "put feed c", s.PutFeed(ctx, store.FeedCursor{URL: "https://c.example/atom"}))
	got, err := s.GetFeed(ctx, f.URL)
	must(t, "get feed", err)
	if d := cmp.Diff(f, got, timeEq); d != "" {
		t.Errorf("feed round trip (-want +got):\n%s", d)
	}
	f.ETag, f.Failures = `"def"`, 0
	must(t, "replace feed", s.PutFeed(ctx, f))
	got, err = s.GetFeed(ctx, f.URL)
	must(t, "get replaced feed", err)
	if got.ETag != `"def"` || got.Failures != 0 {
		t.Errorf("replace: etag %q failures %d", got.ETag, got.Failures)
	}

	feeds, err := s.Feeds(ctx)
	must(t, "feeds", err)
	var urls []string
	for _, f := range feeds {
		urls = append(urls, f.URL)
	}
	if d := cmp.Diff([]string{"https://a.example/rss", "https://b.example/feed.xml", "https://c.example/atom"}, urls); d != "" {
		t.Errorf("feeds order (-want +got):\n%s", d)
	}

	// SeenIDs: at least the newest 500 are kept, newest first.
	var seen []string
	for i := 1200; i > 0; i-- {
		seen = append(seen, fmt.Sprint(i))
	}
	must(t, "put big feed", s.PutFeed(ctx, store.FeedCursor{URL: "https://big.example/", SeenIDs: seen}))
	big, err := s.GetFeed(ctx, "https://big.example/")
	must(t, "get big feed", err)
	if len(big.SeenIDs) < 500 || len(big.SeenIDs) > len(seen) {
		t.Fatalf("kept %d seen ids, want 500..%d", len(big.SeenIDs), len(seen))
	}
	if d := cmp.Diff(seen[:len(big.SeenIDs)], big.SeenIDs); d != "" {
		t.Errorf("kept seen ids are not the newest (-want +got):\n%s", d)
	}

	must(t, "delete feed", s.DeleteFeed(ctx, "https://a.example/rss"))
	_, err = s.GetFeed(ctx, "https://a.example/rss")
	wantErr(t, "get deleted feed", err, store.ErrNotFound)
	wantErr(t, "delete unknown feed", s.DeleteFeed(ctx, "https://a.example/rss"), store.ErrNotFound)
	wantErr(t, "put feed without URL", s.PutFeed(ctx, store.FeedCursor{Title: "x"}), store.ErrInvalid)
	_, err = s.GetFeed(ctx, "")
	wantErr(t, "get feed without URL", err, store.ErrInvalid)
	wantErr(t, "delete feed without URL", s.DeleteFeed(ctx, ""), store.ErrInvalid)
}

func testLeases(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	acq := func(name, holder string, ttl time.Duration) bool {
		t.Helper()
		ok, err := s.AcquireLease(ctx, name, holder, ttl)
		must(t, "acquire lease", err)
		return ok
	}
	if !acq("digest:tg:1:2026-11-25", "a", time.Minute) {
		t.Fatal("first acquire failed")
	}
	if acq("digest:tg:1:2026-11-25", "b", time.Minute) {
		t.Error("b took a lease a holds")
	}
	if !acq("digest:tg:1:2026-11-25", "a", time.Minute) {
		t.Error("a could not renew its lease")
	}
	if !acq("digest:tg:2:2026-11-25", "b", time.Minute) {
		t.Error("leases with other names must be independent")
	}
	must(t, "release by non-holder", s.ReleaseLease(ctx, "digest:tg:1:2026-11-25", "b"))
	if acq("digest:tg:1:2026-11-25", "b", time.Minute) {
		t.Error("release by a non-holder freed the lease")
	}
	must(t, "release", s.ReleaseLease(ctx, "digest:tg:1:2026-11-25", "a"))
	if !acq("digest:tg:1:2026-11-25", "b", time.Minute) {
		t.Error("b could not take a released lease")
	}
	must(t, "release unknown", s.ReleaseLease(ctx, "never-held", "a"))

	// Expiry, and renewal extends it.
	start := time.Now()
	if !acq("short", "a", 400*time.Millisecond) {
		t.Fatal("acquire short lease")
	}
	if !acq("short", "a", 1500*time.Millisecond) {
		t.Fatal("renew short lease")
	}
	time.Sleep(600*time.Millisecond - time.Since(start)) // past the first ttl, within the renewed one
	if acq("short", "b", time.Minute) {
		t.Error("renewal did not extend the lease")
	}
	time.Sleep(1600*time.Millisecond - time.Since(start))
	if !acq("short", "b", time.Minute) {
		t.Error("expired lease was not free")
	}

	for _, tc := range []struct {
		name, lease, holder string
		ttl                 time.Duration
	}{
		{"empty name", "", "a", time.Minute},
		{"empty holder", "x", "", time.Minute},
		{"zero ttl", "x", "a", 0},
		{"negative ttl", "x", "a", -time.Second},
	} {
		_, err := s.AcquireLease(ctx, tc.lease, tc.holder, tc.ttl)
		wantErr(t, "acquire "+tc.name, err, store.ErrInvalid)
	}
	wantErr(t, "release empty name", s.ReleaseLease(ctx, "", "a"), store.ErrInvalid)
}

func testCheckpoints(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	v, err := s.Checkpoint(ctx, "telegram:update_id")
	must(t, "checkpoint", err)
	if v != 0 {
		t.Errorf("unset checkpoint = %d, want 0", v)
	}
	for _, want := range []int64{42, 1 << 40, -7, 0, 9_007_199_254_740_993} {
		must(t, "set", s.SetCheckpoint(ctx, "telegram:update_id", want))
		got, err := s.Checkpoint(ctx, "telegram:update_id")
		must(t, "get", err)
		if got != want {
			t.Errorf("checkpoint = %d, want %d", got, want)
		}
	}
	must(t, "set other", s.SetCheckpoint(ctx, "other", 5))
	if got, _ := s.Checkpoint(ctx, "telegram:update_id"); got != 9_007_199_254_740_993 {
		t.Errorf("checkpoints are not independent: %d", got)
	}
	_, err = s.Checkpoint(ctx, "")
	wantErr(t, "checkpoint empty name", err, store.ErrInvalid)
	wantErr(t, "set checkpoint empty name", s.SetCheckpoint(ctx, "", 1), store.ErrInvalid)
}

func testTakeToken(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	tt, ok := s.Store.(TokenTaker)
	if !ok {
		t.Fatalf("%T has no TakeToken", s.Store)
	}
	now := base()
	take := func(bucket string, at time.Time) time.Duration {
		t.Helper()
		w, err := tt.TakeToken(ctx, bucket, 2, 3, at)
		must(t, "take token", err)
		return w
	}
	for i := range 3 {
		if w := take("tg:chat:1", now); w != 0 {
			t.Fatalf("token %d of a burst of 3: wait %v", i+1, w)
		}
	}
	w := take("tg:chat:1", now)
	if w < 450*time.Millisecond || w > 500*time.Millisecond {
		t.Errorf("empty bucket at 2/s: wait %v, want about 500ms", w)
	}
	// Asking again does not take anything.
	if w2 := take("tg:chat:1", now); w2 != w {
		t.Errorf("second refused take: wait %v, want %v", w2, w)
	}
	if w := take("tg:chat:2", now); w != 0 {
		t.Errorf("other bucket: wait %v, want 0", w)
	}
	if w := take("tg:chat:1", now.Add(250*time.Millisecond)); w == 0 || w > 260*time.Millisecond {
		t.Errorf("half refilled: wait %v, want about 250ms", w)
	}
	if w := take("tg:chat:1", now.Add(500*time.Millisecond)); w != 0 {
		t.Errorf("after refill: wait %v, want 0", w)
	}
	if w := take("tg:chat:1", now.Add(500*time.Millisecond)); w == 0 {
		t.Error("took two tokens after refilling one")
	}
	// Refill is capped at burst.
	later := now.Add(time.Hour)
	for i := range 3 {
		if w := take("tg:chat:1", later); w != 0 {
			t.Fatalf("after an hour, token %d: wait %v", i+1, w)
		}
	}
	if w := take("tg:chat:1", later); w == 0 {
		t.Error("refill exceeded burst")
	}

	for _, tc := range []struct {
		name   string
		bucket string
		rate   float64
		burst  int
	}{
		{"empty bucket", "", 1, 1},
		{"zero rate", "x", 0, 1},
		{"negative rate", "x", -1, 1},
		{"zero burst", "x", 1, 0},
	} {
		_, err := tt.TakeToken(ctx, tc.bucket, tc.rate, tc.burst, now)
		wantErr(t, "take token "+tc.name, err, store.ErrInvalid)
	}
}
