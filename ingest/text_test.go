package ingest

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "  Minister   met\tenvoy  ", "Minister met envoy"},
		{"plain lines", "one\n\n  two  \nthree", "one\ntwo\nthree"},
		{"paragraphs", "<p>First <b>bold</b> line.</p><p>Second\nline.</p>", "First bold line.\nSecond line."},
		{"br", "a<br>b<br/>c", "a\nb\nc"},
		{"entities", "<p>Tom &amp; Jerry &ldquo;said&rdquo; &#39;hi&#39;</p>", "Tom & Jerry \u201csaid\u201d 'hi'"},
		{"script and style", "<p>a</p><script>var x = '<p>no</p>';</script><style>p{}</style><p>b</p>", "a\nb"},
		{"nav dropped", "<nav><a>Home</a></nav><p>story</p>", "story"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "one\ntwo"},
		{"inline spacing", "<p>The <a href=x>minister</a>said</p>", "The ministersaid"},
		{"table cells", "<table><tr><td>Kyiv</td><td>12</td></tr></table>", "Kyiv 12"},
		{"only markup", "<div><img src=x></div>", ""},
		{"invalid utf8", "caf\xe9 <b>ok</b>", "caf ok"},
		{"nul bytes", "a\x00b", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExtractArticle(t *testing.T) {
	page, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	a := ExtractArticle(string(page), "https://herald.example/world/talks")
	if a.Source != "Harbour Herald" {
		t.Errorf("Source = %q", a.Source)
	}
	if !strings.Contains(a.Title, "Port city talks end with grain corridor deal") {
		t.Errorf("Title = %q", a.Title)
	}
	if a.Published.Format("2006-01-02T15:04") != "2026-11-24T09:30" {
		t.Errorf("Published = %v", a.Published)
	}
	for _, want := range []string{
		"Foreign Minister Anna Reyes met her counterpart Tomas Varga in the port city of Larnholm on Tuesday",
		"\u201cThis corridor feeds millions of people, and it will stay open,\u201d Reyes told reporters",
		"shot down 41 of 53 drones",
		"\"We have settled the hardest question,\" he said.",
	} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, a.Body)
		}
	}
	for _, unwanted := range []string{"trackPageView", "Subscribe for", "Related: markets", "All rights reserved", "analytics"} {
		if strings.Contains(a.Body, unwanted) {
			t.Errorf("body keeps boilerplate %q:\n%s", unwanted, a.Body)
		}
	}
	// Paragraphs are separate lines.
	if n := strings.Count(a.Body, "\n"); n < 4 {
		t.Errorf("want one line per paragraph, got %d newlines:\n%s", n, a.Body)
	}
}

func TestExtractArticleFallback(t *testing.T) {
	a := ExtractArticle("<html><head><title>Short</title></head><body><p>Only line.</p></body></html>", "https://x.example/")
	if a.Body != "Only line." {
		t.Errorf("Body = %q", a.Body)
	}
	if a.Title != "Short" {
		t.Errorf("Title = %q", a.Title)
	}
}

func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<script>x</script>b", "a<br>b", "&amp;&#0;", "<table><td>1<td>2", "\xff<p>\x00"} {
		f.Add(s)
	}
	if page, err := os.ReadFile("testdata/article.html"); err == nil {
		f.Add(string(page))
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := HTMLToText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 output %q", out)
		}
		if strings.Contains(out, "\n\n") || strings.HasPrefix(out, "\n") || strings.HasSuffix(out, "\n") {
			t.Fatalf("empty lines in %q", out)
		}
		if strings.Contains(out, "  ") || strings.ContainsRune(out, 0) {
			t.Fatalf("uncollapsed space or NUL in %q", out)
		}
		if again := HTMLToText(out); !strings.ContainsAny(out, "<&") && again != out {
			t.Fatalf("not idempotent on plain text: %q -> %q", out, again)
		}
	})
}
