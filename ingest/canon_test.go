package ingest

import (
	"net/url"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "https://News.Example.COM/World/Story/", want: "https://news.example.com/World/Story"},
		{in: "HTTPS://news.example.com:443/a#comments", want: "https://news.example.com/a"},
		{in: "http://news.example.com:80/a", want: "http://news.example.com/a"},
		{in: "http://news.example.com:8080/a", want: "http://news.example.com:8080/a"},
		{in: "https://news.example.com", want: "https://news.example.com/"},
		{in: "https://news.example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=XYZ", want: "https://news.example.com/a?id=7"},
		{in: "https://news.example.com/a?b=2&a=1&gclid=1&UTM_Campaign=x", want: "https://news.example.com/a?a=1&b=2"},
		{in: "https://news.example.com/a?", want: "https://news.example.com/a"},
		{in: "https://user:pw@news.example.com/a", want: "https://news.example.com/a"},
		{in: "https://news.example.com./a//", want: "https://news.example.com/a"},
		{in: "https://[2001:DB8::1]:443/x", want: "https://[2001:db8::1]/x"},
		{in: "https://news.example.com/a%2Fb/", want: "https://news.example.com/a%2Fb"},
		{in: "  https://news.example.com/a  ", want: "https://news.example.com/a"},
		{in: "ftp://news.example.com/a", wantErr: true},
		{in: "mailto:desk@news.example.com", wantErr: true},
		{in: "/relative/path", wantErr: true},
		{in: "https:///nohost", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := CanonicalURL(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CanonicalURL(%q) err = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	a := ContentHash("Minister Reyes met Varga in Larnholm.\n\nThey agreed a deal.")
	b := ContentHash("  minister REYES met   Varga in Larnholm \u2014 they agreed a deal!")
	if a == "" || a != b {
		t.Errorf("same story hashes differ: %q vs %q", a, b)
	}
	if c := ContentHash("Minister Reyes met Varga in Larnholm. They agreed no deal."); c == a {
		t.Error("different story hashes alike")
	}
	if ContentHash("  ...  \n") != "" || ContentHash("") != "" {
		t.Error("wordless text must hash to empty")
	}
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://a.example/b/?utm_x=1#f", "http://[::1]:80/", "https://a.example/%zz", "https://a.example/?a=%&b", "HTTP://X/Y//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := CanonicalURL(in)
		if err != nil {
			return
		}
		again, err := CanonicalURL(got)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse again: %v", got, in, err)
		}
		if again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, got, again)
		}
		u, err := url.Parse(got)
		if err != nil || u.Fragment != "" || (u.Scheme != "http" && u.Scheme != "https") {
			t.Fatalf("bad canonical URL %q", got)
		}
		for k := range u.Query() {
			if strings.HasPrefix(strings.ToLower(k), "utm_") {
				t.Fatalf("tracking parameter kept in %q", got)
			}
		}
	})
}

func TestRedact(t *testing.T) {
	got := redact("https://user:pw@feeds.example/rss?token=abc123")
	if strings.Contains(got, "pw") || strings.Contains(got, "abc123") || !strings.HasPrefix(got, "https://user:xxxxx@feeds.example/rss?redacted-") {
		t.Errorf("redact = %q", got)
	}
	if redact("https://feeds.example/rss?token=a") == redact("https://feeds.example/rss?token=b") {
		t.Error("different queries redact alike")
	}
	if got := redact("https://feeds.example/rss"); got != "https://feeds.example/rss" {
		t.Errorf("plain URL changed: %q", got)
	}
}
