package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"

	"newsbrief/fetch"
	"newsbrief/ingest"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

func TestFetchArticle(t *testing.T) {
	page, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "Line one.\n\n  Line   two.\n")
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><script>x()</script></body></html>")
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss/>")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	pages := ingest.NewPages(fetch.New(fetch.Options{AllowNets: loopback}))
	a, err := pages.FetchArticle(ctx, srv.URL+"/story")
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != srv.URL+"/story" || a.Source != "Harbour Herald" || !strings.Contains(a.Body, "shot down 41 of 53 drones") {
		t.Errorf("unexpected article %+v", a)
	}

	a, err = pages.FetchArticle(ctx, srv.URL+"/plain")
	if err != nil {
		t.Fatal(err)
	}
	if a.Body != "Line one.\nLine two." {
		t.Errorf("plain body %q", a.Body)
	}

	if _, err := pages.FetchArticle(ctx, srv.URL+"/empty"); !errors.Is(err, ingest.ErrNoText) {
		t.Errorf("empty page: err = %v, want ErrNoText", err)
	}
	if _, err := pages.FetchArticle(ctx, srv.URL+"/feed"); fetch.KindOf(err) != fetch.BadType {
		t.Errorf("feed as page: err = %v, want BadType", err)
	}

	// Without AllowNets the same server is refused, with a sentence for the user.
	strict := ingest.NewPages(fetch.New(fetch.Options{}))
	_, err = strict.FetchArticle(ctx, srv.URL+"/story")
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Kind != fetch.Blocked {
		t.Fatalf("err = %v, want Blocked", err)
	}
	if !strings.Contains(fe.Error(), "refusing to fetch 127.0.0.1") {
		t.Errorf("user message %q", fe.Error())
	}
}
