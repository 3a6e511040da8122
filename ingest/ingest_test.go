package ingest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsbrief/briefing"
	"newsbrief/fetch"
	"newsbrief/ingest"
	"newsbrief/store"
)

const longBody = "Foreign Minister Anna Reyes met her counterpart Tomas Varga in the port city of Larnholm on Tuesday. " +
	"The ministers agreed to reopen the grain corridor through the northern strait for at least six months. " +
	"\"This corridor feeds millions of people, and it will stay open,\" Reyes told reporters after the meeting. " +
	"Varga, who was accompanied by Deputy Trade Minister Lena Holm, said inspections would be shared."

func TestIngest(t *testing.T) {
	pageHits := atomic.Int32{}
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pageHits.Add(1)
		if r.URL.Path == "/gone" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		// The path leads the text so each page is a different story.
		_, _ = w.Write([]byte("<html><body><article><p>Report " + r.URL.Path + ". " + longBody + "</p></article></body></html>"))
	}))
	defer pages.Close()

	var briefs atomic.Int32
	st := openStore(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	ing, err := ingest.NewIngester(ingest.IngesterConfig{
		Store: st,
		Pages: ingest.NewPages(fetch.New(fetch.Options{AllowNets: loopback})),
		Brief: func(a briefing.Article) briefing.Briefing {
			briefs.Add(1)
			return briefing.Brief(a)
		},
		MaxTextBytes: 300,
		Now:          func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("teaser with failing page keeps the teaser", func(t *testing.T) {
		a, created, err := ing.Ingest(ctx, ingest.Input{Title: "Short", URL: pages.URL + "/gone", Body: "Reyes met Varga."})
		if err != nil || !created {
			t.Fatalf("created=%v err=%v", created, err)
		}
		if a.Body != "Reyes met Varga." || !a.Ingested.Equal(now) {
			t.Errorf("article %+v", a)
		}
	})
	t.Run("empty body and refused url", func(t *testing.T) {
		_, _, err := ing.Ingest(ctx, ingest.Input{URL: "http://192.168.0.1/story"})
		if !errors.Is(err, ingest.ErrNoText) || fetch.KindOf(err) != fetch.Blocked {
			t.Errorf("err = %v, want ErrNoText wrapping a Blocked fetch error", err)
		}
	})
	t.Run("invalid utf8", func(t *testing.T) {
		if _, _, err := ing.Ingest(ctx, ingest.Input{Body: "bad \xff"}); !errors.Is(err, ingest.ErrInvalid) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("long text cut at a word boundary", func(t *testing.T) {
		a, _, err := ing.Ingest(ctx, ingest.Input{GUID: "long-1", Body: longBody + " Extra words at the end."})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Body) > 300 || strings.HasSuffix(a.Body, "Rey") || !strings.HasPrefix(a.Body, "Foreign Minister") {
			t.Errorf("cut body (%d bytes) %q", len(a.Body), a.Body)
		}
	})
	t.Run("same GUID is a duplicate", func(t *testing.T) {
		first, created, err := ing.Ingest(ctx, ingest.Input{GUID: "wire-42", Body: "Ministers met in Larnholm on Tuesday to sign the deal."})
		if err != nil || !created {
			t.Fatal(created, err)
		}
		again, created, err := ing.Ingest(ctx, ingest.Input{GUID: "wire-42", Body: "Updated: ministers met in Larnholm."})
		if err != nil || created || again.ID != first.ID {
			t.Errorf("second: created=%v id=%s want %s err=%v", created, again.ID, first.ID, err)
		}
	})
	t.Run("one story from many goroutines is briefed once", func(t *testing.T) {
		before := briefs.Load()
		hitsBefore := pageHits.Load()
		var wg sync.WaitGroup
		var created atomic.Int32
		ids := make([]string, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, c, err := ing.Ingest(ctx, ingest.Input{
					Title: "Grain corridor", URL: pages.URL + "/corridor?utm_source=feed" + strings.Repeat("x", i),
					Body: "Teaser only.",
				})
				if err != nil {
					t.Error(err)
					return
				}
				if c {
					created.Add(1)
				}
				ids[i] = a.ID
			}()
		}
		wg.Wait()
		if created.Load() != 1 || briefs.Load()-before != 1 || pageHits.Load()-hitsBefore != 1 {
			t.Errorf("created %d, briefed %d, page fetched %d times; want 1 each",
				created.Load(), briefs.Load()-before, pageHits.Load()-hitsBefore)
		}
		for _, id := range ids {
			if id != ids[0] {
				t.Errorf("ids differ: %q", ids)
				break
			}
		}
	})
}

func TestNewIngesterAndPollerValidate(t *testing.T) {
	if _, err := ingest.NewIngester(ingest.IngesterConfig{}); err == nil {
		t.Error("NewIngester without store succeeded")
	}
	st := openStore(t)
	ing, _ := ingest.NewIngester(ingest.IngesterConfig{Store: st})
	f := fetch.New(fetch.Options{})
	if _, err := ingest.NewPoller(ingest.PollerConfig{Store: st, Fetcher: f}); err == nil {
		t.Error("NewPoller without ingester succeeded")
	}
	if _, err := ingest.NewPoller(ingest.PollerConfig{Store: st, Fetcher: f, Ingester: ing, Feeds: []string{"file:///etc/passwd"}}); !errors.Is(err, ingest.ErrInvalid) {
		t.Errorf("bad FEEDS entry: err = %v", err)
	}
}

func TestRun(t *testing.T) {
	srv := newFeedServer(t)
	st := openStore(t)
	f := fetch.New(fetch.Options{AllowNets: loopback})
	got := make(chan store.Article, 16)
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st, Pages: ingest.NewPages(f),
		OnArticle: func(_ context.Context, a store.Article, created bool) error {
			if created {
				got <- a
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ingest.NewPoller(ingest.PollerConfig{Store: st, Fetcher: f, Ingester: ing,
		Feeds: []string{srv.URL + "/feed.json"}, Interval: time.Hour, MaxItemAge: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	for range 2 { // the feed's two items, polled at start without waiting a tick
		select {
		case <-got:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not poll at start")
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop on cancel")
	}
	if _, err := st.GetFeed(context.Background(), srv.URL+"/feed.json"); err != nil {
		t.Errorf("FEEDS entry not stored: %v", err)
	}
}
