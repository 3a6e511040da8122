package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/briefing"
	"newsbrief/fetch"
	"newsbrief/ingest"
	"newsbrief/store"
)

// feedServer serves the testdata fixtures with {{BASE}} replaced by its
// own URL and records what it was asked.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	inm, ims map[string]string // last If-None-Match / If-Modified-Since per path
}

func newFeedServer(t *testing.T) *feedServer {
	t.Helper()
	fs := &feedServer{hits: map[string]int{}, inm: map[string]string{}, ims: map[string]string{}}
	files := map[string]struct{ file, ctype string }{
		"/rss.xml":       {"rss.xml", "application/rss+xml; charset=utf-8"},
		"/atom.xml":      {"atom.xml", "application/atom+xml"},
		"/feed.json":     {"feed.json", "application/feed+json"},
		"/malformed.xml": {"malformed.xml", "application/xml"},
		"/story":         {"article.html", "text/html; charset=utf-8"},
	}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.hits[r.URL.Path]++
		fs.inm[r.URL.Path] = r.Header.Get("If-None-Match")
		fs.ims[r.URL.Path] = r.Header.Get("If-Modified-Since")
		fs.mu.Unlock()
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		etag := `"` + f.file + `-v1"`
		const lastMod = "Wed, 25 Nov 2026 07:00:00 GMT"
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		b, err := os.ReadFile(filepath.Join("testdata", f.file))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", f.ctype)
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		_, _ = w.Write([]byte(strings.ReplaceAll(string(b), "{{BASE}}", fs.URL)))
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) count(path string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.hits[path]
}

type harness struct {
	store    store.Store
	poller   *ingest.Poller
	ingester *ingest.Ingester
	reg      *prometheus.Registry
	mu       sync.Mutex
	briefed  []string // titles passed to the engine
	alerts   []store.Article
}

func newHarness(t *testing.T, st store.Store, feeds []string, interval time.Duration) *harness {
	t.Helper()
	h := &harness{store: st, reg: prometheus.NewRegistry()}
	f := fetch.New(fetch.Options{AllowNets: loopback, Timeout: 5 * time.Second})
	var err error
	h.ingester, err = ingest.NewIngester(ingest.IngesterConfig{
		Store: h.store,
		Pages: ingest.NewPages(f),
		Brief: func(a briefing.Article) briefing.Briefing {
			h.mu.Lock()
			h.briefed = append(h.briefed, a.Title)
			h.mu.Unlock()
			return briefing.Brief(a)
		},
		OnArticle: func(_ context.Context, a store.Article, created bool) error {
			if created {
				h.mu.Lock()
				h.alerts = append(h.alerts, a)
				h.mu.Unlock()
			}
			return nil
		},
		Registerer: h.reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	h.poller, err = ingest.NewPoller(ingest.PollerConfig{
		Store: h.store, Fetcher: f, Ingester: h.ingester,
		Feeds: feeds, Interval: interval, Jitter: -1, Registerer: h.reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestPollFeeds(t *testing.T) { forEachStore(t, testPollFeeds) }

func testPollFeeds(t *testing.T, st store.Store) {
	srv := newFeedServer(t)
	const interval = 5 * time.Minute
	feeds := []string{srv.URL + "/rss.xml", srv.URL + "/atom.xml", srv.URL + "/feed.json", srv.URL + "/malformed.xml"}
	h := newHarness(t, st, feeds, interval)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

	if err := h.poller.PollOnce(ctx, t0); err != nil {
		t.Fatal(err)
	}

	arts, err := h.store.RecentArticles(ctx, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]store.Article{}
	for _, a := range arts {
		byTitle[a.Title] = a
	}
	// rss: drones, grain (teaser), rates; atom: drones (same URL), strike;
	// json: bank (same text as rates), rail.
	if len(arts) != 5 {
		var titles []string
		for _, a := range arts {
			titles = append(titles, a.Title)
		}
		t.Fatalf("stored %d articles %q, want 5 (two duplicates dropped)", len(arts), titles)
	}
	if len(h.briefed) != 5 || len(h.alerts) != 5 {
		t.Errorf("briefed %d, alerted %d; want each story once (5): %q", len(h.briefed), len(h.alerts), h.briefed)
	}
	_, bank := byTitle["Bank keeps key rate unchanged"]
	_, rates := byTitle["Central bank holds rate at 13 percent"]
	if bank == rates {
		t.Error("the rates story (same text in RSS and JSON Feed, other URLs) must be stored exactly once")
	}

	// Teaser: the grain item's page was fetched and its main text extracted.
	grain, ok := byTitle["Ministers agree to reopen grain corridor"]
	if !ok {
		t.Fatal("grain corridor item not stored")
	}
	if srv.count("/story") != 1 {
		t.Errorf("/story fetched %d times, want 1", srv.count("/story"))
	}
	if !strings.Contains(grain.Body, "Deputy Trade Minister Lena Holm") || strings.Contains(grain.Body, "trackPageView") {
		t.Errorf("teaser not expanded from the page:\n%s", grain.Body)
	}
	if grain.Source != "Northern Wire" || grain.Feed != srv.URL+"/rss.xml" || grain.Briefing.Title != grain.Title {
		t.Errorf("grain metadata: source %q feed %q briefing title %q", grain.Source, grain.Feed, grain.Briefing.Title)
	}

	rail := byTitle["Rail link to the border reopens"]
	if rail.URL != srv.URL+"/dispatch/rail-link" || rail.GUID != "ed-7790" || rail.ContentHash == "" || rail.Source != "Eastern Dispatch" {
		t.Errorf("rail article: %+v", rail)
	}
	if !rail.Published.Equal(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("rail published %v", rail.Published)
	}
	if !strings.Contains(rail.Body, "\"People can travel home for the holidays,\" Brandt said") {
		t.Errorf("rail body %q", rail.Body)
	}
	for _, a := range arts {
		if strings.Contains(a.URL, "utm_") || strings.Contains(a.URL, "#") {
			t.Errorf("stored URL not canonical: %s", a.URL)
		}
	}

	// Cursors: validators and seen ids stored; the malformed feed's error recorded.
	rss, err := h.store.GetFeed(ctx, srv.URL+"/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	if rss.ETag != `"rss.xml-v1"` || rss.LastModified == "" || rss.Title != "Northern Wire" || len(rss.SeenIDs) != 3 || !rss.LastSuccess.Equal(t0) {
		t.Errorf("rss cursor %+v", rss)
	}
	bad, err := h.store.GetFeed(ctx, srv.URL+"/malformed.xml")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("malformed feed error: %s", bad.LastError)
	if bad.Failures != 1 || !bad.LastErrorAt.Equal(t0) || !strings.Contains(bad.LastError, "is not a valid RSS, Atom or JSON feed") || !bad.LastSuccess.IsZero() {
		t.Errorf("malformed cursor %+v", bad)
	}
	if got := counterSum(t, h.reg, "newsbrief_feed_errors_total"); got != 1 {
		t.Errorf("feed errors metric = %v, want 1", got)
	}

	// Second round one interval later: conditional GET answered 304,
	// nothing new; the failing feed is backing off (2 intervals) and is
	// not asked again yet.
	t1 := t0.Add(interval)
	if err := h.poller.PollOnce(ctx, t1); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	inm, ims := srv.inm["/rss.xml"], srv.ims["/rss.xml"]
	srv.mu.Unlock()
	if inm != `"rss.xml-v1"` || ims != "Wed, 25 Nov 2026 07:00:00 GMT" {
		t.Errorf("conditional headers on second poll: If-None-Match=%q If-Modified-Since=%q", inm, ims)
	}
	if srv.count("/rss.xml") != 2 || srv.count("/malformed.xml") != 1 {
		t.Errorf("hits rss=%d malformed=%d, want 2 and 1 (backoff)", srv.count("/rss.xml"), srv.count("/malformed.xml"))
	}
	rss, _ = h.store.GetFeed(ctx, srv.URL+"/rss.xml")
	if !rss.LastSuccess.Equal(t1) || rss.ETag != `"rss.xml-v1"` {
		t.Errorf("after 304: %+v", rss)
	}
	if len(h.alerts) != 5 {
		t.Errorf("alerts after 304 round = %d, want still 5", len(h.alerts))
	}

	// After the backoff the broken feed is retried and fails again.
	if err := h.poller.PollOnce(ctx, t0.Add(2*interval)); err != nil {
		t.Fatal(err)
	}
	bad, _ = h.store.GetFeed(ctx, srv.URL+"/malformed.xml")
	if srv.count("/malformed.xml") != 2 || bad.Failures != 2 {
		t.Errorf("retry after backoff: hits %d failures %d", srv.count("/malformed.xml"), bad.Failures)
	}
}

// counterSum adds up all series of the named counter.
func counterSum(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

func TestSourcesAddRemove(t *testing.T) {
	srv := newFeedServer(t)
	h := newHarness(t, openStore(t), []string{srv.URL + "/feed.json"}, time.Minute)
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

	if err := h.poller.AddFeed(ctx, "ftp://example.com/feed"); !errors.Is(err, ingest.ErrInvalid) {
		t.Errorf("AddFeed(ftp) err = %v, want ErrInvalid", err)
	}
	if err := h.poller.AddFeed(ctx, srv.URL+"/atom.xml"); err != nil {
		t.Fatal(err)
	}
	if err := h.poller.PollOnce(ctx, now); err != nil {
		t.Fatal(err)
	}
	// Adding again keeps the cursor (and its history).
	if err := h.poller.AddFeed(ctx, srv.URL+"/atom.xml"); err != nil {
		t.Fatal(err)
	}
	src, err := h.poller.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(src) != 2 {
		t.Fatalf("sources %+v", src)
	}
	for _, f := range src {
		if !f.LastSuccess.Equal(now) || f.LastError != "" || f.Title == "" {
			t.Errorf("source health %+v", f)
		}
	}
	if err := h.poller.RemoveFeed(ctx, srv.URL+"/atom.xml"); err != nil {
		t.Fatal(err)
	}
	if err := h.poller.RemoveFeed(ctx, srv.URL+"/atom.xml"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second remove err = %v, want ErrNotFound", err)
	}
	if err := h.poller.PollOnce(ctx, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if srv.count("/atom.xml") != 1 {
		t.Errorf("removed feed polled again (%d hits)", srv.count("/atom.xml"))
	}
	if srv.count("/feed.json") != 2 {
		t.Errorf("remaining feed hits %d, want 2", srv.count("/feed.json"))
	}
}

// TestFeedRefusals covers fetch refusals on the feed path: each is recorded
// on the feed's cursor and the good feed is still ingested.
func TestFeedRefusals(t *testing.T) {
	good := newFeedServer(t)
	slowDone := make(chan struct{})
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge":
			w.Header().Set("Content-Type", "application/rss+xml")
			chunk := []byte(strings.Repeat("<item>", 1000))
			for i := 0; i < (50<<20)/len(chunk); i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "/slow":
			select {
			case <-slowDone:
			case <-r.Context().Done():
			}
		}
	}))
	defer bad.Close()
	defer close(slowDone)

	st := openStore(t)
	f := fetch.New(fetch.Options{AllowNets: loopback, Timeout: 2 * time.Second}) // room to read 5 MB on a busy machine
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ingest.NewPoller(ingest.PollerConfig{Store: st, Fetcher: f, Ingester: ing, Jitter: -1,
		Feeds: []string{bad.URL + "/huge", bad.URL + "/slow", good.URL + "/feed.json"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	if err := p.PollOnce(ctx, now); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		bad.URL + "/huge": "larger than 5 MB",
		bad.URL + "/slow": "did not answer in time",
	}
	for u, msg := range want {
		c, err := st.GetFeed(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c.LastError, msg) || c.Failures != 1 {
			t.Errorf("%s: cursor %q failures %d, want %q", u, c.LastError, c.Failures, msg)
		}
	}
	arts, _ := st.RecentArticles(ctx, time.Time{}, 0)
	if len(arts) != 2 {
		t.Errorf("good feed ingested %d articles, want 2", len(arts))
	}
}

// TestReplicasShareFeeds runs two pollers (replicas) on one store with
// leases: every feed is fetched once per round, every story stored once.
func TestReplicasShareFeeds(t *testing.T) { forEachStore(t, testReplicasShareFeeds) }

func testReplicasShareFeeds(t *testing.T, st store.Store) {
	srv := newFeedServer(t)
	f := fetch.New(fetch.Options{AllowNets: loopback})
	var alerts sync.Map
	var dupAlerts atomic.Int32
	feeds := []string{srv.URL + "/rss.xml", srv.URL + "/atom.xml", srv.URL + "/feed.json"}
	var replicas []*ingest.Poller
	for i := range 2 {
		ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st, Pages: ingest.NewPages(f),
			OnArticle: func(_ context.Context, a store.Article, created bool) error {
				if !created {
					return nil
				}
				if _, loaded := alerts.LoadOrStore(a.ID, true); loaded {
					dupAlerts.Add(1)
				}
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := ingest.NewPoller(ingest.PollerConfig{Store: st, Fetcher: f, Ingester: ing, Feeds: feeds,
			Jitter: -1, Leases: st, Holder: fmt.Sprintf("replica-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		replicas = append(replicas, p)
	}
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	for round := range 3 {
		now := t0.Add(time.Duration(round) * ingest.DefaultInterval)
		var wg sync.WaitGroup
		for _, p := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := p.PollOnce(ctx, now); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		for _, u := range []string{"/rss.xml", "/atom.xml", "/feed.json"} {
			if got := srv.count(u); got != round+1 {
				t.Errorf("round %d: %s fetched %d times in total, want %d", round, u, got, round+1)
			}
		}
	}
	n := 0
	alerts.Range(func(_, _ any) bool { n++; return true })
	if n != 5 || dupAlerts.Load() != 0 {
		t.Errorf("alerts: %d distinct, %d repeated; want 5 and 0", n, dupAlerts.Load())
	}
}

// TestOldItemsSkipped: a feed added today does not deliver its back
// catalogue; old items are remembered as seen and never ingested.
func TestOldItemsSkipped(t *testing.T) {
	srv := newFeedServer(t)
	h := newHarness(t, openStore(t), []string{srv.URL + "/feed.json"}, time.Minute)
	ctx := context.Background()
	// Items are dated 2026-11-24 12:30 and 2026-11-25 08:00.
	now := time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)
	if err := h.poller.PollOnce(ctx, now); err != nil {
		t.Fatal(err)
	}
	if len(h.alerts) != 1 || h.alerts[0].Title != "Rail link to the border reopens" {
		t.Fatalf("alerts %d, want only the item from the last 48 h", len(h.alerts))
	}
	c, _ := h.store.GetFeed(ctx, srv.URL+"/feed.json")
	if len(c.SeenIDs) != 2 {
		t.Errorf("seen ids %q, want both items", c.SeenIDs)
	}
}
