// Package fetch is newsbrief's safe HTTP fetcher, used for feeds and for
// pages users ask to brief.
//
// Every connection is checked at dial time, on the address DNS resolved to,
// so redirects and DNS rebinding cannot reach loopback, private, link-local,
// multicast or other special-purpose addresses unless Options.AllowNets opens
// them. Responses are capped in time, size, redirects and content type; each
// refusal is a *Error whose message tells the user what went wrong.
package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// Defaults for Options fields left zero.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultMaxBytes     = 5 << 20
	DefaultMaxRedirects = 5
	DefaultUserAgent    = "newsbrief/1.0 (+news briefing bot)"
)

// Media types accepted by default.
var (
	// HTMLTypes are pages an article can be extracted from.
	HTMLTypes = []string{"text/html", "application/xhtml+xml", "text/plain"}
	// FeedTypes are RSS, Atom and JSON Feed documents.
	FeedTypes = []string{
		"application/rss+xml", "application/atom+xml", "application/rdf+xml",
		"application/xml", "text/xml", "application/feed+json", "application/json",
	}
	// DefaultAcceptTypes is HTMLTypes plus FeedTypes.
	DefaultAcceptTypes = append(append([]string{}, HTMLTypes...), FeedTypes...)
)

// Options configure a Client. Zero values take the defaults above.
type Options struct {
	// Timeout bounds a whole Get: connect, redirects, headers and body.
	Timeout time.Duration
	// MaxBytes caps the (decompressed) body; a larger body is an error of
	// Kind TooLarge, never silently truncated.
	MaxBytes int64
	// MaxRedirects caps redirects followed; negative means none.
	MaxRedirects int
	// AllowNets are ranges exempt from the address check (FETCH_ALLOW_NETS),
	// e.g. 127.0.0.0/8 for a self-hosted feed or tests.
	AllowNets []netip.Prefix
	// UserAgent is sent with every request.
	UserAgent string
	// AcceptTypes are the media types accepted (and sent in Accept).
	AcceptTypes []string
}

// Client fetches URLs safely. It is safe for concurrent use.
type Client struct {
	opts Options
	http *http.Client
}

// New returns a Client with opts (defaults filled in).
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if len(opts.AcceptTypes) == 0 {
		opts.AcceptTypes = DefaultAcceptTypes
	}
	c := &Client{opts: opts}
	tr := &http.Transport{
		// No proxy from the environment: a proxy would make the dial-time
		// address check meaningless.
		Proxy:                 nil,
		DialContext:           c.dialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   opts.Timeout,
		ResponseHeaderTimeout: opts.Timeout,
		ExpectContinueTimeout: time.Second,
	}
	c.http = &http.Client{
		Transport:     tr,
		Timeout:       opts.Timeout,
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// dialContext dials addr with a Control hook that vets the resolved IP of
// every connection attempt (all A/AAAA records Happy Eyeballs tries).
func (c *Client) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	d := net.Dialer{
		Timeout:   c.opts.Timeout,
		KeepAlive: 30 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return &Error{Kind: Blocked, Host: host, Addr: address, Detail: "an address that cannot be checked"}
			}
			if reason := blockReason(ap.Addr(), c.opts.AllowNets); reason != "" {
				return &Error{Kind: Blocked, Host: host, Addr: ap.Addr().Unmap().String(), Detail: reason}
			}
			return nil
		},
	}
	return d.DialContext(ctx, network, addr)
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if c.opts.MaxRedirects < 0 || len(via) > c.opts.MaxRedirects {
		n := max(c.opts.MaxRedirects, 0)
		return &Error{Kind: TooManyRedirects, URL: req.URL.String(), Host: via[0].URL.Hostname(),
			Detail: fmt.Sprintf("more than %d redirects", n)}
	}
	if err := checkURL(req.URL); err != nil {
		return err
	}
	return nil
}

// Response is a fetched document.
type Response struct {
	// URL is the final URL, after redirects.
	URL        string
	StatusCode int
	// NotModified is set when the server answered 304 to a conditional
	// request; Body is then empty and the caller's copy is current.
	NotModified bool
	// ContentType is the media type, lowercased, without parameters.
	ContentType string
	// Charset is the charset parameter of Content-Type, if any.
	Charset      string
	ETag         string
	LastModified string
	Body         []byte
}

// Text returns Body decoded to UTF-8, using the declared charset or, for
// HTML, the <meta> declaration. It fails with Kind BadBody when the result
// is not valid UTF-8.
func (r *Response) Text() (string, error) {
	ct := r.ContentType
	if r.Charset != "" {
		ct += "; charset=" + r.Charset
	}
	body := r.Body
	enc, name, _ := charset.DetermineEncoding(body, ct)
	if name != "utf-8" && name != "" && enc != nil {
		if dec, err := enc.NewDecoder().Bytes(body); err == nil {
			body = dec
		}
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(body) {
		u, _ := url.Parse(r.URL)
		host := r.URL
		if u != nil {
			host = u.Hostname()
		}
		return "", &Error{Kind: BadBody, URL: r.URL, Host: host, Detail: "the page is not valid UTF-8 text"}
	}
	return string(body), nil
}

// RequestOption adjusts one request.
type RequestOption func(*request)

type request struct {
	etag, lastModified string
	accept             []string
}

// WithETag makes the request conditional on the entity tag (If-None-Match).
func WithETag(etag string) RequestOption { return func(r *request) { r.etag = etag } }

// WithLastModified makes the request conditional on the date
// (If-Modified-Since), as received in a previous Last-Modified header.
func WithLastModified(lm string) RequestOption {
	return func(r *request) { r.lastModified = lm }
}

// WithAccept restricts the accepted media types for this request.
func WithAccept(types ...string) RequestOption {
	return func(r *request) { r.accept = types }
}

func checkURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return &Error{Kind: BadURL, URL: u.String(), Detail: "the URL has no scheme (it must start with http:// or https://)"}
	default:
		return &Error{Kind: BadURL, URL: u.String(), Detail: fmt.Sprintf("only http and https URLs can be fetched, not %s", u.Scheme)}
	}
	if u.Hostname() == "" {
		return &Error{Kind: BadURL, URL: u.String(), Detail: "the URL has no host"}
	}
	return nil
}

// Get fetches rawURL. On failure the error is a *Error (see Kind), or the
// context's error when ctx was canceled.
func (c *Client) Get(ctx context.Context, rawURL string, opts ...RequestOption) (*Response, error) {
	var ro request
	for _, o := range opts {
		o(&ro)
	}
	accept := c.opts.AcceptTypes
	if len(ro.accept) > 0 {
		accept = ro.accept
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, &Error{Kind: BadURL, URL: rawURL, Detail: "the URL does not parse", Err: err}
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Kind: BadURL, URL: rawURL, Detail: "the URL is not valid", Err: err}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", strings.Join(accept, ", ")+", */*;q=0.1")
	if ro.etag != "" {
		req.Header.Set("If-None-Match", ro.etag)
	}
	if ro.lastModified != "" {
		req.Header.Set("If-Modified-Since", ro.lastModified)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.classify(ctx, u, err)
	}
	defer func() { _ = resp.Body.Close() }() // read-only body: close error carries nothing

	final := resp.Request.URL
	host := final.Hostname()
	out := &Response{
		URL:          final.String(),
		StatusCode:   resp.StatusCode,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if resp.StatusCode == http.StatusNotModified {
		out.NotModified = true
		return out, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &Error{Kind: BadStatus, URL: out.URL, Host: host, Status: resp.StatusCode,
			Detail: strings.TrimSpace(fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode)))}
	}
	if resp.ContentLength > c.opts.MaxBytes {
		return nil, &Error{Kind: TooLarge, URL: out.URL, Host: host, Detail: sizeString(c.opts.MaxBytes)}
	}
	if h := resp.Header.Get("Content-Type"); h != "" {
		mt, params, err := mime.ParseMediaType(h)
		if err != nil {
			return nil, &Error{Kind: BadType, URL: out.URL, Host: host, Detail: fmt.Sprintf("unreadable content type %q", h)}
		}
		out.ContentType, out.Charset = strings.ToLower(mt), strings.ToLower(params["charset"])
		if !accepted(out.ContentType, accept) {
			return nil, &Error{Kind: BadType, URL: out.URL, Host: host,
				Detail: fmt.Sprintf("it is %s, not a web page or feed", out.ContentType)}
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBytes+1))
	if err != nil {
		return nil, c.classify(ctx, final, err)
	}
	if int64(len(body)) > c.opts.MaxBytes {
		return nil, &Error{Kind: TooLarge, URL: out.URL, Host: host, Detail: sizeString(c.opts.MaxBytes)}
	}
	sniffed := http.DetectContentType(body)
	if !strings.HasPrefix(sniffed, "text/") {
		return nil, &Error{Kind: BadBody, URL: out.URL, Host: host,
			Detail: "the response is binary data, not text"}
	}
	if out.ContentType == "" {
		mt, params, _ := mime.ParseMediaType(sniffed)
		out.ContentType, out.Charset = mt, params["charset"]
		if bytes.Contains(body[:min(len(body), 512)], []byte("<?xml")) {
			out.ContentType = "text/xml"
		}
		if !accepted(out.ContentType, accept) {
			return nil, &Error{Kind: BadType, URL: out.URL, Host: host,
				Detail: fmt.Sprintf("it looks like %s, not a web page or feed", out.ContentType)}
		}
	}
	out.Body = body
	return out, nil
}

func accepted(mt string, types []string) bool {
	for _, t := range types {
		if strings.EqualFold(mt, t) {
			return true
		}
	}
	return false
}

// classify turns a transport error into a *Error (or the ctx error).
func (c *Client) classify(ctx context.Context, u *url.URL, err error) error {
	var fe *Error
	if errors.As(err, &fe) {
		if fe.URL == "" {
			fe.URL = u.String()
		}
		return fe
	}
	if ctx.Err() == context.Canceled {
		return fmt.Errorf("fetch %s: %w", u.Redacted(), ctx.Err())
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &Error{Kind: Timeout, URL: u.String(), Host: u.Hostname(),
			Detail: "limit " + c.opts.Timeout.String(), Err: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &Error{Kind: Network, URL: u.String(), Host: u.Hostname(), Err: err}
}

func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// ParseAllowNets parses a FETCH_ALLOW_NETS value: CIDRs or single addresses
// separated by commas or spaces.
func ParseAllowNets(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("parse allowed network %q: expected a CIDR such as 127.0.0.0/8", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
