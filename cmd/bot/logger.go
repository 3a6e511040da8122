package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"

	"newsbrief/config"
)

// newLogger builds the process logger: LOG_FORMAT text or json at
// LOG_LEVEL, writing to w, with every secret of cfg scrubbed from every
// message and attribute. Secrets are config.Secret values and redact
// themselves, but SDK errors can embed them (a Bot API URL carries the
// token: "Post https://api.telegram.org/bot123:ABC/getMe: …"), so the
// handler scrubs their raw values too, at every level.
func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler
	if cfg.LogFormat == config.LogJSON {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(newRedactHandler(h, secretValues(cfg)))
}

// secretValues lists the raw values to scrub, with the encodings they take
// in URLs.
func secretValues(cfg config.Config) []string {
	raw := []string{
		cfg.Telegram.Token.Reveal(),
		cfg.Telegram.WebhookSecret.Reveal(),
		cfg.Discord.Token.Reveal(),
		cfg.Ingest.Token.Reveal(),
	}
	// REDIS_URL's secret part is its password; the rest (host, db) is
	// useful in logs and shown as cfg.Redis.Redacted().
	if u, err := url.Parse(cfg.Redis.URL.Reveal()); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			raw = append(raw, p)
		} else {
			raw = append(raw, u.User.Username()) // redis://secret@host: a password without user
		}
	}
	var out []string
	for _, s := range raw {
		// Very short values would scrub ordinary words; config validation
		// keeps real tokens long, tests use long ones.
		if len(s) < 6 {
			continue
		}
		for _, v := range []string{s, url.PathEscape(s), url.QueryEscape(s)} {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	// Longest first, so a token inside a URL is replaced whole.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

const scrubbed = "[redacted]"

// redactHandler replaces secret values in messages and attributes.
type redactHandler struct {
	next    slog.Handler
	secrets []string
}

func newRedactHandler(next slog.Handler, secrets []string) slog.Handler {
	if len(secrets) == 0 {
		return next
	}
	return &redactHandler{next: next, secrets: secrets}
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(clean), secrets: h.secrets}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), secrets: h.secrets}
}

func (h *redactHandler) scrub(s string) string {
	for _, sec := range h.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, scrubbed)
		}
	}
	return s
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	a.Key = h.scrub(a.Key)
	a.Value = h.value(a.Value)
	return a
}

func (h *redactHandler) value(v slog.Value) slog.Value {
	v = v.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(h.scrub(v.String()))
	case slog.KindGroup:
		as := v.Group()
		clean := make([]slog.Attr, len(as))
		for i, a := range as {
			clean[i] = h.attr(a)
		}
		return slog.GroupValue(clean...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			if s := x.Error(); h.scrub(s) != s {
				return slog.StringValue(h.scrub(s))
			}
		case fmt.Stringer:
			if s := x.String(); h.scrub(s) != s {
				return slog.StringValue(h.scrub(s))
			}
		default:
			// Structs, maps, slices: the handler would print them with
			// fmt or encoding/json; check the fmt form.
			if s := fmt.Sprintf("%+v", x); h.scrub(s) != s {
				return slog.StringValue(h.scrub(s))
			}
		}
	}
	return v
}
