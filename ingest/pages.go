package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsbrief/briefing"
	"newsbrief/fetch"
)

// ErrNoText: a page, feed item or API request had no article text.
var ErrNoText = errors.New("no article text found")

// Fetcher is the part of *fetch.Client ingest uses.
type Fetcher interface {
	Get(ctx context.Context, url string, opts ...fetch.RequestOption) (*fetch.Response, error)
}

// Pages fetches web pages through the safe fetcher and extracts their main
// text. It backs `/brief <URL>`, `bot brief URL` and teaser expansion.
type Pages struct {
	f Fetcher
}

// NewPages returns Pages fetching through f (normally a *fetch.Client).
func NewPages(f Fetcher) *Pages { return &Pages{f: f} }

// FetchArticle fetches rawURL and returns its main text as an engine input
// (Title, Body, final URL, Source = site name or host, Published when the
// page states it). Errors wrap a *fetch.Error (whose message is meant for
// the user) or ErrNoText.
func (p *Pages) FetchArticle(ctx context.Context, rawURL string) (briefing.Article, error) {
	resp, err := p.f.Get(ctx, rawURL, fetch.WithAccept(fetch.HTMLTypes...))
	if err != nil {
		return briefing.Article{}, fmt.Errorf("fetch article: %w", err)
	}
	text, err := resp.Text()
	if err != nil {
		return briefing.Article{}, fmt.Errorf("fetch article: %w", err)
	}
	var a briefing.Article
	if resp.ContentType == "text/plain" {
		a = briefing.Article{Body: normaliseText(text), URL: resp.URL, Source: hostOf(resp.URL)}
	} else {
		a = ExtractArticle(text, resp.URL)
	}
	if a.Body == "" {
		return briefing.Article{}, fmt.Errorf("fetch article %s: %w", hostOf(resp.URL), ErrNoText)
	}
	return a, nil
}

// ExtractArticle finds the main text of an HTML page with go-readability
// and renders it as plain text, one paragraph per line. When readability
// finds nothing it falls back to the text of the whole <body>. pageURL is
// copied to the result and resolves relative links; Source is the site
// name the page declares, else its host.
func ExtractArticle(page, pageURL string) briefing.Article {
	u, _ := url.Parse(pageURL)
	if u == nil {
		u = &url.URL{}
	}
	out := briefing.Article{URL: pageURL, Source: u.Hostname()}
	ra, err := readability.FromReader(strings.NewReader(page), u)
	if err == nil {
		out.Title = strings.TrimSpace(ra.Title())
		if s := strings.TrimSpace(ra.SiteName()); s != "" {
			out.Source = s
		}
		if t, err := ra.PublishedTime(); err == nil && !t.IsZero() {
			out.Published = t.UTC().Truncate(time.Second)
		}
		if ra.Node != nil {
			out.Body = nodeText(ra.Node)
		}
	}
	if out.Body == "" {
		doc, err := html.Parse(strings.NewReader(page))
		if err == nil {
			if b := findBody(doc); b != nil {
				out.Body = nodeText(b)
			}
			if out.Title == "" {
				out.Title = findTitle(doc)
			}
		}
	}
	out.Title = normaliseText(out.Title)
	return out
}

func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Body {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

func findTitle(n *html.Node) string {
	if n.Type == html.ElementNode && n.DataAtom == atom.Title {
		return nodeText(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if t := findTitle(c); t != "" {
			return t
		}
	}
	return ""
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
