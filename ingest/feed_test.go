package ingest

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseFeedFixtures(t *testing.T) {
	const base = "https://feeds.example"
	tests := []struct {
		file      string
		title     string
		ids       []string // oldest first
		wantURL   string   // URL of the newest item
		bodyWords string   // in the newest item's body
	}{
		{"rss.xml", "Northern Wire", []string{"nw-2026-11-24-017", base + "/story", "nw-2026-11-25-001"},
			base + "/news/drones-overnight?utm_source=rss&utm_medium=feed", "shot down 41 of 53 drones"},
		{"atom.xml", "Southern Courier", []string{"urn:courier:2026-11-24:strike", "urn:courier:2026-11-25:drones"},
			base + "/news/drones-overnight/#top", "syndicated copy"},
		{"feed.json", "Eastern Dispatch", []string{"ed-7790", "ed-7781"},
			base + "/dispatch/bank-holds-rate", "Governor Marta Kovacs told a news conference"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			title, items, err := parseFeed([]byte(strings.ReplaceAll(string(b), "{{BASE}}", base)), base+"/"+tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if title != tt.title {
				t.Errorf("title %q", title)
			}
			var ids []string
			for _, it := range items {
				ids = append(ids, it.id)
				if it.in.Source != tt.title || it.in.Feed != base+"/"+tt.file || it.in.Published.IsZero() {
					t.Errorf("item %s metadata %+v", it.id, it.in)
				}
				if strings.Contains(it.in.Body, "<p>") {
					t.Errorf("item %s body still HTML: %q", it.id, it.in.Body)
				}
			}
			if strings.Join(ids, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("ids %q, want %q", ids, tt.ids)
			}
			newest := items[len(items)-1].in
			if newest.URL != tt.wantURL || !strings.Contains(newest.Body, tt.bodyWords) {
				t.Errorf("newest item URL %q body %q", newest.URL, newest.Body)
			}
		})
	}
	if _, _, err := parseFeed([]byte("<html><body>not a feed</body></html>"), base+"/x"); err == nil ||
		!strings.Contains(err.Error(), "feeds.example is not a valid RSS, Atom or JSON feed") {
		t.Errorf("html page as feed: err = %v", err)
	}
}

func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"rss.xml", "atom.xml", "feed.json", "malformed.xml"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"::"}]}`))
	f.Add([]byte(`<rss><channel><item><title>!!!</title></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, items, err := parseFeed(body, "https://feeds.example/feed")
		if err != nil {
			return
		}
		for _, it := range items {
			if it.id == "" {
				t.Fatal("item without id")
			}
			if !utf8.ValidString(it.in.Body) || !utf8.ValidString(it.in.Title) {
				t.Fatalf("invalid UTF-8 in %+v", it.in)
			}
			if it.in.URL != "" {
				if _, err := CanonicalURL(it.in.URL); err != nil {
					t.Fatalf("item URL %q kept but not canonicalisable: %v", it.in.URL, err)
				}
			}
		}
	})
}
