package fetch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsbrief/fetch"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

func TestGetOK(t *testing.T) {
	var gotUA, gotAccept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
		fmt.Fprint(w, "<html><body><p>Hello</p></body></html>")
	}))
	defer srv.Close()

	c := fetch.New(fetch.Options{AllowNets: loopback, UserAgent: "test-agent"})
	resp, err := c.Get(context.Background(), srv.URL+"/old")
	if err != nil {
		t.Fatal(err)
	}
	if resp.URL != srv.URL+"/new" {
		t.Errorf("URL = %q, want the redirect target", resp.URL)
	}
	if resp.ContentType != "text/html" || resp.Charset != "utf-8" {
		t.Errorf("ContentType, Charset = %q, %q", resp.ContentType, resp.Charset)
	}
	if resp.ETag != `"v1"` || resp.LastModified != "Wed, 25 Nov 2026 10:00:00 GMT" {
		t.Errorf("validators = %q, %q", resp.ETag, resp.LastModified)
	}
	if !strings.Contains(string(resp.Body), "Hello") || resp.NotModified || resp.StatusCode != 200 {
		t.Errorf("unexpected response %+v", resp)
	}
	if gotUA != "test-agent" || !strings.Contains(gotAccept, "text/html") {
		t.Errorf("request headers UA=%q Accept=%q", gotUA, gotAccept)
	}
}

func TestConditionalGet(t *testing.T) {
	var inm, ims atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inm.Store(r.Header.Get("If-None-Match"))
		ims.Store(r.Header.Get("If-Modified-Since"))
		if r.Header.Get("If-None-Match") == `"abc"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`)
	}))
	defer srv.Close()
	c := fetch.New(fetch.Options{AllowNets: loopback})

	resp, err := c.Get(context.Background(), srv.URL, fetch.WithETag(`"abc"`), fetch.WithLastModified("Tue, 24 Nov 2026 08:00:00 GMT"))
	if err != nil {
		t.Fatal(err)
	}
	if !resp.NotModified || len(resp.Body) != 0 {
		t.Errorf("NotModified = %v, body %d bytes; want 304 handling", resp.NotModified, len(resp.Body))
	}
	if inm.Load() != `"abc"` || ims.Load() != "Tue, 24 Nov 2026 08:00:00 GMT" {
		t.Errorf("conditional headers sent: If-None-Match=%v If-Modified-Since=%v", inm.Load(), ims.Load())
	}

	resp, err = c.Get(context.Background(), srv.URL, fetch.WithETag(`"old"`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.NotModified || resp.ContentType != "application/rss+xml" {
		t.Errorf("changed feed: NotModified=%v type=%q", resp.NotModified, resp.ContentType)
	}
}

// listen127002 serves h on 127.0.0.2, a loopback address distinct from
// 127.0.0.1, so a test can allow one and refuse the other.
func listen127002(t *testing.T, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRefusals(t *testing.T) {
	html := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>secret</p>")
	}
	target := httptest.NewServer(http.HandlerFunc(html))
	defer target.Close()
	targetPort := target.Listener.Addr().(*net.TCPAddr).Port

	redirector := listen127002(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-loopback":
			http.Redirect(w, r, target.URL+"/", http.StatusFound)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			html(w, r)
		}
	}))
	only127002 := []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}

	slowDone := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-slowDone:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(slowDone)

	typed := func(ct string, body []byte) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			} else {
				w.Header()["Content-Type"] = nil // no header, no server-side sniffing
			}
			_, _ = w.Write(body)
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()

	tests := []struct {
		name    string
		url     string
		opts    fetch.Options
		kind    fetch.Kind
		message string
	}{
		{"ftp scheme", "ftp://example.com/feed.xml", fetch.Options{}, fetch.BadURL, "only http and https"},
		{"file scheme", "file:///etc/passwd", fetch.Options{}, fetch.BadURL, "only http and https"},
		{"no scheme", "example.com/news", fetch.Options{}, fetch.BadURL, "no scheme"},
		{"no host", "http:///path", fetch.Options{}, fetch.BadURL, "no host"},
		{"loopback literal", target.URL, fetch.Options{}, fetch.Blocked, "refusing to fetch 127.0.0.1: it is a loopback address"},
		{"localhost name", fmt.Sprintf("http://localhost:%d/", targetPort), fetch.Options{}, fetch.Blocked, "refusing to fetch localhost: it resolves to"},
		{"private literal", "http://10.1.2.3/", fetch.Options{Timeout: time.Second}, fetch.Blocked, "private network address"},
		{"metadata link-local", "http://169.254.169.254/latest/meta-data/", fetch.Options{Timeout: time.Second}, fetch.Blocked, "link-local"},
		{"redirect to 127.0.0.1", redirector + "/to-loopback", fetch.Options{AllowNets: only127002}, fetch.Blocked, "refusing to fetch 127.0.0.1"},
		{"redirect to file", redirector + "/to-file", fetch.Options{AllowNets: only127002}, fetch.BadURL, "only http and https"},
		{"redirect loop", redirector + "/loop", fetch.Options{AllowNets: only127002}, fetch.TooManyRedirects, "more than 5 redirects"},
		{"no redirects allowed", redirector + "/to-loopback", fetch.Options{AllowNets: loopback, MaxRedirects: -1}, fetch.TooManyRedirects, "more than 0 redirects"},
		{"slow server", slow.URL, fetch.Options{AllowNets: loopback, Timeout: 200 * time.Millisecond}, fetch.Timeout, "did not answer in time"},
		{"image", typed("image/png", []byte("\x89PNG\r\n\x1a\n\x00\x00")), fetch.Options{AllowNets: loopback}, fetch.BadType, "it is image/png"},
		{"binary disguised as html", typed("text/html", []byte("\x00\x01\x02\x03binary")), fetch.Options{AllowNets: loopback}, fetch.BadBody, "binary"},
		{"untyped binary", typed("", []byte("%PDF-1.7\n\x00\x01")), fetch.Options{AllowNets: loopback}, fetch.BadBody, "binary"},
		{"untyped json for pages", typed("", []byte(`{"a":1}`)), fetch.Options{AllowNets: loopback, AcceptTypes: []string{"text/html"}}, fetch.BadType, "looks like text/plain"},
		{"json refused for pages", typed("application/json", []byte(`{}`)), fetch.Options{AllowNets: loopback, AcceptTypes: fetch.HTMLTypes}, fetch.BadType, "application/json"},
		{"not found", notFound.URL, fetch.Options{AllowNets: loopback}, fetch.BadStatus, "answered 404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fetch.New(tt.opts).Get(context.Background(), tt.url)
			if err == nil {
				t.Fatalf("Get(%s) succeeded, want %v", tt.url, tt.kind)
			}
			var fe *fetch.Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v is not a *fetch.Error", err, err)
			}
			if fe.Kind != tt.kind {
				t.Errorf("Kind = %v, want %v (%v)", fe.Kind, tt.kind, err)
			}
			if !errors.Is(err, &fetch.Error{Kind: tt.kind}) {
				t.Errorf("errors.Is by kind failed for %v", err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.message)
			}
		})
	}
}

func TestAllowNetsOpensLocalhost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	resp, err := fetch.New(fetch.Options{AllowNets: loopback}).Get(context.Background(), fmt.Sprintf("http://localhost:%d/", port))
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "ok" {
		t.Errorf("body %q", resp.Body)
	}
}

// TestHugeBody serves 50 MB and checks the fetcher stops at the 5 MB cap
// without reading the rest.
func TestHugeBody(t *testing.T) {
	const total = 50 << 20
	for _, declared := range []bool{true, false} {
		t.Run(fmt.Sprintf("content-length=%v", declared), func(t *testing.T) {
			var written atomic.Int64
			done := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				defer close(done)
				w.Header().Set("Content-Type", "text/plain")
				if declared {
					w.Header().Set("Content-Length", fmt.Sprint(total))
				}
				chunk := []byte(strings.Repeat("news ", 8192/5))
				for written.Load() < total {
					n, err := w.Write(chunk)
					written.Add(int64(n))
					if err != nil {
						return
					}
				}
			}))
			defer srv.Close()
			_, err := fetch.New(fetch.Options{AllowNets: loopback}).Get(context.Background(), srv.URL)
			if fetch.KindOf(err) != fetch.TooLarge {
				t.Fatalf("err = %v, want TooLarge", err)
			}
			if !strings.Contains(err.Error(), "larger than 5 MB") {
				t.Errorf("message %q", err)
			}
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("server still writing: the client kept reading")
			}
			if n := written.Load(); n >= total {
				t.Errorf("server wrote all %d bytes; the client should stop at the cap", n)
			}
		})
	}
}

func TestText(t *testing.T) {
	// "Київ" in windows-1251.
	cp1251 := []byte{0xCA, 0xE8, 0xBF, 0xE2}
	tests := []struct {
		name    string
		resp    fetch.Response
		want    string
		wantErr bool
	}{
		{"utf8", fetch.Response{ContentType: "text/plain", Body: []byte("Київ")}, "Київ", false},
		{"bom", fetch.Response{ContentType: "text/plain", Body: []byte("\xef\xbb\xbfKyiv")}, "Kyiv", false},
		{"declared cp1251", fetch.Response{ContentType: "text/plain", Charset: "windows-1251", Body: cp1251}, "Київ", false},
		{"meta charset", fetch.Response{ContentType: "text/html", Body: append([]byte(`<meta charset="windows-1251"><p>`), cp1251...)}, "<meta charset=\"windows-1251\"><p>Київ", false},
		{"invalid utf8", fetch.Response{URL: "http://example.com/", ContentType: "application/json", Charset: "utf-8", Body: []byte("bad \xff\xfe")}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.resp.Text()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && fetch.KindOf(err) != fetch.BadBody {
				t.Errorf("kind %v", fetch.KindOf(err))
			}
			if got != tt.want {
				t.Errorf("Text() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseAllowNets(t *testing.T) {
	got, err := fetch.ParseAllowNets("127.0.0.0/8, 10.0.0.5 ::1/128")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"127.0.0.0/8", "10.0.0.5/32", "::1/128"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := fetch.ParseAllowNets("127.0.0.0/8,nonsense"); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("bad value: err = %v", err)
	}
	if got, err := fetch.ParseAllowNets(""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v %v", got, err)
	}
}

// TestGzipBomb checks the cap applies to the decompressed body: 8 MB of
// text that compresses to a few KB is refused at a 1 MB cap.
func TestGzipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	line := []byte(strings.Repeat("drones ", 1024))
	for n := 0; n < 8<<20; n += len(line) {
		_, _ = zw.Write(line)
	}
	_ = zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(buf.Bytes())
	}))
	defer srv.Close()
	_, err := fetch.New(fetch.Options{AllowNets: loopback, MaxBytes: 1 << 20}).Get(context.Background(), srv.URL)
	if fetch.KindOf(err) != fetch.TooLarge || !strings.Contains(err.Error(), "larger than 1 MB") {
		t.Fatalf("err = %v, want TooLarge (compressed size %d bytes)", err, buf.Len())
	}
}
