package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/briefing"
	"newsbrief/store"
)

// ErrInvalid: an Input that cannot become an article (invalid UTF-8, a URL
// that is not http or https…). The message after the colon says why.
var ErrInvalid = errors.New("invalid article")

// Defaults for IngesterConfig fields left zero.
const (
	DefaultTeaserChars  = 400
	DefaultMaxTextBytes = 200 << 10
	DefaultHookTimeout  = 10 * time.Second
	recentKeys          = 20000
)

// ArticleStore is the part of store.Store the Ingester uses.
type ArticleStore interface {
	PutArticle(ctx context.Context, a store.Article) (id string, created bool, err error)
	GetArticle(ctx context.Context, id string) (store.Article, error)
}

// ArticleFetcher fetches a page and extracts its text (*Pages).
type ArticleFetcher interface {
	FetchArticle(ctx context.Context, url string) (briefing.Article, error)
}

// IngesterConfig configures NewIngester. Store is required.
type IngesterConfig struct {
	Store ArticleStore
	// Pages expands teasers into full text; nil briefs teasers as they are.
	Pages ArticleFetcher
	// Brief is the engine (briefing.Brief when nil).
	Brief func(briefing.Article) briefing.Briefing
	// OnArticle is called synchronously with the article of every Ingest
	// that finds or stores one: created is true for a newly stored
	// article, false for a duplicate of a stored one. It hands the article
	// on (cmd/bot enqueues its instant fan-out) and must be quick and
	// idempotent: it is called again for a duplicate so that a retried
	// POST or a re-poll resumes what a crash right after the store cut
	// short.
	//
	// Its context is not cancelled with Ingest's (a client that hangs up or
	// a poll stopped by shutdown must not stop what follows a stored
	// article) but ends after HookTimeout. An error fails the Ingest (the
	// article stays stored; a retry sees a duplicate and calls OnArticle
	// again).
	OnArticle func(ctx context.Context, a store.Article, created bool) error
	// HookTimeout bounds each OnArticle call (DefaultHookTimeout).
	HookTimeout time.Duration
	// TeaserChars: bodies shorter than this many characters are teasers and
	// the page at the article URL is fetched (default 400).
	TeaserChars int
	// MaxTextBytes caps the text briefed; longer text is cut at a line
	// boundary (default 200 KB).
	MaxTextBytes int
	// Now is the clock (time.Now when nil).
	Now    func() time.Time
	Logger *slog.Logger
	// Registerer receives the ingest metrics; nil registers nothing.
	Registerer prometheus.Registerer
}

// Input is one article offered for ingestion. Body is plain text (one
// paragraph per line); feed HTML is converted by the Poller before.
type Input struct {
	Title string
	URL   string
	GUID  string
	Body  string
	// Source is the publication's name; Feed the feed URL, if any.
	Source    string
	Feed      string
	Published time.Time
}

// Ingester deduplicates, expands, briefs and stores articles. It is safe
// for concurrent use.
type Ingester struct {
	cfg      IngesterConfig
	log      *slog.Logger
	articles *prometheus.CounterVec
	pages    *prometheus.CounterVec

	mu       sync.Mutex
	recent   map[string]string // dedup key -> article id
	order    []string          // ring of keys in recent, for eviction
	next     int
	inflight map[string]chan struct{}
}

// NewIngester returns an Ingester. It fails when Store is nil or the
// metrics cannot be registered.
func NewIngester(cfg IngesterConfig) (*Ingester, error) {
	if cfg.Store == nil {
		return nil, errors.New("ingest: IngesterConfig.Store is required")
	}
	if cfg.Brief == nil {
		cfg.Brief = briefing.Brief
	}
	if cfg.TeaserChars <= 0 {
		cfg.TeaserChars = DefaultTeaserChars
	}
	if cfg.MaxTextBytes <= 0 {
		cfg.MaxTextBytes = DefaultMaxTextBytes
	}
	if cfg.HookTimeout <= 0 {
		cfg.HookTimeout = DefaultHookTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	g := &Ingester{
		cfg:      cfg,
		log:      orDiscard(cfg.Logger).With("component", "ingest"),
		recent:   make(map[string]string),
		order:    make([]string, recentKeys),
		inflight: make(map[string]chan struct{}),
		articles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsbrief_ingest_articles_total",
			Help: "Articles offered for ingestion, by result (created, duplicate, error).",
		}, []string{"result"}),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsbrief_ingest_page_fetches_total",
			Help: "Pages fetched to expand feed teasers, by result (ok, error).",
		}, []string{"result"}),
	}
	if err := register(cfg.Registerer, g.articles, g.pages); err != nil {
		return nil, err
	}
	return g, nil
}

// Ingest stores in as an article with its briefing unless it duplicates a
// stored one (same GUID, canonical URL or content hash); then it returns
// the stored article and created=false. A teaser (or an empty body) is
// expanded by fetching its URL first; when that fails a teaser is briefed
// as it is and an empty body fails with ErrNoText wrapping the fetch error
// (a *fetch.Error). Either way the article is then handed to OnArticle.
// Errors: ErrInvalid, ErrNoText, store errors, or OnArticle's error.
func (g *Ingester) Ingest(ctx context.Context, in Input) (a store.Article, created bool, err error) {
	defer func() {
		switch {
		case err != nil:
			g.articles.WithLabelValues("error").Inc()
		case created:
			g.articles.WithLabelValues("created").Inc()
		default:
			g.articles.WithLabelValues("duplicate").Inc()
		}
	}()
	release := func() {}
	defer func() { release() }()
	a, created, err = g.ingest(ctx, in, &release)
	if err != nil || g.cfg.OnArticle == nil {
		return a, created, err
	}
	// The article is stored: hand it on even if ctx ends now. This runs
	// while the article's keys are still claimed, so a copy arriving at
	// the same time waits and then finds the hand-over done.
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), g.cfg.HookTimeout)
	defer cancel()
	if err := g.cfg.OnArticle(hctx, a, created); err != nil {
		return store.Article{}, false, fmt.Errorf("hand on article %s: %w", a.ID, err)
	}
	return a, created, nil
}

// ingest does Ingest's work up to the hand-over; *release is set to end
// the claim on the article's keys.
func (g *Ingester) ingest(ctx context.Context, in Input, release *func()) (store.Article, bool, error) {
	if !utf8.ValidString(in.Body) || !utf8.ValidString(in.Title) {
		return store.Article{}, false, fmt.Errorf("%w: text is not valid UTF-8", ErrInvalid)
	}
	in.Title = normaliseText(in.Title)
	in.Body = normaliseText(in.Body)
	in.GUID = strings.TrimSpace(in.GUID)
	if in.URL != "" {
		canon, err := CanonicalURL(in.URL)
		if err != nil {
			return store.Article{}, false, fmt.Errorf("%w: url must be an absolute http or https URL", ErrInvalid)
		}
		in.URL = canon
	}

	var keys []string
	if in.GUID != "" {
		keys = append(keys, "g:"+in.GUID)
	}
	if in.URL != "" {
		keys = append(keys, "u:"+in.URL)
	}
	*release = g.claim(ctx, keys)
	if a, ok := g.known(ctx, keys...); ok {
		return a, false, nil
	}

	if in.URL != "" && g.cfg.Pages != nil && utf8.RuneCountInString(in.Body) < g.cfg.TeaserChars {
		page, err := g.cfg.Pages.FetchArticle(ctx, in.URL)
		switch {
		case err != nil && in.Body == "":
			g.pages.WithLabelValues("error").Inc()
			return store.Article{}, false, fmt.Errorf("%w: %w", ErrNoText, err)
		case err != nil:
			g.pages.WithLabelValues("error").Inc()
			g.log.Warn("teaser page fetch failed; briefing the teaser", "url", redact(in.URL), "error", err)
		default:
			g.pages.WithLabelValues("ok").Inc()
			if utf8.RuneCountInString(page.Body) > utf8.RuneCountInString(in.Body) {
				in.Body = page.Body
			}
			if in.Title == "" {
				in.Title = page.Title
			}
			if in.Published.IsZero() {
				in.Published = page.Published
			}
			if in.Source == "" {
				in.Source = page.Source
			}
		}
	}
	if in.Body == "" {
		return store.Article{}, false, ErrNoText
	}
	in.Body = cutText(in.Body, g.cfg.MaxTextBytes)
	hash := ContentHash(in.Body)
	if hash != "" {
		keys = append(keys, "h:"+hash)
		if a, ok := g.known(ctx, "h:"+hash); ok {
			g.remember(keys, a.ID)
			return a, false, nil
		}
	}

	now := g.cfg.Now()
	art := store.Article{
		URL:         in.URL,
		GUID:        in.GUID,
		Title:       in.Title,
		Body:        in.Body,
		Source:      in.Source,
		Feed:        in.Feed,
		ContentHash: hash,
		Published:   in.Published,
		Ingested:    now,
	}
	art.Briefing = g.cfg.Brief(briefing.Article{
		Title: in.Title, Body: in.Body, URL: in.URL, Source: in.Source, Published: in.Published,
	})
	id, created, err := g.cfg.Store.PutArticle(ctx, art)
	if err != nil {
		return store.Article{}, false, fmt.Errorf("store article: %w", err)
	}
	g.remember(keys, id)
	if !created {
		stored, err := g.cfg.Store.GetArticle(ctx, id)
		if err != nil {
			art.ID = id
			return art, false, nil // the duplicate's id is what matters; the copy is ours
		}
		return stored, false, nil
	}
	art.ID = id
	return art, true, nil
}

// claim waits until no other Ingest holds any of keys, then holds them
// until the returned func is called, so one story arriving from two feeds
// at once is briefed once.
func (g *Ingester) claim(ctx context.Context, keys []string) func() {
	for {
		g.mu.Lock()
		var busy chan struct{}
		for _, k := range keys {
			if ch, ok := g.inflight[k]; ok {
				busy = ch
				break
			}
		}
		if busy == nil {
			ch := make(chan struct{})
			for _, k := range keys {
				g.inflight[k] = ch
			}
			g.mu.Unlock()
			return func() {
				g.mu.Lock()
				for _, k := range keys {
					if g.inflight[k] == ch {
						delete(g.inflight, k)
					}
				}
				g.mu.Unlock()
				close(ch)
			}
		}
		g.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return func() {}
		}
	}
}

// known returns the stored article for the first key seen recently.
func (g *Ingester) known(ctx context.Context, keys ...string) (store.Article, bool) {
	for _, k := range keys {
		g.mu.Lock()
		id, ok := g.recent[k]
		g.mu.Unlock()
		if !ok {
			continue
		}
		a, err := g.cfg.Store.GetArticle(ctx, id)
		if err != nil { // expired or unreachable: let the store decide later
			continue
		}
		return a, true
	}
	return store.Article{}, false
}

func (g *Ingester) remember(keys []string, id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, k := range keys {
		if _, ok := g.recent[k]; !ok {
			if old := g.order[g.next]; old != "" {
				delete(g.recent, old)
			}
			g.order[g.next] = k
			g.next = (g.next + 1) % len(g.order)
		}
		g.recent[k] = id
	}
}

// cutText shortens s to at most n bytes, at a line (else word) boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	if i := strings.LastIndexByte(s, '\n'); i > n/2 {
		return s[:i]
	}
	if i := strings.LastIndexByte(s, ' '); i > n/2 {
		return s[:i]
	}
	return s
}

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

func register(r prometheus.Registerer, cs ...prometheus.Collector) error {
	if r == nil {
		return nil
	}
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			return fmt.Errorf("ingest: register metrics: %w", err)
		}
	}
	return nil
}
