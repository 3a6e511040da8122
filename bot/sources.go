package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"newsbrief/store"
)

// MaxFeedURL is the longest feed URL /sources add accepts.
const MaxFeedURL = 2048

// FeedManager adds and removes the feeds the bot polls (ingest.Poller).
// Both write to the shared store, so every replica's poller sees the
// change on its next round.
type FeedManager interface {
	// AddFeed starts polling url; adding a polled feed changes nothing.
	AddFeed(ctx context.Context, url string) error
	// RemoveFeed stops polling url; store.ErrNotFound when it is not polled.
	RemoveFeed(ctx context.Context, url string) error
}

// SourceChange is what AddSource or RemoveSource did.
type SourceChange struct {
	// URL is the feed as stored: the canonical form of what the user
	// typed, or the stored spelling of an existing feed it matched.
	URL string
	// Changed is false when AddSource found the feed already polled.
	Changed bool
	// Configured is set when the feed is listed in FEEDS (ConfiguredFeeds):
	// a removal lasts only until the next start.
	Configured bool
}

// IsBotAdmin reports whether actor is one of the bot's operators (Admins).
// It is about running the bot, not about administering a chat.
func (s *Service) IsBotAdmin(actor Actor) bool {
	if actor.Platform == "" || actor.UserID == "" {
		return false
	}
	return slices.Contains(s.Admins, actor.Platform+":"+actor.UserID)
}

// AddSource starts polling the feed at rawURL (from every replica's next
// polling round). Only the bot's operators may do it. The URL must be an
// absolute http(s) URL without credentials; it is stored in canonical form
// (CanonicalFeedURL), and a feed already polled under another spelling of
// the same URL is reported unchanged. Errors: ErrNotBotAdmin, ErrBadSource,
// ErrUnavailable.
func (s *Service) AddSource(ctx context.Context, actor Actor, rawURL string) (SourceChange, error) {
	if !s.IsBotAdmin(actor) {
		return SourceChange{}, fmt.Errorf("add feed by %s:%s: %w", actor.Platform, actor.UserID, ErrNotBotAdmin)
	}
	u, err := CanonicalFeedURL(rawURL)
	if err != nil {
		return SourceChange{}, fmt.Errorf("add feed: %w", err)
	}
	res := SourceChange{URL: u, Changed: true, Configured: s.configured(u)}
	if existing, err := s.findFeed(ctx, u); err != nil {
		return SourceChange{}, err
	} else if existing != "" {
		res.URL, res.Changed = existing, false
		return res, nil
	}
	if s.Feeds == nil {
		return SourceChange{}, fmt.Errorf("add feed %s: no feed manager configured: %w", u, ErrUnavailable)
	}
	if err := s.Feeds.AddFeed(ctx, u); err != nil {
		return SourceChange{}, unavailable("add feed "+u, err)
	}
	s.logger().InfoContext(ctx, "feed added", "feed_url", logURL(u), "by", actor.Platform+":"+actor.UserID)
	return res, nil
}

// RemoveSource stops polling the feed at rawURL (any spelling with the same
// canonical form). Only the bot's operators may do it. Errors:
// ErrNotBotAdmin, ErrBadSource, ErrNoSuchSource, ErrUnavailable.
func (s *Service) RemoveSource(ctx context.Context, actor Actor, rawURL string) (SourceChange, error) {
	if !s.IsBotAdmin(actor) {
		return SourceChange{}, fmt.Errorf("remove feed by %s:%s: %w", actor.Platform, actor.UserID, ErrNotBotAdmin)
	}
	u, err := CanonicalFeedURL(rawURL)
	if err != nil {
		return SourceChange{}, fmt.Errorf("remove feed: %w", err)
	}
	existing, err := s.findFeed(ctx, u)
	if err != nil {
		return SourceChange{}, err
	}
	if existing == "" {
		return SourceChange{}, fmt.Errorf("remove feed %s: %w", u, ErrNoSuchSource)
	}
	if s.Feeds == nil {
		return SourceChange{}, fmt.Errorf("remove feed %s: no feed manager configured: %w", u, ErrUnavailable)
	}
	switch err := s.Feeds.RemoveFeed(ctx, existing); {
	case errors.Is(err, store.ErrNotFound):
		// Removed meanwhile, by another operator or replica.
		return SourceChange{}, fmt.Errorf("remove feed %s: %w", existing, ErrNoSuchSource)
	case err != nil:
		return SourceChange{}, unavailable("remove feed "+existing, err)
	}
	s.logger().InfoContext(ctx, "feed removed", "feed_url", logURL(existing), "by", actor.Platform+":"+actor.UserID)
	return SourceChange{URL: existing, Changed: true, Configured: s.configured(u)}, nil
}

// findFeed returns the stored URL of the polled feed whose canonical form
// is canon, or "".
func (s *Service) findFeed(ctx context.Context, canon string) (string, error) {
	feeds, err := s.Sources(ctx)
	if err != nil {
		return "", err
	}
	for _, f := range feeds {
		if f.URL == canon {
			return f.URL, nil
		}
	}
	for _, f := range feeds {
		if c, err := CanonicalFeedURL(f.URL); err == nil && c == canon {
			return f.URL, nil
		}
	}
	return "", nil
}

// logURL drops the query of u, which may carry an access key.
func logURL(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i] + "?…"
	}
	return u
}

// configured reports whether canon is one of ConfiguredFeeds.
func (s *Service) configured(canon string) bool {
	for _, f := range s.ConfiguredFeeds {
		if c, err := CanonicalFeedURL(f); err == nil && c == canon {
			return true
		}
	}
	return false
}

// CanonicalFeedURL checks that raw is an absolute http or https URL with a
// host and no user name or password, and returns its canonical form:
// scheme and host in lower case, the scheme's default port and any
// #fragment dropped, path and query kept as given. Errors wrap ErrBadSource.
func CanonicalFeedURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	raw = strings.TrimPrefix(strings.TrimSuffix(raw, ">"), "<") // Markdown autolinks
	if raw == "" {
		return "", fmt.Errorf("empty feed URL: %w", ErrBadSource)
	}
	if len(raw) > MaxFeedURL {
		return "", fmt.Errorf("feed URL of %d bytes: %w", len(raw), ErrBadSource)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("feed URL %q: %w", raw, ErrBadSource)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("feed URL %q: not http or https: %w", raw, ErrBadSource)
	case u.Opaque != "" || u.Hostname() == "":
		return "", fmt.Errorf("feed URL %q: no host: %w", raw, ErrBadSource)
	case u.User != nil:
		return "", fmt.Errorf("feed URL with credentials: %w", ErrBadSource)
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	} else {
		u.Host = host
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), nil
}

// Subcommands of /sources.
const (
	SourcesAdd    = "add"
	SourcesRemove = "remove"
)

// sources answers "/sources" (list), "/sources add URL" and
// "/sources remove URL".
func (s *Service) sources(ctx context.Context, req Request) (Reply, error) {
	sub, arg, _ := strings.Cut(strings.TrimSpace(req.Args), " ")
	arg = strings.TrimSpace(arg)
	switch strings.ToLower(sub) {
	case "", "list":
		feeds, err := s.Sources(ctx)
		if err != nil {
			return Reply{}, err
		}
		return textReply(DescribeSources(feeds, s.now())), nil
	case SourcesAdd:
		res, err := s.AddSource(ctx, req.Actor, arg)
		if err != nil {
			return Reply{}, err
		}
		return textReply(SourceAddedText(res)), nil
	case SourcesRemove, "rm", "delete":
		res, err := s.RemoveSource(ctx, req.Actor, arg)
		if err != nil {
			return Reply{}, err
		}
		return textReply(SourceRemovedText(res)), nil
	default:
		return Reply{}, fmt.Errorf("sources %q: %w", sub, ErrBadSource)
	}
}

// SourceAddedText confirms /sources add.
func SourceAddedText(res SourceChange) string {
	if !res.Changed {
		return "I already read " + res.URL + "; /sources shows its health."
	}
	return "Added " + res.URL + ". I will read it from the next polling round; /sources shows its health."
}

// SourceRemovedText confirms /sources remove.
func SourceRemovedText(res SourceChange) string {
	t := "Removed " + res.URL + "; I no longer read it."
	if res.Configured {
		t += " It is also listed in the bot's FEEDS setting, so it comes back when the bot restarts unless it is removed there too."
	}
	return t
}
