package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"newsbrief/digest"
	"newsbrief/store"
	"newsbrief/topic"
)

// DigestWindow is the period /digest covers.
const DigestWindow = 24 * time.Hour

// Digest builds the digest sub would get for the period (from, to]: the
// stored articles ingested in it that match its topics. The date is to's
// day in the subscription's time zone. Errors: ErrUnavailable.
func (s *Service) Digest(ctx context.Context, sub store.Subscription, from, to time.Time) (digest.Digest, error) {
	f, err := topic.Parse(sub.Topics)
	if err != nil {
		return digest.Digest{}, fmt.Errorf("digest %s: %w: %w", sub.ChatRef, ErrBadTopics, err)
	}
	loc := time.UTC
	if sub.TimeZone != "" {
		if l, err := LoadZone(sub.TimeZone); err == nil {
			loc = l
		}
	}
	arts, err := s.Store.RecentArticles(ctx, from, 0)
	if err != nil {
		return digest.Digest{}, unavailable("digest "+sub.ChatRef.String(), err)
	}
	var entries []digest.Entry
	for _, a := range arts {
		if !a.Ingested.After(from) || a.Ingested.After(to) {
			continue
		}
		if !f.Match(a.Title, a.Body, a.Briefing) {
			continue
		}
		entries = append(entries, digest.Entry{
			Source:   digest.Source{Title: a.Title, URL: a.URL, Source: a.Source},
			Briefing: a.Briefing,
			Ingested: a.Ingested,
		})
	}
	// RecentArticles is newest first; a digest reads oldest first.
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	date := to.In(loc).Format(time.DateOnly)
	opts := s.DigestOptions
	opts.Location = loc
	return digest.Build(date, from, to, entries, opts), nil
}

// DigestNow returns the digest of the last DigestWindow for the chat, as a
// message to send at once (link previews off). A chat without a
// subscription gets everything; an empty period gives a text message
// saying so. Errors: ErrUnavailable.
func (s *Service) DigestNow(ctx context.Context, ref store.ChatRef) (Message, error) {
	sub, err := s.Store.GetSubscription(ctx, ref)
	switch {
	case errors.Is(err, store.ErrNotFound):
		sub = store.Subscription{ChatRef: ref, TimeZone: or(s.TimeZone, DefaultTimeZone)}
	case err != nil:
		return Message{}, unavailable("digest now "+ref.String(), err)
	}
	now := s.now()
	d, err := s.Digest(ctx, sub, now.Add(-DigestWindow), now)
	if err != nil {
		return Message{}, err
	}
	if d.Empty() {
		msg := "Nothing came in during the last 24 hours."
		if len(sub.Topics) > 0 {
			msg = "Nothing matching your topics came in during the last 24 hours."
		}
		return Message{Kind: KindText, Text: msg}, nil
	}
	return Message{Kind: KindDigest, Digest: &d, NoPreview: true}, nil
}
